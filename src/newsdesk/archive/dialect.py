"""The SQL that means the same on both stores but is spelled differently: full-text search,
JSON fields of the record, a list of values as one parameter. Everything else the archive
writes once (``postgres.translate`` covers the spelling-only differences).

Each function takes the connection's ``dialect`` ("sqlite" or "postgres").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

SQLITE, POSTGRES = "sqlite", "postgres"

# Rank weights for (title, description, text): a word in the headline says more about what
# a story is about than the same word somewhere in 800 words of body.
WEIGHTS = (10.0, 3.0, 1.0)
# Tokens of context in a snippet (FTS5 allows up to 64).
SNIPPET_TOKENS = 16
# The snippet markers: control characters no article text holds after extraction, so a
# renderer can split on them and escape everything else (the CLI turns them into [ ] or bold).
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"


def in_values(dialect: str, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """``column`` is one of ``values``, with the list as a single parameter (no limit on
    its length, one cached statement for any length)."""
    if dialect == POSTGRES:
        return f"{column} = ANY(?)", [list(values)]
    return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(values))]


def each_int(dialect: str, values: Sequence[int]) -> tuple[str, list[Any]]:
    """A row source of one bigint column, ``value``, holding ``values``, from a single
    parameter: ``INSERT … SELECT value … FROM (…) AS v`` is one statement for any number of
    rows, where executemany runs one per row (SQLite add_many of 1,500 generated articles
    84 -> 95-108 articles/s; on PostgreSQL the same within noise, its cost being server-side)."""
    if dialect == POSTGRES:
        return "SELECT unnest(CAST(? AS bigint[])) AS value", [list(values)]
    return "SELECT value FROM json_each(?)", [json.dumps(list(values))]


def record_field(dialect: str, column: str, name: str) -> str:
    """A top-level field of the record JSON in ``column``, as JSON text (NULL if absent)."""
    if dialect == POSTGRES:
        return f"(({column})::jsonb -> '{name}')::text"
    return f"json_extract({column}, '$.{name}')"


def not_true(dialect: str, column: str, name: str) -> str:
    """The record's boolean field ``name`` is not true (false, null or absent)."""
    if dialect == POSTGRES:
        return f"coalesce((({column})::jsonb ->> '{name}'), 'false') <> 'true'"
    return f"json_extract({column}, '$.{name}') IS NOT 1"


@dataclass(frozen=True, slots=True)
class FullText:
    """Full-text search over articles (title, description, text) in one store's terms.

    ``source`` joins the index to ``articles AS a`` with one ``?`` (the query) and
    ``matched`` is its condition, so ``SELECT … FROM {source} WHERE {matched} AND …``
    takes the query as its first parameter on both stores; ``rank`` is lower-is-better
    (SQLite's BM25; PostgreSQL's ts_rank_cd negated); ``seq`` names the matched article in
    a clause; ``snippet`` the matched words between MARK_OPEN/MARK_CLOSE."""

    seqs: str  # SELECT the seq of matching articles (one ? parameter)
    source: str
    matched: str
    rank: str
    seq: str
    rowid: str  # the matched article's seq, through the index where it can
    snippet: str
    probe: str  # EXISTS (…): the article {} matches (one ? parameter)
    article_match: str  # `articles AS a` matches, as a membership test while an index is read (one ?)
    quote_match: str  # a quote `q` holds the words (one ? parameter)
    # (day, count) of the matching articles with no other filter, from the index alone
    # (one ? parameter); None: count through article_match.
    days: str | None = None


_WEIGHT_LIST = ", ".join(str(w) for w in WEIGHTS)
# ts_rank_cd's weights are for labels {D, C, B, A}: text D, description B, title A, scaled
# so the title's is 1 as PostgreSQL expects.
_PG_WEIGHTS = "{" + ", ".join(str(round(w / WEIGHTS[0], 4)) for w in (WEIGHTS[2], WEIGHTS[2], WEIGHTS[1], WEIGHTS[0])) + "}"
# ts_headline's fragment for the snippet: about SNIPPET_TOKENS words around the best match.
_PG_HEADLINE = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxFragments=1, MaxWords={SNIPPET_TOKENS}, "
                f"MinWords={SNIPPET_TOKENS // 2}, FragmentDelimiter=…")
# ts_headline parses the whole text it is given; the start of a long text holds the match
# in all but rare cases, and a page of 20 snippets then costs a few milliseconds.
_PG_HEADLINE_CHARS = 60_000

_FULL_TEXT = {
    SQLITE: FullText(
        seqs="SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
        source="articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid",
        matched="articles_fts MATCH ?",
        rank=f"bm25(articles_fts, {_WEIGHT_LIST})",
        seq="+articles_fts.rowid",
        rowid="articles_fts.rowid",
        snippet=f"snippet(articles_fts, -1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_TOKENS})",
        probe="EXISTS (SELECT 1 FROM articles_fts AS f WHERE f.rowid = {} AND f.articles_fts MATCH ?)",
        article_match="+a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)",
        quote_match="q.qid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)",
    ),
    POSTGRES: FullText(
        # The index is its own narrow table (article_search: seq, day, tsvector; migration
        # postgres/002), so visiting every match reads ~900 pages, not the 13,000 of the wide
        # articles rows, at 100k synthetic articles. OFFSET 0 keeps the match a subquery of
        # its own, read from the GIN index once and joined by hash: pulled up, the planner
        # checked each of a person's 36k articles for the word row by row (760 ms, not 180).
        seqs="SELECT seq FROM article_search WHERE tsv @@ nd_query(?) OFFSET 0",
        source="nd_query(?) AS tq, articles AS a JOIN article_search AS s ON s.seq = a.seq",
        matched="s.tsv @@ tq",
        rank=f"-ts_rank_cd('{_PG_WEIGHTS}', s.tsv, tq, 1)",
        seq="a.seq",
        rowid="a.seq",
        snippet=f"ts_headline(nd_ts_config(a.language), left(a.text, {_PG_HEADLINE_CHARS}), tq, '{_PG_HEADLINE}')",
        probe="EXISTS (SELECT 1 FROM article_search AS f WHERE f.seq = {} AND f.tsv @@ nd_query(?))",
        article_match="a.seq IN (SELECT seq FROM article_search WHERE tsv @@ nd_query(?) OFFSET 0)",
        quote_match="q.tsv @@ websearch_to_tsquery('english', ?)",
        days="SELECT day, count(*) FROM article_search WHERE tsv @@ nd_query(?) GROUP BY day",
    ),
}


def full_text(dialect: str) -> FullText:
    return _FULL_TEXT[dialect]


__all__ = ["SQLITE", "POSTGRES", "in_values", "each_int", "record_field", "not_true", "FullText", "full_text"]
