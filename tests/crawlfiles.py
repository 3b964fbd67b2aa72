"""Write crawl files (WARC 1.0/1.1, WET, ARC) for tests, so no test depends on downloaded data.

Describe records with the constructors (``response``, ``revisit``, ``request``, ``metadata``,
``warcinfo``, ``resource``, ``conversion`` and the shortcuts built on ``response``), then write
them with ``warc_bytes``/``write_warc``, ``wet_bytes``/``write_wet`` or ``arc_bytes``/``write_arc``.
``record_offsets`` says where each record starts in the written file; ``truncate``,
``corrupt_record`` and ``not_a_warc`` make damaged input.

Payloads are given exactly as they travel on the wire: a gzip- or chunk-encoded body is stored
encoded, with its ``Content-Encoding``/``Transfer-Encoding`` header (see ``encode_body`` and
``encoded_response``).

WARC records are written by warcio's ``WARCWriter`` whenever it can reproduce the record byte for
byte (every well-formed record); a record it would alter (an HTTP head warcio would re-serialise
differently, a revisit with a body) is built by hand in the same layout. Files are deterministic:
record ids derive from the record's content unless given, and gzip members carry no timestamp.
This module does not import newsdesk.
"""

from __future__ import annotations

import base64
import hashlib
import http
import io
import os
import re
import struct
import uuid
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, overload

import brotli
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.warcwriter import WARCWriter

__all__ = [
    "DEFAULT_DATE",
    "PNG_BYTES",
    "PDF_BYTES",
    "Compression",
    "Version",
    "ContentEncoding",
    "Record",
    "http_head",
    "response",
    "redirect",
    "not_found",
    "server_error",
    "image_response",
    "pdf_response",
    "gzip_bytes",
    "deflate_bytes",
    "brotli_bytes",
    "chunked_bytes",
    "encode_body",
    "encoded_response",
    "revisit",
    "request",
    "metadata",
    "warcinfo",
    "resource",
    "conversion",
    "mixed_records",
    "warc_bytes",
    "write_warc",
    "wet_bytes",
    "write_wet",
    "arc_bytes",
    "write_arc",
    "record_spans",
    "record_offsets",
    "truncate",
    "corrupt_record",
    "not_a_warc",
]

DEFAULT_DATE = "2024-01-02T03:04:05Z"

# "record": each record its own gzip member (the standard); "file": one gzip stream; None: plain.
Compression = Literal["record", "file"] | None
Version = Literal["1.0", "1.1"]
ContentEncoding = Literal["gzip", "br", "deflate", "deflate-raw"]
Header = tuple[str, str]
Source = bytes | str | os.PathLike[str]

_RECORD_ID_NAMESPACE = uuid.UUID("5b0f8d6e-3c1a-4b8e-9a57-2f1d6c0e4a11")
_REVISIT_PROFILE = {
    "1.0": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
    "1.1": "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
}
_WARC_CONTENT_TYPE = {
    "response": "application/http; msgtype=response",
    "revisit": "application/http; msgtype=response",
    "request": "application/http; msgtype=request",
    "warcinfo": "application/warc-fields",
    "metadata": "application/warc-fields",
    "conversion": "text/plain",
}
# The kinds whose WARC-Payload-Digest is not a digest of their own payload (warcio's rule too).
_NO_OWN_PAYLOAD_DIGEST = ("warcinfo", "revisit")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    idat = zlib.compress(b"\x00\xff\x00\x00")  # filter byte + one red pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


PNG_BYTES = _png()
PDF_BYTES = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# ---------------------------------------------------------------------------------------------
# Records


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _iso(date: str | datetime) -> str:
    if isinstance(date, str):
        return date
    if date.tzinfo is not None:
        date = date.astimezone(timezone.utc)
    text = date.strftime("%Y-%m-%dT%H:%M:%S")
    if date.microsecond:
        text += f".{date.microsecond:06d}"
    return text + "Z"


def _bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


@dataclass(frozen=True)
class Record:
    """One crawl record. ``block`` (what WARC-Content-Length counts) is ``http_head + payload``.

    ``http_head`` is the status line, headers and blank line exactly as written (None for records
    without an HTTP message); ``payload`` the bytes after it, as on the wire. ``record_id`` is
    derived from the content when left empty, so two identical records share an id — give one
    explicitly (or ``dataclasses.replace(rec, record_id=...)``) to tell them apart.
    """

    kind: str  # WARC-Type
    url: str | None = None  # WARC-Target-URI
    http_head: bytes | None = None
    payload: bytes = b""
    content_type: str = ""  # the WARC Content-Type; empty: the usual one for the kind
    date: str = DEFAULT_DATE  # WARC-Date, written as given
    record_id: str = ""
    ip: str | None = None  # WARC-IP-Address (and the ARC IP field, 0.0.0.0 when None)
    warc_headers: tuple[Header, ...] = ()  # further WARC headers, after the standard ones
    payload_digest: str | None = None  # WARC-Payload-Digest; None: sha1 of the payload (revisit: required)

    def __post_init__(self) -> None:
        if not self.content_type:
            object.__setattr__(self, "content_type", _WARC_CONTENT_TYPE.get(self.kind, "application/octet-stream"))
        if not self.record_id:
            key = "\n".join([self.kind, self.url or "", self.date, _sha1(self.block), repr(self.warc_headers)])
            object.__setattr__(self, "record_id", f"<urn:uuid:{uuid.uuid5(_RECORD_ID_NAMESPACE, key)}>")

    @property
    def block(self) -> bytes:
        return (self.http_head or b"") + self.payload

    @property
    def status(self) -> int | None:
        """The HTTP status code of a response or revisit (None without an HTTP head)."""
        if not self.http_head or self.kind == "request":
            return None
        parts = self.http_head.split(b"\n", 1)[0].split()
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None

    @property
    def http_headers(self) -> list[Header]:
        """The HTTP headers as (name, value) pairs, in order."""
        if not self.http_head:
            return []
        lines = self.http_head.decode("latin-1").split("\n")[1:]
        return [(n.strip(), v.strip()) for n, _, v in (line.rstrip("\r").partition(":") for line in lines) if n.strip()]

    @property
    def block_digest(self) -> str:
        return _sha1(self.block)

    @property
    def warc_payload_digest(self) -> str | None:
        """What WARC-Payload-Digest says (None: the record has none)."""
        if self.payload_digest is not None:
            return self.payload_digest
        return None if self.kind in _NO_OWN_PAYLOAD_DIGEST else _sha1(self.payload)

    @property
    def arc_date(self) -> str:
        """The date as an ARC archive-date: YYYYMMDDhhmmss."""
        return re.sub(r"\D", "", self.date)[:14].ljust(14, "0")


def _reason(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def http_head(
    status: int = 200,
    headers: Iterable[Header] = (),
    *,
    reason: str | None = None,
    version: str = "HTTP/1.1",
) -> bytes:
    """An HTTP response head: status line, headers, blank line (CRLF line ends)."""
    lines = [f"{version} {status} {_reason(status) if reason is None else reason}"]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def _has(headers: Iterable[Header], name: str) -> bool:
    return any(n.lower() == name.lower() for n, _ in headers)


def response(
    url: str,
    body: bytes | str = b"",
    *,
    status: int = 200,
    content_type: str | None = "text/html; charset=utf-8",
    headers: Iterable[Header] = (),
    date: str | datetime = DEFAULT_DATE,
    reason: str | None = None,
    http_version: str = "HTTP/1.1",
    content_length: bool = True,
    ip: str | None = None,
    record_id: str = "",
    warc_headers: Iterable[Header] = (),
) -> Record:
    """An HTTP response record. ``body`` is the payload exactly as on the wire (already encoded
    if ``headers`` say Content-Encoding/Transfer-Encoding). Headers: Content-Type (unless None),
    then ``headers``, then Content-Length (unless ``content_length`` is false or the headers carry
    Content-Length or Transfer-Encoding)."""
    payload = _bytes(body)
    given = list(headers)
    all_headers = ([("Content-Type", content_type)] if content_type is not None else []) + given
    if content_length and not _has(given, "Content-Length") and not _has(given, "Transfer-Encoding"):
        all_headers.append(("Content-Length", str(len(payload))))
    head = http_head(status, all_headers, reason=reason, version=http_version)
    return Record(
        "response", url, head, payload, date=_iso(date), record_id=record_id, ip=ip, warc_headers=tuple(warc_headers)
    )


def _small_page(title: str, text: str) -> str:
    return f"<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p></body></html>\n"


def redirect(
    url: str, location: str, *, status: int = 301, date: str | datetime = DEFAULT_DATE, headers: Iterable[Header] = ()
) -> Record:
    """A redirect (301, 302, 307, ...) to ``location``, with a small HTML body."""
    body = _small_page(_reason(status), f'The document has moved <a href="{location}">here</a>.')
    return response(url, body, status=status, headers=[("Location", location), *headers], date=date)


def not_found(url: str, *, date: str | datetime = DEFAULT_DATE) -> Record:
    """A 404 response with an HTML error page."""
    return response(url, _small_page("404 Not Found", "The requested URL was not found."), status=404, date=date)


def server_error(url: str, *, date: str | datetime = DEFAULT_DATE) -> Record:
    """A 500 response with an HTML error page."""
    return response(url, _small_page("500 Internal Server Error", "Something went wrong."), status=500, date=date)


def image_response(url: str, *, body: bytes = PNG_BYTES, date: str | datetime = DEFAULT_DATE) -> Record:
    """A 200 image/png response (a real 1x1 PNG unless ``body`` is given)."""
    return response(url, body, content_type="image/png", date=date)


def pdf_response(url: str, *, body: bytes = PDF_BYTES, date: str | datetime = DEFAULT_DATE) -> Record:
    """A 200 application/pdf response (a minimal one-page PDF unless ``body`` is given)."""
    return response(url, body, content_type="application/pdf", date=date)


# ---------------------------------------------------------------------------------------------
# Payload encodings


def gzip_bytes(data: bytes | str) -> bytes:
    """``data`` as one gzip member (no timestamp, so deterministic)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    return c.compress(_bytes(data)) + c.flush()


def deflate_bytes(data: bytes | str, *, raw: bool = False) -> bytes:
    """``data`` deflated: zlib-wrapped (RFC 1950, what "deflate" means) or, with ``raw``, bare
    RFC 1951 deflate (what many servers wrongly send as "deflate")."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15 if raw else 15)
    return c.compress(_bytes(data)) + c.flush()


def brotli_bytes(data: bytes | str) -> bytes:
    """``data`` brotli-compressed (Content-Encoding: br)."""
    return bytes(brotli.compress(_bytes(data)))


def chunked_bytes(data: bytes | str, chunk_size: int = 100, *, trailers: Iterable[Header] = ()) -> bytes:
    """``data`` in HTTP/1.1 chunked transfer coding: hex-size lines, the last chunk, trailers."""
    raw = _bytes(data)
    out = [b"%x\r\n%s\r\n" % (len(raw[i : i + chunk_size]), raw[i : i + chunk_size]) for i in range(0, len(raw), chunk_size)]
    out.append(b"0\r\n")
    out += [f"{name}: {value}\r\n".encode() for name, value in trailers]
    out.append(b"\r\n")
    return b"".join(out)


def encode_body(
    body: bytes | str,
    *,
    content_encoding: ContentEncoding | None = None,
    chunked: bool = False,
    chunk_size: int = 100,
) -> tuple[bytes, list[Header]]:
    """``body`` as sent on the wire, and the headers that say so. The content coding is applied
    first, then the chunked transfer coding (so gzip+chunked is chunks of gzip bytes).
    "deflate-raw" is bare deflate still labelled ``Content-Encoding: deflate``."""
    payload = _bytes(body)
    headers: list[Header] = []
    if content_encoding == "gzip":
        payload = gzip_bytes(payload)
    elif content_encoding == "br":
        payload = brotli_bytes(payload)
    elif content_encoding in ("deflate", "deflate-raw"):
        payload = deflate_bytes(payload, raw=content_encoding == "deflate-raw")
    elif content_encoding is not None:
        raise ValueError(f"unknown content encoding {content_encoding!r}")
    if content_encoding is not None:
        headers.append(("Content-Encoding", "deflate" if content_encoding == "deflate-raw" else content_encoding))
    if chunked:
        payload = chunked_bytes(payload, chunk_size)
        headers.append(("Transfer-Encoding", "chunked"))
    return payload, headers


def encoded_response(
    url: str,
    body: bytes | str,
    *,
    content_encoding: ContentEncoding | None = None,
    chunked: bool = False,
    chunk_size: int = 100,
    headers: Iterable[Header] = (),
    status: int = 200,
    content_type: str | None = "text/html; charset=utf-8",
    date: str | datetime = DEFAULT_DATE,
) -> Record:
    """A response whose ``body`` (the decoded content) is stored content- and/or transfer-encoded,
    with the matching headers (and Content-Length of the encoded bytes unless chunked)."""
    payload, coding = encode_body(body, content_encoding=content_encoding, chunked=chunked, chunk_size=chunk_size)
    return response(url, payload, status=status, content_type=content_type, headers=[*coding, *headers], date=date)


# ---------------------------------------------------------------------------------------------
# Other record kinds


def _ref_id(ref: Record | str | None) -> str | None:
    return ref.record_id if isinstance(ref, Record) else ref


def revisit(
    url: str,
    *,
    original: Record | None = None,
    payload_digest: str | None = None,
    refers_to: Record | str | None = None,
    refers_to_uri: str | None = None,
    refers_to_date: str | None = None,
    status: int = 200,
    content_type: str | None = "text/html; charset=utf-8",
    headers: Iterable[Header] = (),
    date: str | datetime = DEFAULT_DATE,
    profile: str | None = None,
) -> Record:
    """A revisit record (identical-payload-digest): the HTTP head only, no body. With ``original``
    (the earlier response) the digest and the WARC-Refers-To* headers come from it. The profile
    defaults to the identical-payload-digest URI of the file's WARC version, chosen when written."""
    if original is not None:
        payload_digest = payload_digest or original.warc_payload_digest
        refers_to = refers_to or original
        refers_to_uri = refers_to_uri or original.url
        refers_to_date = refers_to_date or original.date
    if not payload_digest:
        raise ValueError("a revisit needs the original's payload digest (give original= or payload_digest=)")
    extra: list[Header] = []
    if profile is not None:
        extra.append(("WARC-Profile", profile))
    ref = _ref_id(refers_to)
    if ref:
        extra.append(("WARC-Refers-To", ref))
    extra.append(("WARC-Refers-To-Target-URI", refers_to_uri or url))
    if refers_to_date:
        extra.append(("WARC-Refers-To-Date", refers_to_date))
    all_headers = ([("Content-Type", content_type)] if content_type is not None else []) + list(headers)
    return Record(
        "revisit", url, http_head(status, all_headers), date=_iso(date), warc_headers=tuple(extra), payload_digest=payload_digest
    )


def request(
    url: str,
    *,
    method: str = "GET",
    headers: Iterable[Header] | None = None,
    date: str | datetime = DEFAULT_DATE,
    concurrent_to: Record | str | None = None,
) -> Record:
    """An HTTP request record (``GET /path HTTP/1.1`` with Host, User-Agent and Accept headers
    unless ``headers`` are given)."""
    scheme_rest = url.split("://", 1)[-1]
    host, _, path = scheme_rest.partition("/")
    if headers is None:
        headers = [("Host", host), ("User-Agent", "newsdesk-tests/1.0"), ("Accept", "*/*")]
    lines = [f"{method} /{path} HTTP/1.1"] + [f"{n}: {v}" for n, v in headers]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    ref = _ref_id(concurrent_to)
    extra = (("WARC-Concurrent-To", ref),) if ref else ()
    return Record("request", url, head, date=_iso(date), warc_headers=extra)


def _fields(fields: Mapping[str, str] | str) -> bytes:
    if isinstance(fields, str):
        return fields.encode("utf-8")
    return "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode("utf-8")


def metadata(
    url: str,
    text: str | Mapping[str, str],
    *,
    date: str | datetime = DEFAULT_DATE,
    refers_to: Record | str | None = None,
    content_type: str = "application/warc-fields",
) -> Record:
    """A metadata record about ``url``: ``text`` as is, or a mapping written as warc-fields lines."""
    ref = _ref_id(refers_to)
    extra = (("WARC-Concurrent-To", ref),) if ref else ()
    return Record("metadata", url, None, _fields(text), content_type, _iso(date), warc_headers=extra)


def warcinfo(
    fields: Mapping[str, str] | str | None = None,
    *,
    filename: str | None = None,
    date: str | datetime = DEFAULT_DATE,
) -> Record:
    """A warcinfo record (no target URI); ``fields`` default to a small software/format block."""
    if fields is None:
        fields = {
            "software": "newsdesk-tests crawlfiles",
            "format": "WARC File Format 1.0",
            "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
            "isPartOf": "newsdesk-test-crawl",
        }
    extra = (("WARC-Filename", filename),) if filename else ()
    return Record("warcinfo", None, None, _fields(fields), date=_iso(date), warc_headers=extra)


def resource(
    url: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", *, date: str | datetime = DEFAULT_DATE
) -> Record:
    """A resource record: ``body`` as the whole block, no HTTP headers."""
    return Record("resource", url, None, _bytes(body), content_type, _iso(date))


def conversion(
    url: str,
    text: str,
    *,
    refers_to: Record | str | None = None,
    date: str | datetime = DEFAULT_DATE,
    language: str | None = None,
) -> Record:
    """A WET conversion record: ``text`` as text/plain, with WARC-Refers-To (the original record's
    id; a stable made-up one when ``refers_to`` is None) and, if given, the identified language."""
    ref = _ref_id(refers_to) or f"<urn:uuid:{uuid.uuid5(_RECORD_ID_NAMESPACE, 'original ' + url)}>"
    extra: list[Header] = [("WARC-Refers-To", ref)]
    if language:
        extra.append(("WARC-Identified-Content-Language", language))
    return Record("conversion", url, None, text.encode("utf-8"), "text/plain", _iso(date), warc_headers=tuple(extra))


def mixed_records(base: str = "https://news.example.com") -> list[Record]:
    """A small crawl of every common kind: warcinfo, request+response pairs, an encoded page, a
    redirect, a 404, an image, a revisit of the first page, metadata and a resource."""
    page = response(f"{base}/news/1", _small_page("Story one", "The council met."))
    return [
        warcinfo(filename="mixed.warc.gz"),
        request(f"{base}/news/1", concurrent_to=page),
        page,
        metadata(f"{base}/news/1", {"fetchTimeMs": "120"}, refers_to=page),
        encoded_response(f"{base}/news/2", _small_page("Story two", "Trams are late."), content_encoding="gzip"),
        redirect(f"{base}/old", f"{base}/news/1"),
        not_found(f"{base}/missing"),
        image_response(f"{base}/logo.png"),
        revisit(f"{base}/news/1", original=page, date="2024-01-03T03:04:05Z"),
        resource(f"{base}/about", _small_page("About", "We report.")),
    ]


# ---------------------------------------------------------------------------------------------
# WARC writing


def _gzip_member(data: bytes) -> bytes:
    return gzip_bytes(data)


def _warc_header_list(rec: Record, version: Version) -> list[Header]:
    headers: list[Header] = [("WARC-Type", rec.kind), ("WARC-Record-ID", rec.record_id), ("WARC-Date", rec.date)]
    if rec.url is not None:
        headers.append(("WARC-Target-URI", rec.url))
    if rec.ip is not None:
        headers.append(("WARC-IP-Address", rec.ip))
    if rec.kind == "revisit" and not _has(rec.warc_headers, "WARC-Profile"):
        headers.append(("WARC-Profile", _REVISIT_PROFILE[version]))
    headers += rec.warc_headers
    digest = rec.warc_payload_digest
    if digest is not None:
        headers.append(("WARC-Payload-Digest", digest))
    headers.append(("WARC-Block-Digest", rec.block_digest))
    return headers


def _hand_built(rec: Record, version: Version) -> bytes:
    headers = [*_warc_header_list(rec, version), ("Content-Type", rec.content_type), ("Content-Length", str(len(rec.block)))]
    head = f"WARC/{version}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers) + "\r\n"
    return head.encode("utf-8") + rec.block + b"\r\n\r\n"


def _warcio_http(rec: Record) -> StatusAndHeaders | None:
    """The record's HTTP head as warcio would write it back, or None if that would not be byte-exact."""
    if rec.http_head is None:
        return None
    parsed = StatusAndHeadersParser([], verify=False).parse(io.BytesIO(rec.http_head))
    if parsed.to_bytes() != rec.http_head:
        return None
    return parsed


def _fits_warcio(rec: Record) -> bool:
    if rec.http_head is None:
        return rec.kind != "revisit"
    if rec.kind not in ("response", "request", "revisit"):
        return False
    if rec.kind == "revisit" and rec.payload:
        return False  # warcio writes a revisit's HTTP head only
    return _warcio_http(rec) is not None


def _warcio_built(rec: Record, version: Version, gzip: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip, warc_version=version)
    warc_headers = StatusAndHeaders("", _warc_header_list(rec, version), protocol=f"WARC/{version}")
    record = writer.create_warc_record(
        rec.url or "",
        rec.kind,
        payload=io.BytesIO(rec.payload),
        length=len(rec.payload),
        warc_content_type=rec.content_type,
        warc_headers=warc_headers,
        http_headers=_warcio_http(rec),
    )
    writer.write_record(record)
    return out.getvalue()


def _serialise(rec: Record, version: Version, gzip: bool, hand: bool) -> bytes:
    if not hand and _fits_warcio(rec):
        return _warcio_built(rec, version, gzip)
    raw = _hand_built(rec, version)
    return _gzip_member(raw) if gzip else raw


def _check_version(version: str) -> Version:
    if version not in ("1.0", "1.1"):
        raise ValueError(f"WARC version must be '1.0' or '1.1', not {version!r}")
    return version  # type: ignore[return-value]


def warc_bytes(
    records: Iterable[Record],
    *,
    version: Version = "1.0",
    compression: Compression = "record",
    hand_built: bool = False,
) -> bytes:
    """A WARC file's bytes. ``compression``: "record" (a gzip member per record), "file" (one gzip
    stream around the whole file) or None. ``hand_built`` skips warcio's writer for every record
    (the output is the same byte for byte; it exists to prove that)."""
    v = _check_version(version)
    if compression not in ("record", "file", None):
        raise ValueError(f"unknown compression {compression!r}")
    parts = [_serialise(rec, v, compression == "record", hand_built) for rec in records]
    data = b"".join(parts)
    return _gzip_member(data) if compression == "file" else data


def write_warc(
    path: str | os.PathLike[str],
    records: Iterable[Record],
    *,
    version: Version = "1.0",
    compression: Compression = "record",
) -> Path:
    """Write ``warc_bytes(records, ...)`` to ``path`` (the name is used as given) and return it."""
    out = Path(path)
    out.write_bytes(warc_bytes(records, version=version, compression=compression))
    return out


# ---------------------------------------------------------------------------------------------
# WET


def _wet_info(filename: str | None, date: str) -> Record:
    fields = {
        "Software-Info": "ia-web-commons.1.1.10-SNAPSHOT-20240101000000",
        "Extracted-Date": "Tue, 02 Jan 2024 03:04:05 GMT",
        "robots": "checked via crawler-commons 1.5-SNAPSHOT (https://github.com/crawler-commons/crawler-commons)",
        "isPartOf": "CC-MAIN-2024-01",
        "operator": "newsdesk tests",
        "description": "Synthetic WET file for newsdesk tests",
        "publisher": "newsdesk tests",
    }
    return warcinfo(fields, filename=filename, date=date)


def wet_bytes(
    records: Iterable[Record],
    *,
    filename: str | None = "test.warc.wet.gz",
    date: str | datetime = DEFAULT_DATE,
) -> bytes:
    """A WET file (.warc.wet.gz) as Common Crawl publishes it: WARC/1.0, a gzip member per record,
    a warcinfo first (Common Crawl's fields, added unless ``records`` start with a warcinfo),
    then conversion records. Only warcinfo and conversion records are accepted."""
    recs = list(records)
    for rec in recs:
        if rec.kind not in ("warcinfo", "conversion"):
            raise ValueError(f"a WET file holds warcinfo and conversion records, not {rec.kind}")
    if not recs or recs[0].kind != "warcinfo":
        recs.insert(0, _wet_info(filename, _iso(date)))
    return warc_bytes(recs, version="1.0", compression="record")


def write_wet(path: str | os.PathLike[str], records: Iterable[Record], *, date: str | datetime = DEFAULT_DATE) -> Path:
    """Write ``wet_bytes(records)`` to ``path`` (its name goes into the warcinfo) and return it."""
    out = Path(path)
    out.write_bytes(wet_bytes(records, filename=out.name, date=date))
    return out


# ---------------------------------------------------------------------------------------------
# ARC (version 1)

_ARC_FIELDS = b"URL IP-address Archive-date Content-type Archive-length\n"


def _arc_mime(rec: Record) -> str:
    if rec.http_head is None:
        value = rec.content_type
    else:
        value = next((v for n, v in rec.http_headers if n.lower() == "content-type"), "no-type")
    return value.split(";", 1)[0].strip() or "no-type"


def arc_bytes(
    records: Iterable[Record],
    *,
    compression: Literal["record"] | None = "record",
    filename: str = "test.arc.gz",
    date: str | datetime = DEFAULT_DATE,
    origin: str = "newsdesk tests",
) -> bytes:
    """An ARC v1 file: the ``filedesc://`` version block, then one URL record per response
    (``URL IP Archive-date Content-type Archive-length`` + the HTTP response bytes + a newline).
    ``compression="record"`` makes each of them its own gzip member (.arc.gz); None gives .arc.
    Responses and resources only (ARC has no other record kinds); ``date`` dates the version block."""
    if compression not in ("record", None):
        raise ValueError("ARC files are either plain or gzip per record")
    stamp = re.sub(r"\D", "", _iso(date))[:14]
    version_body = f"1 0 {origin}\n".encode() + _ARC_FIELDS
    parts = [f"filedesc://{filename} 0.0.0.0 {stamp} text/plain {len(version_body)}\n".encode() + version_body + b"\n"]
    for rec in records:
        if rec.kind not in ("response", "resource") or not rec.url:
            raise ValueError(f"an ARC file holds responses with a URL, not {rec.kind} records")
        block = rec.block
        line = f"{rec.url} {rec.ip or '0.0.0.0'} {rec.arc_date} {_arc_mime(rec)} {len(block)}\n"
        parts.append(line.encode("utf-8") + block + b"\n")
    if compression == "record":
        parts = [_gzip_member(p) for p in parts]
    return b"".join(parts)


def write_arc(
    path: str | os.PathLike[str],
    records: Iterable[Record],
    *,
    compression: Literal["record"] | None = "record",
    date: str | datetime = DEFAULT_DATE,
) -> Path:
    """Write ``arc_bytes(records, ...)`` to ``path`` (its name goes into the filedesc line)."""
    out = Path(path)
    out.write_bytes(arc_bytes(records, compression=compression, filename=out.name, date=date))
    return out


# ---------------------------------------------------------------------------------------------
# Offsets


def _read(source: Source) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _gzip_members(data: bytes) -> list[tuple[int, int, bytes]]:
    """(start, end, decompressed bytes) of each gzip member."""
    members = []
    view = memoryview(data)
    pos = 0
    while pos < len(data):
        d = zlib.decompressobj(31)
        out = d.decompress(view[pos:])
        if not d.eof:
            raise ValueError(f"gzip member at {pos} is incomplete")
        end = len(data) - len(d.unused_data)
        members.append((pos, end, out))
        pos = end
    return members


def _plain_spans(raw: bytes) -> list[tuple[int, int]]:
    """(start, end) of each WARC or ARC record in uncompressed bytes; the end includes the blank
    lines that follow the record."""
    spans = []
    pos = 0
    while pos < len(raw):
        if raw.startswith(b"WARC/", pos):
            head_end = raw.index(b"\r\n\r\n", pos) + 4
            match = re.search(rb"\r\ncontent-length:[ \t]*(\d+)", raw[pos:head_end], re.IGNORECASE)
            if match is None:
                raise ValueError(f"WARC record at {pos} has no Content-Length")
            end = head_end + int(match.group(1))
        else:
            line_end = raw.index(b"\n", pos) + 1
            fields = raw[pos:line_end].split()
            if len(fields) < 5 or not fields[-1].isdigit():
                raise ValueError(f"neither a WARC nor an ARC record at {pos}")
            end = line_end + int(fields[-1])
        while end < len(raw) and raw[end : end + 1] in (b"\r", b"\n"):
            end += 1
        spans.append((pos, end))
        pos = end
    return spans


def record_spans(source: Source) -> list[tuple[int, int]]:
    """(start, end) of each record of an undamaged WARC, WET or ARC file. Gzip per record: each
    gzip member (end = the next member's start, what warcio calls offset and length). Plain: the
    record in the file, the blank lines after it included. One gzip stream around the whole file
    ("file" compression): positions in the *decompressed* stream, since the compressed file has no
    record boundaries."""
    data = _read(source)
    if not data.startswith(b"\x1f\x8b"):
        return _plain_spans(data)
    members = _gzip_members(data)
    if len(members) == 1:
        spans = _plain_spans(members[0][2])
        return [(0, len(data))] if len(spans) == 1 else spans
    for start, _, raw in members:
        if len(_plain_spans(raw)) != 1:
            raise ValueError(f"gzip member at {start} does not hold exactly one record")
    return [(start, end) for start, end, _ in members]


def record_offsets(source: Source) -> list[int]:
    """The offset at which each record starts (see ``record_spans``): for gzip per record, the
    start of its gzip member — the OFFSET in a locator like ``file.warc.gz@OFFSET``."""
    return [start for start, _ in record_spans(source)]


# ---------------------------------------------------------------------------------------------
# Damage


def _compressed_cut(data: bytes, target: int) -> int:
    """For a single gzip stream: the first compressed length whose decompression reaches past
    decompressed offset ``target``."""
    d = zlib.decompressobj(31)
    produced = 0
    for i in range(len(data)):
        produced += len(d.decompress(data[i : i + 1]))
        if produced > target:
            return i + 1
    raise ValueError("target is past the end of the stream")


@overload
def truncate(source: bytes, at: int | None = None, *, record: int | None = None, fraction: float = 0.5) -> bytes: ...
@overload
def truncate(
    source: str | os.PathLike[str], at: int | None = None, *, record: int | None = None, fraction: float = 0.5
) -> Path: ...
def truncate(source: Source, at: int | None = None, *, record: int | None = None, fraction: float = 0.5) -> bytes | Path:
    """Cut a crawl file short: at byte ``at``, or inside record number ``record`` (0-based),
    ``fraction`` of the way through it (records before it stay whole, it and the rest are lost).
    Bytes in, bytes out; a path is cut in place and returned. For a "file"-compressed WARC the
    cut is placed so the decompressed stream ends inside that record."""
    data = _read(source)
    if (at is None) == (record is None):
        raise ValueError("give either at= or record=")
    if record is not None:
        if not 0 < fraction < 1:
            raise ValueError("fraction must be between 0 and 1")
        spans = record_spans(data)
        start, end = spans[record]
        inside = start + max(1, int((end - start) * fraction))
        single_stream = data.startswith(b"\x1f\x8b") and len(spans) > 1 and len(_gzip_members(data)) == 1
        at = _compressed_cut(data, inside) if single_stream else inside
        if single_stream and len(zlib.decompressobj(31).decompress(data[:at])) >= end:
            raise ValueError(f"cannot cut the gzip stream inside record {record}")
    assert at is not None
    if not 0 <= at <= len(data):
        raise ValueError(f"offset {at} is outside the file (0..{len(data)})")
    if isinstance(source, bytes):
        return data[:at]
    out = Path(source)
    out.write_bytes(data[:at])
    return out


def corrupt_record(data: bytes, index: int, *, where: Literal["start", "middle"] = "middle") -> tuple[bytes, int]:
    """Flip bytes inside the compressed body of record ``index`` of a gzip-per-record file, so
    that record cannot be decompressed while every gzip member after it stays intact. ``where``:
    "middle" damages the deflate data halfway (the record's headers may still decode), "start"
    right after the gzip header (nothing of it decodes). Returns the damaged bytes and the offset
    where the damaged record starts (the offset of the record after it is unchanged)."""
    members = _gzip_members(data) if data.startswith(b"\x1f\x8b") else []
    if len(members) < 2:
        raise ValueError("corrupt_record needs a gzip-per-record file")
    start, end, _ = members[index]
    body_start, body_end = start + 10, end - 8  # the gzip header (no optional fields) and trailer
    length = body_end - body_start
    first = body_start if where == "start" else body_start + length // 2 - 4
    first = max(body_start, first)
    last = min(body_end, first + 8)
    damaged = bytearray(data)
    for i in range(first, last):
        damaged[i] ^= 0xFF
    return bytes(damaged), start


def not_a_warc(kind: Literal["html", "text", "binary", "gzip", "empty"] = "html") -> bytes:
    """Bytes that are no crawl file: an HTML page, plain text, random-looking binary, a gzip of
    plain text (right magic, wrong content), or nothing at all."""
    # A short first line: warcio takes any line of five or more words for an ARC record header.
    text = b"Plain notes.\nThis is not a WARC, a WET or an ARC file.\n"
    if kind == "html":
        return _small_page("Not a WARC", "Just a web page.").encode()
    if kind == "text":
        return text
    if kind == "binary":
        return bytes((i * 97 + 13) % 256 for i in range(512))
    if kind == "gzip":
        return gzip_bytes(text)
    if kind == "empty":
        return b""
    raise ValueError(f"unknown kind {kind!r}")
