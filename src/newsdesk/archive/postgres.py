"""The PostgreSQL store: a connection that speaks the archive's SQL, and its migrations.

The archive's modules write one SQL, SQLite's flavour of the standard, with ``?``
parameters. ``PgConnection`` runs it on PostgreSQL through psycopg 3, rewriting the few
spellings that differ (``translate``); what differs in meaning — full-text search, JSON
fields, lists of values — is chosen per store in ``dialect``. Rows read like
``sqlite3.Row``: by position and by column name.

Writers take turns: a write transaction (``BEGIN IMMEDIATE``, as on SQLite) first takes a
transaction-level advisory lock, so two ``ingest`` or ``fetch`` processes never interleave
their read-then-write steps (identity lookups, copy groups, story assignment) and never
deadlock on the summary rows both update; readers are never blocked. Migrations run under
a session-level advisory lock, so two processes opening a new database at the same moment
apply each migration once.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
import psycopg.sql
from psycopg import pq
from psycopg.adapt import Loader

from ..errors import ArchiveError

SCHEMES = ("postgresql://", "postgres://")
# Advisory lock keys (any two 64-bit numbers no other application on the database uses):
# one for migrations, one for the single writer.
MIGRATE_LOCK = 0x6E64_6D69_6772_0001
WRITE_LOCK = 0x6E64_7772_6974_0001
# A pooled reader connection (the web app): at most this many per process.
POOL_MAX = 8
# Seconds a statement may wait for a lock (another writer's batch) before failing with the
# reason (a writer waiting its turn for the write lock waits without a limit).
LOCK_TIMEOUT_S = 30


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


# -- SQL ------------------------------------------------------------------------------------

_HINT = re.compile(r"(?<=[\s(])\+(?=[a-z_{])")  # SQLite's `+column`: "not through an index"
_DESC = re.compile(r"\bDESC\b")


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """The archive's SQLite-flavoured SQL as PostgreSQL runs it: ``?`` parameters become
    ``%s`` (a literal ``%`` is doubled), ``INSERT OR IGNORE`` becomes ``ON CONFLICT DO
    NOTHING``, unary ``+`` index hints go, an empty ``IN ()`` list matches nothing, and ``DESC`` sorts NULLs last as SQLite does
    (the schema's indexes keep NULLs first, so a backward scan still serves the order)."""
    parts = sql.replace("%", "%%").split("'")
    for i in range(0, len(parts), 2):  # outside string literals
        part = parts[i].replace("?", "%s")
        part = _HINT.sub("", part).replace("IN ()", "IN (NULL)")  # SQLite's empty list
        parts[i] = _DESC.sub("DESC NULLS LAST", part)
    out = "'".join(parts)
    stripped = out.lstrip()
    if stripped.startswith("INSERT OR IGNORE INTO"):
        out = "INSERT INTO" + stripped[len("INSERT OR IGNORE INTO"):].rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return out


class _Row(tuple):
    """A row by position or by column name, as ``sqlite3.Row``."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}
    _names: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[_Row]:
    return type("Row", (_Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}, "_names": names})


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    if desc is None:
        return tuple
    cls = _row_class(tuple(c.name for c in desc))
    return lambda values: cls(values)


class _NumericLoader(Loader):
    """``numeric`` as int when whole, else float: ``sum()`` of integers is numeric in
    PostgreSQL, an int in SQLite, and the archive's callers expect the int."""

    def load(self, data: Any) -> Any:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
            return float(text)
        return int(text)


class PgConnection:
    """A psycopg connection in autocommit mode that runs the archive's SQL (see module doc)."""

    dialect = "postgres"

    def __init__(self, raw: psycopg.Connection[Any], url: str, *, release: Any = None) -> None:
        self.raw = raw
        self.url = url
        self._release = release

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> psycopg.Cursor[Any]:
        head = sql.strip()
        if head == "BEGIN IMMEDIATE":
            cur = self.raw.execute("BEGIN")
            # A writer waits its turn however long the queue is (four writers of 200-record
            # batches waited past the 30 s lock timeout); with one lock there is no deadlock.
            self.raw.execute("SET LOCAL lock_timeout = 0")
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            self.raw.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'")
            return cur
        return self.raw.execute(translate(sql), params or None)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> psycopg.Cursor[Any]:
        cur = self.raw.cursor()
        rows = list(seq)
        if rows:
            cur.executemany(translate(sql), rows)
        return cur

    def copy_rows(self, table: str, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Insert ``rows`` into ``table`` with COPY (several times faster than INSERTs; the
        table's triggers fire as for inserts). The number of rows."""
        columns = ", ".join(f'"{n}"' for n in names)
        n = 0
        with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n

    def close(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release(self.raw)
        else:
            self.raw.close()


def _configure(raw: psycopg.Connection[Any], *, readonly: bool) -> None:
    raw.row_factory = _row_factory
    raw.adapters.register_loader("numeric", _NumericLoader)
    raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
    # Every archive query is written to be served by an index (tests/web: no whole-table
    # scan in any page's plan). The planner prices a full-text match on a row as cheap, but
    # each one unpacks the row's TOASTed tsvector: at 100k synthetic articles it chose a
    # sequential scan for a word in every article and took 1,865 ms (day counts) and 706 ms
    # (match count) where the GIN index takes 230 and 38 (bench/archive_pg.py, cold cache).
    # A scan stays possible where no index serves; it is priced out, not forbidden.
    raw.execute("SET enable_seqscan = off")
    if readonly:
        raw.execute("SET default_transaction_read_only = on")
        # A page's query is one short index read; parallel workers only add start-up and,
        # on a few cores shared by several readers, contention. Measured at 100k synthetic
        # articles on 2 cores (bench/archive_pg.py, EXPLAIN ANALYZE of the slow pages): the
        # quotes naming the most named person 106-243 ms with workers, 9-17 ms without.
        raw.execute("SET max_parallel_workers_per_gather = 0")


def connect(url: str, *, readonly: bool = False, pooled: bool = False) -> PgConnection:
    """Open the archive database at ``url``, migrating it unless ``readonly`` (which checks
    instead). ``pooled``: a reader borrowed from this process's pool (the web app)."""
    where = describe(url)
    try:
        if pooled and readonly:
            pool = _pool(url)
            raw = pool.getconn()
            conn = PgConnection(raw, url, release=pool.putconn)
        else:
            try:
                raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
            except psycopg.OperationalError as exc:
                # A new archive, as a new SQLite file would be: the database is created
                # when the user may create one.
                if readonly or "does not exist" not in str(exc) or not _create_database(url):
                    raise
                raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
            _configure(raw, readonly=readonly)
            conn = PgConnection(raw, url)
    except psycopg.Error as exc:
        hint = " — create it with `createdb`, or check the URL" if "does not exist" in str(exc) else ""
        raise ArchiveError(f"{where}: cannot open archive ({_reason(exc)}){hint}") from None
    try:
        if readonly:
            check_schema(conn, where)
        else:
            migrate(conn)
    except psycopg.Error as exc:
        conn.close()
        raise ArchiveError(f"{where}: cannot open archive ({_reason(exc)})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _create_database(url: str) -> bool:
    """Create the database ``url`` names, through the server's maintenance database;
    whether it now exists."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name == "postgres":
        return False
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as raw:
            raw.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    except psycopg.errors.DuplicateDatabase:
        return True  # another process created it first
    except psycopg.Error:
        return False
    return True


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


_pools: dict[str, Any] = {}
_pools_lock = threading.Lock()


def _pool(url: str) -> Any:
    from psycopg_pool import ConnectionPool

    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = ConnectionPool(
                url, min_size=1, max_size=POOL_MAX, open=True, timeout=LOCK_TIMEOUT_S,
                kwargs={"autocommit": True, "connect_timeout": 10},
                configure=lambda raw: _configure(raw, readonly=True),
                # A connection handed back inside a transaction (an error mid-page) is reset.
                reset=lambda raw: raw.rollback() if raw.info.transaction_status != pq.TransactionStatus.IDLE else None,
            )
            pool.wait(timeout=LOCK_TIMEOUT_S)
            _pools[url] = pool
        return pool


def close_pools() -> None:
    """Close every reader pool of this process (the web app on shutdown)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


# -- migrations -----------------------------------------------------------------------------


def migrations() -> list[tuple[str, str]]:
    """``(name, sql)`` of every PostgreSQL migration shipped with the package, in order."""
    folder = resources.files("newsdesk.archive").joinpath("postgres")
    found = [(p.name[: -len(".sql")], p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql")]
    return sorted(found)


def _applied(conn: PgConnection) -> set[str]:
    exists = conn.raw.execute("SELECT to_regclass('migrations') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return set()
    return {r[0] for r in conn.raw.execute("SELECT name FROM migrations")}


def migrate(conn: PgConnection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction, under an
    advisory lock: a second process starting at the same moment waits, then finds them
    applied. The names applied now."""
    raw = conn.raw
    raw.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
    try:
        done = _applied(conn)
        ran = []
        for name, sql in migrations():
            if name in done:
                continue
            with raw.transaction():
                raw.execute("CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at text NOT NULL)")
                raw.execute(sql.encode())
                raw.execute("INSERT INTO migrations (name, applied_at) VALUES (%s, %s)",
                            (name, datetime.now(timezone.utc).isoformat(timespec="seconds")))
            ran.append(name)
        return ran
    finally:
        raw.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))


def pending(url: str) -> list[str]:
    """The migrations the database at ``url`` lacks, read without changing it; none when
    it cannot be reached (opening it then fails with the reason)."""
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as raw:
            conn = PgConnection(raw, url)
            done = _applied(conn)
    except psycopg.Error:
        return []
    return [name for name, _ in migrations() if name not in done]


def check_schema(conn: PgConnection, where: str) -> None:
    done = _applied(conn)
    if not done:
        raise ArchiveError(f"{where}: not a newsdesk archive (open it once read-write, e.g. `newsdesk ingest`)")
    missing = [name for name, _ in migrations() if name not in done]
    if missing:
        raise ArchiveError(f"{where}: archive needs migration {missing[0]}; open it once read-write (e.g. `newsdesk ingest`)")


__all__ = ["PgConnection", "connect", "migrate", "migrations", "pending", "translate", "is_url", "describe",
           "close_pools"]
