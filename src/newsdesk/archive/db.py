"""Opening the archive: a SQLite file (the default) or a PostgreSQL database (a
``postgresql://`` URL: ``postgres.py``), with named schema migrations.

Migrations are the ``NNN_name.sql`` files beside this module (SQLite) and in ``postgres/``
(PostgreSQL), applied in name order, each in its own transaction together with its row in
the ``migrations`` table — so a database is never left half-migrated, and ``SELECT name
FROM migrations`` says what schema it has.

Both stores hand out a connection with the same face (``execute``, ``executemany``,
``in_transaction``, ``close``, and ``dialect``: "sqlite" or "postgres"), so the archive's
modules are written once.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from ..errors import ArchiveError
from ..model import record_id
from ..urls import identity_url
from .filters import has_words

# Another process (a second ingest, a reader) may hold the write lock for one batch;
# wait this long for it rather than failing at once. A 200-record batch commits in well
# under a second here.
BUSY_TIMEOUT_MS = 30_000


class Connection(Protocol):
    """What the archive's modules use of a connection, on either store."""

    dialect: str

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...

    def close(self) -> None: ...


class SqliteConnection(sqlite3.Connection):
    dialect = "sqlite"


# What a connection of either store may raise for a database-level failure.
def database_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [sqlite3.DatabaseError]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    return tuple(errors)


def is_server(target: object) -> bool:
    """Whether ``target`` names a PostgreSQL database (a ``postgresql://`` URL)."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def describe(target: str | Path) -> str:
    """``target`` as messages name it (a URL without its password)."""
    if is_server(target):
        from .postgres import describe as masked

        return masked(str(target))
    return str(target)


def open_archive(target: str | Path, *, readonly: bool = False, pooled: bool = False) -> Any:
    """A connection to the archive at ``target``: a SQLite path, or a PostgreSQL URL
    (``pooled``: a reader from this process's pool, for the web app)."""
    if is_server(target):
        from . import postgres

        return postgres.connect(str(target), readonly=readonly, pooled=pooled)
    return connect(target, readonly=readonly)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# The writer's page cache, in KiB (negative: SQLite's unit for a size in KiB). Each new
# article inserts ~360 keys into the big index B-trees (copy bands and fingerprints, story
# postings, document frequencies) at random places; with SQLite's default 2 MB most of those
# pages are read again from the OS for every article. bench.incremental at 100k articles,
# copies + stories per new article, median of runs: 2 MB 14.1-17.2 ms, 64 MB 10.4-11.5,
# 128 and 256 MB 8.4-12.5 (no better than 64 within the noise). A ceiling, not an allocation.
WRITER_CACHE_KB = -65536


def migrations() -> list[tuple[str, str]]:
    """``(name, sql)`` of every migration shipped with the package, in order."""
    folder = resources.files("newsdesk.archive")
    found = [(p.name[: -len(".sql")], p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql")]
    return sorted(found)


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating unless ``readonly``) and migrate the archive at ``path``.

    The connection is in autocommit mode; callers open transactions explicitly.
    """
    path = Path(path)
    if readonly and not path.exists():
        raise ArchiveError(f"{path}: no such archive (run `newsdesk ingest` first)")
    try:
        if readonly:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                   factory=SqliteConnection)
        else:
            conn = sqlite3.connect(path, isolation_level=None, factory=SqliteConnection)
        conn.row_factory = sqlite3.Row
        conn.create_function("has_words", 2, has_words, deterministic=True)
        conn.create_function("nd_record_id", 3, _record_id, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            # WAL: readers never block the writer, and a killed writer loses at most the
            # uncommitted batch. NORMAL sync is crash-safe in WAL mode (only power loss can
            # drop the last commits, never corrupt).
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA cache_size = {WRITER_CACHE_KB}")
            migrate(conn)
        else:
            _check_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{path}: cannot open archive ({exc})") from None
    return conn


def _record_id(canonical_url: str | None, url: str | None, text_hash: str) -> str:
    """SQL function ``nd_record_id(canonical_url, url, text_hash)``: a record's id (migration 004)."""
    return record_id(identity_url(canonical_url, url), text_hash)


def applied(conn: sqlite3.Connection) -> list[str]:
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY name")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; return the names applied now."""
    done = set(applied(conn))
    ran = []
    for name, sql in migrations():
        if name in done:
            continue
        try:
            # executescript runs the script as given; the BEGIN/COMMIT make it one
            # transaction with its bookkeeping row.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nINSERT INTO migrations (name, applied_at) VALUES ('{name}', '{now()}');\nCOMMIT;"
            )
        except sqlite3.DatabaseError:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # Two processes opening a new archive at once: the other one migrated first.
            if name in applied(conn):
                continue
            raise
        ran.append(name)
    return ran


def pending(path: str | Path) -> list[str]:
    """The migrations the archive at ``path`` lacks, read without changing it; none when it
    is missing or not an archive (opening it then fails with the reason)."""
    if is_server(path):
        from . import postgres

        return postgres.pending(str(path))
    path = Path(path)
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return []
    try:
        done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    except sqlite3.DatabaseError:
        return []
    finally:
        conn.close()
    return [name for name, _ in migrations() if name not in done]


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    have = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "migrations" not in have:
        raise ArchiveError(f"{path}: not a newsdesk archive")
    done = {row[0] for row in conn.execute("SELECT name FROM migrations")}
    missing = [name for name, _ in migrations() if name not in done]
    if missing:
        raise ArchiveError(f"{path}: archive needs migration {missing[0]}; open it once read-write (e.g. `newsdesk ingest`)")
