"""Article search: the one path that ``Archive.search`` (the CLI, the Python API) and the web
app's search page both answer through — FTS5 with BM25 ranking (title weighted) and
highlighted snippets, the shared filters, and the same ordering rules everywhere.

Every query is meant to stay fast at 100k articles: lists read an index in the order they
are shown (``published``, newest first) and stop at the page; names resolve to keys through
the small summary tables of ``003_browse.sql`` before the (key) indexes are read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..errors import QueryError, UsageError
from .dialect import MARK_CLOSE, MARK_OPEN, SNIPPET_TOKENS, WEIGHTS, full_text, in_values
from .filters import LABEL_GROUPS, Filters, name_clause
from .paging import Paged, offset, where

# Full-text matches ranked by BM25; a query matching more articles than this (a word in
# most of them) lists the newest matches first instead: 20k scores and their sort take
# ~25 ms here, 100k ~150 ms.
RANK_CAP = 20_000
# A name filter ("person=john") that matches more distinct names than this is too broad to
# be a filter; the user is told to be more specific.
MAX_KEYS = 5_000
# Characters of text shown for a listed article when there is no match to show.
LEAD_CHARS = 240
ORDERS = ("auto", "relevance", "newest")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article in a list of matches, as ``newsdesk search --format jsonl`` prints it and
    the web app lists it: enough to show and link it. ``snippet`` holds the matched words
    (between MARK_OPEN/MARK_CLOSE from ``Search``; ``Archive.search`` puts its markers
    there) when the list answers a query, else the lead; ``score`` is the negated BM25
    rank (higher: a better match), None without a query."""

    id: str
    title: str | None
    site: str | None
    published: str | None
    url: str | None
    snippet: str
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ArticleRow = SearchHit  # the name the web app's lists use


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """What a search asks for: a full-text query (or none) and the shared filters."""

    query: str | None
    filters: Filters

    @classmethod
    def build(cls, query: str | None = None, **filters: str | None) -> ArticleQuery:
        return cls(query=query.strip() or None if query else None, filters=Filters.build(**filters))


def match_seqs_sql(dialect: str = "sqlite") -> str:
    """SQL selecting the ``seq`` of rows matching a full-text query (one ``?`` parameter)."""
    return full_text(dialect).seqs


def fts_reason(exc: sqlite3.OperationalError) -> str:
    msg = str(exc)
    if msg.startswith("fts5: "):
        msg = msg[len("fts5: ") :]
    if msg.startswith("no such column"):
        # `foo:bar` reads as a column filter; only title, description and text exist.
        msg += " (column filters are title:, description:, text:; quote other colons)"
    return msg + ' — quote words with special characters, e.g. "covid-19"'


def fts(conn: Any, sql: str, params: list[Any], query: str | None) -> list[Any]:
    """Run ``sql``; an error FTS5 raises for ``query`` becomes a QueryError naming it.
    (PostgreSQL's websearch syntax accepts any string.)"""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if not query:
            raise
        raise QueryError(f"bad search query {query!r}: {fts_reason(exc)}") from None


def entity_keys(conn: Any, name: str, labels: tuple[str, ...] | None = None) -> list[str]:
    """Keys of the entities whose name holds every word of ``name`` (any of ``labels``)."""
    match, args = name_clause("key", name)
    sql = f"SELECT DISTINCT key FROM entity_stats WHERE {match}"
    if labels:
        sql += f" AND label IN ({', '.join('?' * len(labels))})"
        args = [*args, *labels]
    keys = [r[0] for r in conn.execute(sql + f" LIMIT {MAX_KEYS + 1}", args)]
    if len(keys) > MAX_KEYS:
        raise UsageError(f"{name!r} matches more than {MAX_KEYS:,} names; use more of the name")
    return keys


class Search:
    """Matching articles of one archive connection: their number per day, and one page.

    Three ways to read matching articles, chosen by the filters:
    - no person/org/place: the articles' own (published) and (site, published) indexes;
    - a person, organisation or place: that entity's rows in ``entities``, which carry the
      article's date and site, through (key, label, published, article_seq, site) — the
      most named person's 36k articles are never looked up one by one;
    - no filter but whole-day dates and site: the per-day summary, for counts.
    A query's matches are a membership test on those, or (ranked) the driving side.
    """

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.text = full_text(conn.dialect)

    def day_counts(self, query: ArticleQuery) -> list[tuple[str | None, int]]:
        """Matching articles per day of publication (None: undated), in no order."""
        f = query.filters
        words: list[Any] = [query.query] if query.query else []
        # `+seq IN (…)`: the match is a membership test while an index is scanned in order,
        # never a lookup per match in the wide articles rows (100k matches: ~80 ms, not ~120).
        match = [f"+{{}} IN ({self.text.seqs})"] if query.query else []
        driver = self._entity_driver(f)
        if driver is not None:
            clauses, params = driver
            sql = (
                "SELECT substr(e.published, 1, 10) AS day, count(DISTINCT e.article_seq) FROM entities AS e"
                f" {where([*clauses, *(m.format('e.article_seq') for m in match)])} GROUP BY day"
            )
            return [(r[0], r[1]) for r in fts(self.conn, sql, [*params, *words], query.query)]
        if query.query and f == Filters() and self.text.days is not None:
            return [(r[0], r[1]) for r in fts(self.conn, self.text.days, words, query.query)]
        if not query.query and not f.type and not f.story and _day_bounds(f):
            clauses, params = _days_where(f)
            sql = f"SELECT nullif(day, ''), sum(n) FROM article_days {where(clauses)} GROUP BY day"
            return [(r[0], r[1]) for r in self.conn.execute(sql, params)]
        clauses, params = self._article_where(f)
        sql = (
            "SELECT substr(a.published, 1, 10) AS day, count(*) FROM articles AS a"
            f" {where([*([self.text.article_match] if query.query else []), *clauses])} GROUP BY day"
        )
        return [(r[0], r[1]) for r in fts(self.conn, sql, [*words, *params], query.query)]

    def page(self, query: ArticleQuery, *, page: int = 1, per_page: int = 20, order: str = "auto",
             total: int | None = None, scores: bool = False) -> Paged:
        """One page of matching articles. ``order``: ``auto`` is best BM25 match first
        unless the words match more than RANK_CAP articles (then, and without a query,
        newest first); ``newest`` forces newest first. ``total`` (when the caller counted
        the matches, as the search page does) goes into the Paged; else it is a lower bound.
        Ranked pages carry each hit's score; a newest-first page only with ``scores`` — a
        BM25 score needs the query's document frequencies, which for a word in most
        articles costs ~65 ms at 100k even for 20 rows."""
        if order not in ORDERS:
            raise UsageError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
        first = offset(page, per_page)
        chosen = "newest"
        if query.query and order != "newest":
            if total is not None and query.filters == Filters():
                # The caller counted the matches of the words alone: no second count.
                matched = total
            else:
                matched = fts(self.conn, f"SELECT count(*) FROM ({self.text.seqs} LIMIT {RANK_CAP + 1}) AS m",
                              [query.query], query.query)[0][0]
            if matched <= RANK_CAP or order == "relevance":
                chosen = "relevance"
        ranked = self._seqs(query, chosen, per_page, first) if total != 0 else []
        seqs = [seq for seq, _ in ranked]
        ranks = dict(ranked)
        if total is None:
            total, exact = first + len(seqs), False
        else:
            exact = True
        if not seqs:
            return Paged([], total, page, per_page, total_exact=exact, order=chosen)
        marks = ", ".join("?" * len(seqs))
        if query.query:
            # Snippets (and scores) for this page only: FTS5 builds each from the text, so
            # never for the rows a ranking or an OFFSET passes over.
            t = self.text
            rank = t.rank if scores and chosen == "newest" else "NULL"
            sql = f"""SELECT a.seq, a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
                       {t.snippet} AS snippet, {rank} AS rank
                FROM {t.source}
                WHERE {t.matched} AND {t.rowid} IN ({marks})"""
            rows = fts(self.conn, sql, [query.query, *seqs], query.query)
        else:
            sql = f"""SELECT a.seq, a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
                       substr(coalesce(a.description, a.text), 1, {LEAD_CHARS + 40}) AS snippet, NULL AS rank
                FROM articles AS a WHERE a.seq IN ({marks})"""
            rows = self.conn.execute(sql, seqs).fetchall()
        by_seq = {r["seq"]: article_row(r, lead=not query.query, rank=ranks.get(r["seq"])) for r in rows}
        return Paged([by_seq[s] for s in seqs if s in by_seq], total, page, per_page, total_exact=exact, order=chosen)

    def _seqs(self, query: ArticleQuery, order: str, limit: int, first: int) -> list[tuple[int, float | None]]:
        """``(seq, BM25 rank)`` of one page of matching articles, in page order (the rank
        only when the page is ranked by it)."""
        f = query.filters
        words: list[Any] = [query.query] if query.query else []
        t = self.text
        probe = t.probe
        driver = self._entity_driver(f)
        if order == "relevance":
            if driver is not None:
                clauses, params = driver
                clauses = [f"{t.seq} IN (SELECT e.article_seq FROM entities AS e WHERE {' AND '.join(clauses)})"]
            else:
                clauses, params = self._article_where(f)
            sql = f"""SELECT a.seq, {t.rank} AS rank
                      FROM {t.source}
                      WHERE {" AND ".join([t.matched, *clauses])}
                      ORDER BY rank, a.seq LIMIT ? OFFSET ?"""
            args = [*words, *params, limit, first]
        elif driver is not None:
            # The entity's rows newest first (index order for a single name; a sort of its
            # rows, without their articles, for several), then — for a query — each probed
            # in the full-text index until the page is full. Ranking every match would
            # cost a BM25 score each (past RANK_CAP matches, ~150 ms).
            clauses, params = driver
            inner = (
                "SELECT DISTINCT e.article_seq AS seq, e.published AS pub FROM entities AS e"
                f" {where(clauses)} ORDER BY pub DESC, seq DESC"
            )
            outer = f"WHERE {probe.format('d.seq')}" if query.query else ""
            sql = f"SELECT seq, NULL FROM ({inner}) AS d {outer} LIMIT ? OFFSET ?"
            args = [*params, *words, limit, first]
        else:
            clauses, params = self._article_where(f)
            if query.query:
                clauses.insert(0, probe.format("a.seq"))
            sql = f"SELECT a.seq, NULL FROM articles AS a {where(clauses)} ORDER BY a.published DESC, a.seq DESC LIMIT ? OFFSET ?"
            args = [*words, *params, limit, first]
        return [(r[0], r[1]) for r in fts(self.conn, sql, args, query.query)]

    def _article_where(self, f: Filters) -> tuple[list[str], list[Any]]:
        """Site, date, type and story filters on ``articles AS a``."""
        return f.article_where()

    def _entity_driver(self, f: Filters) -> tuple[list[str], list[Any]] | None:
        """Filters on ``entities AS e`` selecting the rows of the first named entity filter
        (person, org, place) in matching articles; None without one."""
        named = f.named()
        if not named:
            return None
        (kind, name), rest = named[0], named[1:]
        clauses, params = self._entity_rows("e", kind, name)
        for clause, value in (("e.site = ?", f.site), ("e.published >= ?", f.since), ("e.published < ?", f.until)):
            if value:
                clauses.append(clause)
                params.append(value)
        if f.type:
            # Page types are not copied onto entity rows: almost every stored page of an
            # entity is an article, so this is a check on the rows found, not a driver.
            clauses.append("e.article_seq IN (SELECT a.seq FROM articles AS a WHERE a.page_type = ?)")
            params.append(f.type)
        if f.story:
            clauses.append("e.article_seq IN (SELECT a.seq FROM articles AS a WHERE a.story = ?)")
            params.append(f.story)
        for kind, name in rest:
            more, args = self._entity_rows("e2", kind, name)
            clauses.append(f"e.article_seq IN (SELECT e2.article_seq FROM entities AS e2 WHERE {' AND '.join(more)})")
            params.extend(args)
        return clauses, params

    def _entity_rows(self, alias: str, kind: str, name: str) -> tuple[list[str], list[Any]]:
        labels = LABEL_GROUPS[kind]
        keys = entity_keys(self.conn, name, labels)
        clauses, params = [], []
        # One key and one label is an equality, so the index hands rows over in date order.
        for column, values in ((f"{alias}.key", keys), (f"{alias}.label", list(labels))):
            if len(values) == 1:
                clauses.append(f"{column} = ?")
                params.append(values[0])
            else:
                clause, args = in_values(self.conn.dialect, column, values)
                clauses.append(clause)
                params.extend(args)
        return clauses, params


def search(
    conn: Any,
    query: str,
    *,
    filters: Filters,
    limit: int = 20,
    newest: bool = False,
    markers: tuple[str, str] = ("[", "]"),
) -> list[SearchHit]:
    """The first ``limit`` matches of ``query``, ordered as the web app's search page orders
    them (``newest``: newest first), the matched words wrapped in ``markers``."""
    if not query or not query.strip():
        raise QueryError("empty search query")
    if limit < 1:
        raise UsageError("limit must be at least 1")
    paged = Search(conn).page(ArticleQuery(query.strip(), filters), per_page=limit, order="newest" if newest else "auto",
                              scores=True)
    return [
        replace(r, snippet=r.snippet.replace(MARK_OPEN, markers[0]).replace(MARK_CLOSE, markers[1])) for r in paged.items
    ]


def article_row(r: Any, *, lead: bool, rank: float | None = None) -> ArticleRow:
    snippet = " ".join((r["snippet"] or "").split())
    if lead and len(snippet) > LEAD_CHARS:
        cut = snippet.rfind(" ", 0, LEAD_CHARS)
        snippet = snippet[: cut if cut > 0 else LEAD_CHARS] + " …"
    if rank is None and "rank" in r.keys():  # noqa: SIM118 — a Row's `in` looks at values
        rank = r["rank"]
    return ArticleRow(r["id"], r["title"], r["site"], r["published"], r["url"], snippet,
                      None if rank is None else round(-rank, 6))


def _day_bounds(f: Filters) -> bool:
    """Whether the date filters fall on whole days, so the per-day summary can answer."""
    return all(v is None or len(v) == 10 for v in (f.since, f.until))


def _days_where(f: Filters) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if f.site:
        clauses.append("site = ?")
        params.append(f.site)
    if f.since:
        clauses.append("day >= ?")
        params.append(f.since)
    if f.until:
        clauses.append("day < ? AND day <> ''")
        params.append(f.until)
    if f.since and not f.until:
        clauses.append("day <> ''")
    return clauses, params


__all__ = ["Search", "SearchHit", "ArticleRow", "ArticleQuery", "search", "entity_keys", "match_seqs_sql", "fts",
           "fts_reason", "WEIGHTS", "SNIPPET_TOKENS", "RANK_CAP", "MARK_OPEN", "MARK_CLOSE", "ORDERS"]
