"""One HTTP GET, bounded: what `newsdesk fetch` asks of the network, and nothing more.

httpx does the HTTP/1.1 (connection reuse, split connect/read timeouts, streamed bodies).
Redirects are not followed here: the crawler follows them itself, so that every hop is
checked against robots.txt, canonicalised, spaced like any other request to its host and
written to the WARC file. The body is read raw (content codings kept, as a web archive
records it) and never past ``max_bytes``: a declared length past the limit is refused
before a byte of the body is read, an undeclared one is cut off when it passes it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ... import __version__

# The product token names the tool and where to read about it; `--user-agent` (or the
# NEWSDESK_USER_AGENT variable) replaces it, and the README asks users to put a contact URL
# or address of their own in it, as site owners expect of a crawler.
DEFAULT_USER_AGENT = f"newsdesk/{__version__} (+https://pypi.org/project/newsdesk/)"
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
# The codings read.http can undo (brotli is a dependency); zstd is not offered.
ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass(slots=True)
class Response:
    """What came back for one GET (``error`` set, ``status`` 0 when no response did)."""

    url: str
    status: int = 0
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    request_line: str = ""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    ip: str | None = None
    started: float = 0.0  # time.monotonic() when the request was sent
    error: str | None = None
    error_kind: str | None = None  # "timeout", "connect", "too-large", "protocol"

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    @property
    def retryable(self) -> bool:
        """A failure worth another try later: a timeout, a refused or reset connection,
        429, or a server error."""
        if self.error_kind in ("timeout", "connect", "protocol"):
            return True
        return self.status == 429 or 500 <= self.status < 600


class Client:
    """A pooled httpx client with the run's limits. Thread-safe (httpx's Client is)."""

    def __init__(self, *, user_agent: str = DEFAULT_USER_AGENT, connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
                 read_timeout: float = DEFAULT_READ_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 connections: int = 8) -> None:
        import httpx

        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout
        # trust_env off: no proxy or .netrc picked up behind the user's back; the requests
        # go where their URLs say.
        self._http = httpx.Client(
            http1=True, http2=False, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=None),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            headers={"User-Agent": user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Response:
        import httpx

        out = Response(url, started=time.monotonic())
        # A body that trickles in slower than the read timeout per chunk but never ends:
        # the whole response gets this long.
        deadline = out.started + 4 * self.read_timeout
        try:
            request = self._http.build_request("GET", url, headers=headers)
            out.request_line = f"GET {request.url.raw_path.decode('ascii', 'replace')} HTTP/1.1"
            out.request_headers = [(k, v) for k, v in request.headers.multi_items()]
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException as exc:
            return _failed(out, "timeout", f"timed out connecting or waiting for the response ({type(exc).__name__})")
        except (httpx.ConnectError, httpx.NetworkError) as exc:
            return _failed(out, "connect", f"cannot connect ({exc})")
        except httpx.HTTPError as exc:
            return _failed(out, "protocol", f"HTTP error ({type(exc).__name__}: {exc})")
        try:
            out.status, out.reason = response.status_code, response.reason_phrase
            out.http_version = response.http_version or "HTTP/1.1"
            out.headers = [(k, v) for k, v in response.headers.multi_items()]
            out.ip = _peer(response)
            declared = response.headers.get("content-length")
            if declared and declared.strip().isdigit() and int(declared) > self.max_bytes:
                return _failed(out, "too-large", f"body of {_mb(int(declared))} is past the {_mb(self.max_bytes)} limit "
                               "(not read)")
            body = bytearray()
            for chunk in response.iter_raw():
                body += chunk
                if len(body) > self.max_bytes:
                    return _failed(out, "too-large", f"body passed the {_mb(self.max_bytes)} limit (reading stopped)")
                if time.monotonic() > deadline:
                    return _failed(out, "timeout", f"body not complete after {4 * self.read_timeout:g} s")
            out.body = bytes(body)
            return out
        except httpx.TimeoutException:
            return _failed(out, "timeout", f"read timed out after {self.read_timeout:g} s")
        except httpx.HTTPError as exc:
            return _failed(out, "protocol", f"connection broke while reading ({type(exc).__name__}: {exc})")
        finally:
            response.close()

    def close(self) -> None:
        self._http.close()


def _failed(out: Response, kind: str, message: str) -> Response:
    out.error_kind, out.error = kind, message
    return out


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _peer(response: Any) -> str | None:
    stream = response.extensions.get("network_stream")
    try:
        addr = stream.get_extra_info("server_addr") if stream is not None else None
    except Exception:  # an exotic transport without the info: the WARC field is optional
        return None
    return str(addr[0]) if addr else None


__all__ = ["Client", "Response", "DEFAULT_USER_AGENT", "DEFAULT_MAX_BYTES", "DEFAULT_CONNECT_TIMEOUT",
           "DEFAULT_READ_TIMEOUT"]
