"""Hostile and broken inputs: one clear stderr line each, the run goes on, never a traceback."""

from __future__ import annotations

import gzip
import json
import os
import sys
import sqlite3
import zlib
from pathlib import Path
from typing import Callable

import pytest

from support import article_html, assert_no_traceback

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 8


def gzip_bomb(path: Path, inflated: int = 200 * 1024 * 1024) -> None:
    """~200 KB of gzip that inflates to ``inflated`` zero bytes, written without holding it."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    with path.open("wb") as fh:
        for _ in range(inflated // len(block)):
            fh.write(comp.compress(block))
        fh.write(comp.flush())


def corrupt_gzip(path: Path) -> None:
    data = bytearray(gzip.compress(article_html(7).encode() * 3))
    for i in range(30, 60):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


# (file name, how to make it, the reason the stderr line must give)
FAILING: list[tuple[str, Callable[[Path], None], str]] = [
    ("empty.html", lambda p: p.write_bytes(b""), "empty input"),
    ("blank.txt", lambda p: p.write_bytes(b" \n\t\n"), "empty input"),
    ("image.html", lambda p: p.write_bytes(PNG), "binary content"),
    ("truncated.html.gz", lambda p: p.write_bytes(gzip.compress(article_html(1).encode())[:200]), "truncated gzip data"),
    ("corrupt.html.gz", corrupt_gzip, "corrupt gzip data"),
    ("bomb.html.gz", gzip_bomb, "gzip bomb"),
]


@pytest.mark.parametrize(("name", "make", "reason"), FAILING, ids=[f[0] for f in FAILING])
def test_bad_file_one_line_exit_3(run, tmp_path: Path, name: str, make: Callable[[Path], None], reason: str) -> None:
    make(tmp_path / name)
    (tmp_path / "good.html").write_text(article_html(1))
    result = run("extract", name, "good.html")
    assert result.returncode == 3
    assert_no_traceback(result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"newsdesk: {name}: ")
    assert reason in lines[0]
    assert len(result.stdout.splitlines()) == 1  # the good page still came out


def test_missing_file(run) -> None:
    result = run("extract", "no-such-page.html")
    assert result.returncode == 3
    assert result.stderr == "newsdesk: no-such-page.html: no such file\n"


@pytest.mark.parametrize(
    ("name", "data", "word"),
    [
        ("cp1252.html", "<html><head><meta charset=windows-1252><title>Caf\u00e9</title></head>"
         "<body><article><p>\u201cCaf\u00e9 cr\u00e8me\u201d costs \u20ac3 \u2014 na\u00efve r\u00e9sum\u00e9.</p></article></body></html>".encode("cp1252"), "crème"),
        ("latin1.html", "<html><head><meta http-equiv=Content-Type content='text/html; charset=iso-8859-1'></head><body><article><p>Se\u00f1or Mu\u00f1oz visit\u00f3 la ciudad de "
         "Bogot\u00e1 el mi\u00e9rcoles para una reuni\u00f3n.</p></article></body></html>".encode("latin-1"), "Muñoz"),
        ("nul-bytes.html", article_html(3).replace("Story 3", "Story\x00 3\x00").encode(), "Story"),
    ],
    ids=["cp1252", "latin1", "nul"],
)
def test_odd_encodings_are_read(run, tmp_path: Path, validate, name: str, data: bytes, word: str) -> None:
    (tmp_path / name).write_bytes(data)
    result = run("extract", name)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    validate(record)
    assert word in record["text"] + (record["title"] or "")
    assert "\x00" not in result.stdout and "\\u0000" not in result.stdout


def test_deep_nesting_is_capped(run, tmp_path: Path, validate) -> None:
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "bottom of the well" + "</div>" * 100_000)
    result = run("extract", "deep.html")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    validate(record)
    assert "nesting capped" in record["warnings"]


def test_fifty_megabyte_page(run, tmp_path: Path) -> None:
    para = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20 + "</p>\n"
    with (tmp_path / "huge.html").open("w") as fh:
        fh.write("<html><head><title>Huge</title></head><body><article>")
        for _ in range(50 * 1024 * 1024 // len(para)):
            fh.write(para)
        fh.write("</article></body></html>")
    result = run("ingest", "huge.html", "--db", "news.db", "--keep-all", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "read 1, added 1" in result.stderr


def test_over_the_size_limit(run, tmp_path: Path) -> None:
    with (tmp_path / "too-big.html").open("wb") as fh:
        fh.truncate(65 * 1024 * 1024)  # sparse: no real disk use
    result = run("extract", "too-big.html")
    assert result.returncode == 3
    assert result.stderr.startswith("newsdesk: too-big.html: ") and "limit" in result.stderr


def test_folder_of_bad_inputs_ingests_the_rest(run, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, make, _ in FAILING:
        make(folder / name)
    for n in range(3):
        (folder / f"good-{n}.html").write_text(article_html(n))
    # Unreadable even as root (tests run as root, which reads chmod 000 files):
    (folder / "dangling.html").symlink_to(folder / "deleted-target.html")  # → "broken symbolic link"
    os.mkfifo(folder / "pipe.html")  # a FIFO in a folder → "not a regular file", never opened
    (folder / "folder.html").mkdir()  # a directory with a page name is walked, not read: no failure
    result = run("ingest", folder, "--db", "news.db", "--keep-all", "--jobs", "2")
    assert result.returncode == 3
    assert_no_traceback(result.stderr)
    lines = result.stderr.splitlines()
    failures, summary = lines[:-1], lines[-1]
    assert len(failures) == len(FAILING) + 2
    assert all(line.startswith(f"newsdesk: {folder}/") for line in failures)
    assert any("broken symbolic link" in line for line in failures)
    assert any("not a regular file" in line for line in failures)
    assert summary == f"newsdesk: read {len(FAILING) + 5}, added 3, updated 0, already present 0, failed {len(FAILING) + 2}"
    conn = sqlite3.connect(tmp_path / "news.db")
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3


def test_extractor_bug_is_a_failure_line_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.pipeline import ingest

    extraction = sys.modules["newsdesk.extract"]  # the subpackage (newsdesk.extract is also the function)
    calls = {"n": 0}
    real = extraction.extract

    def flaky(data: object, **kw: object):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise IndexError("pop from empty list")
        return real(data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(extraction, "extract", flaky)
    for n in range(3):
        (tmp_path / f"p{n}.html").write_text(article_html(n))
    failures: list[str] = []
    report = ingest([str(tmp_path)], tmp_path / "news.db", jobs=1, on_failure=failures.append)
    assert (report.read, report.added, report.failed) == (3, 2, 1)
    assert failures == [f"{tmp_path}/p1.html: internal error (IndexError: pop from empty list)"]
    assert report.codes == {"internal": 1}


def test_every_page_with_text_is_kept_unless_articles_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.extract.pagetype import articles_only_threshold
    from newsdesk.pipeline import ingest

    extraction = sys.modules["newsdesk.extract"]
    real = extraction.extract

    def as_listing(data: object, **kw: object):  # type: ignore[no-untyped-def]
        article = real(data, **kw)  # type: ignore[arg-type]
        if "zq1x" in article.text:  # the model is sure this one is no article
            article.page_type, article.page_score = "listing", articles_only_threshold() / 2
        return article

    monkeypatch.setattr(extraction, "extract", as_listing)
    for n in range(3):
        (tmp_path / f"p{n}.html").write_text(article_html(n))
    report = ingest([str(tmp_path)], tmp_path / "a.db", jobs=1, enrich=False)
    assert (report.added, report.not_article) == (3, 0)
    report = ingest([str(tmp_path)], tmp_path / "b.db", jobs=1, enrich=False, articles_only=True)
    assert (report.added, report.not_article) == (2, 1)
    assert report.summary().endswith("skipped 1 not an article")
