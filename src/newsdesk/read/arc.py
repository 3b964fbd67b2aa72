"""ARC files (``.arc``, ``.arc.gz``): the Internet Archive's format before WARC, still the
format of its older collections. Read with warcio, because FastWARC reads WARC only;
warcio turns each ARC record into a WARC-shaped response with its HTTP headers.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import NotACrawlFile, TooLarge
from ..outcome import Outcome
from . import crawl
from .decode import MAX_INPUT_BYTES
from .http import content_type
from .raw import PageRef, RawPage

_NOT_PAGES = {"warcinfo": "warcinfo", "request": "request", "metadata": "metadata", "revisit": "revisit"}
# An ARC record starts with its URL line; gzipped ARCs are one gzip member per record.
_MARK_GZ = crawl.GZIP_MAGIC


def _iterator(fh: Any) -> Any:
    from warcio.archiveiterator import ArchiveIterator  # imported when an ARC is read

    return ArchiveIterator(fh, arc2warc=True)


def _url(rec: Any) -> str | None:
    url = rec.rec_headers.get_header("WARC-Target-URI")
    return url.strip() or None if url else None


def _classify(rec: Any, url_filter: crawl.UrlFilter | None) -> str | None:
    kind = rec.rec_type
    if kind in _NOT_PAGES:
        return _NOT_PAGES[kind]
    if kind != "response" or rec.http_headers is None:
        return "other record"
    status = rec.http_headers.get_statuscode()
    media, _ = content_type(rec.http_headers.get_header("Content-Type"))
    reason = crawl.http_skip(int(status) if status and status.isdigit() else None, media)
    if reason is None and url_filter is not None:
        reason = url_filter(_url(rec))
    return reason


def _page(ref: PageRef, rec: Any) -> RawPage:
    body = rec.raw_stream.read(MAX_INPUT_BYTES + 1)
    if len(body) > MAX_INPUT_BYTES:
        raise TooLarge(f"record past the {MAX_INPUT_BYTES // (1024 * 1024)} MB limit", source=ref.locator)
    headers = crawl.header_dict(rec.http_headers.headers)
    return crawl.make_page(ref, body, url=_url(rec), fetched=crawl.iso_utc(rec.rec_headers.get_header("WARC-Date")),
                           headers=headers)


class ArcReader:
    """ARC v1 files, plain or gzipped per record."""

    name = "arc"

    def scan(self, path: str, *, walked: bool = False, url_filter: crawl.UrlFilter | None = None) -> crawl.Scan:
        return crawl.scan_file(path, lambda p, fh: self._scan(p, fh, url_filter))

    def _scan(self, path: str, fh: Any, url_filter: crawl.UrlFilter | None) -> crawl.Scan:
        fd = fh.fileno()
        gz = os.pread(fd, 2, 0) == b"\x1f\x8b"
        start, records, last = 0, 0, -1
        while True:
            fh.seek(start)
            it = _iterator(fh)
            try:
                for rec in it:
                    offset = it.get_record_offset()
                    records += 1
                    reason = _classify(rec, url_filter)
                    if reason is not None:
                        yield Outcome.skipped(f"{path}@{offset}", reason)
                    else:
                        yield PageRef(self.name, path, offset, url=_url(rec))
                    last = offset
                if records == 0:
                    yield Outcome.failed(path, f"{path}: not an ARC file (no records)", NotACrawlFile.code)
                return
            except Exception as exc:  # warcio raises plain Exceptions for bad records
                if records == 0:
                    yield Outcome.failed(path, f"{path}: not an ARC file ({exc})", NotACrawlFile.code)
                    return
                # Per-record gzip lets the next record be found; a plain ARC ends here.
                resume = crawl.next_boundary(fd, last, _MARK_GZ) if gz else None
                yield crawl.damaged(path, last, str(exc) or type(exc).__name__, resume, after_record=True)
                if resume is None:
                    return
                start = resume

    def open(self, ref: PageRef) -> RawPage:
        def find(fh: Any) -> Any:
            rec = next(iter(_iterator(fh)), None)
            return rec if rec is not None and rec.rec_type == "response" else None

        # warcio raises plain Exceptions for bad records (see scan).
        return crawl.reopen(ref, find, _page, what="ARC", errors=(Exception,))


__all__ = ["ArcReader"]
