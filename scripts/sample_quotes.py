"""Print a seeded random sample of speech quotes from the Zyte dev pages, for a hand check.

    python scripts/sample_quotes.py [--n 50] [--seed 13]

Each page of ``../shared/bench/zyte/html`` is extracted and enriched as ``newsdesk extract``
and ``enrich`` do; the sample is drawn from every speech quote, in page-file order, and each
is printed with its cue, speaker, speaker phrase and the text around it, to be judged by eye.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.data import BENCH, require  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    import newsdesk
    from newsdesk.enrich import enrich_many

    pages = sorted(require(BENCH / "zyte" / "html").iterdir())
    articles = []
    for path in pages:
        article = newsdesk.extract(gzip.decompress(path.read_bytes()))
        article.id = path.name[:12]
        articles.append(article)
    quotes = [(a, q) for a in enrich_many(articles) for q in a.quotes if q.family == "speech"]
    print(f"{len(quotes)} speech quotes on {len(pages)} pages; {args.n} drawn with random.Random({args.seed})")
    for i, (a, q) in enumerate(random.Random(args.seed).sample(quotes, args.n), 1):
        text = a.text
        phrase = text[q.speaker_span[0] : q.speaker_span[1]] if q.speaker_span else None
        print(f"\n## {i} [{a.id}] kind={q.kind} cue={q.cue!r} speaker={q.speaker!r} phrase={phrase!r}")
        print("   quote:", q.text[:200].replace("\n", " / "))
        print("   text: ", text[max(0, q.start - 300) : q.end + 150].replace("\n", " / "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
