"""Self-check of the loopback news site (tests/newssite.py) the fetch/watch tests crawl."""

from __future__ import annotations

import gzip
import http.client
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from newssite import HUGE_SIZE, NEWS_NS, SITEMAP_NS, NewsSite, _huge_chunks

from newsdesk.urls import identity_url, normalise_url

SM = f"{{{SITEMAP_NS}}}"
NEWS = f"{{{NEWS_NS}}}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with NewsSite(articles=6, crawl_delay=0.2) as s:
        yield s
    assert s.errors == []


@pytest.fixture
def client(site: NewsSite) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, trust_env=False, timeout=5) as c:
        yield c


def locs(xml: bytes) -> list[str]:
    return [el.text or "" for el in ET.fromstring(xml).iter(f"{SM}loc")]


def paths_of(site: NewsSite, urls: list[str]) -> list[str]:
    assert all(u.startswith(site.url + "/") for u in urls), urls
    return [u[len(site.url):] for u in urls]


def news(site: NewsSite) -> list[str]:
    return [p for p in site.article_paths if re.fullmatch(r"/news/\d+\.html", p)]


def test_robots(site: NewsSite, client: httpx.Client) -> None:
    r = client.get("/robots.txt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    lines = r.text.splitlines()
    assert lines[:3] == ["User-agent: *", "Disallow: /private/", "Crawl-delay: 0.2"]
    assert f"Sitemap: {site.url}/sitemap_index.xml" in lines
    with NewsSite(crawl_delay=None) as other, httpx.Client(trust_env=False) as c:
        assert "Crawl-delay" not in c.get(f"{other.url}/robots.txt").text


def test_sitemaps(site: NewsSite, client: httpx.Client) -> None:
    index = client.get("/sitemap_index.xml")
    assert index.status_code == 200
    children = paths_of(site, locs(index.content))
    assert children == ["/news-sitemap.xml.gz", "/sitemap.xml"]

    gz = client.get("/news-sitemap.xml.gz")
    assert gz.headers["content-type"] in ("application/gzip", "application/x-gzip")
    assert "content-encoding" not in gz.headers
    tree = ET.fromstring(gzip.decompress(gz.content))
    entries = tree.findall(f"{SM}url")
    assert paths_of(site, [e.findtext(f"{SM}loc") or "" for e in entries]) == ["/news/1.html", "/news/2.html", "/news/3.html"]
    for e in entries:
        assert e.findtext(f"{NEWS}news/{NEWS}publication/{NEWS}language") == "en"
        assert e.findtext(f"{NEWS}news/{NEWS}title")
        assert e.findtext(f"{NEWS}news/{NEWS}publication_date", "").startswith("2026-11-0")

    plain = paths_of(site, locs(client.get("/sitemap.xml").content))
    assert plain[:3] == ["/news/4.html", "/news/5.html", "/news/6.html"]
    for special in ("/private/secret-1.html", "/media/photo.jpg", "/media/report.pdf", "/flaky.html", "/busy.html",
                    "/loop/a", "/redirected.html", "/huge.html", "/huge-chunked.html", "/stall.html"):
        assert special in plain

    text = client.get("/sitemap.txt")
    assert text.headers["content-type"].startswith("text/plain")
    assert paths_of(site, text.text.split()) == news(site)


def test_feeds_and_home(site: NewsSite, client: httpx.Client) -> None:
    rss = ET.fromstring(client.get("/feed.rss").content)
    items = rss.findall("channel/item")
    assert sorted(paths_of(site, [i.findtext("link") or "" for i in items])) == sorted(news(site))
    assert len({i.findtext("pubDate") for i in items}) == len(items)
    atom = ET.fromstring(client.get("/atom.xml").content)
    links = [link.get("href", "") for link in atom.iterfind(f"{ATOM}entry/{ATOM}link")]
    assert sorted(paths_of(site, links)) == sorted(news(site))

    home = client.get("/").text
    assert '<link rel="alternate" type="application/rss+xml"' in home and 'href="/feed.rss"' in home
    assert '<link rel="alternate" type="application/atom+xml"' in home and 'href="/atom.xml"' in home
    assert '<a href="/news/1.html">' in home


def test_article_pages(site: NewsSite, client: httpx.Client) -> None:
    assert site.article_paths[-3:] == ["/flaky.html", "/busy.html", "/news/moved.html"]
    assert site.disallowed_paths == ["/private/secret-1.html", "/private/secret-2.html"]
    seen_dates, seen_text = set(), set()
    for path in [*site.article_paths, *site.disallowed_paths]:
        r = client.get(path)
        if path in ("/flaky.html", "/busy.html"):
            r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        (canonical,) = re.findall(r'<link rel="canonical" href="([^"]+)">', r.text)
        url = site.url + path
        assert canonical == url and normalise_url(canonical) == url and identity_url(canonical, url) == url
        (date,) = re.findall(r'<meta property="article:published_time" content="([^"]+)">', r.text)
        seen_dates.add(date)
        seen_text.add(re.findall(r"<p>([^<]+)</p>\n</article>", r.text)[0])
    assert len(seen_dates) == len(seen_text) == len(site.article_paths) + len(site.disallowed_paths)
    assert client.get("/news/7.html").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_media(client: httpx.Client) -> None:
    jpg, pdf = client.get("/media/photo.jpg"), client.get("/media/report.pdf")
    assert jpg.headers["content-type"] == "image/jpeg" and jpg.content.startswith(b"\xff\xd8\xff")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-1.4")


@pytest.mark.parametrize(("path", "first"), [("/flaky.html", 503), ("/busy.html", 429)])
def test_fails_once(site: NewsSite, client: httpx.Client, path: str, first: int) -> None:
    assert client.head(path).status_code == first  # HEAD does not use up the failure
    r = client.get(path)
    assert r.status_code == first and r.headers["retry-after"] == "1"
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200
    assert [h.status for h in site.hits if h.path == path] == [first, first, 200, 200]


def test_redirects(site: NewsSite, client: httpx.Client) -> None:
    a = client.get("/loop/a")
    assert a.status_code == 302 and a.headers["location"] == "/loop/b"
    assert client.get("/loop/b").headers["location"] == "/loop/a"
    with pytest.raises(httpx.TooManyRedirects):
        client.get("/loop/a", follow_redirects=True)
    r = client.get("/redirected.html")
    assert r.status_code == 301 and r.headers["location"] == f"{site.url}/news/moved.html"
    moved = client.get("/redirected.html", follow_redirects=True)
    assert moved.status_code == 200 and str(moved.url) == f"{site.url}/news/moved.html"


@pytest.mark.parametrize("path", ["/feed.rss", "/atom.xml", "/sitemap.xml", "/sitemap.txt", "/sitemap_index.xml",
                                  "/news-sitemap.xml.gz"])
def test_conditional_get(site: NewsSite, client: httpx.Client, path: str) -> None:
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.status_code == 200 and first.content
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200

    new = site.add_article()
    assert new == "/news/7.html" and new in site.article_paths
    after = client.get(path, headers={"If-None-Match": etag})
    if path == "/news-sitemap.xml.gz":  # the news sitemap keeps the first half of the initial articles
        assert after.status_code == 304
        return
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 200
    if path != "/sitemap_index.xml":
        assert f"{site.url}{new}".encode() in after.content
    assert client.get(new).status_code == 200


def test_huge(site: NewsSite) -> None:
    assert sum(len(chunk) for chunk in _huge_chunks()) == HUGE_SIZE
    with httpx.Client(base_url=site.url, trust_env=False, timeout=5) as c:
        for path in ("/huge.html", "/huge-chunked.html"):
            with c.stream("GET", path) as r:
                assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
                if path == "/huge.html":
                    assert r.headers["content-length"] == str(HUGE_SIZE)
                else:
                    assert r.headers["transfer-encoding"] == "chunked" and "content-length" not in r.headers
                got = 0
                for part in r.iter_raw():
                    got += len(part)
                    if got >= 1 << 20:
                        break
                assert got >= 1 << 20
            assert c.get("/robots.txt").status_code == 200  # still serving
        head = c.head("/huge.html")
        assert head.headers["content-length"] == str(HUGE_SIZE) and head.content == b""
        with c.stream("GET", "/huge-chunked.html") as r:  # the chunked framing holds to the end
            got, last = 0, b""
            for part in r.iter_raw():
                got, last = got + len(part), part
        assert got == HUGE_SIZE and last.endswith(b"</body></html>\n")
        assert c.get("/robots.txt").status_code == 200  # on the same, kept-alive connection
    time.sleep(0.1)
    assert [h.status for h in site.hits if h.path.startswith("/huge")] == [200, 200, 200, 200]


def test_stall(site: NewsSite) -> None:
    timeout = httpx.Timeout(5, read=1)
    with httpx.Client(base_url=site.url, trust_env=False, timeout=timeout) as c, c.stream("GET", "/stall.html") as r:
        assert r.headers["content-length"] == "10000"
        got = b""
        started = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            for part in r.iter_raw():
                got += part
        assert got.startswith(b"<!DOCTYPE html>") and len(got) == 100
        assert 0.9 < time.monotonic() - started < 3


def test_keep_alive_and_hits(site: NewsSite) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
    ends = set()  # the client's end of the connection after each answer: one, if keep-alive works
    try:
        for method, path in [("GET", "/robots.txt"), ("GET", "/feed.rss"), ("GET", "/news/1.html?utm_source=x"),
                             ("GET", "/nowhere"), ("GET", "/loop/a"), ("HEAD", "/news/2.html")]:
            conn.request(method, path, headers={"User-Agent": "selfcheck/1"})
            r = conn.getresponse()
            r.read()
            assert r.getheader("Content-Length") is not None and not r.will_close
            assert conn.sock is not None
            ends.add(conn.sock.getsockname())
    finally:
        conn.close()
    assert len(ends) == 1
    assert site.paths() == ["/robots.txt", "/feed.rss", "/news/1.html?utm_source=x", "/nowhere", "/loop/a"]
    assert site.paths("HEAD") == ["/news/2.html"]
    assert [h.status for h in site.hits] == [200, 200, 200, 404, 302, 200]
    assert site.hits[0].headers["user-agent"] == "selfcheck/1" and site.hits[0].method == "GET"
    times = [h.time for h in site.hits]
    assert times == sorted(times) and times[-1] <= time.monotonic()
    assert site.count("/news/1.html?utm_source=x") == 1 and site.count("/news/1.html") == 0
    site.reset()
    assert site.hits == [] and site.paths() == []

    with socket.create_connection(("127.0.0.1", site.port), timeout=5) as raw:
        raw.sendall(b"GET /a /b HTTP/1.1\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    time.sleep(0.05)
    assert [(h.method, h.path, h.status) for h in site.hits] == [("", "GET /a /b HTTP/1.1", 400)]


def test_shutdown_is_prompt_mid_response() -> None:
    site = NewsSite().__enter__()
    results: list[object] = []

    def stalled() -> None:
        try:
            with httpx.Client(trust_env=False, timeout=60) as c:
                results.append(c.get(f"{site.url}/stall.html").status_code)
        except httpx.HTTPError as error:
            results.append(error)

    reader = threading.Thread(target=stalled, daemon=True)
    reader.start()
    # A client that asks for the huge page and never reads: the server blocks writing.
    idle = socket.create_connection(("127.0.0.1", site.port))
    idle.sendall(f"GET /huge.html HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\n\r\n".encode())
    deadline = time.monotonic() + 5
    while {"/stall.html", "/huge.html"} - set(site.paths()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert {"/stall.html", "/huge.html"} <= set(site.paths())
    time.sleep(0.2)
    started = time.monotonic()
    site.__exit__(None, None, None)
    assert time.monotonic() - started < 2
    reader.join(3)
    assert not reader.is_alive() and isinstance(results[0], httpx.HTTPError)
    idle.close()
    assert site.errors == []
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as c:
        c.get(f"{site.url}/robots.txt")


def test_the_crawlers_parsers_read_it(site: NewsSite, client: httpx.Client) -> None:
    protego = pytest.importorskip("protego")
    feedparser = pytest.importorskip("feedparser")
    robots = protego.Protego.parse(client.get("/robots.txt").text)
    assert robots.crawl_delay("newsdesk") == 0.2 and list(robots.sitemaps) == [f"{site.url}/sitemap_index.xml"]
    assert not robots.can_fetch(f"{site.url}/private/secret-1.html", "newsdesk")
    assert robots.can_fetch(f"{site.url}/news/1.html", "newsdesk")
    for path, version in (("/feed.rss", "rss20"), ("/atom.xml", "atom10")):
        feed = feedparser.parse(client.get(path).content)
        assert not feed.bozo and feed.version == version
        assert sorted(paths_of(site, [e.link for e in feed.entries])) == sorted(news(site))
        assert all(e.get("published_parsed") for e in feed.entries)
