"""`newsdesk spark` in local mode (local[2]) over WARCs the tests write, beside `newsdesk
ingest` on the same files; `newsdesk import` of its output."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crawlfiles import response, write_warc
from support import article_html, assert_no_traceback, cli_env, prose

import pyarrow.dataset as ds

from newsdesk.model import record_id
from newsdesk.urls import identity_url


# Real crawl excerpts, when the shared bench data is beside the project.
SHARED_WARC = Path(__file__).resolve().parents[2].parent / "shared" / "bench" / "warc"
SAMPLES = [SHARED_WARC / n for n in ("cc-main-2020-34-excerpt.warc.gz", "whirlwind.warc.gz") if (SHARED_WARC / n).is_file()]


def _need_spark() -> None:
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install openjdk-17-jre-headless; .ci/run installs it)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark (pip install -e '.[test]')")
    if missing:
        message = "Spark tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def cli(tmp: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "newsdesk", *args], cwd=tmp, capture_output=True, text=True,
                          timeout=timeout, env=cli_env())
    assert_no_traceback(proc.stderr)
    return proc


def page(n: int, **kw: str) -> str:
    # article_html's stock paragraphs are shared by every page: made-up prose makes each
    # story's text its own, so only the real copies below are copies.
    return article_html(n, extra=prose(n, paragraphs=4).replace("\n\n", " "), **kw)


def _warcs(folder: Path) -> list[Path]:
    """Three crawl files: six articles of example.com; a wire copy of two of them at
    other outlets (the same text, another URL, a later day), one in a later file."""
    day = ["2026-11-0%dT10:00:00Z" % d for d in (1, 2, 3)]
    first = [response(f"https://www.example.com/news/{n}-council-budget", page(n), date=day[0]) for n in range(1, 4)]
    second = [response(f"https://www.example.com/news/{n}-council-budget", page(n), date=day[1]) for n in range(4, 7)]
    second.append(response("https://www.wire.example.org/story/2", page(
        2, canonical="https://www.wire.example.org/story/2", published="2020-02-24T05:06:00+00:00", site="wire.example.org"),
        date=day[1]))
    third = [response("https://www.daily.example.net/a/5", page(
        5, canonical="https://www.daily.example.net/a/5", published="2020-02-25T05:06:00+00:00", site="daily.example.net"),
        date=day[2])]
    return [write_warc(folder / f"crawl-{i}.warc.gz", recs) for i, recs in enumerate((first, second, third))]


@pytest.fixture(scope="module")
def job(tmp_path_factory):
    _need_spark()
    tmp = tmp_path_factory.mktemp("spark")
    warcs = _warcs(tmp) + SAMPLES
    manifest = tmp / "manifest.txt"
    manifest.write_text("# three crawl files and one that is not there\n" +
                        "\n".join(str(w) for w in warcs) + f"\nfile://{tmp}/missing.warc.gz\n")
    proc = cli(tmp, "spark", str(manifest), "--out", str(tmp / "out"), "--master", "local[2]", "--partitions", "2")
    return tmp, warcs, manifest, proc


def _dataset(out: Path) -> list[dict]:
    table = ds.dataset(str(out), format="parquet", partitioning="hive", ignore_prefixes=["_", "."]).to_table()
    return sorted(table.to_pylist(), key=lambda r: r["id"])


def test_the_job_writes_the_records_ingest_makes_of_the_same_files(job):
    tmp, warcs, _, proc = job
    assert proc.returncode == 3, proc.stderr  # the missing input
    n = len(warcs)
    assert f"inputs {n + 1}: done {n}, skipped 0 (done before), failed 1" in proc.stderr
    assert "missing.warc.gz" in proc.stderr
    ingest = cli(tmp, "ingest", *map(str, warcs), "--db", str(tmp / "ingest.db"))
    assert ingest.returncode == 0, ingest.stderr
    with sqlite3.connect(tmp / "ingest.db") as conn:
        stored = {r[0]: json.loads(r[1]) | {"text": r[2]} for r in conn.execute("SELECT id, record, text FROM articles")}
    rows = _dataset(tmp / "out")
    assert sorted(r["id"] for r in rows) == sorted(stored)
    for row in rows:
        want = stored[row["id"]]
        for name in ("url", "canonical_url", "title", "published", "fetched", "text", "text_hash", "authors", "language"):
            assert row[name] == want[name], (row["id"], name)
        assert [e["name"] for e in row["entities"]] == [e["name"] for e in want["entities"]]
        assert len(row["quotes"]) == len(want["quotes"])
        assert row["source"]["locator"] == want["source"]["locator"]
    assert {r["crawl_date"] for r in rows} >= {"2026-11-01", "2026-11-02", "2026-11-03"}


def test_copy_groups_over_the_crawl_are_the_incremental_stage_s(job):
    tmp, warcs, _, _ = job
    if not (tmp / "ingest.db").exists():
        assert cli(tmp, "ingest", *map(str, warcs), "--db", str(tmp / "ingest.db")).returncode == 0
    with sqlite3.connect(tmp / "ingest.db") as conn:
        archive = dict(conn.execute("SELECT a.id, o.id FROM articles a JOIN articles o ON o.seq = a.origin").fetchall())
    copies = ds.dataset(str(tmp / "out" / "_copies"), format="parquet").to_table().to_pylist()
    spark = {r["id"]: r["origin"] for r in copies}
    assert spark == archive
    wire = [record_id(identity_url(u, None), "") for u in ("https://www.wire.example.org/story/2",
                                                             "https://www.daily.example.net/a/5")]
    origins = [record_id(identity_url(f"https://www.example.com/news/{n}-council-budget", None), "") for n in (2, 5)]
    assert [spark.get(w) for w in wire] == origins  # each wire copy's origin: example.com's page


def test_markers_name_each_input_and_a_rerun_redoes_only_what_is_not_done(job):
    tmp, warcs, manifest, _ = job
    out = tmp / "out"
    markers = {json.loads(p.read_text())["input"]: p for p in (out / "_inputs").glob("*.json")}
    assert set(markers) == {*map(str, warcs), f"file://{tmp}/missing.warc.gz"}
    failed = json.loads(markers[f"file://{tmp}/missing.warc.gz"].read_text())
    assert failed["status"] == "failed" and failed["errors"]
    kept = {p: p.stat().st_mtime_ns for p in out.glob("*=*/part-*.parquet")}
    total = len(_dataset(out))
    markers[str(warcs[1])].unlink()
    again = cli(tmp, "spark", str(manifest), "--out", str(out), "--master", "local[2]")
    n = len(warcs)
    assert f"inputs {n + 1}: done 1, skipped {n - 1} (done before), failed 1" in again.stderr, again.stderr
    second = json.loads(markers[str(warcs[1])].read_text())
    for part, mtime in kept.items():
        if part.exists() and str(part.relative_to(out)) not in second["parts"]:
            assert part.stat().st_mtime_ns == mtime  # the other inputs' parts were not touched
    assert len(_dataset(out)) == total  # nothing doubled


def test_import_loads_the_dataset_once_with_its_stories(job):
    tmp, _, _, _ = job
    db = tmp / "imported.db"
    rows = len(_dataset(tmp / "out"))
    first = cli(tmp, "import", str(tmp / "out"), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert f"added {rows}," in first.stderr
    second = cli(tmp, "import", str(tmp / "out"), "--db", str(db))
    assert second.returncode == 0 and "added 0," in second.stderr and f"already present {rows}," in second.stderr
    copies = ds.dataset(str(tmp / "out" / "_copies"), format="parquet").to_table().to_pylist()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == rows
        assert conn.execute("SELECT count(*) FROM articles WHERE story IS NULL").fetchone()[0] == 0
        grouped = dict(conn.execute("SELECT a.id, o.id FROM articles a JOIN articles o ON o.seq = a.origin").fetchall())
    assert grouped == {r["id"]: r["origin"] for r in copies}  # the archive's own stage agrees with the crawl pass


def test_duckdb_and_spark_read_the_dataset_as_users_do(job):
    import duckdb
    from pyspark.sql import SparkSession

    tmp, _, _, _ = job
    out = tmp / "out"
    rows = len(_dataset(out))
    con = duckdb.connect()
    n, days = con.execute(f"SELECT count(*), count(DISTINCT crawl_date) FROM read_parquet('{out}/crawl_date=*/*.parquet', "
                          "hive_partitioning = true)").fetchone()
    assert n == rows and days >= 3
    spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    try:
        frame = spark.read.parquet(str(out))
        assert frame.count() == rows and "crawl_date" in frame.columns and "text" in frame.columns
    finally:
        spark.stop()


def test_spark_submit_runs_the_documented_entry_file(tmp_path):
    _need_spark()
    import newsdesk.cli.spark_submit as entry

    submit = Path(sys.executable).with_name("spark-submit")
    if not submit.exists():
        pytest.skip("no spark-submit beside this Python (pyspark installs one)")
    warc = _warcs(tmp_path)[0]
    manifest = tmp_path / "manifest.txt"
    manifest.write_text(f"{warc}\n")
    env = cli_env() | {"PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    proc = subprocess.run([str(submit), "--master", "local[1]", entry.__file__, str(manifest), "--out", str(tmp_path / "out"),
                           "--no-enrich"], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # spark-submit hands the Python driver's stderr to its stdout
    assert "newsdesk: inputs 1: done 1, skipped 0 (done before), failed 0; records 3 " in proc.stdout + proc.stderr
