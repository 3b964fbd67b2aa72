"""The Archive: articles in, articles out, one record per publication.

A record's identity is its ``id``: the hash of its canonical (else fetched) URL, or for a
page without any URL the hash of its text (``model.record_id``). The same text at two URLs
is two records. ``add`` of a record with a stored id replaces it ("updated") or, when
nothing changed, leaves it alone ("unchanged").
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from ..errors import ArchiveError, UsageError
from ..links.copies import COPY, PARTIAL
from ..model import Article, identify
from ..outcome import Outcome, Status
from . import db, people
from .browse import Browse
from .dialect import POSTGRES, SQLITE, record_field
from .export import RECORD_COLUMNS, RECORD_FROM, check_format, export, iter_records
from .filters import Filters
from .links import DuplicateLink, Linker
from .people import EntityCount, QuoteHit
from .search import SearchHit, search
from .stats import Stats, stats
from .stories import StoryRow, Storyteller, TimelineEntry, list_stories, story_row, timeline

AddResult = Literal["added", "updated", "unchanged"]

# Commit every this many records in add_many and ingest (``batch_size=None``: the store's
# own): large enough that commits cost little (~1 ms each in SQLite's WAL mode), small
# enough that a killed run loses only seconds of work. PostgreSQL commits more often: an
# UPDATE there writes a new row version, and the versions a transaction leaves behind are
# kept until it ends, so the document-frequency rows every article bumps (the story stage's
# ~200 a record) grow chains that each later bump walks — at 200 records per commit those
# upserts were 8-10 s of 29-37 s for 1,000 generated articles, at 25 under 2 s
# (27 and 35 -> 47 and 35 articles/s, alternating runs on the 2-core machine).
BATCH_SIZE = 200
BATCH_SIZES = {SQLITE: BATCH_SIZE, POSTGRES: 25}

_COLUMNS = (
    "id",
    "canonical_url",
    "url",
    "site",
    "published",
    "title",
    "description",
    "text",
    "language",
    "page_type",
    "word_count",
    "text_hash",
    "fetched",
    "record",
)


class Archive:
    """An archive of articles with full-text search: a SQLite file, or a PostgreSQL
    database named by its URL (``postgresql://user@host/dbname``), behind one API.

    >>> with Archive("news.db") as archive:
    ...     archive.add(article)
    ...     hits = archive.search("libya", site="rt.com")

    ``pooled`` (read-only PostgreSQL only: the web app) borrows the connection from this
    process's pool and hands it back on ``close``.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False, pooled: bool = False) -> None:
        self.path: str | Path = str(path) if db.is_server(path) else Path(path)
        self.where = db.describe(path)
        self.readonly = readonly
        self._conn: db.Connection | None = db.open_archive(self.path, readonly=readonly, pooled=pooled)

    @property
    def dialect(self) -> str:
        """The store: "sqlite" or "postgres"."""
        return self.conn.dialect

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None and self._conn is not None and self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        self.close()

    def close(self) -> None:
        """Commit what is pending and close. Safe to call twice."""
        if self._conn is not None:
            self.commit()
            self._conn.close()
            self._conn = None

    @property
    def conn(self) -> db.Connection:
        if self._conn is None:
            raise ArchiveError(f"{self.where}: archive is closed")
        return self._conn

    def commit(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            self._conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: one commit at the end, or none at all if the block raises."""
        self._begin()
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.commit()

    def _begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    # -- writing -----------------------------------------------------------------------

    def add(self, article: Article, *, commit: bool = True, signals: Mapping[str, Any] | None = None) -> AddResult:
        """Store ``article``: "added", "updated" (a record of the same publication was
        stored), or "unchanged". The archive names records itself: ``article.id`` is set
        from its identity URL (or text) first (``model.identify``).

        With ``commit=False`` the write joins the open transaction (one is begun if none
        is open); call ``commit()`` to end it. ``add_many`` does this in batches.

        A new text is matched against the stored ones (copies and reused passages:
        ``duplicates``) and joins a story (``stories``). ``signals`` carries what a
        pipeline worker computed for those already (``{"copies": links.copies.Signature,
        "stories": links.stories.Features}``); the archive computes what is missing.
        """
        if self.readonly:
            raise ArchiveError(f"{self.where}: archive opened read-only")
        identify(article)
        row = _row(article)
        self._begin()
        # A savepoint per record: a record that fails leaves nothing half-written, and the
        # batch around it goes on (PostgreSQL would otherwise refuse the rest of it).
        self.conn.execute("SAVEPOINT nd_add")
        try:
            result, seq, old_text, linked = self._upsert(row)
            if result != "unchanged":
                people.write(self.conn, seq, article)
            given = signals or {}
            if result == "added" or not linked or old_text != row["text"]:
                self.linker.link(seq, row["text"], given.get("copies"),
                                 old_text=old_text if linked and result != "added" else None)
            article.story = self.storyteller.assign(seq, article, given.get("stories"))
            article.origin = self.linker.origin_of(seq)
        except db.database_errors() as exc:
            self.conn.execute("ROLLBACK TO SAVEPOINT nd_add")
            self.conn.execute("RELEASE SAVEPOINT nd_add")
            raise ArchiveError(f"{self.where}: cannot store {article.id} ({' '.join(str(exc).split())})") from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO SAVEPOINT nd_add")
                self.conn.execute("RELEASE SAVEPOINT nd_add")
            raise
        self.conn.execute("RELEASE SAVEPOINT nd_add")
        if commit:
            self.commit()
        return result

    def _upsert(self, row: dict[str, Any]) -> tuple[AddResult, int, str | None, bool]:
        """Insert or update; also the text stored before and whether it was linked."""
        conn = self.conn
        target = conn.execute("SELECT seq, record, text, linked FROM articles WHERE id = ?", (row["id"],)).fetchone()
        stamp = db.now()
        if target is None:
            names = ", ".join(_COLUMNS)
            cur = conn.execute(
                f"INSERT INTO articles ({names}, added_at, updated_at) VALUES ({', '.join('?' * len(_COLUMNS))}, ?, ?)"
                " RETURNING seq",
                (*[row[c] for c in _COLUMNS], stamp, stamp),
            )
            return "added", int(cur.fetchone()[0]), None, False
        before = (target["text"], bool(target["linked"]))
        if target["record"] == row["record"] and target["text"] == row["text"]:
            return "unchanged", int(target["seq"]), *before
        sets = ", ".join(f"{c} = ?" for c in _COLUMNS)
        conn.execute(
            f"UPDATE articles SET {sets}, updated_at = ? WHERE seq = ?",
            (*[row[c] for c in _COLUMNS], stamp, target["seq"]),
        )
        return "updated", int(target["seq"]), *before

    def add_many(self, articles: Iterable[Article], *, batch_size: int | None = None) -> Counter[str]:
        """Store many articles, committing every ``batch_size`` (None: the store's
        ``BATCH_SIZES``); counts of each result. The same writer as every pipeline run
        (``BatchWriter``)."""
        counts: Counter[str] = Counter()
        with BatchWriter(self, batch_size=batch_size) as writer:
            for article in articles:
                counts[writer.add(article)] += 1
        return counts

    # -- reading -----------------------------------------------------------------------

    def get(self, key: str) -> Article | None:
        """The article with this id, or else with this canonical URL or URL, or else this
        text hash (the id before schema 1.2); None if none."""
        for where, args in (("a.id = ?", (key,)), ("a.canonical_url = ? OR a.url = ?", (key, key)),
                            ("a.text_hash = ?", (key,))):
            row = self.conn.execute(f"SELECT {RECORD_COLUMNS} FROM {RECORD_FROM} WHERE {where} ORDER BY a.seq LIMIT 1",
                                    args).fetchone()
            if row is not None:
                return record_to_article(*row)
        return None

    def stage_versions(self) -> Iterator[tuple[str, dict[str, int]]]:
        """``(id, {stage: version})`` of every record, in storage order: what reprocessing
        reads to find the records a newer stage has to redo."""
        stages = record_field(self.conn.dialect, "record", "stages")
        for row in self.conn.execute(f"SELECT id, {stages} FROM articles ORDER BY seq"):
            yield row[0], json.loads(row[1]) if row[1] else {}

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def search(
        self,
        query: str,
        *,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        person: str | None = None,
        org: str | None = None,
        place: str | None = None,
        type: str | None = None,
        story: int | str | None = None,
        limit: int = 20,
        newest: bool = False,
        markers: tuple[str, str] = ("[", "]"),
    ) -> list[SearchHit]:
        """Full-text search, best match first — or, when the words match more than 20,000
        articles, newest first (as the web app's search page: one path answers both). The
        query syntax is the store's: SQLite FTS5's (``"a phrase"``, ``AND``/``OR``/``NOT``,
        ``prefix*``, ``title:word``), ranked by BM25; PostgreSQL's websearch syntax
        (``"a phrase"``, ``or``, ``-word``), ranked by ts_rank_cd, stemmed in the article's
        language.

        ``since``/``until`` are ISO dates or times compared with ``published`` (``until`` a
        bare date includes that whole day). ``newest`` orders by ``published``, newest
        first. ``person``/``org``/``place`` keep articles naming such an entity (whole
        words of the name: "Bashagha" finds "Fathi Bashagha"); ``type`` pages of that
        page_type. Snippets wrap matched terms in ``markers``. Raises QueryError for a
        query FTS5 rejects (PostgreSQL accepts any).
        """
        filters = Filters.build(site=site, since=since, until=until, person=person, org=org, place=place, type=type,
                                story=story)
        return search(self.conn, query, filters=filters, limit=limit, newest=newest, markers=markers)

    def iter_articles(
        self,
        query: str | None = None,
        *,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        person: str | None = None,
        org: str | None = None,
        place: str | None = None,
        type: str | None = None,
        story: int | str | None = None,
        limit: int | None = None,
        newest: bool = False,
        unenriched: bool = False,
    ) -> Iterator[Article]:
        """Every stored article matching the filters (and ``query``, if given);
        ``unenriched`` keeps only those whose entities and quotes were never computed."""
        filters = Filters.build(site=site, since=since, until=until, person=person, org=org, place=place, type=type,
                                story=story)
        if unenriched:
            filters = dataclasses.replace(filters, unenriched=True)
        for row in iter_records(self.conn, query, filters=filters, limit=limit, newest=newest):
            yield record_to_article(*row)

    def export(self, path: str | Path, *, format: str, query: str | None = None, **filters: Any) -> int:
        """Write matching articles (``filters``: those of ``iter_articles``) to ``path`` as
        jsonl, csv or parquet; the number written."""
        check_format(format)
        return export(self.iter_articles(query, **filters), path, format=format)

    def quotes(
        self,
        query: str | None = None,
        *,
        speaker: str | None = None,
        about: str | None = None,
        kind: str | None = None,
        family: str | None = "speech",
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuoteHit]:
        """Stored quotes, newest article first. ``speaker``: said by (whole words of the
        name); ``about``: naming that entity inside the quote; ``query``: FTS5 words in
        the quote; ``kind``: direct, partial, indirect or block; ``family``: speech (the
        default), stance (belief, intention, evidence, naming), or None for both."""
        for name in (speaker, about):
            if name is not None and not name.strip():
                raise UsageError(f"no name to match in {name!r}")
        hits, _ = self.browse.quote_hits(
            speaker=speaker, about=about, query=query, kind=kind, family=family, site=site, since=since,
            until=until, limit=limit, offset=offset,
        )
        return hits

    def entities(
        self,
        *,
        label: str | None = None,
        name: str | None = None,
        top: int = 20,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[EntityCount]:
        """The most-named entities (by articles naming them); ``label`` is PERSON, ORG,
        GPE or LOC (or person/org/place), ``name`` keeps names containing its words."""
        if top < 1:
            raise UsageError("top must be at least 1")
        filters = Filters.build(site=site, since=since, until=until)
        if filters == Filters():
            # Unfiltered: the per-entity summary (003_browse) answers from an index.
            return list(self.browse.entities(label=label, name=name, per_page=top).items)
        return people.top_entities(self.conn, filters=filters, label=label, name=name, top=top)

    def stats(self) -> Stats:
        """Article counts in total, per site and per month of publication."""
        return stats(self.conn)

    @property
    def linker(self) -> Linker:
        return Linker(self.conn)

    @property
    def storyteller(self) -> Storyteller:
        return Storyteller(self.conn)

    def stories(
        self,
        query: str | None = None,
        *,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[StoryRow]:
        """Stories (the same event across outlets), biggest first: each with its id, label
        (the headline of its most central article), first and last publication, articles
        (oldest first) and sites. ``query`` (FTS5) and the filters keep stories with at
        least one matching article."""
        if limit < 1:
            raise UsageError("limit must be at least 1")
        filters = Filters.build(site=site, since=since, until=until)
        return list_stories(self.conn, filters, query=query, limit=limit, offset=offset)

    def story(self, story_id: int) -> tuple[StoryRow, list[TimelineEntry]]:
        """One story and its timeline: every article with its site and date, whether it is
        a copy (and of which origin) and what it reuses. Raises ArchiveError for an unknown id."""
        exists = self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone()
        if exists is None:
            raise ArchiveError(f"no story {story_id} in {self.where}")
        return story_row(self.conn, story_id), timeline(self.conn, story_id)

    def stories_stale(self) -> bool:
        """Whether the stories were cleared by a change of the story stage (migration
        009) and wait for ``rebuild_stories``; new articles get stories meanwhile."""
        row = self.conn.execute("SELECT value FROM story_meta WHERE name = 'stale'").fetchone()
        return bool(row and row[0])

    def rebuild_stories(self) -> int:
        """Recompute every story from scratch, replaying the articles in the order they
        were first assigned (the incremental path's order): the same stories it built.
        Returns the number of stories."""
        with self.transaction():
            return self._rebuild_stories()

    def _rebuild_stories(self) -> int:
        # The order first (the replay rewrites the rows it would be read from), then one
        # record at a time: never the whole archive in memory.
        seqs = [r[0] for r in self.conn.execute("SELECT seq FROM articles ORDER BY story_order IS NULL, story_order, seq")]

        def records() -> Iterator[tuple[int, Article]]:
            for seq in seqs:
                row = self.conn.execute(f"SELECT {RECORD_COLUMNS} FROM {RECORD_FROM} WHERE a.seq = ?", (seq,)).fetchone()
                yield seq, record_to_article(*row)

        return self.storyteller.rebuild(records())

    def rebuild_duplicates(self, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """Recompute every copy and reused-passage link from scratch with the current
        rules, matching the articles one after the other in storage order (as they
        arrived), then the stories, which follow the copies. An archive built before a
        change to the duplicate stage's rules keeps its old links until this runs.
        ``progress(done, total)`` is called after every article. Returns (links, stories)."""
        seqs = [r[0] for r in self.conn.execute("SELECT seq FROM articles ORDER BY seq")]

        def texts() -> Iterator[tuple[int, str]]:
            for done, seq in enumerate(seqs):
                if progress is not None and done:
                    progress(done, len(seqs))
                yield seq, self.conn.execute("SELECT text FROM articles WHERE seq = ?", (seq,)).fetchone()[0]

        with self.transaction():
            return self.linker.rebuild(texts()), self._rebuild_stories()

    def duplicates(
        self,
        *,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        article: str | None = None,
        limit: int | None = None,
    ) -> list[DuplicateLink]:
        """Copy and partial-reuse links, newest article first: each ``article`` copies
        (``kind`` "copy") or reuses passages of ("partial") ``source``, the earlier
        article. ``site``/``since``/``until`` filter on the article; ``article`` (an id)
        keeps the links it is on either side of."""
        if kind is not None and kind not in (COPY, PARTIAL):
            raise UsageError(f"unknown link kind {kind!r} (use copy or partial)")
        filters = Filters.build(site=site, since=since, until=until)
        return self.linker.duplicates(filters, kind=kind, article=article, limit=limit)

    @property
    def browse(self) -> Browse:
        """Paged, index-backed views for browsing (the web app): ``archive.browse.articles(…)``,
        ``.histogram``, ``.entities``, ``.entity``, ``.quotes``, ``.sites``; see archive/browse.py."""
        return Browse(self.conn)


_STATUS = {"added": Status.STORED, "updated": Status.UPDATED, "unchanged": Status.UNCHANGED}


class BatchWriter:
    """The single writer of a run: stores articles, commits every ``batch_size`` of them and
    once more at the end, and closes the archive if it opened it. A killed run loses at
    most the batch in progress; ``add`` is idempotent, so rerunning completes the job."""

    def __init__(self, archive: str | Path | Archive, *, batch_size: int | None = None) -> None:
        if batch_size is not None and batch_size < 1:
            raise UsageError("batch size must be at least 1")
        self.own = not isinstance(archive, Archive)
        self.archive = archive if isinstance(archive, Archive) else Archive(archive)
        self.batch_size = batch_size or BATCH_SIZES[self.archive.dialect]
        self.pending = 0

    def add(self, article: Article, signals: Mapping[str, Any] | None = None) -> AddResult:
        result = self.archive.add(article, commit=False, signals=signals)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.archive.commit()
            self.pending = 0
        return result

    def __call__(self, outcome: Outcome) -> Outcome:
        """A pipeline sink: the outcome's article stored, its status saying how."""
        if outcome.status is Status.DONE and outcome.article is not None:
            outcome.status = _STATUS[self.add(outcome.article, signals=outcome.signals)]
        return outcome

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.archive.commit()
        finally:
            if self.own:
                self.archive.close()


def _row(article: Article) -> dict[str, Any]:
    record = article.to_dict()
    text = record.pop("text")
    # Set from the archive's own tables when read (they change as other articles arrive).
    record.pop("origin", None)
    record.pop("story", None)
    return {
        "id": article.id,
        "canonical_url": article.canonical_url,
        "url": article.url,
        "site": article.site,
        "published": article.published,
        "title": article.title,
        "description": article.description,
        "text": text,
        "language": article.language,
        "page_type": article.page_type,
        "word_count": article.word_count,
        "text_hash": article.text_hash,
        "fetched": article.fetched,
        "record": json.dumps(record, ensure_ascii=False, sort_keys=False),
    }


def record_to_article(record: str, text: str, origin: str | None = None, story: int | None = None) -> Article:
    data = json.loads(record)
    data["text"] = text
    data["origin"], data["story"] = origin, story
    return Article.from_dict(data)


__all__ = ["Archive", "BatchWriter", "AddResult", "QuoteHit", "EntityCount", "BATCH_SIZE", "BATCH_SIZES", "record_to_article"]
