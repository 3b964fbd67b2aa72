"""Extraction benchmark: newsdesk and trafilatura side by side, one run, one table.

    python -m bench.extract [--only zyte,dumps,speed] [--report bench/out/extract-errors.jsonl]

Rows: Zyte shingle F1 (that benchmark's definition), text-dump mean word F1 per part, and
pages/s of both extractors on one core over the Zyte HTML held in memory. A per-page
report (worst first) goes to --report so misses can be read by site and cause.
"""

from __future__ import annotations

import argparse
import html as htmlmod
import json
import os
import statistics
import time
import warnings
from pathlib import Path
from typing import Callable

from bench.data import text_dumps, zyte_pages
from bench.metrics import shingle_prf, shingle_tp_fp_fn, word_prf

import newsdesk


def _trafilatura() -> Callable[..., str | None]:
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - bench extra not installed
        raise SystemExit("bench: trafilatura is missing; pip install -e '.[bench]'")
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura.extract


def _nd_text(content: str, url: str | None, kind: str = "auto") -> str:
    try:
        return newsdesk.extract(content, url=url, kind=kind).text  # type: ignore[arg-type]
    except newsdesk.NewsdeskError:
        return ""


def _dump_as_html(dump: str) -> str:
    # How trafilatura is given a dump: each line a <p>, as the reference figures were made.
    body = "".join(f"<p>{htmlmod.escape(line)}</p>" for line in dump.splitlines() if line.strip())
    return f"<html><body>{body}</body></html>"


def bench_zyte(report: list[dict]) -> list[tuple[str, str, float, float, str]]:
    traf = _trafilatura()
    pages = zyte_pages()
    nd_rows, tf_rows = [], []
    for p in pages:
        nd = _nd_text(p.html, p.url)
        tf = traf(p.html, url=p.url) or ""
        a, b = shingle_tp_fp_fn(p.truth, nd), shingle_tp_fp_fn(p.truth, tf)
        nd_rows.append(a)
        tf_rows.append(b)
        report.append({"bench": "zyte", "id": p.id, "url": p.url, "newsdesk_f1": _f1(a), "trafilatura_f1": _f1(b)})
    nd, tf = shingle_prf(nd_rows), shingle_prf(tf_rows)
    return [
        ("zyte HTML (181)", "shingle F1", nd["f1"], tf["f1"], f"P {nd['precision']:.3f}/{tf['precision']:.3f} R {nd['recall']:.3f}/{tf['recall']:.3f}"),
    ]


def _f1(tpfpfn: tuple[float, float, float]) -> float:
    tp, fp, fn = tpfpfn
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def bench_dumps(report: list[dict]) -> list[tuple[str, str, float, float, str]]:
    traf = _trafilatura()
    dumps = text_dumps()
    by_part: dict[str, tuple[list[float], list[float]]] = {}
    for d in dumps:
        nd = _nd_text(d.dump, d.url, kind="text")
        tf = traf(_dump_as_html(d.dump)) or ""
        f_nd, f_tf = word_prf(d.text, nd)[2], word_prf(d.text, tf)[2]
        by_part.setdefault(d.part, ([], []))
        by_part[d.part][0].append(f_nd)
        by_part[d.part][1].append(f_tf)
        report.append({"bench": "dumps", "id": d.id, "part": d.part, "style": d.style, "url": d.url, "newsdesk_f1": f_nd, "trafilatura_f1": f_tf})
    rows = []
    for part in sorted(by_part):
        a, b = by_part[part]
        rows.append((f"textdumps {part} ({len(a)})", "mean word F1", statistics.mean(a), statistics.mean(b), ""))
    return rows


def bench_speed(seconds: float) -> list[tuple[str, str, float, float, str]]:
    traf = _trafilatura()
    pages = zyte_pages()
    html = [(p.html, p.url) for p in pages]

    def rate(fn: Callable[[str, str | None], object]) -> float:
        for h, u in html[:5]:  # warm-up: model loads, caches
            fn(h, u)
        n, start = 0, time.perf_counter()
        while True:
            for h, u in html:
                fn(h, u)
            n += len(html)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return n / elapsed

    nd = rate(lambda h, u: _nd_text(h, u))
    tf = rate(lambda h, u: traf(h, url=u))
    return [("zyte HTML in memory, 1 core", "pages/s", nd, tf, f"ratio {nd / tf:.1f}x")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="zyte,dumps,speed", help="comma-separated: zyte, dumps, speed")
    ap.add_argument("--seconds", type=float, default=10.0, help="time per extractor in the speed run")
    ap.add_argument("--report", type=Path, default=Path("bench/out/extract-pages.jsonl"))
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    warnings.simplefilter("ignore")
    parts = set(args.only.split(","))
    report: list[dict] = []
    rows = []
    if "zyte" in parts:
        rows += bench_zyte(report)
    if "dumps" in parts:
        rows += bench_dumps(report)
    if "speed" in parts:
        rows += bench_speed(args.seconds)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    report.sort(key=lambda r: r["newsdesk_f1"])
    args.report.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in report), encoding="utf-8")
    print(f"{'data':<30} {'metric':<14} {'newsdesk':>9} {'trafilatura':>12}  notes")
    for data, metric, nd, tf, note in rows:
        print(f"{data:<30} {metric:<14} {nd:>9.3f} {tf:>12.3f}  {note}")
    print(f"(per-page report, worst first: {args.report})")


if __name__ == "__main__":
    main()
