"""Where pages come from: page files, folders, stdin, and crawl files (WARC, WET, ARC).

One registry of readers, chosen by a file's name and, when the name does not say, by its
first bytes. Every reader has two halves:

- ``scan(path)`` — in the process that runs the job, cheap: what the input holds, as a
  ``PageRef`` per page (small, picklable: a path and an offset) and an ``Outcome`` for
  everything that is not a page (a revisit, a redirect, a damaged record);
- ``open(ref)`` — in a worker: the page's bytes as a ``RawPage``, read there, bounded.

``read_pages(paths)`` runs both halves here, for use from Python.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from ..errors import InputError, NewsdeskError
from ..outcome import Outcome, Status
from .arc import ArcReader
from .crawl import UrlFilter
from .files import STDIN, FileReader, PagePath, iter_pages
from .raw import PageRef, RawPage, parse_locator
from .warc import WarcReader


class Reader(Protocol):
    name: str

    def scan(self, path: str, *, walked: bool = False, url_filter: UrlFilter | None = None) -> Iterator[PageRef | Outcome]:
        ...

    def open(self, ref: PageRef) -> RawPage:
        ...


READERS: dict[str, Reader] = {r.name: r for r in (FileReader(), WarcReader(), ArcReader())}

_BY_SUFFIX = {".warc": "warc", ".wet": "warc", ".arc": "arc"}
_PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".txt", ".text"})


def _suffix(path: str) -> str:
    lower = path.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return os.path.splitext(lower)[1]


def _sniff(path: str) -> str:
    """The reader for a file whose name does not say: WARC and ARC files announce
    themselves in their first bytes (inside the first gzip member when gzipped)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "file"  # the page reader reports why it cannot be read
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return "file"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    return "file"


def reader_for(path: str) -> Reader:
    """The reader of ``path``: by suffix (``.warc[.gz]``, ``.warc.wet.gz``, ``.arc[.gz]``,
    page suffixes), else by content (a bare ``.gz``, no suffix, anything else)."""
    if path == STDIN:
        return READERS["file"]
    suffix = _suffix(path)
    if suffix in _BY_SUFFIX:
        return READERS[_BY_SUFFIX[suffix]]
    if suffix in _PAGE_SUFFIXES or os.path.isdir(path):
        return READERS["file"]
    return READERS[_sniff(path)]


def scan(paths: Iterable[str], *, url_filter: UrlFilter | None = None) -> Iterator[PageRef | Outcome]:
    """Every page (as a PageRef) and every non-page record (as an Outcome) under ``paths``,
    in order: folders walked recursively (sorted, hidden files skipped, symlinked folders
    not followed), crawl files record by record. ``url_filter`` may skip crawl records by
    URL before anything is read."""
    yield from scan_listed(iter_pages(paths), url_filter=url_filter)


def scan_listed(pages: Iterable[PagePath], *, url_filter: UrlFilter | None = None) -> Iterator[PageRef | Outcome]:
    """``scan`` of inputs already listed by ``files.iter_pages`` (the CLI lists them first
    to size its progress bar)."""
    for page in pages:
        yield from reader_for(page.path).scan(page.path, walked=page.walked, url_filter=url_filter)


def open_page(ref: PageRef) -> RawPage:
    """The page at ``ref``, read now (a worker calls this)."""
    return READERS[ref.reader].open(ref)


def ref_for(locator: str) -> PageRef:
    """A PageRef from a stored locator (``path``, ``path@offset``, ``path#record``), to
    read a page again."""
    path, offset, index = parse_locator(locator)
    if offset is None and index is None:
        return PageRef(reader_for(path).name, path)
    reader = reader_for(path)
    if reader.name == "file":
        return PageRef("file", locator)  # a page file whose name holds "@123" or "#7"
    return PageRef(reader.name, path, offset, index=index)


def read_pages(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    *,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> Iterator[RawPage]:
    """Every page in ``paths`` (files, folders, ``-``, WARC/WET/ARC files) as a RawPage.

    Records that are not pages (requests, revisits, redirects, non-HTML payloads) and
    inputs that cannot be read are given to ``on_outcome`` when it is set; without it,
    skips are left out and the first unreadable input raises its InputError (after the
    pages before it were yielded).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for item in scan([os.fspath(p) for p in paths]):
        if isinstance(item, Outcome):
            _report(item, on_outcome)
            continue
        try:
            yield open_page(item)
        except NewsdeskError as exc:
            _report(Outcome.failed(item.locator, str(exc), exc.code), on_outcome)


def _report(outcome: Outcome, on_outcome: Callable[[Outcome], None] | None) -> None:
    if on_outcome is not None:
        on_outcome(outcome)
    elif outcome.status is Status.FAILED:
        error = InputError(outcome.reason or "unreadable input")
        error.code = outcome.code or InputError.code
        raise error


__all__ = ["RawPage", "PageRef", "Reader", "READERS", "reader_for", "scan", "scan_listed", "iter_pages", "PagePath", "open_page", "ref_for", "read_pages"]
