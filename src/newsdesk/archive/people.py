"""Entities and quotes in the archive: written beside each article, read by name (names
match by whole words: see ``filters``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..errors import UsageError
from ..model import Article
from .db import Connection
from .filters import Filters, label_group, name_clause, name_key


def write(conn: Connection, seq: int, article: Article) -> None:
    """Replace the entity and quote rows of article ``seq`` with ``article``'s."""
    conn.execute("DELETE FROM entities WHERE article_seq = ?", (seq,))
    conn.execute("DELETE FROM quotes WHERE article_seq = ?", (seq,))
    if not article.enriched:
        return
    # Each row carries its article's date and site (003_browse): pages read them in index order.
    day, site = article.published, article.site
    conn.executemany(
        "INSERT INTO entities (article_seq, idx, name, key, label, mentions, published, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (seq, i, e.name, name_key(e.name), e.label, len(e.mentions) + len(e.title_mentions), day, site)
            for i, e in enumerate(article.entities)
        ],
    )
    # Mentions of each entity, for "which entities does this quote name".
    spans = sorted((s, e, i) for i, ent in enumerate(article.entities) for s, e in ent.mentions)
    for i, q in enumerate(article.quotes):
        ent = article.entities[q.speaker_entity] if q.speaker_entity is not None else None
        cur = conn.execute(
            'INSERT INTO quotes (article_seq, idx, kind, family, text, start, "end", cue, speaker, speaker_key,'
            " speaker_label, published, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING qid",
            (
                seq,
                i,
                q.kind,
                q.family,
                q.text,
                q.start,
                q.end,
                q.cue,
                q.speaker,
                name_key(q.speaker) if q.speaker else None,
                ent.label if ent else None,
                day,
                site,
            ),
        )
        qid = cur.fetchone()[0]
        named = {name_key(article.entities[k].name) for s, e, k in spans if s >= q.start and e <= q.end}
        if named:
            conn.executemany("INSERT OR IGNORE INTO quote_about (qid, key) VALUES (?, ?)", [(qid, k) for k in sorted(named)])


@dataclass(frozen=True, slots=True)
class QuoteHit:
    """A stored quote with the article it is from."""

    text: str
    kind: str
    speaker: str | None
    cue: str | None
    start: int
    end: int
    article_id: str
    title: str | None
    site: str | None
    published: str | None
    url: str | None
    family: str = "speech"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity name across the archive: how many articles and mentions."""

    name: str
    label: str
    articles: int
    mentions: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def top_entities(
    conn: Connection,
    *,
    filters: Filters,
    label: str | None = None,
    name: str | None = None,
    top: int = 20,
) -> list[EntityCount]:
    """Entity names by the number of articles naming them, most first."""
    if top < 1:
        raise UsageError("top must be at least 1")
    clauses, params = filters.where(conn.dialect)
    if label:
        labels = label_group(label)
        clauses.append(f"e.label IN ({', '.join('?' * len(labels))})")
        params.extend(labels)
    if name:
        match, args = name_clause("e.key", name)
        clauses.append(match)
        params.extend(args)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    # The most common spelling of a key is its display name.
    sql = f"""
        SELECT e.key, e.label, count(DISTINCT e.article_seq) AS articles, sum(e.mentions) AS mentions,
               (SELECT e2.name FROM entities AS e2 WHERE e2.key = e.key AND e2.label = e.label
                GROUP BY e2.name ORDER BY count(*) DESC LIMIT 1) AS name
        FROM entities AS e JOIN articles AS a ON a.seq = e.article_seq
        {where}
        GROUP BY e.key, e.label
        ORDER BY articles DESC, mentions DESC, e.key
        LIMIT ?
    """
    rows = conn.execute(sql, (*params, top)).fetchall()
    return [EntityCount(row["name"], row["label"], row["articles"], row["mentions"]) for row in rows]


__all__ = ["top_entities", "QuoteHit", "EntityCount", "write"]
