"""The story stage in the archive: each new article is placed in a story, and the stories
as readers see them.

``SqlStoryStore`` is the clusterer's store (``links.stories.StoryStore``) in the archive's
tables (migrations 006 and 009): ``story_members`` (each clustered article's member vector
and day), ``story_postings`` (the inverted index its neighbours are found through, by
week), ``story_df`` (document frequencies), ``stories`` (each story's size, days and
label) and ``articles.story``. ``Storyteller`` runs the stage: a copy goes straight into
the story of the articles it copies (copies are always in their origin's story; copy
groups that meet merge their stories), any other article through ``Clusterer.add``, its
copy group (``articles.origin``) kept whole when stories are re-clustered. ``rebuild``
replays every article in its original order (``articles.story_order``) over empty tables
— the same decisions on the same input, so the same stories as the incremental path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..links import stories as st
from ..model import Article
from .db import Connection
from .dialect import each_int, in_values
from .filters import Filters

UNDATED_WEEK = 2**31  # an undated member is a neighbour at any date

# A member as the clusterer reads it: its story and copy group come from `articles`.
_MEMBER = ("SELECT m.seq, a.story, coalesce(a.origin, m.seq), m.day, m.vec FROM story_members m "
           "JOIN articles a ON a.seq = m.seq")


def _dump(terms: np.ndarray, weights: np.ndarray) -> bytes:
    """A member vector as one blob: term ids (int64), then weights (float64, exact: a
    replay must see the very same numbers); 1 KB for 64 terms."""
    return terms.astype("<i8").tobytes() + weights.astype("<f8").tobytes()


def _member(row: Sequence[Any]) -> st.Member:
    blob = bytes(row[4])
    n = len(blob) // 16
    terms = np.frombuffer(blob, dtype="<i8", count=n).astype(np.int64)
    weights = np.frombuffer(blob, dtype="<f8", count=n, offset=8 * n).astype(np.float64)
    return st.Member(int(row[0]), -1 if row[1] is None else int(row[1]), int(row[2]), row[3], terms, weights)


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

    def neighbours(self, terms: Sequence[int], day: float | None, window: float, limit: int) -> list[st.Member]:
        if not terms:
            return []
        match, args = in_values(self.conn.dialect, "p.term", list(terms))
        if day is None:
            sql = (f"SELECT p.seq, count(*) AS n FROM story_postings p WHERE {match} "
                   "GROUP BY p.seq ORDER BY n DESC, p.seq LIMIT ?")
            params = [*args, limit]
        else:
            # The weeks the window reaches (and undated members), then the days exactly.
            sql = (f"SELECT p.seq, count(*) AS n FROM story_postings p JOIN story_members m ON m.seq = p.seq "
                   f"WHERE {match} AND (p.week BETWEEN ? AND ? OR p.week = ?) "
                   "AND (m.day IS NULL OR m.day BETWEEN ? AND ?) GROUP BY p.seq ORDER BY n DESC, p.seq LIMIT ?")
            params = [*args, st.week_number(day - window), st.week_number(day + window), UNDATED_WEEK, day - window, day + window, limit]
        seqs = [r[0] for r in self.conn.execute(sql, params)]
        return self._members(seqs)

    def _members(self, seqs: list[int]) -> list[st.Member]:
        if not seqs:
            return []
        match, args = in_values(self.conn.dialect, "m.seq", seqs)
        return [_member(r) for r in self.conn.execute(f"{_MEMBER} WHERE {match}", args)]

    def pool(self, stories: Sequence[int], limit: int) -> list[st.Member]:
        out: list[st.Member] = []
        for sid in stories:
            out.extend(_member(r) for r in self.conn.execute(
                f"{_MEMBER} WHERE a.story = ? ORDER BY a.story_order DESC LIMIT ?", (sid, limit)))
        return out

    def add_member(self, member: st.Member, terms: Sequence[int]) -> None:
        conn = self.conn
        conn.execute("INSERT INTO story_members (seq, day, vec) VALUES (?, ?, ?)",
                     (member.key, member.day, _dump(member.terms, member.weights)))
        week = UNDATED_WEEK if member.day is None else st.week_number(member.day)
        rows, args = each_int(conn.dialect, sorted(set(terms)))
        conn.execute(f"INSERT INTO story_postings (term, week, seq) SELECT value, ?, ? FROM ({rows}) AS v",
                     (week, member.key, *args))

    def regroup(self, parts: Sequence[st.Part], heirs: Mapping[int, int]) -> None:
        conn = self.conn
        placed = {k: part.id for part in parts for k in part.members}
        match, args = in_values(conn.dialect, "seq", list(placed))
        now = {r[0]: (r[1], r[2]) for r in conn.execute(
            f"SELECT seq, story, coalesce(origin, seq) FROM articles WHERE {match}", args)}
        # Only the rows that change story are written (an article row is wide: rewriting
        # every pool member's would cost more than the re-clustering); a member's
        # centrality is so the one it had when it was last placed.
        moves = [(part.id, c, k) for part in parts for k, c in zip(part.members, part.centrality)
                 if now[k][0] != part.id]
        rest: dict[int, int] = {}
        if heirs:
            by_group = {group: placed[seq] for seq, (_, group) in now.items()}
            match, args = in_values(conn.dialect, "story", sorted(heirs))
            for seq, story, group in conn.execute(
                    f"SELECT seq, story, coalesce(origin, seq) FROM articles WHERE {match}", args).fetchall():
                if seq not in placed:
                    target = by_group.get(group, heirs[story])
                    if target != story:
                        rest[seq] = target
        conn.executemany("UPDATE articles SET story = ?, centrality = ? WHERE seq = ?", moves)
        conn.executemany("UPDATE articles SET story = ? WHERE seq = ?", [(sid, seq) for seq, sid in rest.items()])
        kept = {part.id for part in parts}
        for sid in sorted(set(heirs) - kept):
            conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
        for part in parts:
            self.refresh(part.id, part.label)

    def refresh(self, sid: int, label: int | None = None) -> None:
        """Story ``sid``'s row from its articles: size, first and last day, and its label
        (``label``, or the one it has)."""
        size, first, last = self.conn.execute(
            "SELECT count(*), min(m.day), max(m.day) FROM articles a LEFT JOIN story_members m ON m.seq = a.seq "
            "WHERE a.story = ?", (sid,)).fetchone()
        self.conn.execute(
            "INSERT INTO stories (id, size, first_day, last_day, label_seq, state) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET size = excluded.size, first_day = excluded.first_day,"
            " last_day = excluded.last_day, label_seq = coalesce(excluded.label_seq, stories.label_seq)",
            (sid, size, first, last, label, b""))

    def merge(self, keep: int, gone: int) -> None:
        """Every article of story ``gone`` into ``keep``; ``gone`` deleted (``refresh``
        ``keep`` after)."""
        self.conn.execute("UPDATE articles SET story = ? WHERE story = ?", (keep, gone))
        self.conn.execute("DELETE FROM stories WHERE id = ?", (gone,))

    def new_id(self) -> int:
        sid = int(self.conn.execute("SELECT value FROM story_meta WHERE name = 'next_id'").fetchone()[0])
        self.conn.execute("UPDATE story_meta SET value = ? WHERE name = 'next_id'", (sid + 1,))
        return sid


class Storyteller:
    """The story stage over one archive connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.store = SqlStoryStore(conn)
        self.clusterer = st.Clusterer(self.store)

    def assign(self, seq: int, article: Article, feats: st.Features | None = None) -> int:
        """Put the stored article ``seq`` in a story; its id. An article already in one
        keeps it (an article is placed once, in arrival order; re-clustering may move it)."""
        row = self.conn.execute("SELECT story, story_order, coalesce(origin, seq) AS grp FROM articles WHERE seq = ?",
                                (seq,)).fetchone()
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
        return self.clusterer.add(seq, feats, int(row["grp"])).story

    def _join_copy(self, seq: int, stories: list[int]) -> int:
        """A copy joins its originals' story as it is (a copy adds no new words); copy
        groups that meet here merge their stories into the largest."""
        rows = self.conn.execute(
            f"SELECT id, size FROM stories WHERE id IN ({', '.join('?' * len(stories))})", stories).fetchall()
        keep = int(min(rows, key=lambda r: (-r["size"], r["id"]))["id"])
        for sid in stories:
            if sid != keep:
                self.store.merge(keep, sid)
        self.conn.execute("UPDATE articles SET story = ?, centrality = NULL WHERE seq = ?", (keep, seq))
        self.store.refresh(keep)
        return keep

    def rebuild(self, records: Iterator[tuple[int, Article]]) -> int:
        """Every story recomputed from scratch, replaying ``records`` (``(seq, article)``
        in story order); the number of stories."""
        conn = self.conn
        for table in ("story_postings", "story_members", "stories", "story_df"):
            conn.execute(f"DELETE FROM {table}")
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
