"""`newsdesk spark --master local[2]` beside `newsdesk ingest --jobs 2` on the same WARCs, one run.

    python -m bench.spark [--pages 1181] [--files 8] [--runs 2] [--no-enrich]

The pages are bench.warc's (the 181 Zyte pages, then WCXB-dev), written as ``--files``
Common Crawl-shaped WARCs of equal share (request, response, metadata per page; cached
under ``bench/out/spark/``). Then in turns (ingest, spark, spark, ingest, …), each on a
fresh output: the whole command's wall time (JVM start, Python workers and spaCy loads
included), records/s and the spark/ingest ratio. Both run two processes on two cores; the
Spark run includes its copy pass over the whole output.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.warc import ROOT, Writer, page_records, select_pages, warcinfo

OUT = ROOT / "bench" / "out" / "spark"


def build(pages: int, files: int) -> list[Path]:
    chosen = select_pages(pages)
    stamp = OUT / f"pages-{pages}-files-{files}.json"
    paths = [OUT / f"pages-{pages}-{i:02d}-of-{files:02d}.warc.gz" for i in range(files)]
    if stamp.is_file() and all(p.is_file() for p in paths):
        return paths
    OUT.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(paths):
        w = Writer(path)
        w.add(warcinfo(path.name))
        for page in chosen[i::files]:
            w.add(*page_records(page, gzip.decompress(page.path.read_bytes()), page.url))
        w.close()
    stamp.write_text(json.dumps({"pages": pages, "files": files}))
    return paths


def timed(cmd: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 3):
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, proc.stderr


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1181)
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--no-enrich", action="store_true")
    args = ap.parse_args(argv)
    warcs = build(args.pages, args.files)
    exe = [sys.executable, "-m", "newsdesk"]
    extra = ["--no-enrich"] if args.no_enrich else []
    work = OUT / "run"
    manifest = OUT / "manifest.txt"
    manifest.write_text("\n".join(map(str, warcs)) + "\n")
    walls: dict[str, list[float]] = {"ingest": [], "spark": []}
    records: dict[str, int] = {}
    for what in (["ingest", "spark", "spark", "ingest"] * args.runs)[: 2 * args.runs]:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        if what == "ingest":
            wall, err = timed([*exe, "ingest", *map(str, warcs), "--db", str(work / "a.db"), "--jobs", "2", "-q", *extra])
            with sqlite3.connect(work / "a.db") as conn:
                records["ingest"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        else:
            wall, err = timed([*exe, "spark", str(manifest), "--out", str(work / "out"), "--master", "local[2]", *extra])
            records["spark"] = int(err.rsplit("records ", 1)[1].split(" ", 1)[0])
        walls[what].append(wall)
    shutil.rmtree(work, ignore_errors=True)
    ing, spk = statistics.median(walls["ingest"]), statistics.median(walls["spark"])
    print(f"{args.pages} pages in {args.files} WARCs, enrich {'off' if args.no_enrich else 'on'}, {args.runs} runs each")
    print(f"{'command':44} {'median s':>9} {'records':>8} {'records/s':>10}")
    print(f"{'newsdesk ingest --jobs 2':44} {ing:9.2f} {records['ingest']:8} {records['ingest'] / ing:10.2f}")
    print(f"{'newsdesk spark --master local[2]':44} {spk:9.2f} {records['spark']:8} {records['spark'] / spk:10.2f}")
    print(f"spark / ingest throughput: {(records['spark'] / spk) / (records['ingest'] / ing):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
