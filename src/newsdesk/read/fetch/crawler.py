"""Collecting from the web: URLs, feeds and sitemaps fetched politely, each response kept
in a WARC file, each page handed to the pipeline as a record of that file.

``Collector.pages(urls)`` is a reader like the others: it yields ``PageRef`` items (a
page's WARC record, which a worker reads back and extracts) and ``Outcome`` items (a
listing read, a URL refused or failed), in the order the responses arrive. Everything it
decides is kept in the archive's fetch queue (``archive.queue``) and committed with each
response, so a killed run is finished by the next one without fetching anything twice.

The manners (each named in the README with the test that shows it):

- robots.txt first, per host, obeyed for our user agent; Crawl-delay / Request-rate honoured;
- one request at a time per host, spaced by the per-host rate (default 1/s), and a global
  limit on requests in flight;
- connect and read timeouts, a body size limit (16 MB) checked before reading, at most 5
  redirects, each hop checked against robots.txt;
- retries with exponential backoff on timeouts, refused connections, 429 and 5xx, never
  sooner than ``Retry-After`` says;
- conditional GET (ETag, Last-Modified) for feeds and sitemaps;
- URLs canonicalised before they are queued; a page already in the archive is not fetched
  again unless ``refresh``;
- no request but those the user's URLs lead to (their robots.txt, their listings' links,
  their redirects).
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from ... import outcome as oc
from ...errors import InputError
from ...outcome import Outcome, Status
from ...urls import normalise_url
from .. import listings
from ..http import content_type, decode_payload, is_page_type
from ..raw import IDLE, Idle, PageRef
from .client import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_BYTES,
    DEFAULT_READ_TIMEOUT,
    DEFAULT_USER_AGENT,
    Client,
    Response,
)
from .robots import Robots, host_key, robots_url
from .state import FetchQueue, QueueItem
from .warcs import DEFAULT_MAX_BYTES as DEFAULT_WARC_BYTES
from .warcs import WarcWriter

# Skip reasons of the summary line, beside the readers' own.
ROBOTS = "disallowed by robots.txt"
NOT_MODIFIED = "not modified"
ALREADY = "already in the archive"


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """How a collection behaves (the `newsdesk fetch` / `watch` options)."""

    warc_dir: Path
    user_agent: str = DEFAULT_USER_AGENT
    rate: float = 1.0  # requests per second per host; 0: no spacing (still one at a time per host)
    concurrency: int = 8  # requests in flight, all hosts together
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    retries: int = 3  # further tries after the first, for a retryable failure
    backoff: float = 1.0  # seconds before the first retry; doubled each time
    # A retry due later than this is left in the queue for the next run (`watch`, or
    # `fetch` again) instead of keeping this one waiting.
    max_wait: float = 120.0
    max_pages: int | None = None
    refresh: bool = False
    subscribe: bool = False
    warc_max_bytes: int = DEFAULT_WARC_BYTES


@dataclass(slots=True)
class _Host:
    busy: bool = False
    next_at: float = 0.0  # time.monotonic() before which no request may start
    robots: Robots | None = None
    robots_pending: bool = False
    interval: float = 0.0


@dataclass(slots=True)
class _Job:
    url: str
    kind: str  # "page", "listing", "start", "robots"
    attempts: int = 0
    hints: dict[str, Any] = field(default_factory=dict)
    via: str | None = None
    feed: str | None = None


@dataclass(slots=True)
class FetchStats:
    requests: int = 0
    responses: int = 0
    bytes: int = 0
    listings: int = 0
    not_modified: int = 0
    found: int = 0  # page URLs newly queued from listings
    deferred: int = 0  # left pending for a later run (a retry due too late)
    subscribed: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"fetched {self.responses} of {self.requests} requests ({self.bytes / 1e6:.1f} MB)",
                 f"listings {self.listings} ({self.not_modified} not modified)", f"new pages found {self.found}"]
        if self.deferred:
            parts.append(f"left for a later run {self.deferred}")
        if self.subscribed:
            parts.append(f"subscribed {len(self.subscribed)}")
        return ", ".join(parts)


def retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _in_thread(fn: Callable[..., Response], *args: Any, **kwargs: Any) -> Future[Response]:
    """``fn`` in a daemon thread of its own (at most ``concurrency`` at a time): unlike a
    thread pool's workers, an interrupted run does not wait for a stalled request."""
    future: Future[Response] = Future()

    def work() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the loop, which re-raises it there
            future.set_exception(exc)

    threading.Thread(target=work, name="newsdesk-fetch", daemon=True).start()
    return future


def is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


class Collector:
    """One collection run over an archive (see the module docstring)."""

    def __init__(self, queue: FetchQueue, options: FetchOptions, *,
                 url_filter: Callable[[str | None], str | None] | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self.queue = queue
        self.options = options
        self.url_filter = url_filter
        self.warn = warn or (lambda line: None)
        self.stats = FetchStats()
        self.hosts: dict[str, _Host] = {}
        self.hops: dict[str, int] = {}
        self.pages_started = 0
        self.capped = False  # a page waited because --max-pages was reached
        self.handed: set[str] = set()  # locators given to the pipeline, this run
        self.client = Client(user_agent=options.user_agent, connect_timeout=options.connect_timeout,
                             read_timeout=options.read_timeout, max_bytes=options.max_bytes,
                             connections=options.concurrency)
        self.warcs = WarcWriter(options.warc_dir, max_bytes=options.warc_max_bytes)
        self.inflight: dict[Future[Response], tuple[_Job, _Host]] = {}
        self.running: set[str] = set()  # URLs in flight
        self._cache: list[QueueItem] = []
        self._stale = True
        self._fresh_until = 0.0

    # -- what a run is given -----------------------------------------------------------

    def add(self, urls: Iterable[str], *, kind: str = "start", again: bool = False, feed_self: bool = False) -> list[Outcome]:
        """Queue the user's URLs (canonicalised); an unusable one is a failure outcome."""
        told = []
        subscribed = set(self.queue.subscribed())
        for raw in urls:
            url = normalise_url(raw)
            if url is None:
                told.append(Outcome.failed(raw, f"{raw}: not an http(s) URL", "usage"))
                continue
            known = self.queue.kind(url)
            if not self.options.refresh and (known == "page" or (known is None and self.queue.in_archive(url))):
                # A page fetched (or ingested) before: not again unless asked.
                state = self.queue.state(url)
                if state is None or state[0] != "failed":
                    told.append(Outcome(url, Status.UNCHANGED))
                    continue
            self.queue.add(url, known or kind, again=True, feed=url if feed_self or url in subscribed else None)
        self.queue.commit()
        self._stale = True
        return told

    # -- the loop ----------------------------------------------------------------------

    def pages(self) -> Iterator[PageRef | Outcome | Idle]:
        try:
            yield from self._recover()
            while True:
                self.capped = False
                yield from self._launch()
                if not self.inflight:
                    nxt = self.queue.next_try()
                    if nxt is None:
                        break
                    if self.capped:  # --max-pages reached: the rest waits for another run
                        self.stats.deferred = self.queue.pending()
                        break
                    delay = nxt - time.time()
                    if delay > self.options.max_wait:
                        self.stats.deferred = self.queue.pending()
                        break
                    yield IDLE
                    # Due URLs whose hosts are still spacing their requests (delay <= 0), or
                    # a retry coming due: sleep until the first of them, never spin.
                    time.sleep(self._until_free() if delay <= 0 else min(delay, self._until_free()))
                    continue
                if not any(f.done() for f in self.inflight):
                    yield IDLE  # about to wait on the network: let the pipeline have what it holds
                done, _ = wait(list(self.inflight), timeout=self._until_free(), return_when=FIRST_COMPLETED)
                for future in done:
                    job, host = self.inflight.pop(future)
                    yield from self._handle(job, host, future.result())
                    self.queue.commit()
        finally:
            self.close()

    def finished(self, outcome: Outcome) -> None:
        """The pipeline's writer handled a page we handed it: the queue says so."""
        if outcome.locator in self.handed:
            reason = outcome.reason if outcome.status in (Status.SKIPPED, Status.FAILED) else outcome.status.value
            self.queue.done_at(outcome.locator, reason or outcome.status.value)

    def close(self) -> None:
        # Interrupted with requests in flight: they run in daemon threads, so the process
        # does not wait for them (up to the read timeout) on its way out.
        self.client.close()
        self.warcs.close()
        self.queue.commit()

    def _recover(self) -> Iterator[PageRef | Outcome]:
        """Responses a killed run wrote but did not store: read back from their WARC records."""
        from ..raw import parse_locator

        for item in self.queue.fetched():
            if not item.locator:
                continue
            path, offset, _ = parse_locator(item.locator)
            if offset is None or not Path(path).is_file():
                self.queue.add(item.url, item.kind, again=True)
                continue
            self.handed.add(item.locator)
            yield PageRef("warc", path, offset, url=item.url)

    def _until_free(self) -> float:
        """Seconds until a host may take its next request (bounded, so the loop wakes)."""
        now = time.monotonic()
        waits = [h.next_at - now for h in self.hosts.values() if not h.busy and h.next_at > now]
        return max(0.01, min([*waits, 1.0]))

    def _host(self, url: str) -> _Host:
        key = host_key(url)
        host = self.hosts.get(key)
        if host is None:
            host = self.hosts[key] = _Host(interval=1.0 / self.options.rate if self.options.rate > 0 else 0.0)
        return host

    def _due(self) -> list[QueueItem]:
        """The queue's due items, read again only when something was queued or a retry
        came due: every response would otherwise re-read the whole queue."""
        if self._stale or time.time() >= self._fresh_until:
            self._cache = self.queue.due(time.time())
            self._stale = False
            nxt = self.queue.next_try()
            self._fresh_until = nxt if nxt is not None and nxt > time.time() else time.time() + 1.0
        return self._cache

    def _launch(self) -> Iterator[Outcome]:
        if len(self.inflight) >= self.options.concurrency:
            return
        now = time.monotonic()
        due = self._due()
        started: set[str] = set()
        for item in due:
            if len(self.inflight) >= self.options.concurrency:
                break
            if item.url in self.running:
                continue
            host = self._host(item.url)
            if host.busy or host.next_at > now:
                continue
            if host.robots is None:
                if not host.robots_pending:
                    host.robots_pending = True
                    self._start(_Job(robots_url(item.url), "robots"), host)
                continue
            started.add(item.url)  # decided now, one way or another (unless it waits for --max-pages)
            if not host.robots.allowed(item.url):
                why = host.robots.deny_reason or ROBOTS
                self.queue.mark_failed(item.url, why)
                yield Outcome.skipped(item.url, ROBOTS) if not host.robots.deny_reason else \
                    Outcome.failed(item.url, f"{item.url}: {why}", "robots")
                continue
            if item.kind == "page":
                if self.url_filter is not None and (unwanted := self.url_filter(item.url)):
                    self.queue.mark_done(item.url, unwanted)
                    yield Outcome.skipped(item.url, unwanted)
                    continue
                if not self.options.refresh and self.queue.in_archive(item.url):
                    self.queue.mark_done(item.url, ALREADY)
                    yield Outcome(item.url, Status.UNCHANGED)
                    continue
                if self.options.max_pages is not None and self.pages_started >= self.options.max_pages:
                    self.capped = True
                    started.discard(item.url)
                    continue
                self.pages_started += 1
            self._start(_Job(item.url, item.kind, item.attempts, item.hints, item.via, item.feed), host)
        if started:
            self._cache = [i for i in due if i.url not in started]

    def _start(self, job: _Job, host: _Host) -> None:
        headers: dict[str, str] = {}
        if job.kind in ("listing", "start"):
            etag, modified = self.queue.validators(job.url)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        host.busy = True
        host.next_at = time.monotonic() + host.interval
        self.stats.requests += 1
        self.running.add(job.url)
        self.inflight[_in_thread(self.client.get, job.url, headers=headers)] = (job, host)

    # -- one response ------------------------------------------------------------------

    def _handle(self, job: _Job, host: _Host, resp: Response) -> Iterator[PageRef | Outcome]:
        host.busy = False
        self.running.discard(job.url)
        # Spaced from the end of the previous response, not its start: the host then never
        # sees two requests closer than the interval, however long the first one took.
        host.next_at = max(host.next_at, time.monotonic() + host.interval)
        if resp.status:
            self.stats.responses += 1
            self.stats.bytes += len(resp.body)
        if job.kind == "robots":
            self._robots(job, host, resp)
            return
        if resp.error_kind == "too-large" or (resp.error and not resp.retryable):
            yield self._fail(job, resp.error or "failed", resp.error_kind or "http")
            return
        if resp.retryable:
            yield from self._retry(job, host, resp)
            return
        status = resp.status
        if 300 <= status < 400 and status != 304:
            yield from self._redirect(job, resp)
            return
        if status == 304:
            self._write(resp, role="listing")
            self.stats.not_modified += 1
            self.queue.listing_seen(job.url, status="not modified", keep_validators=True)
            self.queue.mark_done(job.url, NOT_MODIFIED)
            self._polled(job, "not modified")
            yield Outcome.skipped(job.url, NOT_MODIFIED)
            return
        if status != 200:
            self._write(resp)
            yield self._fail(job, f"HTTP {status} {resp.reason}".strip(), "http")
            return
        yield from self._ok(job, resp)

    def _robots(self, job: _Job, host: _Host, resp: Response) -> None:
        agent = self.options.user_agent
        host.robots_pending = False
        if resp.status and 300 <= resp.status < 400 and (target := resp.header("location")):
            # RFC 9309: follow robots.txt redirects (at most five) — through the same loop.
            self._write(resp, role="robots")
            hops = self.hops.get(job.url, 0) + 1
            nxt = normalise_url(urljoin(job.url, target))
            if nxt and hops <= self.options.max_redirects:
                self.hops[nxt] = hops
                host.robots_pending = True
                self._start(_Job(nxt, "robots"), self._host(nxt) if host_key(nxt) != host_key(job.url) else host)
                return
            host.robots = Robots.unavailable(agent)
            return
        if resp.status == 200:
            self._write(resp, role="robots")
            body, _ = self._decoded(resp)
            host.robots = Robots.parse(agent, body.decode("utf-8", "replace"))
        elif 400 <= resp.status < 500:
            self._write(resp, role="robots")
            host.robots = Robots.unavailable(agent)
        else:
            if resp.error is None:
                self._write(resp, role="robots")
            host.robots = Robots.unreachable(agent, resp.error or f"HTTP {resp.status}")
            self.warn(f"{job.url}: {host.robots.deny_reason}")
        if (delay := host.robots.crawl_delay()) is not None:
            host.interval = max(host.interval, delay)
            host.next_at = max(host.next_at, time.monotonic() + host.interval)

    def _retry(self, job: _Job, host: _Host, resp: Response) -> Iterator[Outcome]:
        self._stale = True  # it queues URLs (or a retry)
        if resp.error is None:  # a whole 429/5xx response; a cut-off one is not a record
            self._write(resp)
        why = resp.error or f"HTTP {resp.status} {resp.reason}".strip()
        asked = retry_after(resp.header("retry-after"))
        if asked is not None:
            host.next_at = max(host.next_at, time.monotonic() + asked)
        if job.attempts >= self.options.retries:
            yield self._fail(job, f"{why} (gave up after {job.attempts + 1} tries)", resp.error_kind or "http")
            return
        delay = max(asked or 0.0, self.options.backoff * (2 ** job.attempts))
        self.queue.retry(job.url, delay=delay, reason=why)

    def _redirect(self, job: _Job, resp: Response) -> Iterator[Outcome]:
        self._stale = True  # it queues URLs (or a retry)
        self._write(resp)
        target = resp.header("location")
        nxt = normalise_url(urljoin(job.url, target)) if target else None
        if nxt is None:
            yield self._fail(job, f"HTTP {resp.status} without a usable Location", "http")
            return
        hops = self.hops.get(job.url, 0) + 1
        if hops > self.options.max_redirects:
            yield self._fail(job, f"more than {self.options.max_redirects} redirects (last to {nxt})", "redirects")
            return
        known = self.queue.state(nxt)
        if known is not None and known[0] == "done" and (known[1] or "").startswith("redirected"):
            yield self._fail(job, f"redirect loop (to {nxt}, which redirects again)", "redirects")
            return
        self.hops[nxt] = hops
        self.queue.add(nxt, job.kind, via=job.url, feed=job.feed, hints=job.hints)
        self.queue.mark_done(job.url, f"redirected to {nxt}")
        yield Outcome.skipped(job.url, oc.REDIRECT)

    def _ok(self, job: _Job, resp: Response) -> Iterator[PageRef | Outcome]:
        try:
            body, media = self._decoded(resp)
            listing = listings.parse_listing(body, url=job.url, content_type=resp.header("content-type")) \
                if job.kind in ("listing", "start") or media in _LISTING_TYPES else None
        except InputError as exc:
            self._write(resp, role="listing")
            yield self._fail(job, exc.reason, exc.code)
            return
        if listing is not None:
            yield self._listing(job, resp, listing)
            return
        if job.kind == "listing":
            self._write(resp, role="listing")
            yield self._fail(job, f"not a feed or sitemap ({media or 'no Content-Type'})", "not-listing")
            return
        if job.kind == "start" and is_root(job.url) and media in ("text/html", "application/xhtml+xml", None):
            found = self._discover(job, body)
            if found:
                self._write(resp, role="discovery")
                self.queue.mark_done(job.url, f"site root: {found} feeds and sitemaps")
                yield Outcome.skipped(job.url, oc.LISTING)
                return
            self.warn(f"{job.url}: no feeds or sitemaps found (robots.txt Sitemap lines, feed links); read as a page")
        if not is_page_type(media):
            self._write(resp)
            self.queue.mark_done(job.url, oc.NOT_HTML)
            yield Outcome.skipped(job.url, oc.NOT_HTML)
            return
        if job.kind == "start" and self.options.subscribe:
            self.warn(f"{job.url}: a page, not a feed or sitemap: not subscribed")
        locator = self._write(resp, hints=job.hints)
        if job.kind == "start":
            self.queue.set_kind(job.url, "page")
        self.queue.mark_fetched(job.url, locator)
        self.handed.add(locator)
        path, _, offset = locator.rpartition("@")
        yield PageRef("warc", path, int(offset), url=job.url)

    def _listing(self, job: _Job, resp: Response, listing: listings.Listing) -> Outcome:
        self._stale = True  # it queues URLs (or a retry)
        feed = job.feed
        if job.kind == "start" and self.options.subscribe:
            feed = job.url
            if self.queue.subscribe(job.url):
                self.stats.subscribed.append(job.url)
        new = 0
        for entry in listing.entries:
            url = normalise_url(entry.url)
            if url is None:
                continue
            if entry.kind == "listing":
                new += self.queue.add(url, "listing", via=job.url, feed=feed, again=True)
                continue
            hints = {k: v for k, v in (("title", entry.title), ("published", entry.published),
                                       ("authors", list(entry.authors)), ("language", entry.language)) if v}
            if self.queue.add(url, "page", via=job.url, feed=feed, hints=hints, again=self.options.refresh):
                new += 1
                self.stats.found += 1
        self.stats.listings += 1
        self._write(resp, role="listing")
        self.queue.listing_seen(job.url, status="ok", etag=resp.header("etag"), last_modified=resp.header("last-modified"),
                                kind=listing.kind, title=listing.title)
        self.queue.mark_done(job.url, f"{listing.kind}: {len(listing.entries)} links, {new} new")
        if feed == job.url:
            self.queue.polled(job.url, f"ok: {len(listing.entries)} links, {new} new")
        return Outcome.skipped(job.url, oc.LISTING)

    def _discover(self, job: _Job, body: bytes) -> int:
        """A site root: the sitemaps its robots.txt names and the feeds its home page links."""
        self._stale = True  # it queues URLs
        host = self._host(job.url)
        found = [*(host.robots.sitemaps if host.robots else []), *listings.feed_links(body, base_url=job.url)]
        n = 0
        for raw in found:
            url = normalise_url(raw)
            if url is None:
                continue
            n += 1
            self.queue.add(url, "listing", via=job.url, feed=url, again=True)
            if self.options.subscribe and self.queue.subscribe(url):
                self.stats.subscribed.append(url)
        return n

    def _polled(self, job: _Job, status: str) -> None:
        if job.feed == job.url:
            self.queue.polled(job.url, status)

    def _fail(self, job: _Job, why: str, code: str) -> Outcome:
        self.queue.mark_failed(job.url, why)
        if job.kind == "listing":
            self.queue.listing_seen(job.url, status=f"failed: {why}", keep_validators=True)
            self._polled(job, f"failed: {why}")
        return Outcome.failed(job.url, f"{job.url}: {why}", code)

    def _decoded(self, resp: Response) -> tuple[bytes, str | None]:
        media, _ = content_type(resp.header("content-type"))
        body, _ = decode_payload(resp.body, transfer_encoding=None, content_encoding=resp.header("content-encoding"),
                                 source=resp.url)
        return body, media

    def _write(self, resp: Response, *, role: str | None = None, hints: dict[str, Any] | None = None) -> str:
        return self.warcs.write(resp.url, status=resp.status, reason=resp.reason, http_version=resp.http_version,
                                headers=resp.headers, body=resp.body, request_line=resp.request_line,
                                request_headers=resp.request_headers, ip=resp.ip, role=role, hints=hints)


# Media types that announce a listing even for a URL found as a page (a feed linked from a sitemap).
_LISTING_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml"})

__all__ = ["Collector", "FetchOptions", "FetchStats", "retry_after", "ROBOTS", "NOT_MODIFIED", "ALREADY"]
