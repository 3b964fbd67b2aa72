"""The collection's parts on their own: robots.txt rules, Retry-After, WARC writing and
rotation, the fetch queue, feed hints."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from newsdesk import Archive, Article, extract
from newsdesk.archive.queue import Queue
from newsdesk.read import RawPage, open_page, scan
from newsdesk.read.fetch.client import DEFAULT_USER_AGENT
from newsdesk.read.fetch.crawler import is_root, retry_after
from newsdesk.read.fetch.robots import Robots, host_key, robots_url
from newsdesk.read.fetch.warcs import WarcWriter

AGENT = DEFAULT_USER_AGENT


@pytest.mark.parametrize(
    ("robots", "path", "allowed"),
    [
        pytest.param("User-agent: *\nDisallow: /private/\n", "/private/a.html", False, id="star-disallow"),
        pytest.param("User-agent: *\nDisallow: /private/\n", "/news/a.html", True, id="star-allow"),
        pytest.param("User-agent: newsdesk\nDisallow: /\n\nUser-agent: *\nAllow: /\n", "/news/a.html", False,
                     id="our-group-wins"),
        pytest.param("User-agent: otherbot\nDisallow: /\n", "/news/a.html", True, id="someone-elses-group"),
        pytest.param("User-agent: *\nDisallow: /*.pdf$\n", "/files/r.pdf", False, id="wildcard"),
        pytest.param("User-agent: *\nDisallow: /news/\nAllow: /news/open/\n", "/news/open/x", True, id="longest-match"),
    ],
)
def test_robots_rules_for_our_agent(robots, path, allowed):
    assert Robots.parse(AGENT, robots).allowed("http://example.test" + path) is allowed


def test_robots_delay_and_sitemaps():
    r = Robots.parse(AGENT, "User-agent: *\nCrawl-delay: 2.5\nSitemap: http://example.test/s.xml\n")
    assert r.crawl_delay() == 2.5 and r.sitemaps == ["http://example.test/s.xml"]
    assert Robots.parse(AGENT, "User-agent: *\nRequest-rate: 1/5\n").crawl_delay() == 5.0


def test_unavailable_robots_allow_all_unreachable_deny_all():
    assert Robots.unavailable(AGENT).allowed("http://x.test/a")
    denied = Robots.unreachable(AGENT, "HTTP 503")
    assert not denied.allowed("http://x.test/a") and "HTTP 503" in (denied.deny_reason or "")


def test_hosts_and_roots():
    assert host_key("https://Example.test/a") == "https://example.test:443" == host_key("https://example.test:443/b")
    assert robots_url("http://example.test:8080/a/b?c") == "http://example.test:8080/robots.txt"
    assert is_root("http://example.test/") and not is_root("http://example.test/news") and not is_root("http://x.test/?p=1")


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after("120") == 120.0
    later = retry_after(formatdate(time.time() + 30, usegmt=True))
    assert later is not None and 25 <= later <= 31
    assert retry_after("soon") is None and retry_after(None) is None


def _write(w: WarcWriter, n: int, **kw: object) -> str:
    body = f"<html><head><title>Page {n}</title></head><body><p>{'word ' * 60}{n}</p></body></html>".encode()
    return w.write(f"http://example.test/{n}.html", status=200, reason="OK", http_version="HTTP/1.1",
                   headers=[("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")], body=body,
                   request_line=f"GET /{n}.html HTTP/1.1", request_headers=[("Host", "example.test")], **kw)  # type: ignore[arg-type]


def test_warc_records_reopen_at_their_locator_and_files_rotate(tmp_path):
    with WarcWriter(tmp_path, max_bytes=2000) as w:
        locators = [_write(w, n, hints={"title": "From the feed"} if n == 0 else None) for n in range(6)]
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 2  # rotated past max_bytes
    pages = [i for i in scan([str(tmp_path)]) if not hasattr(i, "status")]
    assert [p.locator for p in pages] == locators
    first = open_page(pages[0])
    assert first.url == "http://example.test/0.html" and first.hints == {"title": "From the feed"}
    assert b"Page 0" in first.content and "transfer-encoding" not in first.headers


def test_warc_listing_roles_are_skipped_when_read_back(tmp_path):
    with WarcWriter(tmp_path) as w:
        _write(w, 1, role="listing")
        _write(w, 2)
    kinds = [getattr(i, "reason", "page") for i in scan([str(tmp_path)])]
    assert kinds.count("listing") == 1 and kinds.count("page") == 1


def test_hints_fill_empty_fields_only():
    page = b"<html><body><article>" + b"".join(b"<p>" + (b"word %d " % i) * 30 + b"</p>" for i in range(4)) + \
        b"</article></body></html>"
    hints = {"title": "Feed title", "published": "2026-11-02T08:00:00+00:00", "authors": ["A Writer"], "language": "en"}
    bare = extract(RawPage(page, "x", hints=hints))
    assert (bare.title, bare.published, bare.authors) == ("Feed title", "2026-11-02T08:00:00+00:00", ["A Writer"])
    own = page.replace(b"<html>", b'<html><head><title>Own title</title>'
                       b'<meta property="article:published_time" content="2026-10-01T00:00:00+00:00"></head>')
    full = extract(RawPage(own, "y", hints=hints))
    assert full.title == "Own title" and full.published.startswith("2026-10-01")


def test_queue_adds_each_url_once_and_requeues_listings(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        q = Queue(archive.conn)
        assert q.add("http://x.test/a", "page") and not q.add("http://x.test/a", "page")
        q.mark_done("http://x.test/a", "stored")
        assert not q.add("http://x.test/a", "page")  # done: not again
        assert q.add("http://x.test/a", "page", again=True)  # --refresh
        q.add("http://x.test/feed", "listing")
        q.retry("http://x.test/feed", delay=60, reason="HTTP 503")
        assert [i.url for i in q.due(time.time())] == ["http://x.test/a"]
        q.mark_done("http://x.test/a", "stored")
        soonest = q.next_try()
        assert soonest is not None and soonest > time.time() + 50  # the feed's retry, a minute out
        archive.add(Article(id="", text="Some text " * 50, url="http://x.test/stored"))
        assert q.in_archive("http://x.test/stored") and not q.in_archive("http://x.test/other")
