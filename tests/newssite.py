"""A made-up news site on 127.0.0.1 for the tests of ``newsdesk fetch`` / ``newsdesk watch``.

A real HTTP/1.1 server (standard library ``ThreadingHTTPServer`` in a daemon thread, keep-alive,
``Content-Length`` on every response except the chunked one and 304s) that records every request
it answers in ``hits``::

    with NewsSite(articles=6, crawl_delay=0.2) as site:
        run("fetch", site.url, ...)
        assert sorted(set(site.paths())) ...
        assert all(site.count(p) == 1 for p in site.article_paths)

Paths (``N`` = 1 … ``articles``, plus any published later with ``add_article()``):

Discovery
  ``/robots.txt``            ``User-agent: *``, ``Disallow: /private/``, ``Crawl-delay`` (left out when
                             ``crawl_delay`` is None), ``Sitemap: {url}/sitemap_index.xml``.
  ``/``                      home page: ``<link rel="alternate">`` to ``/feed.rss`` (RSS) and ``/atom.xml``
                             (Atom), ``<a>`` links to the first three articles and to ``/private/secret-2.html``.
  ``/sitemap_index.xml``     sitemap index → ``/news-sitemap.xml.gz`` and ``/sitemap.xml`` (with lastmod).
  ``/news-sitemap.xml.gz``   gzipped Google News sitemap (``application/gzip``, no Content-Encoding): the first
                             half of the initial articles, ``/news/1.html`` … ``/news/ceil(articles/2).html``,
                             with news:title, news:publication_date, news:language ``en``. Never changes.
  ``/sitemap.xml``           plain sitemap: the other articles (and every one added later), then
                             ``/private/secret-1.html``, ``/media/photo.jpg``, ``/media/report.pdf`` and the special
                             pages below (``/flaky.html`` … ``/stall.html``).
  ``/feed.rss``, ``/atom.xml``  RSS 2.0 and Atom feeds of every ``/news/N.html`` (the same absolute URLs as the
                             sitemaps: each page is listed two or three times and should be fetched once).
  ``/sitemap.txt``           plain-text sitemap, one URL a line: every ``/news/N.html``.
  All six listings answer conditional GETs: each sends ``ETag`` (a hash of the body) and ``Last-Modified``;
  a matching ``If-None-Match`` (or, without one, an ``If-Modified-Since`` not older than the last change)
  gets ``304 Not Modified`` with no body. ``add_article()`` changes the RSS, Atom, plain-text and plain
  sitemaps and so the index (whose lastmod moves); the news sitemap stays as it was.

Pages a polite crawler ends up storing (``article_paths``)
  ``/news/N.html``           article N, published ``2026-11-01T08:00:00+00:00`` + (N-1) days.
  ``/flaky.html``            first GET: ``503`` with ``Retry-After: 1``; later GETs: 200, an article.
  ``/busy.html``             first GET: ``429`` with ``Retry-After: 1``; later GETs: 200, an article.
  ``/news/moved.html``       an article, reached through ``/redirected.html``.

Pages it must not store
  ``/private/secret-1.html``, ``/private/secret-2.html``  articles under the robots-disallowed prefix
                             (``disallowed_paths``); served with 200 all the same.
  ``/redirected.html``       ``301`` to ``{url}/news/moved.html`` (absolute Location).
  ``/loop/a``, ``/loop/b``   ``302`` to each other (relative Location), for ever.
  ``/media/photo.jpg``       ``image/jpeg``, a few bytes of a JFIF header.
  ``/media/report.pdf``      ``application/pdf``, a tiny document starting ``%PDF-1.4``.
  ``/huge.html``             200 ``text/html``, ``Content-Length: 52428800`` (50 MB of ``<p>xxx…</p>``),
                             streamed in 64 KB chunks, never built in memory.
  ``/huge-chunked.html``     the same 50 MB with ``Transfer-Encoding: chunked`` and no Content-Length.
  ``/stall.html``            ``Content-Length: 10000``, the first 100 bytes, then 30 s of silence (cut short when
                             the client hangs up or the site stops), then the rest.
  anything else              ``404`` (an HTML page). Routing ignores the query string; ``hits`` keep it.

Every article page comes from ``support.article_html`` with ``canonical`` = the page's own URL
(``{url}{path}``) and a published date in its meta, plus two paragraphs of ``support.prose`` text
seeded by ``seed`` and the page, so no two pages share more than the boilerplate paragraphs.
HEAD is answered like GET without a body (and never trips ``/flaky.html`` / ``/busy.html``).
Nothing is logged; unexpected server-side exceptions are kept in ``errors``.

Manual use: ``python tests/newssite.py [--port N] [--articles N] [--crawl-delay S]``.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import hashlib
import re
import select
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from support import article_html, prose

HUGE_SIZE = 50 * 1024 * 1024
CHUNK = 64 * 1024
STALL_SIZE = 10_000
STALL_FIRST = 100
STALL_SECONDS = 30.0
FIRST_PUBLISHED = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"

JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xdb\x00\x43\x00" + bytes(range(1, 65)) + b"\xff\xd9")
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
       b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")

_NEWS = re.compile(r"/news/([1-9][0-9]*)\.html")
_SECRET = re.compile(r"/private/secret-([1-9][0-9]*)\.html")
_SECRETS = 2

# Special article pages: path → (number for article_html, title, published).
_SPECIAL = {
    "/flaky.html": (901, "Tram depot reopens after power cut", "2026-10-29T09:30:00+00:00"),
    "/busy.html": (902, "Ticket queues ease as the transport app launches", "2026-10-30T10:15:00+00:00"),
    "/news/moved.html": (903, "Bus routes renumbered ahead of tram works", "2026-10-31T11:45:00+00:00"),
}


@dataclass
class Hit:
    """One request the site answered."""

    time: float  # time.monotonic() when the request line was read
    method: str
    path: str  # path + query as requested
    headers: dict[str, str]  # lower-case names
    status: int  # what the server answered


@dataclass
class _Doc:
    body: bytes
    content_type: str
    etag: str
    mtime: int  # seconds since the epoch: Last-Modified


def published(n: int) -> datetime:
    """When article ``n`` (``/news/n.html``) was published: 2026-11-01 08:00 UTC + (n-1) days."""
    return FIRST_PUBLISHED + timedelta(days=n - 1)


def title(n: int) -> str:
    return f"Council approves transport budget, part {n}"


def feed_title(n: int) -> str:
    """The RSS feed's title for article ``n``: not the page's own, so a test can tell
    which one a record took."""
    return f"Transport budget approved (part {n}), from the feed"


def _huge_chunks() -> Iterator[bytes]:
    """Exactly HUGE_SIZE bytes of HTML, 64 KB at a time, from one reused block."""
    head = b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>A huge page</title></head><body>\n'
    tail = b"</body></html>\n"
    para = b"<p>" + b"x" * 1016 + b"</p>\n"  # 1024 bytes
    block = para * (CHUNK // len(para))
    filler = HUGE_SIZE - len(head) - len(tail)
    yield head
    for _ in range(filler // CHUNK):
        yield block
    rest = filler % CHUNK
    yield para * (rest // len(para)) + b"\n" * (rest % len(para))
    yield tail


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128
    site: NewsSite

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's FQDN; a loopback server needs no name.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if error is not None and not isinstance(error, OSError):
            self.site.errors.append(error)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "NewsSite/1.0"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stalls
    sys_version = ""
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def version_string(self) -> str:
        return self.server_version

    def handle_one_request(self) -> None:
        self._started: float | None = None
        self._recorded = False
        self.path = ""
        super().handle_one_request()

    def setup(self) -> None:
        super().setup()
        self.server.site._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.site._track(self.connection, add=False)

    def parse_request(self) -> bool:
        self._started = time.monotonic()  # the request line has just been read
        return super().parse_request()

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(code, message)
        if not self._recorded:
            self._recorded = True
            message_headers = getattr(self, "headers", None)
            headers: dict[str, str] = {}
            for name, value in (message_headers.items() if message_headers is not None else []):
                name = name.lower()
                headers[name] = f"{headers[name]}, {value}" if name in headers else value
            started = self._started if self._started is not None else time.monotonic()
            # A request line that does not parse (a 400) is kept whole as the path, with no method.
            path = self.path if self.command else getattr(self, "requestline", "")
            self.server.site._record(Hit(started, self.command or "", path, headers, int(code)))

    def do_GET(self) -> None:
        self.server.site._serve(self, head=False)

    def do_HEAD(self) -> None:
        self.server.site._serve(self, head=True)


class NewsSite:
    """The site; see the module docstring for what each path serves."""

    def __init__(self, *, articles: int = 6, crawl_delay: float | None = 0.2, seed: int = 1, port: int = 0) -> None:
        self.crawl_delay = crawl_delay
        self.seed = seed
        self.url = ""
        self.port = port
        self.hits: list[Hit] = []
        self.errors: list[BaseException] = []  # unexpected exceptions in request handlers
        self._initial = articles
        self._count = articles
        self._bare: set[int] = set()  # articles whose pages say nothing of themselves (add_article(bare=True))
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._tripped: set[str] = set()  # /flaky.html, /busy.html once they have failed
        self._docs: dict[str, _Doc] = {}
        self._last_mtime = int(time.time()) - 3600

    # --- the interface -------------------------------------------------------------------

    def __enter__(self) -> NewsSite:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    @property
    def article_paths(self) -> list[str]:
        """Every page a polite crawler should store: ``/news/N.html``, ``/flaky.html``, ``/busy.html``,
        ``/news/moved.html``."""
        return [f"/news/{n}.html" for n in range(1, self._count + 1)] + list(_SPECIAL)

    @property
    def disallowed_paths(self) -> list[str]:
        """Article pages under the robots-disallowed ``/private/``."""
        return [f"/private/secret-{n}.html" for n in range(1, _SECRETS + 1)]

    def paths(self, method: str = "GET") -> list[str]:
        """The paths (with query) requested with ``method``, in arrival order."""
        with self._lock:
            return [hit.path for hit in self.hits if hit.method == method]

    def count(self, path: str) -> int:
        """How many GETs of exactly ``path`` (query included)."""
        with self._lock:
            return sum(1 for hit in self.hits if hit.method == "GET" and hit.path == path)

    def reset(self) -> None:
        """Forget the hits (the list is cleared in place)."""
        with self._lock:
            self.hits.clear()

    def add_article(self, *, bare: bool = False) -> str:
        """Publish one more article; it joins the RSS and Atom feeds, ``/sitemap.xml`` and
        ``/sitemap.txt`` (whose ETag and Last-Modified change). Returns its path.
        ``bare``: its page has no title, date or byline of its own (only text), so what a
        record says of them comes from the feeds."""
        with self._lock:
            self._count += 1
            if bare:
                self._bare.add(self._count)
            path = f"/news/{self._count}.html"
            if self.url:
                self._build()
        return path

    def start(self) -> None:
        if self._server is not None:
            return
        self._stop.clear()
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.site = self
        self._server = server
        self.port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        with self._lock:
            self._build()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"newssite-{self.port}", daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; cuts off responses in progress (stalled, huge) and idle keep-alive connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stop.set()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(2)
            self._thread = None

    # --- bookkeeping ---------------------------------------------------------------------

    def _record(self, hit: Hit) -> None:
        with self._lock:
            bisect.insort(self.hits, hit, key=lambda h: h.time)

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # --- content -------------------------------------------------------------------------

    def _abs(self, path: str) -> str:
        return f"{self.url}{path}"

    def _page(self, path: str) -> str | None:
        """The HTML of an article page, or None when ``path`` is not one."""
        if path in _SPECIAL:
            n, heading, when = _SPECIAL[path]
            html = article_html(n, title=heading, canonical=self._abs(path), published=when, extra=path.strip("/"))
        elif (m := _NEWS.fullmatch(path)) and int(m[1]) in self._bare and int(m[1]) <= self._count:
            n = int(m[1])
            paras = "\n".join(f"<p>{p}</p>" for p in prose(n, paragraphs=5).split("\n\n"))
            html = (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><link rel="canonical" href="{self._abs(path)}">'
                    f"</head><body><article>{paras}</article></body></html>\n")
        elif (m := _NEWS.fullmatch(path)) and int(m[1]) <= self._count:
            n = int(m[1])
            html = article_html(n, canonical=self._abs(path), published=published(n).isoformat())
        elif (m := _SECRET.fullmatch(path)) and int(m[1]) <= _SECRETS:
            n = 800 + int(m[1])
            html = article_html(n, title=f"Internal memo on the budget talks, draft {m[1]}", canonical=self._abs(path),
                                published=f"2026-10-2{m[1]}T07:00:00+00:00", extra="not for publication")
        else:
            return None
        own = prose(self.seed * 100_000 + n, paragraphs=2).split("\n\n")
        return html.replace("</article>", "".join(f"<p>{p}</p>\n" for p in own) + "</article>", 1)

    def _home(self) -> str:
        links = "\n".join(f'<li><a href="/news/{n}.html">{title(n)}</a></li>' for n in range(1, min(3, self._count) + 1))
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Example News: the latest</title>
<link rel="alternate" type="application/rss+xml" title="Example News (RSS)" href="/feed.rss">
<link rel="alternate" type="application/atom+xml" title="Example News (Atom)" href="/atom.xml">
</head><body>
<header><h1>Example News</h1></header>
<main><ul>
{links}
<li><a href="/private/secret-2.html">Staff only</a></li>
</ul></main>
</body></html>
"""

    def _robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /private/"]
        if self.crawl_delay is not None:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        lines += ["", f"Sitemap: {self._abs('/sitemap_index.xml')}", ""]
        return "\n".join(lines)

    def _build(self) -> None:
        """(Re)build the listings; a listing whose bytes changed gets a new ETag and Last-Modified."""
        numbers = list(range(1, self._count + 1))
        half = (self._initial + 1) // 2
        xml = '<?xml version="1.0" encoding="UTF-8"?>\n'

        def news_url(n: int) -> str:
            return (f"<url><loc>{self._abs(f'/news/{n}.html')}</loc><news:news><news:publication>"
                    f"<news:name>Example News</news:name><news:language>en</news:language></news:publication>"
                    f"<news:publication_date>{published(n).isoformat()}</news:publication_date>"
                    f"<news:title>{escape(title(n))}</news:title></news:news></url>")

        def plain_url(path: str, lastmod: str | None = None) -> str:
            mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            return f"<url><loc>{self._abs(path)}</loc>{mod}</url>"

        news = (f'{xml}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n'
                + "\n".join(news_url(n) for n in numbers[:half]) + "\n</urlset>\n")
        others = [plain_url(f"/news/{n}.html", published(n).isoformat()) for n in numbers[half:]]
        others += [plain_url(p) for p in ("/private/secret-1.html", "/media/photo.jpg", "/media/report.pdf")]
        others += [plain_url(p) for p in ("/flaky.html", "/busy.html", "/loop/a", "/redirected.html",
                                          "/huge.html", "/huge-chunked.html", "/stall.html")]
        plain = f'{xml}<urlset xmlns="{SITEMAP_NS}">\n' + "\n".join(others) + "\n</urlset>\n"
        newest = published(max(numbers)) if numbers else FIRST_PUBLISHED
        items = "\n".join(
            f"<item><title>{escape(feed_title(n))}</title><link>{self._abs(f'/news/{n}.html')}</link>"
            f'<guid isPermaLink="true">{self._abs(f"/news/{n}.html")}</guid>'
            f"<pubDate>{format_datetime(published(n), usegmt=True)}</pubDate>"
            f"<description>Councillors back a plan to extend the tram line (part {n}).</description></item>"
            for n in reversed(numbers)
        )
        rss = (f'{xml}<rss version="2.0"><channel><title>Example News</title><link>{self._abs("/")}</link>'
               f"<description>The latest from Example News</description><language>en</language>"
               f"<lastBuildDate>{format_datetime(newest, usegmt=True)}</lastBuildDate>\n{items}\n</channel></rss>\n")

        def stamp(when: datetime) -> str:
            return when.strftime("%Y-%m-%dT%H:%M:%SZ")

        entries = "\n".join(
            f"<entry><id>{self._abs(f'/news/{n}.html')}</id><title>{escape(title(n))}</title>"
            f'<link rel="alternate" type="text/html" href="{self._abs(f"/news/{n}.html")}"/>'
            f"<published>{stamp(published(n))}</published><updated>{stamp(published(n))}</updated>"
            f"<author><name>Jane Reporter</name></author>"
            f"<summary>Councillors back a plan to extend the tram line (part {n}).</summary></entry>"
            for n in reversed(numbers)
        )
        atom = (f'{xml}<feed xmlns="{ATOM_NS}"><id>{self._abs("/")}</id><title>Example News</title>'
                f'<link rel="self" href="{self._abs("/atom.xml")}"/><link rel="alternate" href="{self._abs("/")}"/>'
                f"<updated>{stamp(newest)}</updated>\n{entries}\n</feed>\n")
        text = "".join(self._abs(f"/news/{n}.html") + "\n" for n in numbers)

        now = max(int(time.time()), self._last_mtime + 1)
        changed = False

        def put(path: str, body: bytes, content_type: str) -> None:
            nonlocal changed
            old = self._docs.get(path)
            if old is not None and old.body == body:
                return
            changed = True
            self._docs[path] = _Doc(body, content_type, f'"{hashlib.sha1(body).hexdigest()[:20]}"', now)

        put("/news-sitemap.xml.gz", gzip.compress(news.encode(), mtime=0), "application/gzip")
        put("/sitemap.xml", plain.encode(), "application/xml; charset=utf-8")
        put("/feed.rss", rss.encode(), "application/rss+xml; charset=utf-8")
        put("/atom.xml", atom.encode(), "application/atom+xml; charset=utf-8")
        put("/sitemap.txt", text.encode(), "text/plain; charset=utf-8")

        def lastmod(path: str) -> str:
            return datetime.fromtimestamp(self._docs[path].mtime, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

        index = (f'{xml}<sitemapindex xmlns="{SITEMAP_NS}">\n'
                 + "\n".join(f"<sitemap><loc>{self._abs(p)}</loc><lastmod>{lastmod(p)}</lastmod></sitemap>"
                             for p in ("/news-sitemap.xml.gz", "/sitemap.xml"))
                 + "\n</sitemapindex>\n")
        put("/sitemap_index.xml", index.encode(), "application/xml; charset=utf-8")
        if changed:
            self._last_mtime = now

    # --- answering -----------------------------------------------------------------------

    def _serve(self, h: _Handler, *, head: bool) -> None:
        try:
            self._answer(h, urlsplit(h.path).path if h.path.startswith(("http://", "https://")) else h.path, head)
        except OSError:  # BrokenPipeError, ConnectionResetError, …
            h.close_connection = True  # the client hung up, or stop() cut the connection

    def _answer(self, h: _Handler, target: str, head: bool) -> None:
        path = target.split("?", 1)[0].split("#", 1)[0]
        html = "text/html; charset=utf-8"
        with self._lock:
            doc = self._docs.get(path)
            page = self._page(path)
        if doc is not None:
            self._listing(h, doc, head)
        elif path == "/robots.txt":
            self._send(h, 200, self._robots().encode(), "text/plain; charset=utf-8", head)
        elif path == "/":
            self._send(h, 200, self._home().encode(), html, head)
        elif path in ("/flaky.html", "/busy.html") and not self._passed(path, trip=not head):
            status = 503 if path == "/flaky.html" else 429
            reason = "Service Unavailable" if status == 503 else "Too Many Requests"
            self._send(h, status, _message(status, reason), html, head, [("Retry-After", "1")])
        elif page is not None:
            self._send(h, 200, page.encode(), html, head)
        elif path in ("/loop/a", "/loop/b"):
            other = "/loop/b" if path == "/loop/a" else "/loop/a"
            self._send(h, 302, _message(302, "Found"), html, head, [("Location", other)])
        elif path == "/redirected.html":
            self._send(h, 301, _message(301, "Moved Permanently"), html, head,
                       [("Location", self._abs("/news/moved.html"))])
        elif path == "/media/photo.jpg":
            self._send(h, 200, JPEG, "image/jpeg", head)
        elif path == "/media/report.pdf":
            self._send(h, 200, PDF, "application/pdf", head)
        elif path == "/huge.html":
            self._huge(h, head, chunked=False)
        elif path == "/huge-chunked.html":
            self._huge(h, head, chunked=True)
        elif path == "/stall.html":
            self._stall(h, head)
        else:
            self._send(h, 404, _message(404, "Not Found"), html, head)

    def _passed(self, path: str, *, trip: bool) -> bool:
        """Whether ``path`` has failed once already; a GET (``trip``) uses up the failure."""
        with self._lock:
            if path in self._tripped:
                return True
            if trip:
                self._tripped.add(path)
            return False

    @staticmethod
    def _send(h: _Handler, status: int, body: bytes, content_type: str, head: bool,
              headers: list[tuple[str, str]] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        for name, value in headers or []:
            h.send_header(name, value)
        h.end_headers()
        if not head:
            h.wfile.write(body)

    def _listing(self, h: _Handler, doc: _Doc, head: bool) -> None:
        validators = [("ETag", doc.etag), ("Last-Modified", formatdate(doc.mtime, usegmt=True))]
        if _fresh(h, doc):
            h.send_response(304)
            for name, value in validators:
                h.send_header(name, value)
            h.end_headers()
        else:
            self._send(h, 200, doc.body, doc.content_type, head, validators)

    def _huge(self, h: _Handler, head: bool, *, chunked: bool) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        if chunked:
            h.send_header("Transfer-Encoding", "chunked")
        else:
            h.send_header("Content-Length", str(HUGE_SIZE))
        h.end_headers()
        if head:
            return
        for chunk in _huge_chunks():
            if self._stop.is_set():
                h.close_connection = True
                return
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            h.wfile.write(b"0\r\n\r\n")

    def _stall(self, h: _Handler, head: bool) -> None:
        page = article_html(904, title="A page that stalls", canonical=self._abs("/stall.html"), extra="stalled")
        body = page.encode()[:STALL_SIZE].ljust(STALL_SIZE, b"\n")
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(STALL_SIZE))
        h.end_headers()
        if head:
            return
        h.wfile.write(body[:STALL_FIRST])
        deadline = time.monotonic() + STALL_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            if self._stop.wait(min(0.1, left)) or _hung_up(h.connection):
                h.close_connection = True
                return
        h.wfile.write(body[STALL_FIRST:])


def _message(status: int, reason: str) -> bytes:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{status} {reason}</title></head>'
            f"<body><h1>{status} {reason}</h1></body></html>\n").encode()


def _fresh(h: _Handler, doc: _Doc) -> bool:
    """Whether the request's validators match ``doc`` (If-None-Match wins over If-Modified-Since)."""
    match = h.headers.get("If-None-Match")
    if match is not None:
        tags = [tag.strip() for tag in match.split(",")]
        return "*" in tags or any(tag.removeprefix("W/") == doc.etag for tag in tags)
    since = h.headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return doc.mtime <= when.timestamp()


def _hung_up(connection: socket.socket) -> bool:
    """Whether the peer has closed its end (readable with nothing to read)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve the made-up news site of the fetch tests until Ctrl-C.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--articles", type=int, default=6)
    parser.add_argument("--crawl-delay", type=float, default=0.2, help="negative: no Crawl-delay line")
    args = parser.parse_args(argv)
    delay = None if args.crawl_delay < 0 else args.crawl_delay
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it as Ctrl-C does
    with NewsSite(articles=args.articles, crawl_delay=delay, port=args.port) as site:
        print(site.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
