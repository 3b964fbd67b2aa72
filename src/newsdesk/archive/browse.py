"""Paged reads for browsing the archive (the web app): article lists, charts, entities, quotes.

Every query here is meant to stay fast at 100k articles: lists read an index in the order
they are shown (``published``, newest first) and stop at the page; names resolve to keys
through the small summary tables of ``003_browse.sql`` before the (key) indexes are read;
counts over a broad full-text match stop at ``COUNT_CAP`` and say so.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from ..errors import QueryError, UsageError
from ..model import ENTITY_LABELS, QUOTE_KINDS
from .people import LABEL_GROUPS, EntityCount, QuoteHit, label_group, name_clause, name_key
from .search import SNIPPET_TOKENS, WEIGHTS, Filters, _fts_reason, match_seqs_sql

# Counting every quote matching broad filters costs a row visit each: past this many the
# quotes page stops counting and reports "more than COUNT_CAP" (``total_exact`` False).
COUNT_CAP = 10_000
# Full-text matches ranked by BM25; a query matching more articles than this (a word in
# most of them) lists the newest matches first instead (see Browse._page): 20k scores and
# their sort take ~25 ms here, 100k ~150 ms.
RANK_CAP = 20_000
# Deepest row a list pages to. OFFSET walks the rows it skips, so page 5,000 of a broad
# list would cost what page 1 of it costs 5,000 times; nobody reads that far — narrow it.
MAX_OFFSET = 10_000
# A name filter ("person=john") that matches more distinct names than this is too broad to
# be a filter; the user is told to be more specific.
MAX_KEYS = 5_000
# Chart buckets: days when the dates span at most this many days, weeks up to two years,
# months beyond — 60-odd to 100-odd bars at most before months take over.
DAY_SPAN = 62
WEEK_SPAN = 730
# Characters of text shown for a listed article when there is no match to show.
LEAD_CHARS = 240
# The snippet markers: control characters no article text holds after extraction, so the
# renderer can split on them and escape everything else.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """An article in a list: enough to show and link it. ``snippet`` holds the matched
    words between MARK_OPEN/MARK_CLOSE when the list answers a query, else the lead."""

    id: str
    title: str | None
    site: str | None
    published: str | None
    url: str | None
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Paged:
    """One page of a list. ``total`` is exact unless ``total_exact`` is False (then it is
    a lower bound: the count stopped at COUNT_CAP)."""

    items: list[Any]
    total: int
    page: int
    per_page: int
    total_exact: bool = True
    order: str | None = None  # for article lists: "relevance" or "newest"

    @property
    def pages(self) -> int:
        last = max(1, -(-self.total // self.per_page))
        return min(last, MAX_OFFSET // self.per_page + 1)


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


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """What the search page asks for: a full-text query (or none) and the shared filters."""

    query: str | None
    filters: Filters

    @classmethod
    def build(cls, query: str | None = None, **filters: str | None) -> ArticleQuery:
        return cls(query=query.strip() or None if query else None, filters=Filters.build(**filters))


class Browse:
    """Read-only paged views of one archive connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- articles ------------------------------------------------------------------------

    def search(self, query: ArticleQuery, *, page: int = 1, per_page: int = 20) -> tuple[Paged, Histogram]:
        """One page of matching articles and the matches per day, week or month.

        With a query, best BM25 match first — unless the words match more than RANK_CAP
        articles (before filters), then newest first (``Paged.order`` says which). Without
        one, newest first. The total is exact: it comes from the chart's per-day counts.
        """
        days = self._day_counts(query)
        total = sum(n for _, n in days)
        hist = bucketed([(d, n) for d, n in days if d])
        return self._page(query, total, page, per_page), hist

    def articles(self, query: ArticleQuery, *, page: int = 1, per_page: int = 20) -> Paged:
        return self.search(query, page=page, per_page=per_page)[0]

    def histogram(self, query: ArticleQuery) -> Histogram:
        """Matching articles per day, week or month of publication (undated ones left out)."""
        return bucketed([(d, n) for d, n in self._day_counts(query) if d])

    # Three ways to read matching articles, chosen by the filters:
    # - no person/org/place: the articles' own (published) and (site, published) indexes;
    # - a person, organisation or place: that entity's rows in `entities`, which carry the
    #   article's date and site, through (key, label, published, article_seq, site) — the
    #   most named person's 36k articles are never looked up one by one;
    # - no filter but dates and site: the per-day summary, for counts.
    # A query's matches are a membership test on those, or (ranked) the driving side.

    def _day_counts(self, query: ArticleQuery) -> list[tuple[str | None, int]]:
        """Matching articles per day of publication (None: undated), in no order."""
        f = query.filters
        words: list[Any] = [query.query] if query.query else []
        # `+seq IN (…)`: the match is a membership test while an index is scanned in order,
        # never a lookup per match in the wide articles rows (100k matches: ~80 ms, not ~120).
        match = [f"+{{}} IN ({match_seqs_sql()})"] if query.query else []
        driver = self._entity_driver(f)
        if driver is not None:
            where, params = driver
            sql = (
                "SELECT substr(e.published, 1, 10) AS day, count(DISTINCT e.article_seq) FROM entities AS e"
                f" {_where([*where, *(m.format('e.article_seq') for m in match)])} GROUP BY day"
            )
            return [(r[0], r[1]) for r in self._fts(sql, [*params, *words], query.query)]
        if not query.query and _day_bounds(f):
            where, params = _days_where(f)
            sql = f"SELECT nullif(day, ''), sum(n) FROM article_days {_where(where)} GROUP BY day"
            return [(r[0], r[1]) for r in self.conn.execute(sql, params)]
        where, params = self._article_where(f)
        sql = (
            "SELECT substr(a.published, 1, 10) AS day, count(*) FROM articles AS a"
            f" {_where([*(m.format('a.seq') for m in match), *where])} GROUP BY day"
        )
        return [(r[0], r[1]) for r in self._fts(sql, [*words, *params], query.query)]

    def _page(self, query: ArticleQuery, total: int, page: int, per_page: int) -> Paged:
        offset = _offset(page, per_page)
        order = "newest"
        if query.query:
            matches = self._fts(f"SELECT count(*) FROM ({match_seqs_sql()} LIMIT {RANK_CAP + 1})", [query.query], query.query)
            if matches[0][0] <= RANK_CAP:
                order = "relevance"
        seqs = self._seqs(query, order, per_page, offset) if total else []
        if not seqs:
            return Paged([], total, page, per_page, order=order)
        marks = ", ".join("?" * len(seqs))
        if query.query:
            # Snippets for this page only: FTS5 builds each from the text, so never for
            # the rows a ranking or an OFFSET passes over.
            sql = f"""SELECT a.seq, a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
                       snippet(articles_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_TOKENS}) AS snippet
                FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid
                WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({marks})"""
            rows = self._fts(sql, [query.query, *seqs], query.query)
        else:
            sql = f"""SELECT a.seq, a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
                       substr(coalesce(a.description, a.text), 1, {LEAD_CHARS + 40}) AS snippet
                FROM articles AS a WHERE a.seq IN ({marks})"""
            rows = self.conn.execute(sql, seqs).fetchall()
        by_seq = {r["seq"]: _article_row(r, lead=not query.query) for r in rows}
        return Paged([by_seq[s] for s in seqs if s in by_seq], total, page, per_page, order=order)

    def _seqs(self, query: ArticleQuery, order: str, limit: int, offset: int) -> list[int]:
        """The ``seq`` of one page of matching articles, in page order."""
        f = query.filters
        words: list[Any] = [query.query] if query.query else []
        probe = "EXISTS (SELECT 1 FROM articles_fts AS f WHERE f.rowid = {} AND f.articles_fts MATCH ?)"
        driver = self._entity_driver(f)
        if order == "relevance":
            weights = ", ".join(str(w) for w in WEIGHTS)
            if driver is not None:
                where, params = driver
                where = [f"+articles_fts.rowid IN (SELECT e.article_seq FROM entities AS e WHERE {' AND '.join(where)})"]
            else:
                where, params = self._article_where(f)
            sql = f"""SELECT a.seq FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid
                      WHERE {" AND ".join(["articles_fts MATCH ?", *where])}
                      ORDER BY bm25(articles_fts, {weights}) LIMIT ? OFFSET ?"""
            args = [*words, *params, limit, offset]
        elif driver is not None:
            # The entity's rows newest first (index order for a single name; a sort of its
            # rows, without their articles, for several), then — for a query — each probed
            # in the full-text index until the page is full. Ranking every match would
            # cost a BM25 score each (past RANK_CAP matches, ~150 ms).
            where, params = driver
            inner = (
                "SELECT DISTINCT e.article_seq AS seq, e.published AS pub FROM entities AS e"
                f" {_where(where)} ORDER BY pub DESC, seq DESC"
            )
            outer = f"WHERE {probe.format('d.seq')}" if query.query else ""
            sql = f"SELECT seq FROM ({inner}) AS d {outer} LIMIT ? OFFSET ?"
            args = [*params, *words, limit, offset]
        else:
            where, params = self._article_where(f)
            if query.query:
                where.insert(0, probe.format("a.seq"))
            sql = f"SELECT a.seq FROM articles AS a {_where(where)} ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?"
            args = [*words, *params, limit, offset]
        return [r[0] for r in self._fts(sql, args, query.query)]

    def _article_where(self, f: Filters) -> tuple[list[str], list[Any]]:
        """Site and date filters on ``articles AS a``."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (("a.site = ?", f.site), ("a.published >= ?", f.since), ("a.published < ?", f.until)):
            if value:
                clauses.append(clause)
                params.append(value)
        return clauses, params

    def _entity_driver(self, f: Filters) -> tuple[list[str], list[Any]] | None:
        """Filters on ``entities AS e`` selecting the rows of the first named entity filter
        (person, org, place) in matching articles; None without one."""
        named = [(kind, name) for kind, name in (("person", f.person), ("org", f.org), ("place", f.place)) if name]
        if not named:
            return None
        (kind, name), rest = named[0], named[1:]
        where, params = self._entity_rows("e", kind, name)
        for clause, value in (("e.site = ?", f.site), ("e.published >= ?", f.since), ("e.published < ?", f.until)):
            if value:
                where.append(clause)
                params.append(value)
        for kind, name in rest:
            more, args = self._entity_rows("e2", kind, name)
            where.append(f"e.article_seq IN (SELECT e2.article_seq FROM entities AS e2 WHERE {' AND '.join(more)})")
            params.extend(args)
        return where, params

    def _entity_rows(self, alias: str, kind: str, name: str) -> tuple[list[str], list[Any]]:
        labels = LABEL_GROUPS[kind]
        keys = self.entity_keys(name, labels)
        where, params = [], []
        # One key and one label is an equality, so the index hands rows over in date order.
        for column, values in ((f"{alias}.key", keys), (f"{alias}.label", list(labels))):
            if len(values) == 1:
                where.append(f"{column} = ?")
                params.append(values[0])
            else:
                where.append(f"{column} IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(values))
        return where, params

    def entity_keys(self, name: str, labels: tuple[str, ...] | None = None) -> list[str]:
        """Keys of the entities whose name holds every word of ``name`` (any of ``labels``)."""
        match, args = name_clause("key", name)
        sql = f"SELECT DISTINCT key FROM entity_stats WHERE {match}"
        if labels:
            sql += f" AND label IN ({', '.join('?' * len(labels))})"
            args = [*args, *labels]
        keys = [r[0] for r in self.conn.execute(sql + f" LIMIT {MAX_KEYS + 1}", args)]
        if len(keys) > MAX_KEYS:
            raise UsageError(f"{name!r} matches more than {MAX_KEYS:,} names; use more of the name")
        return keys

    # -- entities ------------------------------------------------------------------------

    def entities(self, *, label: str | None = None, name: str | None = None, page: int = 1, per_page: int = 50) -> Paged:
        """Entities by the number of articles naming them, most first."""
        offset = _offset(page, per_page)
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
            f"SELECT name, label, articles, mentions FROM entity_stats {_where(where)}"
            " ORDER BY articles DESC, mentions DESC, key LIMIT ? OFFSET ?",
            [*params, per_page, offset],
        ).fetchall()
        total = self.conn.execute(f"SELECT count(*) FROM entity_stats {_where(where)}", params).fetchone()[0]
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
        offset = _offset(page, per_page)
        rows = self.conn.execute(
            f"""SELECT a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
                       substr(coalesce(a.description, a.text), 1, {LEAD_CHARS + 40}) AS snippet
                FROM entities AS e JOIN articles AS a ON a.seq = e.article_seq
                WHERE e.key = ? AND e.label = ?
                ORDER BY e.published DESC, e.article_seq DESC LIMIT ? OFFSET ?""",
            (name_key(name), label, per_page, offset),
        ).fetchall()
        return Paged([_article_row(r, lead=True) for r in rows], total, page, per_page)

    # -- quotes --------------------------------------------------------------------------

    def quotes(
        self,
        *,
        speaker: str | None = None,
        speaker_exact: bool = False,
        about: str | None = None,
        query: str | None = None,
        kind: str | None = None,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> Paged:
        """Quotes, newest first. ``speaker`` matches whole words of the speaker as written
        (``speaker_exact``: the whole name); ``about`` an entity named inside the quote;
        ``query`` words of the quote (FTS5)."""
        hits, total = self.quote_hits(
            speaker=speaker, speaker_exact=speaker_exact, about=about, query=query, kind=kind,
            site=site, since=since, until=until, limit=per_page, offset=_offset(page, per_page), count=True,
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
                where.append("q.speaker_key IN (SELECT value FROM json_each(?))")
                params.append(json.dumps(keys))
        if about:
            where.append("q.qid IN (SELECT qa.qid FROM quote_about AS qa WHERE qa.key IN (SELECT value FROM json_each(?)))")
            params.append(json.dumps(self.entity_keys(about)))
        if text:
            where.append("q.qid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(text)
        for name, clause, value in (
            ("site", "q.site = ?", f.site),
            ("kind", "q.kind = ?", kind),
            ("date", "q.published >= ?", f.since),
            ("date", "q.published < ?", f.until),
        ):
            if value:
                where.append(clause if name == driver else "+" + clause)
                params.append(value)
        # The page's quote ids first, from the quote rows alone (they carry date and site);
        # the articles are joined for those 50 only, not for every quote that was sorted.
        qids = [r[0] for r in self._fts(
            f"SELECT q.qid FROM quotes AS q {_where(where)} ORDER BY q.published DESC, q.qid LIMIT ? OFFSET ?",
            [*params, limit, offset],
            text,
        )]
        rows = self.conn.execute(
            f"""SELECT q.qid, q.text, q.kind, q.speaker, q.cue, q.start, q."end", a.id, a.title, a.site, a.published,
                       coalesce(a.canonical_url, a.url) AS url
                FROM quotes AS q JOIN articles AS a ON a.seq = q.article_seq
                WHERE q.qid IN ({", ".join("?" * len(qids))})""",
            qids,
        ).fetchall()
        by_qid = {r[0]: QuoteHit(*r[1:]) for r in rows}
        hits = [by_qid[q] for q in qids if q in by_qid]
        if not count:
            return hits, 0
        n = self._fts(f"SELECT count(*) FROM (SELECT 1 FROM quotes AS q {_where(where)} LIMIT ?)", [*params, COUNT_CAP + 1], text)
        return hits, int(n[0][0])

    # -- sources -------------------------------------------------------------------------

    def sites(self, *, page: int = 1, per_page: int = 100) -> Paged:
        """Sites by number of articles, most first, with their first and last day."""
        offset = _offset(page, per_page)
        rows = self.conn.execute(
            "SELECT site, sum(n) AS total, min(nullif(day, '')), max(nullif(day, '')) FROM article_days"
            " GROUP BY site ORDER BY total DESC, site LIMIT ? OFFSET ?",
            (per_page, offset),
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

    def _fts(self, sql: str, params: list[Any], query: str | None) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if not query:
                raise
            raise QueryError(f"bad search query {query!r}: {_fts_reason(exc)}") from None


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


def _offset(page: int, per_page: int) -> int:
    if page < 1:
        raise UsageError(f"page must be 1 or more, not {page}")
    offset = (page - 1) * per_page
    if offset > MAX_OFFSET:
        raise UsageError(f"page {page} is too deep (lists page to row {MAX_OFFSET:,}); narrow the search instead")
    return offset


def _where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


def _day_bounds(f: Filters) -> bool:
    """Whether the date filters fall on whole days, so the per-day summary can answer."""
    return all(v is None or len(v) == 10 for v in (f.since, f.until))


def _days_where(f: Filters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if f.site:
        where.append("site = ?")
        params.append(f.site)
    if f.since:
        where.append("day >= ?")
        params.append(f.since)
    if f.until:
        where.append("day < ? AND day <> ''")
        params.append(f.until)
    if f.since and not f.until:
        where.append("day <> ''")
    return where, params


def _article_row(r: sqlite3.Row, *, lead: bool) -> ArticleRow:
    snippet = " ".join((r["snippet"] or "").split())
    if lead and len(snippet) > LEAD_CHARS:
        cut = snippet.rfind(" ", 0, LEAD_CHARS)
        snippet = snippet[: cut if cut > 0 else LEAD_CHARS] + " …"
    return ArticleRow(r["id"], r["title"], r["site"], r["published"], r["url"], snippet)


__all__ = ["Browse", "ArticleQuery", "ArticleRow", "Paged", "Histogram", "SiteCount", "bucketed", "label_group", "COUNT_CAP", "RANK_CAP", "MAX_OFFSET"]
