"""The WARC files of a collection: every response `newsdesk fetch` gets, with its request.

Each response is written as a gzip member of its own (the standard layout, so any record
can be reopened at its offset) followed by its request record (``WARC-Concurrent-To``),
and the response's offset is its locator: the record the archive stores names it, and
the pipeline's workers read the page back from it like any crawl record. A file is
rotated when it passes ``max_bytes`` (1 GB by default, the size crawlers and the
Internet Archive use), and every run starts a new file, so a run killed halfway never
leaves a later run appending after a torn record.

Bodies are stored as they came off the wire (content codings kept, ``Content-Encoding``
said); the transfer coding is not (the client undid the chunking), so ``Transfer-Encoding``
is not written and ``Content-Length`` is the stored length. warcio writes the records and
computes the block and payload digests.
"""

from __future__ import annotations

import io
import json
import os
import socket
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..warc import HINTS_HEADER, ROLE_HEADER

DEFAULT_MAX_BYTES = 1024**3
_DROP = frozenset({"transfer-encoding", "content-length"})


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcWriter:
    """Appends request/response pairs to ``folder/PREFIX-<time>-<pid>-<n>.warc.gz``."""

    def __init__(self, folder: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, software: str = "newsdesk",
                 prefix: str = "newsdesk") -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.software = software
        self.prefix = prefix
        self.serial = 0
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self.path: Path | None = None
        self._fh: Any = None
        self.written = 0  # response records, this run

    def _open(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.serial += 1
        self.path = self.folder / f"{self.prefix}-{self.stamp}-{os.getpid()}-{self.serial:05d}.warc.gz"
        self._fh = open(self.path, "ab")  # noqa: SIM115 - held open across writes, closed by close()
        info = {"software": self.software, "format": "WARC File Format 1.1", "hostname": socket.gethostname(),
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
        self._put([self._warcinfo(info)])

    def _writer(self, buf: io.BytesIO) -> Any:
        from warcio.warcwriter import WARCWriter

        return WARCWriter(buf, gzip=True, warc_version="1.1")

    def _warcinfo(self, info: Mapping[str, str]) -> bytes:
        buf = io.BytesIO()
        w = self._writer(buf)
        assert self.path is not None
        w.write_record(w.create_warcinfo_record(self.path.name, dict(info)))
        return buf.getvalue()

    def _put(self, members: Sequence[bytes]) -> int:
        offset = self._fh.tell()
        # One write of both members, then a flush to the kernel: a process killed after
        # this returns has the records on disk (only a power cut could lose them).
        self._fh.write(b"".join(members))
        self._fh.flush()
        return int(offset)

    def write(
        self,
        url: str,
        *,
        status: int,
        reason: str,
        http_version: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        request_line: str,
        request_headers: Sequence[tuple[str, str]],
        ip: str | None = None,
        date: str | None = None,
        role: str | None = None,
        hints: Mapping[str, Any] | None = None,
    ) -> str:
        """Write one response and its request; the response's locator (``path@offset``)."""
        from warcio.statusandheaders import StatusAndHeaders

        if self._fh is None or self._fh.tell() >= self.max_bytes:
            self._open()
        date = date or _now()
        buf = io.BytesIO()
        w = self._writer(buf)
        kept = [(k, v) for k, v in headers if k.lower() not in _DROP] + [("Content-Length", str(len(body)))]
        warc_headers = {"WARC-Date": date}
        if ip:
            warc_headers["WARC-IP-Address"] = ip
        if role:
            warc_headers[ROLE_HEADER] = role
        if hints:
            warc_headers[HINTS_HEADER] = json.dumps(dict(hints), ensure_ascii=True, separators=(",", ":"))
        response = w.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol=http_version),
            warc_headers_dict=warc_headers,
        )
        w.write_record(response)
        first = buf.tell()
        request = w.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(request_line, list(request_headers), is_http_request=True),
            warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        w.write_record(request)
        data = buf.getvalue()
        offset = self._put([data[:first], data[first:]])
        self.written += 1
        assert self.path is not None
        return f"{self.path}@{offset}"

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["WarcWriter", "DEFAULT_MAX_BYTES"]
