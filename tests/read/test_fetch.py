"""`newsdesk fetch` / `watch` / `feeds` against a loopback news site (tests/newssite.py):
every assertion on what the crawler did is made on the server's own request log."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from newssite import NewsSite, feed_title, published, title
from support import assert_no_traceback, cli_env

from newsdesk import Archive
from newsdesk.read import scan

# Fast but still spaced: a 0.05 s crawl delay keeps a run of ~30 requests near 2 s, and is
# what the spacing test measures against.
FAST = ("--rate", "50", "--read-timeout", "1.5", "--connect-timeout", "2", "--retries", "2", "--no-enrich", "-j", "1")


def fetch(tmp: Path, *args: str, db: str = "a.db", timeout: float = 240) -> subprocess.CompletedProcess[str]:
    target = db if db.startswith("postgresql://") else str(tmp / db)
    proc = subprocess.run([sys.executable, "-m", "newsdesk", "fetch", "--db", target, *args], cwd=tmp,
                          capture_output=True, text=True, timeout=timeout, env=cli_env())
    assert_no_traceback(proc.stderr)
    return proc


def cli(tmp: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "newsdesk", *args], cwd=tmp, capture_output=True, text=True,
                          timeout=timeout, env=cli_env())
    assert_no_traceback(proc.stderr)
    return proc


def stored_urls(db: Path) -> list[str]:
    with Archive(db, readonly=True) as archive:
        return sorted(r[0] for r in archive.conn.execute("SELECT url FROM articles"))


@pytest.fixture
def site():
    with NewsSite(articles=6, crawl_delay=0.05) as s:
        yield s


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One whole-site fetch, shared by the tests that only read what it did."""
    tmp = tmp_path_factory.mktemp("crawl")
    with NewsSite(articles=6, crawl_delay=0.05) as s:
        proc = fetch(tmp, s.url + "/", *FAST)
        yield s, tmp, proc, list(s.hits)


def test_a_site_root_ingests_every_allowed_article_once(crawled):
    site, tmp, proc, hits = crawled
    assert proc.returncode == 3, proc.stderr  # the huge, stalled and looping pages fail, each named
    assert stored_urls(tmp / "a.db") == sorted(site.url + p for p in site.article_paths)
    pages = Counter(h.path for h in hits if h.status == 200)
    for path in site.article_paths:
        assert pages[path] == 1, (path, pages)
    assert "read " in proc.stderr and "listings" in proc.stderr


def test_robots_txt_first_and_its_disallowed_paths_never_requested(crawled):
    site, _, _, hits = crawled
    assert hits[0].path == "/robots.txt"
    requested = {h.path for h in hits}
    assert not requested & set(site.disallowed_paths)
    assert not any(p.startswith("/private/") for p in requested)


def test_one_request_at_a_time_per_host_spaced_by_the_crawl_delay(crawled):
    _, _, _, hits = crawled
    starts = [h.time for h in hits]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # The robots.txt asks 0.05 s (the --rate of 50/s asks only 0.02): every gap honours it,
    # counted from the end of the previous response, so it holds whatever the load.
    assert min(gaps) >= 0.05, gaps


def test_503_and_429_retried_after_retry_after(crawled):
    _, _, _, hits = crawled
    for path, first in (("/flaky.html", 503), ("/busy.html", 429)):
        seen = [h for h in hits if h.path == path]
        assert [h.status for h in seen] == [first, 200]
        assert seen[1].time - seen[0].time >= 0.95  # Retry-After: 1


def test_redirects_followed_and_a_loop_stopped(crawled):
    _site, _tmp, proc, hits = crawled
    assert Counter(h.path for h in hits)["/news/moved.html"] == 1
    loop = [h.path for h in hits if h.path.startswith("/loop/")]
    assert loop == ["/loop/a", "/loop/b"]  # a URL is queued once: the loop ends at the first repeat
    assert "redirect loop" in proc.stderr


def test_large_bodies_refused_without_reading_them(crawled):
    _, _, proc, hits = crawled
    assert "huge.html: body of 50 MB is past the 16 MB limit (not read)" in proc.stderr
    assert "huge-chunked.html: body passed the 16 MB limit (reading stopped)" in proc.stderr
    assert Counter(h.path for h in hits)["/huge.html"] == 1  # refused: not retried


def test_a_stalled_page_times_out_retried_then_given_up(crawled):
    _, _, proc, hits = crawled
    stalls = [h for h in hits if h.path == "/stall.html"]
    assert len(stalls) == 3  # the first try and --retries 2
    assert "stall.html: read timed out after 1.5 s (gave up after 3 tries)" in proc.stderr


def test_images_and_pdfs_fetched_but_not_ingested(crawled):
    _site, tmp, proc, _ = crawled
    urls = stored_urls(tmp / "a.db")
    assert not [u for u in urls if u.endswith((".jpg", ".pdf"))]
    assert "2 not html" in proc.stderr


def test_every_record_names_its_warc_record_and_the_warcs_read_back_the_same(crawled):
    _site, tmp, _, _ = crawled
    warcs = tmp / "a-warc"
    files = sorted(warcs.glob("*.warc.gz"))
    assert files
    with Archive(tmp / "a.db", readonly=True) as archive:
        rows = archive.conn.execute("SELECT id, url, text FROM articles ORDER BY id").fetchall()
        locators = {r[0]: archive.get(r[0]).source.locator for r in rows}
    for _key, locator in locators.items():
        path, _, offset = locator.rpartition("@")
        assert Path(path).parent == warcs and offset.isdigit()
        with open(path, "rb") as fh:
            fh.seek(int(offset))
            head = gzip.GzipFile(fileobj=fh).read(2048).decode("latin-1")
        assert "WARC-Type: response" in head
    # Every response and request went into the WARC files (robots.txt and listings too)…
    kinds = Counter(getattr(i, "reason", None) or "page" for i in scan([str(warcs)]))
    assert kinds["request"] >= len(rows) and kinds["listing"] >= 6
    # …and ingesting them gives exactly the same records.
    again = cli(tmp, "ingest", str(warcs), "--db", str(tmp / "b.db"), "--no-enrich", "-j", "1")
    assert again.returncode == 0, again.stderr
    with Archive(tmp / "b.db", readonly=True) as b:
        copy = b.conn.execute("SELECT id, url, text FROM articles ORDER BY id").fetchall()
    assert [tuple(r) for r in copy] == [tuple(r) for r in rows]


def test_canonical_urls_fetched_once_and_archived_pages_not_fetched_again(site, tmp_path):
    page = site.url + "/news/2.html"
    proc = fetch(tmp_path, page + "?utm_source=x&utm_medium=y#top", page, f"HTTP://127.0.0.1:{site.port}/news/2.html#comments",
                 *FAST)
    assert proc.returncode == 0, proc.stderr
    assert site.count("/news/2.html") == 1
    again = fetch(tmp_path, page, *FAST)
    assert again.returncode == 0 and site.count("/news/2.html") == 1
    assert "already present 1" in again.stderr
    refreshed = fetch(tmp_path, page, "--refresh", *FAST)
    assert refreshed.returncode == 0 and site.count("/news/2.html") == 2
    assert stored_urls(tmp_path / "a.db") == [page]


def test_feed_metadata_fills_only_what_the_page_leaves_empty(site, tmp_path):
    bare = site.add_article(bare=True)
    n = int(bare.split("/")[-1].split(".")[0])
    proc = fetch(tmp_path, site.url + "/feed.rss", *FAST)
    assert proc.returncode == 0, proc.stderr
    with Archive(tmp_path / "a.db", readonly=True) as archive:
        by_url = {a.url: a for a in (archive.get(r[0]) for r in archive.conn.execute("SELECT id FROM articles")) if a}
    page = by_url[site.url + bare]
    assert page.title == feed_title(n)  # the page has none: the feed's
    assert page.published == published(n).isoformat()
    full = by_url[site.url + "/news/1.html"]
    assert full.title == title(1) != feed_title(1)  # the page's own title wins over the feed's


def test_subscribe_then_watch_fetches_only_what_is_new(site, tmp_path, db_target):
    db = str(db_target)
    first = fetch(tmp_path, site.url + "/feed.rss", site.url + "/sitemap_index.xml", "--subscribe", *FAST, db=db)
    assert "subscribed: " + site.url + "/feed.rss" in first.stderr
    listed = cli(tmp_path, "feeds", "--db", db, "--format", "jsonl")
    subs = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {s["url"] for s in subs} == {site.url + "/feed.rss", site.url + "/sitemap_index.xml"}
    assert all(s["last_poll"] and s["status"].startswith("ok") for s in subs)
    assert next(s for s in subs if s["url"].endswith("feed.rss"))["articles"] == 6

    site.reset()
    watched = cli(tmp_path, "watch", "--once", "--db", db, *FAST)
    assert watched.returncode == 0, watched.stderr
    assert not [h for h in site.hits if h.path.startswith("/news/")]  # no page fetched
    listings = [h for h in site.hits if h.path not in ("/robots.txt",)]
    assert listings and all(h.status == 304 for h in listings), [(h.path, h.status) for h in listings]
    assert {h.path for h in listings} >= {"/feed.rss", "/sitemap_index.xml"}

    new = site.add_article()
    site.reset()
    watched = cli(tmp_path, "watch", "--once", "--db", db, *FAST)
    assert watched.returncode == 0, watched.stderr
    pages = [h.path for h in site.hits if h.path.startswith("/news/")]
    assert pages == [new]
    assert site.url + new in stored_urls(db_target)

    removed = cli(tmp_path, "feeds", "remove", site.url + "/feed.rss", "--db", db)
    assert removed.returncode == 0, removed.stderr
    left = [json.loads(line)["url"] for line in cli(tmp_path, "feeds", "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert left == [site.url + "/sitemap_index.xml"]


def test_watch_without_subscriptions_says_how_to_add_some(tmp_path):
    proc = cli(tmp_path, "watch", "--once", "--db", str(tmp_path / "a.db"))
    assert proc.returncode == 2 and "fetch URL --subscribe" in proc.stderr


def test_killed_with_sigkill_and_run_again_finishes_with_nothing_fetched_twice(tmp_path):
    with NewsSite(articles=24, crawl_delay=0.15) as site:
        args = [sys.executable, "-m", "newsdesk", "fetch", "--db", str(tmp_path / "a.db"), site.url + "/feed.rss",
                "--rate", "50", "--no-enrich", "-j", "1"]
        proc = subprocess.Popen(args, cwd=tmp_path, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while sum(h.path.startswith("/news/") for h in site.hits) < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = Counter(h.path for h in site.hits if h.path.startswith("/news/"))
        assert 8 <= sum(before.values()) < 24
        again = subprocess.run(args, cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        pages = Counter(h.path for h in site.hits if h.path.startswith("/news/"))
    assert set(pages) == {f"/news/{n}.html" for n in range(1, 25)}
    # At most the one request in flight when the process died is made again (one
    # connection per host): every other page was fetched exactly once.
    assert sum(pages.values()) - len(pages) <= 1, pages
    assert len(stored_urls(tmp_path / "a.db")) == 24
    with sqlite3.connect(tmp_path / "a.db") as conn:
        states = dict(conn.execute("SELECT state, count(*) FROM fetch_queue WHERE kind = 'page' GROUP BY state").fetchall())
    assert states == {"done": 24}


def test_a_host_that_refuses_connections_is_one_clear_failure(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = fetch(tmp_path, f"http://127.0.0.1:{port}/news/1.html", "--retries", "0", "--no-enrich", "-j", "1")
    assert proc.returncode == 3
    assert f"http://127.0.0.1:{port}/news/1.html: robots.txt unreachable" in proc.stderr


def test_not_a_url_is_a_usage_failure_and_the_run_goes_on(site, tmp_path):
    proc = fetch(tmp_path, "ftp://example.invalid/x", site.url + "/news/1.html", *FAST)
    assert proc.returncode == 3
    assert "ftp://example.invalid/x: not an http(s) URL" in proc.stderr
    assert stored_urls(tmp_path / "a.db") == [site.url + "/news/1.html"]



def test_our_user_agent_is_sent_on_every_request(site, tmp_path):
    agent = "examplebot/1.0 (+mailto:desk@example.test)"
    proc = fetch(tmp_path, site.url + "/news/1.html", "--user-agent", agent, *FAST)
    assert proc.returncode == 0, proc.stderr
    assert site.hits and {h.headers.get("user-agent") for h in site.hits} == {agent}
    default = fetch(tmp_path, site.url + "/news/2.html", *FAST, db="b.db")
    assert default.returncode == 0
    assert site.hits[-1].headers["user-agent"].startswith("newsdesk/")


def test_max_pages_fetches_that_many_and_leaves_the_rest_for_the_next_run(site, tmp_path):
    proc = fetch(tmp_path, site.url + "/feed.rss", "--max-pages", "2", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert len([h for h in site.hits if h.path.startswith("/news/")]) == 2
    assert "left for a later run 4" in proc.stderr
    rest = fetch(tmp_path, site.url + "/feed.rss", *FAST)
    assert rest.returncode == 0, rest.stderr
    assert sorted(h.path for h in site.hits if h.path.startswith("/news/")) == sorted(f"/news/{n}.html" for n in range(1, 7))


def test_records_are_stored_while_a_slow_fetch_goes_on(tmp_path):
    # A polite crawl is slow: each page must reach the archive soon after its response,
    # not when a chunk of 16 (or the run) is complete.
    with NewsSite(articles=10, crawl_delay=0.5) as site:
        db = tmp_path / "a.db"
        args = [sys.executable, "-m", "newsdesk", "fetch", "--db", str(db), site.url + "/feed.rss", "--no-enrich", "-j", "2"]
        proc = subprocess.Popen(args, cwd=tmp_path, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        served_when_first_stored = None
        while proc.poll() is None and served_when_first_stored is None:
            time.sleep(0.05)
            if db.exists():
                with sqlite3.connect(db, timeout=30) as conn:
                    try:
                        if conn.execute("SELECT count(*) FROM articles").fetchone()[0]:
                            served_when_first_stored = len([h for h in site.hits if h.path.startswith("/news/")])
                    except sqlite3.OperationalError:  # the schema is being created
                        pass
        proc.wait(timeout=120)
        assert proc.returncode == 0
    assert served_when_first_stored is not None and served_when_first_stored < 10
    assert len(stored_urls(db)) == 10


@pytest.mark.parametrize("listing", ["/sitemap.txt", "/atom.xml", "/news-sitemap.xml.gz"],
                         ids=["plain-text-sitemap", "atom", "gzipped-news-sitemap"])
def test_each_kind_of_listing_leads_to_its_pages(site, tmp_path, listing):
    proc = fetch(tmp_path, site.url + listing, *FAST)
    assert proc.returncode == 0, proc.stderr
    pages = sorted(h.path for h in site.hits if h.path.startswith("/news/"))
    assert pages and len(pages) == len(set(pages))
    assert stored_urls(tmp_path / "a.db") == sorted(site.url + p for p in pages)


def test_interrupted_during_a_stalled_request_stops_at_once(tmp_path):
    with NewsSite(articles=2, crawl_delay=None) as site:
        proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "fetch", site.url + "/stall.html", "--db",
                                 str(tmp_path / "a.db"), "--no-enrich", "-j", "1"], cwd=tmp_path, env=cli_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while site.count("/stall.html") == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)  # the read timeout is 30 s: not waited for
    assert proc.returncode != 0
    assert_no_traceback(err)


def test_two_hosts_are_fetched_side_by_side_each_one_request_at_a_time(tmp_path):
    # Two sites on two ports are two hosts: each keeps its own spacing (0.3 s here), and
    # the fetches overlap instead of waiting for each other.
    with NewsSite(articles=4, crawl_delay=0.3) as a, NewsSite(articles=4, crawl_delay=0.3, seed=2) as b:
        proc = fetch(tmp_path, a.url + "/feed.rss", b.url + "/feed.rss", "--no-enrich", "-j", "1")
        assert proc.returncode == 0, proc.stderr
        for site in (a, b):
            times = [h.time for h in site.hits]
            assert min(y - x for x, y in itertools.pairwise(times)) >= 0.3
        first_b = b.hits[0].time
        assert first_b < a.hits[-1].time  # b did not wait for a to finish
    assert len(stored_urls(tmp_path / "a.db")) == 8
