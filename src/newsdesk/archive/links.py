"""The duplicate stage in the archive: each new article matched against what is stored.

``Linker.link`` runs when a record's text is stored (new, or changed): it looks its
signature up in the candidate index (``link_bands``, ``link_prints``), confirms each
candidate on the two texts (``links.copies.judge``), writes the links with the earlier
article as the source, regroups the copy groups it touched (``articles.origin``: the
earliest member) and adds the article's keys to the index. Arrival order does not decide
direction: an older copy stored after its newer copies becomes their origin.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..links import copies as cp
from ..links import signals as sg
from .db import Connection
from .dialect import each_int, in_values
from .filters import Filters

# Members of one copy group compared before the group is given up: the best-scoring
# candidates of a group are its closest texts, so a copy is confirmed on the first.
PER_GROUP = 3


@dataclass(frozen=True, slots=True)
class DuplicateLink:
    """One stored link, as ``newsdesk duplicates`` prints it: ``article`` copies or reuses
    ``source`` (the earlier one). ``passages`` are ``(article_start, article_end,
    source_start, source_end)`` character offsets into the two texts."""

    article: str
    source: str
    kind: str
    similarity: float
    shared: float
    passages: tuple[tuple[int, int, int, int], ...] = ()
    # For people reading the list (the table, the web app): not in to_dict().
    article_site: str | None = None
    article_title: str | None = None
    article_published: str | None = None
    source_site: str | None = None
    source_published: str | None = None
    source_title: str | None = None

    def to_dict(self, *, passages: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"article": self.article, "source": self.source, "kind": self.kind,
                               "similarity": round(self.similarity, 4), "shared": round(self.shared, 4)}
        if passages:
            out["passages"] = [list(p) for p in self.passages]
        return out


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class Linker:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- the stage ---------------------------------------------------------------------

    def link(self, seq: int, text: str, signature: cp.Signature | None = None, *, old_text: str | None = None) -> None:
        """Match the stored article ``seq`` (whose text is ``text``) against the archive.
        ``old_text``: the text it had before, when it is an update (its keys and links go)."""
        affected: set[int] = {seq}
        if old_text is not None:
            affected |= self.forget(seq, old_text)
        sig = signature or cp.signature(text)
        mine = sg.words(text)
        found = self._confirm(seq, mine, self._candidates(seq, sig))
        self._write(found)
        for article, source, _kind, _pair in found:
            affected.update((article, source))
        self.regroup(affected)
        self._index(seq, sig)
        self.conn.execute("UPDATE articles SET linked = 1 WHERE seq = ?", (seq,))

    def forget(self, seq: int, old_text: str) -> set[int]:
        """Drop ``seq``'s index keys and links (its text changed); the articles it was
        linked to, whose groups must be recomputed."""
        old = cp.signature(old_text)
        for table, keys in (("link_bands", old.bands), ("link_prints", old.prints)):
            if keys:
                match, args = in_values(self.conn.dialect, "key", keys)
                self.conn.execute(f"DELETE FROM {table} WHERE seq = ? AND {match}", (seq, *args))
        others = {r[0] for r in self.conn.execute(
            "SELECT source FROM links WHERE article = ? UNION SELECT article FROM links WHERE source = ?", (seq, seq))}
        self.conn.execute("DELETE FROM links WHERE article = ? OR source = ?", (seq, seq))
        group = {r[0] for r in self.conn.execute(
            "SELECT seq FROM articles WHERE origin = (SELECT origin FROM articles WHERE seq = ?)", (seq,))}
        return others | group

    def _candidates(self, seq: int, sig: cp.Signature) -> list[int]:
        score: dict[int, int] = defaultdict(int)
        dialect = self.conn.dialect
        if sig.bands:
            match, args = in_values(dialect, "key", sig.bands)
            for (other,) in self.conn.execute(f"SELECT seq FROM link_bands WHERE {match}", args):
                score[other] += cp.CANDIDATE_BAND
        if sig.prints:
            # Prints held by more than COMMON_PRINT articles (boilerplate, stock phrases)
            # are skipped: one statement, the B-tree walked once per key.
            match, args = in_values(dialect, "key", sig.prints)
            for (other,) in self.conn.execute(
                    f"SELECT p.seq FROM link_prints p JOIN (SELECT key FROM link_prints WHERE {match}"
                    " GROUP BY key HAVING count(*) <= ?) r ON p.key = r.key", (*args, cp.COMMON_PRINT)):
                score[other] += 1
        score.pop(seq, None)
        ranked = sorted((s for s, n in score.items() if n >= cp.CANDIDATE_MIN), key=lambda s: (-score[s], s))
        return ranked[: cp.MAX_CANDIDATES]

    def _confirm(self, seq: int, mine: sg.Words, candidates: list[int]) -> list[tuple[int, int, str, cp.Pair]]:
        """``(article, source, kind, pair)`` for every confirmed link of ``seq``."""
        if not candidates:
            return []
        meta = {r[0]: r for r in self.conn.execute(
            f"SELECT seq, published, fetched, origin, text FROM articles WHERE seq IN ({_marks(len(candidates) + 1)})",
            (seq, *candidates))}
        me = _when(meta[seq])
        groups: dict[int, list[int]] = defaultdict(list)
        for c in candidates:  # best first
            groups[meta[c]["origin"] or c].append(c)
        copies: list[tuple[int, int, str, cp.Pair]] = []
        partial_as_newer: list[tuple[tuple[Any, ...], int, cp.Pair]] = []
        partial_as_older: list[tuple[int, int, str, cp.Pair]] = []
        for members in groups.values():
            for c in members[:PER_GROUP]:
                theirs = sg.words(meta[c]["text"])
                newer_is_me = _when(meta[c]) < me
                p = cp.pair(mine, theirs) if newer_is_me else cp.pair(theirs, mine)
                kind = cp.judge(p)
                if kind == cp.COPY:
                    copies.append((seq, c, kind, p) if newer_is_me else (c, seq, kind, p))
                    break
                if kind == cp.PARTIAL:
                    if newer_is_me:
                        partial_as_newer.append((_when(meta[c]), c, p))
                    else:
                        partial_as_older.append((c, seq, kind, p))
                    break
        # A passage of the new article found in several earlier ones (a source and the
        # articles that already reused it) is credited to the earliest holder only.
        taken: list[tuple[int, int]] = []
        partials = []
        for _when_c, c, p in sorted(partial_as_newer, key=lambda x: x[:2]):
            spans = [(a0, a1) for a0, a1, _, _ in p.passages if not any(s < a1 and a0 < e for s, e in taken)]
            if spans:
                taken += spans
                partials.append((seq, c, cp.PARTIAL, p))
        return copies + partials + partial_as_older

    def _write(self, found: Iterable[tuple[int, int, str, cp.Pair]]) -> None:
        self.conn.executemany(
            "INSERT INTO links (article, source, kind, similarity, shared, passages) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (article, source) DO UPDATE SET kind = excluded.kind, similarity = excluded.similarity,"
            " shared = excluded.shared, passages = excluded.passages",
            [(a, s, kind, p.similarity, p.covered if kind == cp.COPY else p.shared,
              json.dumps([list(x) for x in p.passages])) for a, s, kind, p in found])

    def _index(self, seq: int, sig: cp.Signature) -> None:
        for table, keys in (("link_bands", sig.bands), ("link_prints", sig.prints)):
            if keys:
                # Ascending, so consecutive inserts share the B-tree's upper pages: at 100k
                # articles (bench.incremental, alternating runs) the duplicate stage
                # 6.1-6.8 -> 5.8-6.2 ms an article.
                rows, args = each_int(self.conn.dialect, sorted(keys))
                self.conn.execute(f"INSERT OR IGNORE INTO {table} (key, seq) SELECT value, ? FROM ({rows}) AS v",
                                  (seq, *args))

    def regroup(self, seqs: Iterable[int]) -> None:
        """Recompute the copy groups holding ``seqs``: each connected set of copy links,
        named by its earliest member (``articles.origin``; NULL alone)."""
        seen: set[int] = set()
        for start in sorted(seqs):
            if start in seen:
                continue
            group, todo = {start}, [start]
            while todo:
                at = todo.pop()
                for (other,) in self.conn.execute(
                        "SELECT source FROM links WHERE article = ? AND kind = 'copy' "
                        "UNION SELECT article FROM links WHERE source = ? AND kind = 'copy'", (at, at)):
                    if other not in group:
                        group.add(other)
                        todo.append(other)
            seen |= group
            members = sorted(group)
            if len(members) == 1:
                self.conn.execute("UPDATE articles SET origin = NULL WHERE seq = ?", (start,))
                continue
            rows = self.conn.execute(
                f"SELECT seq, published, fetched FROM articles WHERE seq IN ({_marks(len(members))})", members).fetchall()
            origin = min(rows, key=_when)["seq"]
            self.conn.execute(f"UPDATE articles SET origin = ? WHERE seq IN ({_marks(len(members))})", (origin, *members))

    def rebuild(self, records: Iterable[tuple[int, str]]) -> int:
        """Every link, copy group and index key recomputed from scratch, matching
        ``records`` (``(seq, text)``, in storage order) one after the other as the
        incremental path did; the number of links."""
        conn = self.conn
        for table in ("links", "link_bands", "link_prints"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("UPDATE articles SET origin = NULL, linked = 0 WHERE origin IS NOT NULL OR linked <> 0")
        for seq, text in records:
            self.link(seq, text)
        return int(conn.execute("SELECT count(*) FROM links").fetchone()[0])

    # -- reading -----------------------------------------------------------------------

    def duplicates(self, filters: Filters | None = None, *, kind: str | None = None, article: str | None = None,
                   limit: int | None = None) -> list[DuplicateLink]:
        """Stored links whose article matches ``filters`` (site, dates, …), newest article
        first; ``article`` keeps the links that article takes part in, either side."""
        where, params = (filters or Filters()).where()
        clauses = list(where)
        sql = ("SELECT a.id AS article, src.id AS source, l.kind, l.similarity, l.shared, l.passages, "
               "a.site AS a_site, a.title AS a_title, a.published AS a_published, src.site AS s_site, "
               "src.published AS s_published, src.title AS s_title "
               "FROM links l JOIN articles a ON a.seq = l.article JOIN articles src ON src.seq = l.source")
        args: list[Any] = list(params)
        if kind:
            clauses.append("l.kind = ?")
            args.append(kind)
        if article:
            # By seq on both sides: the links' primary key and their source index answer.
            row = self.conn.execute("SELECT seq FROM articles WHERE id = ?", (article,)).fetchone()
            clauses.append("(l.article = ? OR l.source = ?)")
            args += [row[0] if row else -1] * 2
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY a.published DESC, a.seq DESC, l.source"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [DuplicateLink(r["article"], r["source"], r["kind"], r["similarity"], r["shared"],
                              tuple(tuple(p) for p in json.loads(r["passages"])),
                              r["a_site"], r["a_title"], r["a_published"], r["s_site"], r["s_published"], r["s_title"])
                for r in self.conn.execute(sql, args)]

    def origin_of(self, seq: int) -> str | None:
        row = self.conn.execute(
            "SELECT o.id FROM articles a JOIN articles o ON o.seq = a.origin WHERE a.seq = ?", (seq,)).fetchone()
        return None if row is None else row[0]


def _when(row: Any) -> tuple[str, str, int]:
    """An article's place in time: published, then fetched, then storage order (an undated
    article sorts after dated ones)."""
    return (row["published"] or row["fetched"] or "~", row["fetched"] or "~", row["seq"])


__all__ = ["Linker", "DuplicateLink", "PER_GROUP"]
