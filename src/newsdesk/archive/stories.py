"""The story stage in the archive: each new article joins a story (or starts one), and the
stories as readers see them.

``SqlStoryStore`` is the clusterer's store (``links.stories.StoryStore``) in the archive's
tables (migration 006): ``stories`` (each story's state), ``story_terms`` (the inverted
index of candidates), ``story_df`` (document frequencies), ``articles.story``. ``Storyteller``
runs the stage: a copy goes straight into the story of the articles it copies (copies are
always in their origin's story; copy groups that meet merge their stories), any other
article through ``Clusterer.add``. ``rebuild`` replays every article in its original
order (``articles.story_order``) over empty tables — the same decisions on the same input,
so the same stories as the incremental path.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..links import stories as st
from ..model import Article
from .db import Connection
from .dialect import each_int, in_values
from .filters import Filters


class SqlStoryStore:
    """``links.stories.StoryStore`` over the archive's tables."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def documents(self) -> int:
        return int(self.conn.execute("SELECT value FROM story_meta WHERE name = 'documents'").fetchone()[0])

    def document_frequency(self, terms: Iterable[int]) -> dict[int, int]:
        terms = list(terms)
        if not terms:
            return {}
        match, args = in_values(self.conn.dialect, "term", terms)
        return dict(self.conn.execute(f"SELECT term, n FROM story_df WHERE {match}", args).fetchall())

    def add_document_terms(self, terms: Iterable[int]) -> None:
        # One statement for all of them; distinct, as an upsert may touch a row once.
        rows, args = each_int(self.conn.dialect, sorted(set(terms)))
        self.conn.execute(
            f"INSERT INTO story_df (term, n) SELECT value, 1 FROM ({rows}) AS v WHERE true"
            " ON CONFLICT (term) DO UPDATE SET n = story_df.n + 1", args)
        self.conn.execute("UPDATE story_meta SET value = value + 1 WHERE name = 'documents'")

    def candidates(self, terms: Iterable[int], day: float | None, window: float, limit: int) -> list[st.Story]:
        terms = list(terms)
        if not terms:
            return []
        if day is None:
            match, args = in_values(self.conn.dialect, "term", terms)
            rows = self.conn.execute(
                f"SELECT story, count(*) AS n FROM story_terms WHERE {match} "
                "GROUP BY story ORDER BY n DESC, story LIMIT ?", (*args, limit))
        else:
            # Postings of stories whose last article is at most `window` days before `day`
            # (by week, then exactly), and whose first is at most `window` days after it.
            match, args = in_values(self.conn.dialect, "t.term", terms)
            rows = self.conn.execute(
                f"SELECT t.story, count(*) AS n FROM story_terms t JOIN stories s ON s.id = t.story "
                f"WHERE {match} AND t.week >= ? "
                "AND (s.first_day IS NULL OR s.first_day - ? <= ? AND ? <= s.last_day + ?) "
                "GROUP BY t.story ORDER BY n DESC, t.story LIMIT ?",
                (*args, _week(day - window), window, day, day, window, limit))
        ids = [r[0] for r in rows]
        return [self.get(i) for i in ids]

    def get(self, sid: int) -> st.Story:
        row = self.conn.execute("SELECT state FROM stories WHERE id = ?", (sid,)).fetchone()
        return _load(sid, row[0])

    def _postings(self, sid: int) -> tuple[set[int], int | None]:
        """The terms story ``sid`` is indexed under and their week, from its stored state
        (cheaper than a second index on story_terms); no terms for a new story."""
        row = self.conn.execute("SELECT state FROM stories WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return set(), None
        story = _load(sid, row[0])
        return set(story.terms()), _story_week(story)

    def save(self, story: st.Story, member: str, centrality: float) -> None:
        conn = self.conn
        old, old_week = self._postings(story.id)
        new, week = set(story.terms()), _story_week(story)
        if old_week != week:  # the story moved on in time: all its postings move
            self._unindex(story.id, old, old_week)
            old = set()
        elif gone := old - new:
            self._unindex(story.id, gone, week)
        if added := sorted(new - old):
            rows, args = each_int(conn.dialect, added)
            conn.execute(f"INSERT OR IGNORE INTO story_terms (term, week, story) SELECT value, ?, ? FROM ({rows}) AS v",
                         (week, story.id, *args))
        label = conn.execute("SELECT seq FROM articles WHERE id = ?", (story.label,)).fetchone()
        conn.execute(
            "INSERT INTO stories (id, size, first_day, last_day, label_seq, state) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_day = excluded.first_day,"
            " last_day = excluded.last_day, label_seq = excluded.label_seq, state = excluded.state",
            (story.id, story.size, story.first_day, story.last_day, label[0] if label else None, _dump(story)))
        conn.execute("UPDATE articles SET story = ?, centrality = ? WHERE id = ?", (story.id, centrality, member))

    def _unindex(self, sid: int, terms: set[int], week: int | None) -> None:
        if terms:
            match, args = in_values(self.conn.dialect, "term", sorted(terms))
            self.conn.execute(f"DELETE FROM story_terms WHERE week = ? AND story = ? AND {match}", (week, sid, *args))

    def merge(self, keep: int, gone: int) -> None:
        self.conn.execute("UPDATE articles SET story = ? WHERE story = ?", (keep, gone))
        self._unindex(gone, *self._postings(gone))
        self.conn.execute("DELETE FROM stories WHERE id = ?", (gone,))

    def new_id(self) -> int:
        sid = int(self.conn.execute("SELECT value FROM story_meta WHERE name = 'next_id'").fetchone()[0])
        self.conn.execute("UPDATE story_meta SET value = ? WHERE name = 'next_id'", (sid + 1,))
        return sid


_STATE = tuple(f.name for f in dataclasses.fields(st.Story) if f.name != "id")


UNDATED_WEEK = 2**31  # a story without dates is a candidate at any date


def _week(day: float) -> int:
    return int(day // 7)


def _story_week(story: st.Story) -> int:
    return UNDATED_WEEK if story.last_day is None else _week(story.last_day)


def _dump(story: st.Story) -> bytes:
    """A story's state as one blob: its scalars as JSON, then each vector's term ids
    (int64) and weights (float64, exact: a replay must see the very same numbers) — 4 KB
    for a full story against 9 KB as JSON text (measured on the synthetic archive)."""
    import numpy as np

    head = {name: getattr(story, name) for name in _STATE if name not in ("centroid", "entities")}
    head["sizes"] = [len(story.centroid), len(story.entities)]
    text = json.dumps(head).encode("utf-8")
    parts = [len(text).to_bytes(4, "little"), text]
    for vec in (story.centroid, story.entities):
        parts.append(np.fromiter(vec.keys(), dtype="<i8", count=len(vec)).tobytes())
        parts.append(np.fromiter(vec.values(), dtype="<f8", count=len(vec)).tobytes())
    return b"".join(parts)


def _load(sid: int, state: bytes) -> st.Story:
    import numpy as np

    n = int.from_bytes(state[:4], "little")
    head = json.loads(state[4 : 4 + n])
    at = 4 + n
    vectors = []
    for size in head.pop("sizes"):
        keys = np.frombuffer(state, dtype="<i8", count=size, offset=at)
        values = np.frombuffer(state, dtype="<f8", count=size, offset=at + 8 * size)
        at += 16 * size
        vectors.append(dict(zip(keys.tolist(), values.tolist())))
    return st.Story(id=sid, centroid=vectors[0], entities=vectors[1], **head)


class Storyteller:
    """The story stage over one archive connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.store = SqlStoryStore(conn)
        self.clusterer = st.Clusterer(self.store)

    def assign(self, seq: int, article: Article, feats: st.Features | None = None) -> int:
        """Put the stored article ``seq`` in a story; its id. An article already in one
        keeps it (a story is assigned once, in arrival order)."""
        row = self.conn.execute("SELECT story, story_order FROM articles WHERE seq = ?", (seq,)).fetchone()
        if row["story"] is not None:
            return int(row["story"])
        order = row["story_order"]
        if order is None:  # a counter, not max(story_order): that would read every article
            order = int(self.conn.execute("SELECT value FROM story_meta WHERE name = 'next_order'").fetchone()[0])
            self.conn.execute("UPDATE story_meta SET value = ? WHERE name = 'next_order'", (order + 1,))
            self.conn.execute("UPDATE articles SET story_order = ? WHERE seq = ?", (order, seq))
        copied = sorted({r[0] for r in self.conn.execute(
            "SELECT o.story FROM links l JOIN articles o ON o.seq = CASE WHEN l.article = ? THEN l.source ELSE l.article END "
            "WHERE (l.article = ? OR l.source = ?) AND l.kind = 'copy' AND o.story IS NOT NULL AND o.story_order < ?",
            (seq, seq, seq, order))})
        if copied:
            return self._join_copy(seq, copied)
        feats = feats or st.article_features(article)
        return self.clusterer.add(article.id, feats).story

    def _join_copy(self, seq: int, stories: list[int]) -> int:
        """A copy joins its originals' story as it is (a copy adds no new words); copy
        groups that meet here merge their stories into the largest."""
        rows = self.conn.execute(
            f"SELECT id, size FROM stories WHERE id IN ({', '.join('?' * len(stories))})", stories).fetchall()
        keep = min(rows, key=lambda r: (-r["size"], r["id"]))["id"]
        for sid in stories:
            if sid != keep:
                self.store.merge(keep, sid)
        size = int(self.conn.execute("SELECT count(*) FROM articles WHERE story = ?", (keep,)).fetchone()[0]) + 1
        story = dataclasses.replace(self.store.get(keep), size=size)
        self.conn.execute("UPDATE stories SET size = ?, state = ? WHERE id = ?", (size, _dump(story), keep))
        self.conn.execute("UPDATE articles SET story = ?, centrality = NULL WHERE seq = ?", (keep, seq))
        return int(keep)

    def rebuild(self, records: Iterator[tuple[int, Article]]) -> int:
        """Every story recomputed from scratch, replaying ``records`` (``(seq, article)``
        in story order); the number of stories."""
        conn = self.conn
        conn.execute("DELETE FROM story_terms")
        conn.execute("DELETE FROM stories")
        conn.execute("DELETE FROM story_df")
        # The input order is kept (the replay follows it); ids and counts start again.
        conn.execute("UPDATE story_meta SET value = CASE name WHEN 'next_id' THEN 1 ELSE 0 END WHERE name <> 'next_order'")
        conn.execute("UPDATE articles SET story = NULL, centrality = NULL WHERE story IS NOT NULL")
        for seq, article in records:
            self.assign(seq, article)
        return int(conn.execute("SELECT count(*) FROM stories").fetchone()[0])


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as ``newsdesk stories`` prints it."""

    id: int
    label: str | None
    first: str | None
    last: str | None
    articles: list[str]
    sites: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "first": self.first, "last": self.last,
                "articles": self.articles, "sites": self.sites}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One article of a story's timeline."""

    id: str
    site: str | None
    title: str | None
    published: str | None
    copy_of: str | None  # the origin of its copy group, when it is a copy of an earlier article
    reuses: list[str]  # articles it reuses passages of


def list_stories(conn: Connection, filters: Filters, *, query: str | None = None, limit: int = 20,
                 offset: int = 0) -> list[StoryRow]:
    """Stories biggest first. ``filters`` (site, dates) and ``query`` (FTS5) keep the
    stories with at least one matching article; a story's fields are always whole."""
    from .search import fts, match_seqs_sql

    clauses, params = filters.where(conn.dialect)
    if query is not None and query.strip():
        clauses.insert(0, f"a.seq IN ({match_seqs_sql(conn.dialect)})")
        params.insert(0, query)
    if clauses:
        sql = (f"SELECT s.id FROM stories s WHERE s.id IN (SELECT a.story FROM articles AS a WHERE "
               f"{' AND '.join(clauses)} AND a.story IS NOT NULL) ORDER BY s.size DESC, s.id LIMIT ? OFFSET ?")
    else:
        sql = "SELECT s.id FROM stories s ORDER BY s.size DESC, s.id LIMIT ? OFFSET ?"
    ids = [r[0] for r in fts(conn, sql, [*params, limit, offset], query)]
    return [story_row(conn, sid) for sid in ids]


def story_row(conn: Connection, sid: int) -> StoryRow:
    label = conn.execute(
        "SELECT a.title FROM stories s JOIN articles a ON a.seq = s.label_seq WHERE s.id = ?", (sid,)).fetchone()
    rows = conn.execute(
        "SELECT id, site, published FROM articles WHERE story = ? ORDER BY published IS NULL, published, seq",
        (sid,)).fetchall()
    dates = [r["published"] for r in rows if r["published"]]
    sites = sorted({r["site"] for r in rows if r["site"]})
    return StoryRow(sid, label[0] if label else None, min(dates, default=None), max(dates, default=None),
                    [r["id"] for r in rows], sites)


def timeline(conn: Connection, sid: int) -> list[TimelineEntry]:
    rows = conn.execute(
        "SELECT a.seq, a.id, a.site, a.title, a.published, o.id AS origin FROM articles a "
        "LEFT JOIN articles o ON o.seq = a.origin WHERE a.story = ? ORDER BY a.published IS NULL, a.published, a.seq",
        (sid,)).fetchall()
    reuses: dict[int, list[str]] = {}
    for r in conn.execute(
            "SELECT l.article, s.id FROM links l JOIN articles s ON s.seq = l.source JOIN articles a ON a.seq = l.article "
            "WHERE a.story = ? AND l.kind = 'partial' ORDER BY s.published, s.seq", (sid,)):
        reuses.setdefault(r[0], []).append(r[1])
    return [TimelineEntry(r["id"], r["site"], r["title"], r["published"],
                          r["origin"] if r["origin"] and r["origin"] != r["id"] else None, reuses.get(r["seq"], []))
            for r in rows]


__all__ = ["SqlStoryStore", "Storyteller", "StoryRow", "TimelineEntry", "list_stories", "story_row", "timeline"]
