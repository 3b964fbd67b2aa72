"""The fetch queue, listing validators and subscriptions, kept in the archive (007_fetch).

The queue is the collection's memory: each canonical URL once, with its state. Being in
the archive, it is committed with the records it leads to, so a run killed at any point
is finished by the next one: pending URLs are fetched, fetched-but-not-stored responses
are read back from their WARC records, nothing is fetched twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..read.fetch.state import QueueItem
from .db import Connection, now

PENDING, FETCHED, DONE, FAILED = "pending", "fetched", "done", "failed"


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscribed feed or sitemap, as `newsdesk feeds` lists it."""

    url: str
    kind: str | None
    title: str | None
    added: str
    last_poll: str | None
    status: str | None
    pages: int  # pages it led to, ever
    stored: int  # of those, stored as records
    pending: int
    failed: int

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "kind": self.kind, "title": self.title, "added": self.added, "last_poll": self.last_poll,
                "status": self.status, "pages": self.pages, "articles": self.stored, "pending": self.pending,
                "failed": self.failed}


def _item(row: Any) -> QueueItem:
    return QueueItem(row["url"], row["kind"], row["attempts"], json.loads(row["hints"] or "{}"), row["via"], row["feed"],
                     row["locator"])


class Queue:
    """The archive's side of ``read.fetch.state.FetchQueue``. ``commit``: the archive's
    commit, so queue changes and the records they lead to are committed together."""

    def __init__(self, conn: Connection, *, commit: Callable[[], None] | None = None) -> None:
        self.conn = conn
        self._commit = commit

    def commit(self) -> None:
        if self._commit is not None:
            self._commit()
        elif self.conn.in_transaction:
            self.conn.execute("COMMIT")

    # -- the queue ---------------------------------------------------------------------

    def add(self, url: str, kind: str, *, via: str | None = None, feed: str | None = None,
            hints: Mapping[str, Any] | None = None, again: bool = False) -> bool:
        """Queue ``url`` unless it is known; ``again``: queue a known one once more (a
        listing polled again, a page asked for with --refresh). Whether it was queued."""
        stamp = now()
        blob = json.dumps(dict(hints), ensure_ascii=False) if hints else None
        cur = self.conn.execute(
            "INSERT OR IGNORE INTO fetch_queue (url, kind, state, hints, via, feed, added, updated) "
            "VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)", (url, kind, blob, via, feed, stamp, stamp))
        if cur.rowcount:
            return True
        if again:
            cur = self.conn.execute(
                "UPDATE fetch_queue SET state = 'pending', attempts = 0, next_try = 0, reason = NULL, locator = NULL, "
                "hints = coalesce(?, hints), feed = coalesce(feed, ?), updated = ? "
                "WHERE url = ? AND state IN ('done', 'failed')", (blob, feed, stamp, url))
            return bool(cur.rowcount)
        return False

    def kind(self, url: str) -> str | None:
        row = self.conn.execute("SELECT kind FROM fetch_queue WHERE url = ?", (url,)).fetchone()
        return None if row is None else str(row[0])

    def set_kind(self, url: str, kind: str) -> None:
        self.conn.execute("UPDATE fetch_queue SET kind = ? WHERE url = ?", (kind, url))

    def state(self, url: str) -> tuple[str, str | None] | None:
        row = self.conn.execute("SELECT state, reason FROM fetch_queue WHERE url = ?", (url,)).fetchone()
        return None if row is None else (row[0], row[1])

    def due(self, at: float, limit: int = 1000) -> list[QueueItem]:
        rows = self.conn.execute(
            "SELECT * FROM fetch_queue WHERE state = 'pending' AND next_try <= ? ORDER BY next_try, added, rowid LIMIT ?",
            (at, limit))
        return [_item(r) for r in rows]

    def next_try(self) -> float | None:
        row = self.conn.execute("SELECT min(next_try) FROM fetch_queue WHERE state = 'pending'").fetchone()
        return None if row[0] is None else float(row[0])

    def pending(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM fetch_queue WHERE state = 'pending'").fetchone()[0])

    def fetched(self) -> Iterator[QueueItem]:
        """Responses in WARC files whose records are not stored yet (a killed run's)."""
        for row in self.conn.execute("SELECT * FROM fetch_queue WHERE state = 'fetched' ORDER BY updated, rowid").fetchall():
            yield _item(row)

    def mark_fetched(self, url: str, locator: str) -> None:
        self._set(url, FETCHED, locator=locator)

    def mark_done(self, url: str, reason: str | None = None, *, locator: str | None = None) -> None:
        self._set(url, DONE, reason=reason, locator=locator)

    def mark_failed(self, url: str, reason: str) -> None:
        self._set(url, FAILED, reason=reason)

    def done_at(self, locator: str, reason: str) -> None:
        """The record read from ``locator`` was handled (stored, unchanged, skipped)."""
        self.conn.execute("UPDATE fetch_queue SET state = 'done', reason = ?, updated = ? WHERE locator = ? AND state = 'fetched'",
                          (reason, now(), locator))

    def retry(self, url: str, *, delay: float, reason: str) -> None:
        self.conn.execute("UPDATE fetch_queue SET attempts = attempts + 1, next_try = ?, reason = ?, updated = ? WHERE url = ?",
                          (time.time() + delay, reason, now(), url))

    def _set(self, url: str, state: str, *, reason: str | None = None, locator: str | None = None) -> None:
        self.conn.execute(
            "UPDATE fetch_queue SET state = ?, reason = ?, locator = coalesce(?, locator), "
            "updated = ? WHERE url = ?", (state, reason, locator, now(), url))

    def in_archive(self, url: str) -> bool:
        """Whether a record fetched from (or declaring) ``url`` is stored already."""
        return self.conn.execute("SELECT 1 FROM articles WHERE url = ? OR canonical_url = ? LIMIT 1", (url, url)).fetchone() is not None

    def counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT state, count(*) FROM fetch_queue GROUP BY state")}

    # -- listings ----------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT etag, last_modified FROM listing_state WHERE url = ?", (url,)).fetchone()
        return (None, None) if row is None else (row[0], row[1])

    def listing_seen(self, url: str, *, status: str, etag: str | None = None, last_modified: str | None = None,
                     kind: str | None = None, title: str | None = None, keep_validators: bool = False) -> None:
        if keep_validators:
            old = self.validators(url)
            etag, last_modified = etag or old[0], last_modified or old[1]
        self.conn.execute(
            "INSERT INTO listing_state (url, etag, last_modified, kind, title, checked, status) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "kind = coalesce(excluded.kind, listing_state.kind), title = coalesce(excluded.title, listing_state.title), "
            "checked = excluded.checked, "
            "status = excluded.status", (url, etag, last_modified, kind, title, now(), status))

    # -- subscriptions -----------------------------------------------------------------

    def subscribe(self, url: str) -> bool:
        cur = self.conn.execute("INSERT OR IGNORE INTO subscriptions (url, added) VALUES (?, ?)", (url, now()))
        return bool(cur.rowcount)

    def unsubscribe(self, url: str) -> bool:
        return bool(self.conn.execute("DELETE FROM subscriptions WHERE url = ?", (url,)).rowcount)

    def subscribed(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT url FROM subscriptions ORDER BY added, url")]

    def polled(self, url: str, status: str) -> None:
        self.conn.execute("UPDATE subscriptions SET last_poll = ?, status = ? WHERE url = ?", (now(), status, url))

    def subscriptions(self) -> list[Subscription]:
        # One pass over each feed's pages (the fetch_queue_feed index), counted four ways.
        rows = self.conn.execute(
            "SELECT s.url, s.added, s.last_poll, s.status, l.kind, l.title, count(q.url) AS pages, "
            "count(q.url) FILTER (WHERE q.state = 'done' AND q.reason IN ('stored', 'updated', 'unchanged')) AS stored, "
            "count(q.url) FILTER (WHERE q.state IN ('pending', 'fetched')) AS pending, "
            "count(q.url) FILTER (WHERE q.state = 'failed') AS failed "
            "FROM subscriptions s LEFT JOIN listing_state l ON l.url = s.url "
            "LEFT JOIN fetch_queue q ON q.feed = s.url AND q.kind = 'page' "
            "GROUP BY s.url, s.added, s.last_poll, s.status, l.kind, l.title ORDER BY s.added, s.url")
        return [Subscription(r["url"], r["kind"], r["title"], r["added"], r["last_poll"], r["status"], r["pages"], r["stored"],
                             r["pending"], r["failed"]) for r in rows]


__all__ = ["Queue", "QueueItem", "Subscription", "PENDING", "FETCHED", "DONE", "FAILED"]
