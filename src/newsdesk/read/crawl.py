"""What every crawl-file reader shares: record classification, the pages they make, and
finding the next record after a damaged one.

A crawl file holds many records, most of them not pages (requests, metadata, revisits,
redirects, images). The parent process walks the file once, cheaply — headers only, the
payloads skipped — and classifies each record: a page becomes a ``PageRef`` (the file and
the record's offset), anything else an ``Outcome`` saying why it was skipped. Workers then
reopen the file at the offset and read only the pages, so no crawl is ever held in memory
and the bytes are read where they are extracted.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

from .. import outcome as oc
from ..errors import CorruptRecord, NewsdeskError, TruncatedRecord, UnreadableInput
from ..outcome import Outcome
from .http import content_type, decode_payload, is_page_type
from .raw import PageRef, RawPage

# Given a record's URL, why it is not wanted (a skip reason), or None.
UrlFilter = Callable[[str | None], str | None]

GZIP_MAGIC = b"\x1f\x8b\x08"
# How far past a damaged record to look for the next one before giving up on the file.
RESYNC_WINDOW = 64 * 1024 * 1024


def http_skip(status: int | None, media: str | None) -> str | None:
    """Why an HTTP response is not a page: only 200s with an HTML or text payload are."""
    if status is None:
        return oc.HTTP_ERROR
    if 300 <= status < 400:
        return oc.REDIRECT
    if status != 200:
        return oc.HTTP_ERROR
    if not is_page_type(media):
        return oc.NOT_HTML
    return None


def iso_utc(value: datetime | str | None) -> str | None:
    """A WARC-Date (or ARC date) as ISO 8601 UTC with an offset, e.g. 2024-01-02T03:04:05+00:00."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 14 and text.isdigit():  # ARC: YYYYMMDDhhmmss
                value = datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
            else:
                value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")


def make_page(
    ref: PageRef, body: bytes, *, url: str | None, fetched: str | None, headers: dict[str, str], kind: str = "auto",
    declared_type: str | None = None,
) -> RawPage:
    """A RawPage from an HTTP (or resource/conversion) record's payload: codings undone,
    the charset taken from Content-Type."""
    locator = ref.locator
    body, compression = decode_payload(
        body,
        transfer_encoding=headers.get("transfer-encoding"),
        content_encoding=headers.get("content-encoding"),
        source=locator,
    )
    _, charset = content_type(headers.get("content-type") or declared_type)
    return RawPage(
        content=body, locator=locator, path=ref.path, url=url, fetched=fetched, headers=headers,
        charset=charset, compression=compression, kind="text" if kind == "text" else "auto",
    )


def header_dict(pairs: object) -> dict[str, str]:
    """HTTP headers as a dict with lower-case names; repeated headers joined with ", "."""
    out: dict[str, str] = {}
    for name, value in pairs:  # type: ignore[attr-defined]
        key = str(name).strip().lower()
        out[key] = f"{out[key]}, {value}" if key in out else str(value)
    return out


class FileBytes:
    """A file's bytes, read on demand with pread: slices and ``find`` as on ``bytes``,
    without mapping or holding the file (a 1 GB crawl stays out of the process's memory)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.size = os.fstat(fd).st_size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, part: slice) -> bytes:
        start, stop = part.start or 0, min(part.stop if part.stop is not None else self.size, self.size)
        return os.pread(self.fd, max(0, stop - start), start) if stop > start else b""

    def find(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        # What is looked for is usually a record's compressed size away (tens of KB): read
        # 64 KB, then twice as much each time, up to 4 MB.
        end = self.size if end is None else min(end, self.size)
        block = 64 * 1024
        at = start
        while at < end:
            chunk = os.pread(self.fd, min(block + len(sub) - 1, end - at), at)
            hit = chunk.find(sub)
            if hit >= 0:
                return at + hit
            at += block
            block = min(block * 2, 4 << 20)
        return -1


def starts_record(fd: int, offset: int, mark: bytes) -> bool:
    """Whether a record (a gzip member, or a plain record's first line) starts at ``offset``:
    a worker can then reopen the file there. False for a file gzipped as one stream."""
    try:
        return os.pread(fd, len(mark), offset) == mark
    except OSError:
        return False


def next_boundary(fd: int, start: int, mark: bytes, *, window: int = RESYNC_WINDOW) -> int | None:
    """The first offset after ``start`` where ``mark`` begins (a gzip member, a record's
    first line), looking at most ``window`` bytes ahead; None if there is none."""
    try:
        at = FileBytes(fd).find(mark, start + 1, start + window)
    except OSError:
        return None
    return at if at >= 0 else None


def scan_file(path: str, records: Callable[[str, Any], Iterator[PageRef | Outcome]]) -> Iterator[PageRef | Outcome]:
    """``records(path, fh)`` over the opened file, or the one line saying it cannot be opened."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 — closed below; the scan is a generator
    except OSError as exc:
        yield unreadable(path, exc)
        return
    with fh:
        yield from records(path, fh)


def reopen(
    ref: PageRef,
    find: Callable[[Any], Any],
    read: Callable[[PageRef, Any], RawPage],
    *,
    what: str,
    errors: tuple[type[BaseException], ...],
) -> RawPage:
    """The page a crawl-file PageRef names, read in a worker: the file reopened at the
    record (``find`` positions the library's reader on it, None if no record starts
    there), its payload read by ``read``. The library's own ``errors`` become CorruptRecord."""
    if ref.page is not None:
        return ref.page
    try:
        with open(ref.path, "rb") as fh:
            fh.seek(ref.offset or 0)
            try:
                rec = find(fh)
                if rec is None:
                    raise CorruptRecord(f"no {what} record starts here", source=ref.locator)
                return read(ref, rec)
            except NewsdeskError:
                raise  # already says what is wrong with this page (too large, a bad payload coding)
            except errors as exc:
                raise CorruptRecord(f"unreadable record ({exc})", source=ref.locator) from None
    except OSError as exc:
        raise CorruptRecord(f"cannot reopen the file ({(exc.strerror or str(exc)).lower()})", source=ref.locator) from None


def damaged(path: str, offset: int, why: str, resumed: int | None, *, after_record: bool = False,
            resumable: bool = False) -> Outcome:
    """The one failure line for a damaged stretch of a crawl file: the damaged record at
    ``offset`` or, when its start is unrecognisable (``after_record``), the one after the
    record at ``offset``. ``resumable``: the file goes on with the next record."""
    where = f"{path}@{offset}"
    what = f"the corrupt record after the one at offset {offset}" if after_record else f"corrupt record at offset {offset}"
    if resumable:
        then = "; the file goes on"
    else:
        then = f"; reading resumed at offset {resumed}" if resumed is not None else "; nothing readable after it"
    return Outcome.failed(where, f"{path}: {what} skipped ({why}){then}", CorruptRecord.code)


def truncated(path: str, offset: int) -> Outcome:
    where = f"{path}@{offset}"
    return Outcome.failed(where, f"{path}: truncated at offset {offset} (the last record is cut short); "
                          "every record before it was read", TruncatedRecord.code)


def unreadable(path: str, exc: OSError) -> Outcome:
    reason = "no such file" if isinstance(exc, FileNotFoundError) else (exc.strerror or type(exc).__name__).lower()
    return Outcome.failed(path, f"{path}: {reason}", UnreadableInput.code)


Scan = Iterator["PageRef | Outcome"]

__all__ = ["http_skip", "iso_utc", "make_page", "header_dict", "FileBytes", "starts_record", "next_boundary", "damaged", "truncated",
           "unreadable", "scan_file", "reopen", "UrlFilter", "Scan", "GZIP_MAGIC"]
