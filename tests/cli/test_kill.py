"""SIGKILL mid-ingest leaves a consistent archive; a rerun completes it, nothing lost or doubled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from support import cli_env, write_pages

PAGES = 3000


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


def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    write_pages(tmp_path / "pages", PAGES)
    db = tmp_path / "news.db"
    args = [sys.executable, "-m", "newsdesk", "ingest", "pages", "--db", str(db), "--jobs", "2", "--keep-all", "--no-enrich", "--batch-size", "50"]
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
    assert f"read {PAGES}, added {PAGES - stored}, updated 0, already present {stored}, failed 0" in rerun.stderr

    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == PAGES
    assert conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == PAGES
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == PAGES
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
