"""SIGKILL mid-ingest leaves a consistent archive; a rerun completes it, nothing lost or doubled.

Run on 3,000 page files and on one .warc.gz holding the same 3,000 pages (each response after
its request record, as crawlers write them, so the reader also skips records).
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crawlfiles import request, response, write_warc
from support import article_html, cli_env, write_pages

PAGES = 3000
_SUMMARY = re.compile(
    r"read (?P<read>\d+), added (?P<added>\d+), updated (?P<updated>\d+), "
    r"already present (?P<present>\d+), failed (?P<failed>\d+)(?P<rest>.*)"
)


def _rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # not migrated yet
        return 0


def _pages(tmp_path: Path) -> str:
    write_pages(tmp_path / "pages", PAGES)
    return "pages"


def _warc(tmp_path: Path) -> str:
    records = []
    for n in range(PAGES):
        url = f"https://www.example.com/news/{n}-council-budget"
        records += [request(url), response(url, article_html(n, canonical=url))]
    write_warc(tmp_path / "crawl.warc.gz", records)
    return "crawl.warc.gz"


# (write the input, what the summary says after the counts: the skipped request records)
INPUTS = {"files": (_pages, ""), "warc": (_warc, f", skipped {PAGES} requests")}


def _summary(stderr: str) -> dict[str, object]:
    lines = [m for m in map(_SUMMARY.search, stderr.splitlines()) if m]
    assert len(lines) == 1, f"no single summary line in: {stderr!r}"
    counts: dict[str, object] = {k: int(v) for k, v in lines[0].groupdict().items() if k != "rest"}
    counts["rest"] = lines[0]["rest"].strip()
    return counts


@pytest.mark.parametrize("kind", list(INPUTS), ids=list(INPUTS))
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path, kind: str) -> None:
    make, skipped = INPUTS[kind]
    source = make(tmp_path)
    records = PAGES * 2 if skipped else PAGES  # what "read" counts: the request records too
    db = tmp_path / "news.db"
    args = [sys.executable, "-m", "newsdesk", "ingest", source, "--db", str(db), "--jobs", "2", "--no-enrich", "--batch-size", "50"]
    # A session of its own, so one killpg takes the workers and the fork server too.
    proc = subprocess.Popen(args, cwd=tmp_path, env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _rows(db) < 100:
            assert proc.poll() is None, "ingest finished before it could be killed: " + proc.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 100 <= stored < PAGES
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == stored
    conn.close()

    rerun = subprocess.run(args, cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert _summary(rerun.stderr) == {
        "read": records, "added": PAGES - stored, "updated": 0, "present": stored, "failed": 0, "rest": skipped,
    }, rerun.stderr

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == PAGES
    assert conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == PAGES
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == PAGES
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    if kind == "warc":
        # The same crawl file again: every page is already there, nothing added or changed.
        again = subprocess.run(args, cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert f"read {records}, added 0, updated 0, already present {PAGES}, failed 0{skipped}" in again.stderr
        assert _rows(db) == PAGES
