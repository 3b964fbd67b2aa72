"""Paged reads for browsing the archive (the web app): article lists, charts, entities, quotes.

Every query here is meant to stay fast at 100k articles: lists read an index in the order
they are shown (``published``, newest first) and stop at the page; names resolve to keys
through the small summary tables of ``003_browse.sql`` before the (key) indexes are read;
counts over a broad full-text match stop at ``COUNT_CAP`` and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..errors import UsageError
from ..model import ENTITY_LABELS, QUOTE_FAMILIES, QUOTE_KINDS
from .dialect import full_text, in_values
from .filters import Filters, label_group, name_clause, name_key
from .paging import COUNT_CAP, MAX_OFFSET, Paged, offset
from .paging import where as where_sql
from .people import EntityCount, QuoteHit
from .search import (
    LEAD_CHARS,
    MARK_CLOSE,
    MARK_OPEN,
    MAX_KEYS,
    RANK_CAP,
    ArticleQuery,
    ArticleRow,
    Search,
    article_row,
    entity_keys,
    fts,
)

# Chart buckets: days when the dates span at most this many days, weeks up to two years,
# months beyond — 60-odd to 100-odd bars at most before months take over.
DAY_SPAN = 62
WEEK_SPAN = 730


@dataclass(frozen=True, slots=True)
class Histogram:
    """Counts per bucket, oldest first, empty buckets included; ``start`` is the bucket's
    first day (a Monday for weeks, the 1st for months)."""

    bucket: str  # "day", "week" or "month"
    counts: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"bucket": self.bucket, "counts": [{"start": s, "count": n} for s, n in self.counts]}


@dataclass(frozen=True, slots=True)
class SiteCount:
    site: str | None
    articles: int
    first: str | None  # first and last day of publication; None when all undated
    last: str | None


class Browse:
    """Read-only paged views of one archive connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    # -- articles ------------------------------------------------------------------------

    def search(self, query: ArticleQuery, *, page: int = 1, per_page: int = 20) -> tuple[Paged, Histogram]:
        """One page of matching articles and the matches per day, week or month, through
        the one search path (``archive.search``, as ``newsdesk search`` answers): best BM25
        match first — unless the words match more than RANK_CAP articles (before
        filters), then newest first (``Paged.order`` says which); without a query, newest
        first. The total is exact: it comes from the chart's per-day counts."""
        searcher = Search(self.conn)
        days = searcher.day_counts(query)
        total = sum(n for _, n in days)
        hist = bucketed([(d, n) for d, n in days if d])
        return searcher.page(query, page=page, per_page=per_page, total=total), hist

    def articles(self, query: ArticleQuery, *, page: int = 1, per_page: int = 20) -> Paged:
        return self.search(query, page=page, per_page=per_page)[0]

    def histogram(self, query: ArticleQuery) -> Histogram:
        """Matching articles per day, week or month of publication (undated ones left out)."""
        return bucketed([(d, n) for d, n in Search(self.conn).day_counts(query) if d])

    def entity_keys(self, name: str, labels: tuple[str, ...] | None = None) -> list[str]:
        """Keys of the entities whose name holds every word of ``name`` (any of ``labels``)."""
        return entity_keys(self.conn, name, labels)

    # -- entities ------------------------------------------------------------------------

    def entities(self, *, label: str | None = None, name: str | None = None, page: int = 1, per_page: int = 50) -> Paged:
        """Entities by the number of articles naming them, most first."""
        first = offset(page, per_page)
        where: list[str] = []
        params: list[Any] = []
        if label:
            labels = label_group(label)
            where.append(f"label IN ({', '.join('?' * len(labels))})")
            params.extend(labels)
        if name and name.strip():
            match, args = name_clause("key", name)
            where.append(match)
            params.extend(args)
        rows = self.conn.execute(
            f"SELECT name, label, articles, mentions FROM entity_stats {where_sql(where)}"
            " ORDER BY articles DESC, mentions DESC, key LIMIT ? OFFSET ?",
            [*params, per_page, first],
        ).fetchall()
        total = self.conn.execute(f"SELECT count(*) FROM entity_stats {where_sql(where)}", params).fetchone()[0]
        return Paged([EntityCount(*r) for r in rows], int(total), page, per_page)

    def entity(self, label: str, name: str) -> EntityCount | None:
        """The entity with exactly this name (case and spacing aside) and label, or None."""
        if label not in ENTITY_LABELS:
            return None
        row = self.conn.execute(
            "SELECT name, label, articles, mentions FROM entity_stats WHERE key = ? AND label = ?", (name_key(name), label)
        ).fetchone()
        return None if row is None else EntityCount(*row)

    def entity_histogram(self, label: str, name: str) -> Histogram:
        rows = self.conn.execute(
            "SELECT substr(published, 1, 10) AS day, count(*) FROM entities"
            " WHERE key = ? AND label = ? AND published IS NOT NULL GROUP BY day",
            (name_key(name), label),
        ).fetchall()
        return bucketed(rows)

    def entity_sites(self, label: str, name: str, *, top: int = 20) -> list[tuple[str | None, int]]:
        rows = self.conn.execute(
            "SELECT site, count(*) AS n FROM entities WHERE key = ? AND label = ?"
            " GROUP BY site ORDER BY n DESC, site LIMIT ?",
            (name_key(name), label, top),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def entity_articles(self, label: str, name: str, *, total: int, page: int = 1, per_page: int = 20) -> Paged:
        """Articles naming the entity, newest first (``total`` from its EntityCount)."""
        first = offset(page, per_page)
        rows = self.conn.execute(
            f"""SELECT a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
                       substr(coalesce(a.description, a.text), 1, {LEAD_CHARS + 40}) AS snippet
                FROM entities AS e JOIN articles AS a ON a.seq = e.article_seq
                WHERE e.key = ? AND e.label = ?
                ORDER BY e.published DESC, e.article_seq DESC LIMIT ? OFFSET ?""",
            (name_key(name), label, per_page, first),
        ).fetchall()
        return Paged([article_row(r, lead=True) for r in rows], total, page, per_page)

    # -- quotes --------------------------------------------------------------------------

    def quotes(
        self,
        *,
        speaker: str | None = None,
        speaker_exact: bool = False,
        about: str | None = None,
        query: str | None = None,
        kind: str | None = None,
        family: str | None = "speech",
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> Paged:
        """Quotes, newest first. ``speaker`` matches whole words of the speaker as written
        (``speaker_exact``: the whole name); ``about`` an entity named inside the quote;
        ``query`` words of the quote (FTS5); ``family`` speech (the default), stance, or
        None for both."""
        hits, total = self.quote_hits(
            speaker=speaker, speaker_exact=speaker_exact, about=about, query=query, kind=kind, family=family,
            site=site, since=since, until=until, limit=per_page, offset=offset(page, per_page), count=True,
        )
        return Paged(hits, min(total, COUNT_CAP), page, per_page, total <= COUNT_CAP)

    def quote_hits(
        self,
        *,
        speaker: str | None = None,
        speaker_exact: bool = False,
        about: str | None = None,
        query: str | None = None,
        kind: str | None = None,
        family: str | None = "speech",
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
        count: bool = False,
    ) -> tuple[list[QuoteHit], int]:
        """The quotes of ``quotes`` from row ``offset``, and (with ``count``) how many
        match, counted up to COUNT_CAP + 1 (else 0). ``Archive.quotes`` reads this too."""
        if limit < 1 or offset < 0:
            raise UsageError("limit must be at least 1 and offset at least 0")
        f = Filters.build(site=site, since=since, until=until)
        if kind and kind not in QUOTE_KINDS:
            raise UsageError(f"unknown quote kind {kind!r} (use {', '.join(QUOTE_KINDS)})")
        if family and family not in QUOTE_FAMILIES:
            raise UsageError(f"unknown quote family {family!r} (use {', '.join(QUOTE_FAMILIES)}, or none for both)")
        text = query.strip() if query else None
        speaker = speaker.strip() if speaker else None
        about = about.strip() if about else None
        # Without statistics SQLite prefers an equality on any index, even (kind, …) with
        # four values. The most selective filter given drives: a speaker, then the quotes
        # naming an entity or holding the words, then a site, then a kind; the others are
        # written `+column` so they are checked on the rows found, not used to find them.
        driver = "speaker" if speaker else "match" if (about or text) else "site" if f.site else "kind" if kind else "date"
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            if speaker_exact:
                keys = [name_key(speaker)]
            else:
                match, args = name_clause("key", speaker)
                keys = [r[0] for r in self.conn.execute(f"SELECT key FROM quote_speakers WHERE {match} LIMIT {MAX_KEYS + 1}", args)]
                if len(keys) > MAX_KEYS:
                    raise UsageError(f"speaker {speaker!r} matches more than {MAX_KEYS:,} names; use more of the name")
            if len(keys) == 1:
                where.append("q.speaker_key = ?")
                params.append(keys[0])
            else:
                clause, args = in_values(self.conn.dialect, "q.speaker_key", keys)
                where.append(clause)
                params.extend(args)
        if about:
            clause, args = in_values(self.conn.dialect, "qa.key", self.entity_keys(about))
            where.append(f"q.qid IN (SELECT qa.qid FROM quote_about AS qa WHERE {clause})")
            params.extend(args)
        if text:
            where.append(full_text(self.conn.dialect).quote_match)
            params.append(text)
        for name, clause, value in (
            ("site", "q.site = ?", f.site),
            ("kind", "q.kind = ?", kind),
            ("family", "q.family = ?", family),  # never the driver: most quotes are speech
            ("date", "q.published >= ?", f.since),
            ("date", "q.published < ?", f.until),
        ):
            if value:
                where.append(clause if name == driver else "+" + clause)
                params.append(value)
        # The page's quote ids first, from the quote rows alone (they carry date and site);
        # the articles are joined for those 50 only, not for every quote that was sorted.
        qids = [r[0] for r in fts(self.conn, 
            f"SELECT q.qid FROM quotes AS q {where_sql(where)} ORDER BY q.published DESC, q.qid LIMIT ? OFFSET ?",
            [*params, limit, offset],
            text,
        )]
        rows = self.conn.execute(
            f"""SELECT q.qid, q.text, q.kind, q.speaker, q.cue, q.start, q."end", a.id, a.title, a.site, a.published,
                       coalesce(a.canonical_url, a.url) AS url, q.family
                FROM quotes AS q JOIN articles AS a ON a.seq = q.article_seq
                WHERE q.qid IN ({", ".join("?" * len(qids))})""",
            qids,
        ).fetchall()
        by_qid = {r[0]: QuoteHit(*r[1:]) for r in rows}
        hits = [by_qid[q] for q in qids if q in by_qid]
        if not count:
            return hits, 0
        n = fts(self.conn, f"SELECT count(*) FROM (SELECT 1 FROM quotes AS q {where_sql(where)} LIMIT ?) AS m", [*params, COUNT_CAP + 1], text)
        return hits, int(n[0][0])

    # -- sources -------------------------------------------------------------------------

    def sites(self, *, page: int = 1, per_page: int = 100) -> Paged:
        """Sites by number of articles, most first, with their first and last day."""
        first = offset(page, per_page)
        rows = self.conn.execute(
            "SELECT site, sum(n) AS total, min(nullif(day, '')), max(nullif(day, '')) FROM article_days"
            " GROUP BY site ORDER BY total DESC, site LIMIT ? OFFSET ?",
            (per_page, first),
        ).fetchall()
        items = [SiteCount(r[0] or None, r[1], r[2], r[3]) for r in rows]
        total = self.conn.execute("SELECT count(DISTINCT site) FROM article_days").fetchone()[0]
        return Paged(items, int(total), page, per_page)

    def months(self) -> list[tuple[str | None, int]]:
        """Articles per month of publication, oldest first; None = undated."""
        rows = self.conn.execute(
            "SELECT substr(day, 1, 7) AS month, sum(n) FROM article_days GROUP BY month ORDER BY month"
        ).fetchall()
        undated = [(None, n) for m, n in rows if not m]
        return [(m, n) for m, n in rows if m] + undated

    def total(self) -> int:
        return int(self.conn.execute("SELECT coalesce(sum(n), 0) FROM article_days").fetchone()[0])


def bucketed(rows: list[Any], *, bucket: str | None = None) -> Histogram:
    """Per-day counts ``(YYYY-MM-DD, n)`` into day, week or month buckets (``bucket``, or
    chosen by the span of the days)."""
    days: dict[date, int] = {}
    for day, n in rows:
        try:
            d = date.fromisoformat(day)
        except (TypeError, ValueError):
            continue  # a date the page gave in a shape the chart cannot place
        days[d] = days.get(d, 0) + n
    if not days:
        return Histogram(bucket or "day", [])
    first, last = min(days), max(days)
    span = (last - first).days
    if bucket is None:
        bucket = "day" if span <= DAY_SPAN else "week" if span <= WEEK_SPAN else "month"
    counts: dict[date, int] = {}
    for d, n in days.items():
        start = _bucket_start(d, bucket)
        counts[start] = counts.get(start, 0) + n
    out = []
    cur = _bucket_start(first, bucket)
    while cur <= last:
        out.append((cur.isoformat(), counts.get(cur, 0)))
        cur = _next_bucket(cur, bucket)
    return Histogram(bucket, out)


def _bucket_start(d: date, bucket: str) -> date:
    if bucket == "week":
        return d - timedelta(days=d.weekday())
    if bucket == "month":
        return d.replace(day=1)
    return d


def _next_bucket(d: date, bucket: str) -> date:
    if bucket == "day":
        return d + timedelta(days=1)
    if bucket == "week":
        return d + timedelta(days=7)
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


__all__ = ["Browse", "ArticleQuery", "ArticleRow", "Paged", "Histogram", "SiteCount", "bucketed", "label_group", "COUNT_CAP", "RANK_CAP",
           "MAX_OFFSET", "MARK_OPEN", "MARK_CLOSE", "LEAD_CHARS"]
