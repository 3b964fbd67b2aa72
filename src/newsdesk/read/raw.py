"""What a reader hands on: a page's bytes with what is known about them (``RawPage``), and
the small picklable reference that lets a worker process read them itself (``PageRef``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["auto", "html", "text"]


@dataclass(slots=True)
class RawPage:
    """One page as read, before extraction.

    ``locator`` names exactly where it came from (a path, ``-``, or ``crawl.warc.gz@OFFSET``
    for a record of a crawl file); ``path`` is the file read. ``url`` and ``fetched`` (ISO
    8601, UTC) come from the crawl record when there is one; ``headers`` are its HTTP
    response headers (lower-case names); ``charset`` the HTTP Content-Type's charset;
    ``compression`` the Content-Encoding the reader already decoded. ``kind`` is ``text``
    for input known to be a text dump (a WET conversion record), else ``auto``. ``hints``:
    what a feed or sitemap said about the page (``title``, ``published``, ``authors``,
    ``language``), filled into the fields the page itself leaves empty.
    """

    content: bytes
    locator: str
    path: str | None = None
    url: str | None = None
    fetched: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    charset: str | None = None
    compression: str | None = None
    kind: Kind = "auto"
    hints: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PageRef:
    """Where a page is, small enough to send to a worker, which reads the bytes itself.

    ``reader`` names the reader that can open it (``read.READERS``); ``offset`` is where its
    record starts in a crawl file. ``page`` carries the page already read, for sources a
    worker cannot reopen at an offset (stdin, a WARC gzipped as one stream).
    ``walked``: found in a folder walk (then only regular files are opened). ``index``
    names a record by its number instead, in a file whose records have no offsets.
    """

    reader: str
    path: str
    offset: int | None = None
    walked: bool = False
    url: str | None = None
    page: RawPage | None = None
    index: int | None = None  # the record's number, where no offset can name it

    @property
    def locator(self) -> str:
        if self.offset is not None:
            return f"{self.path}@{self.offset}"
        return self.path if self.index is None else f"{self.path}#{self.index}"


class Idle:
    """What a reader yields when it has nothing ready and is about to wait (a fetch in
    flight): the run then sends on what it has gathered instead of holding it until a
    chunk is full. Never a page; ``IDLE`` is the one instance."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "IDLE"


IDLE = Idle()


def parse_locator(locator: str) -> tuple[str, int | None, int | None]:
    """``crawl.warc.gz@1234`` → (path, 1234, None): the record starting at that byte;
    ``crawl.warc.gz#7`` → (path, None, 7): record number 7 of a file gzipped as one stream,
    which has no record offsets; a plain path → (path, None, None)."""
    for mark in ("@", "#"):
        path, sep, tail = locator.rpartition(mark)
        if sep and path and tail.isdigit():
            return (path, int(tail), None) if mark == "@" else (path, None, int(tail))
    return locator, None, None


__all__ = ["RawPage", "PageRef", "Kind", "Idle", "IDLE", "parse_locator"]
