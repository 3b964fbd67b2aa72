"""The newsdesk exception tree. Every error newsdesk raises on purpose is a NewsdeskError.

    NewsdeskError (code "error")
    ├── InputError (code "input")            a page or file newsdesk cannot read
    │   ├── EmptyInput ("empty")             zero bytes, or nothing but whitespace
    │   ├── BinaryInput ("binary")           not text: an image, an archive, random bytes
    │   ├── CompressionError ("gzip")        corrupt or truncated gzip (or an HTTP deflate/br payload)
    │   ├── TooLarge ("too-large")           past the size limit (see read.limits)
    │   ├── UnreadableInput ("unreadable")   the OS refused to read it (permissions, a vanished file)
    │   └── CrawlFileError ("crawl-file")    a WARC/WET/ARC file or record that cannot be read
    │       ├── NotACrawlFile ("not-crawl-file")   named or sniffed as one, but it is not
    │       ├── TruncatedRecord ("truncated")      the file ends inside a record
    │       └── CorruptRecord ("corrupt-record")   a record that does not parse (the file goes on)
    ├── PageTimeout ("timeout")              a page took longer than the per-page time limit
    ├── ArchiveError ("archive")             the SQLite archive cannot be opened or written
    │   └── QueryError ("query")             a search query the full-text engine rejects
    └── UsageError ("usage")                 bad options or arguments from the caller

Each class carries a short stable ``code`` so scripts can match on it; the message of an
input error always names the input, so one stderr line tells the user what and why.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Root of every error newsdesk raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)
        self.reason = message


class InputError(NewsdeskError):
    code = "input"


class EmptyInput(InputError):
    code = "empty"


class BinaryInput(InputError):
    code = "binary"


class CompressionError(InputError):
    code = "gzip"


class TooLarge(InputError):
    code = "too-large"


class UnreadableInput(InputError):
    code = "unreadable"


class CrawlFileError(InputError):
    code = "crawl-file"


class NotACrawlFile(CrawlFileError):
    code = "not-crawl-file"


class TruncatedRecord(CrawlFileError):
    code = "truncated"


class CorruptRecord(CrawlFileError):
    code = "corrupt-record"


class PageTimeout(NewsdeskError):
    code = "timeout"


class ArchiveError(NewsdeskError):
    code = "archive"


class QueryError(ArchiveError):
    code = "query"


class UsageError(NewsdeskError):
    code = "usage"


__all__ = [
    "NewsdeskError",
    "InputError",
    "EmptyInput",
    "BinaryInput",
    "CompressionError",
    "TooLarge",
    "UnreadableInput",
    "CrawlFileError",
    "NotACrawlFile",
    "TruncatedRecord",
    "CorruptRecord",
    "PageTimeout",
    "ArchiveError",
    "QueryError",
    "UsageError",
]
