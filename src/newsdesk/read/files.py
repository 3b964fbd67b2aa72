"""Pages from the file system: which files a folder holds, and their bytes, with bounds.

Reading never decodes or inflates: that is ``extract()``'s job (it sniffs gzip by its magic
bytes), so a page read here and a page passed to ``extract()`` in memory behave the same.
``FileReader`` is the reader of single-page files (and stdin) in the reader registry
(``newsdesk.read``); crawl files found in a folder go to their own readers.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from ..errors import NewsdeskError, TooLarge, UnreadableInput
from ..outcome import Outcome
from .decode import MAX_INPUT_BYTES
from .raw import PageRef, RawPage

STDIN = "-"

# Names a folder walk picks up. Any of them may also end in ".gz".
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml", ".txt", ".text"})
# Crawl files a folder walk picks up (their readers: read.warc, read.arc), also as ".gz".
CRAWL_SUFFIXES = frozenset({".warc", ".wet", ".arc"})


def is_page_name(name: str) -> bool:
    """Whether a folder walk should read a file of this name.

    ``a.html``, ``a.txt.gz``, ``crawl.warc.gz``, ``x.arc``, and also a bare ``a.gz`` or
    ``12345.gz`` (crawls often store pages that way); never hidden files.
    """
    if name.startswith("."):
        return False
    lower = name.lower()
    known = PAGE_SUFFIXES | CRAWL_SUFFIXES
    if lower.endswith(".gz"):
        inner = lower[:-3]
        suffix = os.path.splitext(inner)[1]
        return suffix in known or suffix == ""
    return os.path.splitext(lower)[1] in known


class PagePath(NamedTuple):
    path: str
    walked: bool  # found in a folder walk (True) or named by the caller (False)


def iter_pages(paths: Iterable[str]) -> Iterator[PagePath]:
    """Expand the caller's paths into page paths, in a stable order.

    A folder is walked recursively (sorted; hidden files and folders skipped; symlinked
    folders not followed, so a link loop cannot run forever). Anything else the caller
    named is yielded as it is — a missing file, a FIFO, ``-`` — so reading it reports
    the problem on its own line instead of it silently vanishing from the run.
    """
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk(path)
        else:
            yield PagePath(path, False)


def _walk(top: str) -> Iterator[PagePath]:
    for root, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if is_page_name(name):
                yield PagePath(os.path.join(root, name), True)


def read_page(path: str, *, limit: int = MAX_INPUT_BYTES, walked: bool = False) -> bytes:
    """The raw bytes of one page (``-`` is stdin), at most ``limit`` of them.

    Raises UnreadableInput for anything the OS refuses (a missing file, a dangling
    symlink, a directory, a permission error) and TooLarge past ``limit``. ``walked``
    marks a path found in a folder walk: then only regular files are opened, because
    opening a FIFO that nobody writes to blocks forever. A path the user named may be a
    pipe (``<(curl …)``), so it is read.
    """
    if path == STDIN:
        return _read_bounded(sys.stdin.buffer, path, limit)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file"
        raise UnreadableInput(reason, source=path) from None
    except OSError as exc:
        raise UnreadableInput(_os_reason(exc), source=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableInput("is a directory", source=path)
    if walked and not stat.S_ISREG(info.st_mode):
        raise UnreadableInput("not a regular file (a FIFO, socket or device)", source=path)
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise TooLarge(_too_large(info.st_size, limit), source=path)
    try:
        with open(path, "rb") as fh:
            return _read_bounded(fh, path, limit)
    except OSError as exc:
        raise UnreadableInput(_os_reason(exc), source=path) from None


def _read_bounded(fh: object, path: str, limit: int) -> bytes:
    data = fh.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise TooLarge(_too_large(len(data), limit, at_least=True), source=path)
    return bytes(data)


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    mb = 1024 * 1024
    what = "over" if at_least else f"{size / mb:.0f} MB,"
    return f"{what} the {limit // mb} MB limit"


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


class FileReader:
    """One file, one page (and ``-``, stdin, read by the parent: workers do not share it)."""

    name = "file"

    def scan(self, path: str, *, walked: bool = False, url_filter: object = None) -> Iterator[PageRef | Outcome]:
        if path != STDIN:
            yield PageRef(self.name, path, walked=walked)
            return
        try:
            data = read_page(STDIN)
        except NewsdeskError as exc:
            yield Outcome.failed(STDIN, str(exc), exc.code)
            return
        yield PageRef(self.name, STDIN, page=RawPage(content=data, locator=STDIN, path=STDIN))

    def open(self, ref: PageRef) -> RawPage:
        if ref.page is not None:
            return ref.page
        data = read_page(ref.path, walked=ref.walked)
        return RawPage(content=data, locator=ref.path, path=ref.path)


__all__ = ["STDIN", "PAGE_SUFFIXES", "CRAWL_SUFFIXES", "is_page_name", "iter_pages", "read_page", "PagePath", "FileReader"]
