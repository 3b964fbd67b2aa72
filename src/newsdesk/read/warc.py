"""WARC and WET files (``.warc``, ``.warc.gz``, ``.warc.wet.gz``), read with FastWARC.

FastWARC (Rust) reads a CC-NEWS file several times faster than warcio, which matters when
the parent walks every record of a crawl to find its pages. Gzip per record (the standard
layout) and a file gzipped as one stream are both read; in the second case a record
cannot be reopened at an offset, so the parent reads those pages' bytes itself.
WET conversion records are text dumps: they go to the text-dump extractor.
"""

from __future__ import annotations

import io
import json
import os
from typing import Any

from .. import outcome as oc
from ..errors import NotACrawlFile, TooLarge, TruncatedRecord
from ..outcome import Outcome
from . import crawl, members
from .decode import MAX_INPUT_BYTES
from .http import content_type, is_page_type
from .raw import PageRef, RawPage

# Record types that are never pages, by the name the summary counts them under.
_NOT_PAGES = {"warcinfo": "warcinfo", "request": "request", "metadata": "metadata", "revisit": oc.REVISIT}

# WARC extension fields `newsdesk fetch` writes on its response records (read.fetch.warcs):
# the role of a response that is not a page (so re-reading the collection skips it), and
# the feed or sitemap metadata of a page (so re-reading it gives the same record).
ROLE_HEADER = "Newsdesk-Role"
HINTS_HEADER = "Newsdesk-Hints"
NOT_PAGE_ROLES = frozenset({"robots", "listing", "discovery"})


def _iterator(fh: Any) -> Any:
    from fastwarc import ArchiveIterator  # imported when a WARC is read, not at package import

    # WARC framing is read strictly (its quirks mode silently skips a damaged record, which
    # must be reported); HTTP heads are parsed leniently, per response (see _http).
    return ArchiveIterator(fh, parse_http=False)


def _count(data: bytes) -> int:
    """Records in ``data`` (an inflated gzip member), up to two."""
    n = 0
    try:
        for _ in _iterator(io.BytesIO(data)):
            n += 1
            if n > 1:
                break
    except (OSError, ValueError):
        pass
    return n


def _http(rec: Any) -> bool:
    """Parse a response's HTTP head; whether it has one. Lenient: some crawlers write
    LF-only heads, which a strict parse reads as no headers at all. Payload codings are
    undone by read.http (FastWARC's decoder gives up on raw deflate)."""
    if not rec.is_http:
        return False
    if not rec.is_http_parsed:
        rec.parse_http(auto_decode="none", quirks_mode=True)
    return True


def _url(rec: Any) -> str | None:
    url = rec.headers.get("WARC-Target-URI")
    return url.strip().strip("<>") or None if url else None


def _kind(rec: Any) -> str:
    return str(rec.record_type).split(".")[-1]


def _classify(rec: Any, url_filter: crawl.UrlFilter | None) -> str | None:
    """Why this record is not a page (a skip reason), or None for a page."""
    kind = _kind(rec)
    if kind in _NOT_PAGES:
        return _NOT_PAGES[kind]
    if kind == "response" and rec.headers.get(ROLE_HEADER, "").strip().lower() in NOT_PAGE_ROLES:
        return oc.LISTING  # robots.txt, a feed or a sitemap that `newsdesk fetch` read, not a page
    if kind == "response":
        if not _http(rec):
            return oc.NOT_HTML  # dns: and other non-HTTP responses
        media, _ = content_type(rec.http_headers.get("Content-Type"))
        reason = crawl.http_skip(rec.http_headers.status_code, media)
    elif kind == "resource":
        media, _ = content_type(rec.headers.get("Content-Type"))
        reason = None if is_page_type(media) else oc.NOT_HTML
    elif kind == "conversion":
        reason = None
    else:
        return "other record"
    if reason is None and url_filter is not None:
        reason = url_filter(_url(rec))
    return reason


def _headers(rec: Any) -> dict[str, str]:
    if _http(rec):
        return crawl.header_dict(rec.http_headers.items())
    ctype = rec.headers.get("Content-Type")
    return {"content-type": ctype} if ctype else {}


def _page(ref: PageRef, rec: Any) -> RawPage:
    """The page in ``rec`` (positioned at its payload), bounded and decoded."""
    headers = _headers(rec)  # parses the HTTP head first: content_length is then the payload's
    expected = rec.content_length
    if expected > MAX_INPUT_BYTES:
        raise TooLarge(f"record of {expected // (1024 * 1024)} MB is past the {MAX_INPUT_BYTES // (1024 * 1024)} MB limit",
                       source=ref.locator)
    body = rec.reader.read(expected)
    if len(body) < expected:
        raise TruncatedRecord(f"record cut short ({len(body)} of {expected} bytes)", source=ref.locator)
    page = crawl.make_page(
        ref, body, url=_url(rec), fetched=crawl.iso_utc(rec.headers.get("WARC-Date")), headers=headers,
        kind="text" if _kind(rec) == "conversion" else "auto",
    )
    page.hints = _hints(rec.headers.get(HINTS_HEADER))
    return page


def _hints(value: str | None) -> dict[str, Any]:
    """The listing metadata `newsdesk fetch` wrote beside a page (a JSON object); anything
    else is ignored — it only ever fills empty fields."""
    if not value or len(value) > 65536:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class WarcReader:
    """WARC 1.0/1.1 and WET files."""

    name = "warc"

    def scan(self, path: str, *, walked: bool = False, url_filter: crawl.UrlFilter | None = None) -> crawl.Scan:
        """Every record of the file, in order: a PageRef for each page, a skip Outcome for
        every other record, and one failure line for each damaged stretch."""
        return crawl.scan_file(path, lambda p, fh: self._scan(p, fh, url_filter))

    def _scan(self, path: str, fh: Any, url_filter: crawl.UrlFilter | None) -> crawl.Scan:
        fd = fh.fileno()
        gz = os.pread(fd, 2, 0) == b"\x1f\x8b"
        if gz:
            data = crawl.FileBytes(fd)
            if members.is_per_record(data, _count):
                yield from self._scan_members(path, data, url_filter)
                return
        mark = crawl.GZIP_MAGIC if gz else b"WARC/1."
        start, last, records = 0, -1, 0
        while True:
            fh.seek(start)
            current: int | None = None
            try:
                for rec in _iterator(fh):
                    current = rec.stream_pos
                    records += 1
                    item = self._item(path, fd, mark, rec, url_filter, records - 1)
                    # Skipping a record still reads it through: a file cut inside its
                    # last record shows here, as fewer bytes than the record declares.
                    read_already = isinstance(item, PageRef) and item.page is not None
                    if not read_already and rec.consume() < rec.content_length:
                        yield crawl.truncated(path, current)
                        return
                    yield item
                    last, current = current, None
                if records == 0:
                    yield self._not_warc(path, fd, "no WARC records")
                return
            except (OSError, ValueError) as exc:
                if records == 0:
                    yield self._not_warc(path, fd, str(exc))
                    return
                # The damage is in the record being read (``current``) or in the one after
                # the last good record; reading resumes at the next record that parses.
                after = current if current is not None else last
                bad, resume = self._resync(fh, fd, after, mark)
                if current is not None:
                    bad = current
                if resume is None and bad is None:
                    yield crawl.truncated(path, last)
                    return
                yield crawl.damaged(path, bad if bad is not None else after, str(exc), resume,
                                    after_record=bad is None)
                if resume is None:
                    return
                start, last = resume, after

    def _scan_members(self, path: str, data: Any, url_filter: crawl.UrlFilter | None) -> crawl.Scan:
        """A WARC gzipped per record, listed from each record's first bytes (read.members)."""
        for m in members.walk(data):
            if isinstance(m, members.Truncated):
                yield crawl.truncated(path, m.offset)
                return
            if isinstance(m, members.Damaged):
                yield crawl.damaged(path, m.offset, m.reason, m.resumed)
                continue
            try:
                rec = next(iter(_iterator(io.BytesIO(m.head))))
                reason = _classify(rec, url_filter)
            except (OSError, ValueError, StopIteration) as exc:
                yield crawl.damaged(path, m.offset, f"unreadable WARC header: {exc}", None, resumable=True)
                continue
            if reason is not None:
                yield Outcome.skipped(f"{path}@{m.offset}", reason)
            else:
                yield PageRef(self.name, path, m.offset, url=_url(rec))

    def _item(self, path: str, fd: int, mark: bytes, rec: Any, url_filter: crawl.UrlFilter | None,
              number: int) -> Any:
        """A PageRef for a page, else the skip (or failure) Outcome of this record."""
        offset = rec.stream_pos
        reason = _classify(rec, url_filter)
        if reason is not None:
            return Outcome.skipped(f"{path}@{offset}", reason)
        ref = PageRef(self.name, path, offset, url=_url(rec))
        if crawl.starts_record(fd, offset, mark):
            return ref
        # One gzip stream for the whole file: no worker can start at this record (its
        # position is the stream's, not the record's), so it is read here and named by
        # its number.
        ref = PageRef(self.name, path, None, url=ref.url, index=number)
        try:
            return PageRef(self.name, path, None, url=ref.url, index=number, page=_page(ref, rec))
        except (TooLarge, TruncatedRecord) as exc:
            return Outcome.failed(ref.locator, str(exc), exc.code)

    def _resync(self, fh: Any, fd: int, after: int, mark: bytes) -> tuple[int | None, int | None]:
        """Past the record at ``after``: the first record start that does not parse (the
        damaged record, if its start is still recognisable) and the first that does."""
        bad: int | None = None
        candidate = crawl.next_boundary(fd, after, mark)
        while candidate is not None:
            fh.seek(candidate)
            try:
                if next(iter(_iterator(fh)), None) is not None:
                    return bad, candidate
            except (OSError, ValueError):
                pass
            if bad is None:
                bad = candidate
            candidate = crawl.next_boundary(fd, candidate, mark)
        return bad, None

    def _record(self, fh: Any, ref: PageRef) -> Any:
        """The record ``ref`` names: the one at its offset, or record number ``index``
        (reading through the ones before it)."""
        for n, rec in enumerate(_iterator(fh)):
            if ref.index is None:
                return rec if rec.stream_pos == (ref.offset or 0) else None
            if n == ref.index:
                return rec
        return None

    def _not_warc(self, path: str, fd: int, why: str) -> Outcome:
        if os.fstat(fd).st_size == 0:
            return Outcome.failed(path, f"{path}: empty file, not a WARC", NotACrawlFile.code)
        return Outcome.failed(path, f"{path}: not a WARC file ({why})", NotACrawlFile.code)

    def open(self, ref: PageRef) -> RawPage:
        """The page at ``ref`` (in a worker): the file reopened at the record's offset."""
        return crawl.reopen(ref, lambda fh: self._record(fh, ref), _page, what="WARC", errors=(OSError, ValueError))


__all__ = ["WarcReader"]
