"""Full-text search over the archive: FTS5 with BM25 ranking and highlighted snippets."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import QueryError, UsageError
from .people import LABEL_GROUPS, name_clause

# BM25 column weights for (title, description, text): a word in the headline says more
# about what a story is about than the same word somewhere in 800 words of body.
WEIGHTS = (10.0, 3.0, 1.0)
# Tokens of context either side of the best match in a snippet (FTS5 allows up to 64).
SNIPPET_TOKENS = 16


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``score`` is the negated BM25 rank: higher is a better match."""

    id: str
    title: str | None
    site: str | None
    published: str | None
    url: str | None
    snippet: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "site": self.site,
            "published": self.published,
            "url": self.url,
            "snippet": self.snippet,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters every read command shares, as SQL over the ``articles`` table (alias a)."""

    site: str | None = None
    since: str | None = None  # inclusive lower bound on published
    until: str | None = None  # exclusive upper bound on published
    person: str | None = None  # articles naming this person (whole words of the name)
    org: str | None = None
    place: str | None = None
    unenriched: bool = False  # only records whose entities and quotes were never computed

    @classmethod
    def build(
        cls,
        *,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        person: str | None = None,
        org: str | None = None,
        place: str | None = None,
    ) -> Filters:
        return cls(
            site=site.strip().lower() or None if site else None,
            since=_bound(since, "since", end=False) if since else None,
            until=_bound(until, "until", end=True) if until else None,
            person=person.strip() or None if person else None,
            org=org.strip() or None if org else None,
            place=place.strip() or None if place else None,
        )

    def where(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.site:
            clauses.append("a.site = ?")
            params.append(self.site)
        if self.since:
            clauses.append("a.published >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("a.published < ?")
            params.append(self.until)
        if self.unenriched:
            clauses.append("json_extract(a.record, '$.enriched') IS NOT 1")
        for kind, name in (("person", self.person), ("org", self.org), ("place", self.place)):
            if name:
                labels = LABEL_GROUPS[kind]
                match, args = name_clause("e.key", name)
                clauses.append(
                    f"a.seq IN (SELECT e.article_seq FROM entities AS e"
                    f" WHERE e.label IN ({', '.join('?' * len(labels))}) AND {match})"
                )
                params.extend([*labels, *args])
        return clauses, params


def _bound(value: str, name: str, *, end: bool) -> str:
    """An ISO date or time as a string bound on ``published``.

    ``published`` is stored as the page gives it (ISO 8601, offset only when the page has
    one), so bounds compare as strings; a bare date as ``until`` covers that whole day.
    """
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return (day + timedelta(days=1)).isoformat() if end else day.isoformat()
        if len(value) == 7:  # YYYY-MM
            first = date.fromisoformat(value + "-01")
            if not end:
                return first.isoformat()
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return nxt.isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--{name}: {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or an ISO time)") from None


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    filters: Filters,
    limit: int = 20,
    newest: bool = False,
    markers: tuple[str, str] = ("[", "]"),
) -> list[SearchHit]:
    if not query or not query.strip():
        raise QueryError("empty search query")
    if limit < 1:
        raise UsageError("limit must be at least 1")
    clauses, params = filters.where()
    where = " AND ".join(["articles_fts MATCH ?", *clauses])
    order = "a.published IS NULL, a.published DESC, rank" if newest else "rank"
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = f"""
        SELECT a.id, a.title, a.site, a.published, coalesce(a.canonical_url, a.url) AS url,
               snippet(articles_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) AS snippet,
               bm25(articles_fts, {weights}) AS rank
        FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid
        WHERE {where}
        ORDER BY {order}
        LIMIT ?
    """
    try:
        rows = conn.execute(sql, (markers[0], markers[1], query, *params, limit)).fetchall()
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad search query {query!r}: {_fts_reason(exc)}") from None
    return [
        SearchHit(
            id=r["id"],
            title=r["title"],
            site=r["site"],
            published=r["published"],
            url=r["url"],
            snippet=" ".join(r["snippet"].split()),
            score=round(-r["rank"], 6),
        )
        for r in rows
    ]


def match_seqs_sql() -> str:
    """SQL selecting the ``seq`` of rows matching an FTS query (one ``?`` parameter)."""
    return "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"


def _fts_reason(exc: sqlite3.OperationalError) -> str:
    msg = str(exc)
    if msg.startswith("fts5: "):
        msg = msg[len("fts5: ") :]
    if msg.startswith("no such column"):
        # `foo:bar` reads as a column filter; only title, description and text exist.
        msg += " (column filters are title:, description:, text:; quote other colons)"
    return msg + ' — quote words with special characters, e.g. "covid-19"'


__all__ = ["SearchHit", "Filters", "search", "WEIGHTS"]
