"""Crawl files as input: WARC (every compression), WET and ARC, through the reader API and
the real CLI — which records become pages, what is counted, and damaged files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from crawlfiles import (
    conversion,
    corrupt_record,
    encoded_response,
    image_response,
    metadata,
    not_a_warc,
    not_found,
    pdf_response,
    record_offsets,
    redirect,
    request,
    resource,
    response,
    revisit,
    server_error,
    truncate,
    warcinfo,
    write_arc,
    write_warc,
    write_wet,
)
from support import article_html, assert_no_traceback

import newsdesk
from newsdesk.outcome import Outcome, Status
from newsdesk.read import read_pages

BASE = "https://news.example.com"
SHARED_WARC = Path(__file__).resolve().parents[3] / "shared" / "bench" / "warc"
CYRILLIC = "Городской совет утвердил бюджет на общественный транспорт после долгих споров о стоимости."


def page(n: int) -> str:
    return article_html(n, canonical=f"{BASE}/news/{n}")


def cp1251_page() -> bytes:
    # No meta charset: only the HTTP Content-Type says how to read it.
    body = "".join(f"<p>{CYRILLIC} Абзац {i}.</p>" for i in range(6))
    html = f"<html><head><title>Бюджет</title></head><body><article><h1>Бюджет</h1>{body}</article></body></html>"
    return html.encode("cp1251")


def crawl_records() -> list:
    """A crawl with one record of every kind: pages 0–6 (plain and every payload coding),
    a windows-1251 page, a resource; and everything that is not a page."""
    first = response(f"{BASE}/news/0", page(0), date="2024-03-01T10:00:00Z")
    return [
        warcinfo(filename="crawl.warc.gz"),
        request(f"{BASE}/news/0", concurrent_to=first),
        first,
        metadata(f"{BASE}/news/0", {"fetchTimeMs": "120"}, refers_to=first),
        encoded_response(f"{BASE}/news/1", page(1), content_encoding="gzip"),
        encoded_response(f"{BASE}/news/2", page(2), content_encoding="br"),
        encoded_response(f"{BASE}/news/3", page(3), content_encoding="deflate"),
        encoded_response(f"{BASE}/news/4", page(4), content_encoding="deflate-raw"),
        encoded_response(f"{BASE}/news/5", page(5), chunked=True),
        encoded_response(f"{BASE}/news/6", page(6), content_encoding="gzip", chunked=True),
        response(f"{BASE}/news/ru", cp1251_page(), content_type="text/html; charset=windows-1251"),
        resource(f"{BASE}/news/8", page(8)),
        redirect(f"{BASE}/old", f"{BASE}/news/0"),
        not_found(f"{BASE}/missing"),
        server_error(f"{BASE}/broken"),
        image_response(f"{BASE}/logo.png"),
        pdf_response(f"{BASE}/report.pdf"),
        revisit(f"{BASE}/news/0", original=first, date="2024-03-02T10:00:00Z"),
    ]


PAGES = 9  # news/0–6, news/ru, news/8
SKIPS = {"warcinfo": 1, "request": 1, "metadata": 1, "redirect": 1, "error": 2, "not html": 2, "revisit": 1}


def read_all(path: Path) -> tuple[list[newsdesk.read.RawPage], list[Outcome]]:
    seen: list[Outcome] = []
    pages = list(read_pages(path, on_outcome=seen.append))
    return pages, seen


@pytest.mark.parametrize("compression", ["record", "file", None], ids=["gzip-per-record", "gzip-whole-file", "plain"])
@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_every_record_kind(tmp_path: Path, compression: str | None, version: str) -> None:
    suffix = ".warc" if compression is None else ".warc.gz"
    path = write_warc(tmp_path / f"crawl{suffix}", crawl_records(), version=version, compression=compression)
    pages, seen = read_all(path)
    assert [p.url for p in pages] == [f"{BASE}/news/{n}" for n in (0, 1, 2, 3, 4, 5, 6, "ru", 8)]
    assert {o.status for o in seen} == {Status.SKIPPED}
    reasons: dict[str, int] = {}
    for o in seen:
        reasons[o.reason or ""] = reasons.get(o.reason or "", 0) + 1
    assert reasons == SKIPS
    articles = [newsdesk.extract(p) for p in pages]
    for n, article in zip((0, 1, 2, 3, 4, 5, 6), articles):
        assert f"zq{n}x" in article.text, f"page {n}: payload not decoded"
        assert article.url == f"{BASE}/news/{n}"
    assert CYRILLIC in articles[7].text  # the HTTP charset decides (no meta charset)
    assert "zq8x" in articles[8].text  # a resource record with an HTML payload
    assert articles[0].fetched == "2024-03-01T10:00:00+00:00"
    assert (articles[0].published or "").startswith("2020-02-23")  # fetched is never a guess at published
    assert [a.source.compression for a in articles[:5]] == [None, "gzip", "br", "deflate", "deflate"]
    if compression == "file":
        # One gzip stream: no record offsets; records are named by their number.
        assert [a.source.locator for a in articles[:2]] == [f"{path}#2", f"{path}#4"]
    else:
        offsets = record_offsets(path)
        assert [a.source.locator for a in articles[:2]] == [f"{path}@{offsets[2]}", f"{path}@{offsets[4]}"]
        assert articles[0].source.path == str(path)


def test_wet_records_are_text_dumps(tmp_path: Path) -> None:
    dump = Path(__file__).parents[1] / "data" / "rt-libya-2020-02-23.txt"
    path = write_wet(tmp_path / "crawl.warc.wet.gz", [conversion("https://www.rt.com/news/481397-libya-us-base/",
                                                                 dump.read_text(encoding="utf-8"))])
    pages, seen = read_all(path)
    assert [o.reason for o in seen] == ["warcinfo"]
    article = newsdesk.extract(pages[0])
    assert article.source.format == "text"
    assert article.title and "Libya" in article.title
    assert article.url == "https://www.rt.com/news/481397-libya-us-base/"
    assert article.text.startswith("Nine years after")


@pytest.mark.parametrize("compression", ["record", None], ids=["arc.gz", "arc"])
def test_arc_files(tmp_path: Path, compression: str | None) -> None:
    name = "old.arc.gz" if compression else "old.arc"
    records = [response(f"{BASE}/news/{n}", page(n)) for n in range(3)] + [not_found(f"{BASE}/gone")]
    path = write_arc(tmp_path / name, records, compression=compression)  # type: ignore[arg-type]
    pages, seen = read_all(path)
    assert [p.url for p in pages] == [f"{BASE}/news/{n}" for n in range(3)]
    assert sorted(o.reason or "" for o in seen) == ["error", "warcinfo"]
    articles = [newsdesk.extract(p) for p in pages]
    assert all(f"zq{n}x" in a.text for n, a in enumerate(articles))
    assert articles[0].fetched == "2024-01-02T03:04:05+00:00"
    offsets = record_offsets(path) if compression else None
    if offsets:
        assert articles[1].source.locator == f"{path}@{offsets[2]}"


def test_a_crawl_file_is_found_by_content_whatever_its_name(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "download-1234.gz", crawl_records())
    pages, _ = read_all(path)
    assert len(pages) == PAGES


def test_cli_ingest_counts_what_is_skipped_and_reingest_adds_nothing(run, tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz", crawl_records())
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "loose.html").write_text(page(20))
    first = run("ingest", "crawl.warc.gz", "pages", "--db", "news.db", "--no-enrich", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert_no_traceback(first.stderr)
    assert first.stderr.strip() == (
        f"newsdesk: read {PAGES + 1 + sum(SKIPS.values())}, added {PAGES + 1}, updated 0, already present 0, failed 0, "
        "skipped 2 errors, 2 not html, 1 warcinfo, 1 request, 1 metadata, 1 redirect, 1 revisit"
    )
    again = run("ingest", "crawl.warc.gz", "pages", "--db", "news.db", "--no-enrich", "--jobs", "2")
    assert f"added 0, updated 0, already present {PAGES + 1}" in again.stderr
    conn = sqlite3.connect(tmp_path / "news.db")
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (PAGES + 1, PAGES + 1)
    exported = run("export", "--format", "jsonl", "-o", "out.jsonl", "--db", "news.db")
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    zero = next(r for r in rows if r["url"] == f"{BASE}/news/0")
    assert zero["fetched"] == "2024-03-01T10:00:00+00:00"
    assert zero["source"]["locator"] == f"crawl.warc.gz@{record_offsets(tmp_path / 'crawl.warc.gz')[2]}"


def test_cli_extract_a_warc_with_filters(run, tmp_path: Path) -> None:
    other = response("https://elsewhere.example/story", article_html(30, canonical="https://elsewhere.example/story"))
    write_warc(tmp_path / "crawl.warc.gz", [*crawl_records(), other])
    result = run("extract", "crawl.warc.gz", "--no-enrich", "--site", "news.example.com")
    assert result.returncode == 0, result.stderr
    urls = [json.loads(line)["url"] for line in result.stdout.splitlines()]
    assert len(urls) == PAGES and "https://elsewhere.example/story" not in urls
    assert "1 other site" in result.stderr
    russian = run("extract", "crawl.warc.gz", "--no-enrich", "--language", "ru", "--format", "text")
    assert CYRILLIC in russian.stdout and "zq0x" not in russian.stdout
    assert f"{PAGES} other languages" in russian.stderr


def test_truncated_warc_keeps_every_record_before_the_cut(run, tmp_path: Path) -> None:
    path = write_warc(tmp_path / "cut.warc.gz", crawl_records())
    offsets = record_offsets(path)
    truncate(path, record=5)  # inside news/2 (br)
    result = run("extract", "cut.warc.gz", "--no-enrich")
    assert result.returncode == 3
    assert_no_traceback(result.stderr)
    urls = [json.loads(line)["url"] for line in result.stdout.splitlines()]
    assert urls == [f"{BASE}/news/0", f"{BASE}/news/1"]
    failures = [line for line in result.stderr.splitlines() if "truncated" in line]
    assert failures == [f"newsdesk: cut.warc.gz: truncated at offset {offsets[5]} (the last record is cut short); "
                        "every record before it was read"]


def test_corrupt_record_is_skipped_and_the_file_goes_on(run, tmp_path: Path) -> None:
    data, offset = corrupt_record((write_warc(tmp_path / "x.warc.gz", crawl_records())).read_bytes(), 4)  # news/1
    (tmp_path / "bad.warc.gz").write_bytes(data)
    result = run("extract", "bad.warc.gz", "--no-enrich")
    assert result.returncode == 3
    assert_no_traceback(result.stderr)
    urls = [json.loads(line)["url"] for line in result.stdout.splitlines()]
    assert f"{BASE}/news/1" not in urls and len(urls) == PAGES - 1
    (line,) = [x for x in result.stderr.splitlines() if "corrupt" in x]
    assert line.startswith(f"newsdesk: bad.warc.gz: corrupt record at offset {offset} skipped")
    assert f"reading resumed at offset {record_offsets(tmp_path / 'x.warc.gz')[5]}" in line


@pytest.mark.parametrize("kind", ["html", "text", "binary", "gzip", "empty"])
def test_not_a_warc_says_so(run, tmp_path: Path, kind: str) -> None:
    (tmp_path / "fake.warc.gz").write_bytes(not_a_warc(kind))  # type: ignore[arg-type]
    (tmp_path / "good.html").write_text(page(1))
    result = run("extract", "fake.warc.gz", "good.html", "--no-enrich")
    assert result.returncode == 3
    assert_no_traceback(result.stderr)
    assert "zq1x" in result.stdout  # the other input is still extracted
    assert "newsdesk: fake.warc.gz: " in result.stderr
    assert ("not a WARC file" in result.stderr) or ("empty file, not a WARC" in result.stderr)


def test_reprocess_reads_a_crawl_record_again(run, tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz", crawl_records())
    assert run("ingest", "crawl.warc.gz", "--db", "news.db", "--no-enrich", "--jobs", "1").returncode == 0
    again = run("reprocess", "--db", "news.db", "--stage", "extract", "--force", "--jobs", "1")
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip() == f"newsdesk: articles {PAGES}, reprocessed {PAGES}, failed 0"


@pytest.mark.skipif(not SHARED_WARC.is_dir(), reason=f"{SHARED_WARC} not present (real Common Crawl samples)")
def test_real_common_crawl_files() -> None:
    pages, seen = read_all(SHARED_WARC / "cc-main-2020-34-excerpt.warc.gz")
    assert len(pages) == 16  # its README: 16 HTML responses
    assert {o.reason for o in seen} == {"warcinfo", "request", "metadata"}
    assert all(p.fetched and p.fetched.startswith("2020-08-08") for p in pages)
    assert pages[1].charset == "windows-1251"
    articles = [newsdesk.extract(p) for p in pages]
    assert articles[1].language == "ru" and "компании" in (articles[1].title or "").lower() + articles[1].text.lower()
    wet, _ = read_all(SHARED_WARC / "whirlwind.warc.wet.gz")
    warc, _ = read_all(SHARED_WARC / "whirlwind.warc.gz")
    assert [p.url for p in wet] == [p.url for p in warc] == ["https://an.wikipedia.org/wiki/Escopete"]
    assert newsdesk.extract(wet[0]).source.format == "text" and newsdesk.extract(warc[0]).source.format == "html"
    edge, seen = read_all(SHARED_WARC / "block-sized-records.warc.gz")
    assert edge == [] and [o.reason for o in seen] == ["other record"] * 3


def test_large_records_and_a_record_spread_over_two_gzip_members(tmp_path: Path) -> None:
    # The listing reads each gzip member's first bytes only and finds the next member by its
    # magic bytes: records far larger than what it inflates, and a record some writer split
    # over two members (the second member is no record start), must not confuse it.
    big = article_html(40, canonical=f"{BASE}/news/40", extra="x " * 150_000)  # ~300 KB
    records = [warcinfo(), response(f"{BASE}/news/40", big), response(f"{BASE}/news/41", page(41))]
    path = write_warc(tmp_path / "big.warc.gz", records)
    pages, seen = read_all(path)
    assert [p.url for p in pages] == [f"{BASE}/news/40", f"{BASE}/news/41"] and [o.reason for o in seen] == ["warcinfo"]
    assert "zq40x" in newsdesk.extract(pages[0]).text
    # Split the big record's member in two: same bytes once inflated, one more member.
    import gzip

    data = path.read_bytes()
    offsets = record_offsets(path)
    raw = gzip.decompress(data[offsets[1] : offsets[2]])
    split = data[: offsets[1]] + gzip.compress(raw[:100_000], mtime=0) + gzip.compress(raw[100_000:], mtime=0) + data[offsets[2] :]
    (tmp_path / "split.warc.gz").write_bytes(split)
    pages, seen = read_all(tmp_path / "split.warc.gz")
    assert [p.url for p in pages] == [f"{BASE}/news/40", f"{BASE}/news/41"]
    assert "zq40x" in newsdesk.extract(pages[0]).text
