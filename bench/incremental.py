"""What the cross-article stages cost per new article on a large archive.

    python -m bench.incremental [--db bench/out/web-100k.db] [--articles 300]

A copy of the synthetic archive (``bench.gen_archive``; built if missing) receives the
syndication dev pages' texts (real news texts with their copies and reuses, so the
candidate lists are not empty), one ``Archive.add`` each, in one transaction per 50 like a
pipeline batch. The signatures and story features are computed beforehand, as the
pipeline's workers do; the timed part is the writer's: storing the record, the duplicate
stage (candidates, confirmation, links, groups) and the story stage (candidates, join or
start, index). Reported per article: the whole add, and the two stages alone (the add with
each stage's entry point timed), median and p95.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.gen_archive import DEFAULT_DB, build
from bench.links import load


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--size", type=int, default=100_000, help="articles in the synthetic archive (built if missing)")
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args(argv)

    from newsdesk import Archive, Article
    from newsdesk.archive import links as links_mod
    from newsdesk.archive import stories as stories_mod
    from newsdesk.links.copies import signature
    from newsdesk.links.stories import article_features

    base = build(args.db, args.size)
    pages, _ = load()
    names = sorted(pages)[: args.articles]
    todo = []
    for name in names:
        a = Article(id="", text=pages[name]["text"], url=f"https://bench.invalid/{name}",
                    published=pages[name]["published"] or None, title=name)
        todo.append((a, {"copies": signature(a.text), "stories": article_features(a)}))

    spent: dict[str, float] = {"link": 0.0, "story": 0.0}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t
        return wrapper

    links_mod.Linker.link = timed("link", links_mod.Linker.link)  # type: ignore[method-assign]
    stories_mod.Storyteller.assign = timed("story", stories_mod.Storyteller.assign)  # type: ignore[method-assign]
    whole, link, story = [], [], []
    with tempfile.TemporaryDirectory(dir=args.db.parent) as tmp:
        db = Path(tmp) / "copy.db"
        shutil.copyfile(base, db)
        with Archive(db) as archive:
            stored = archive.count()
            for i in range(0, len(todo), 50):
                with archive.transaction():
                    for article, signals in todo[i : i + 50]:
                        spent["link"] = spent["story"] = 0.0
                        t = time.perf_counter()
                        archive.add(article, commit=False, signals=signals)
                        whole.append((time.perf_counter() - t) * 1000)
                        link.append(spent["link"] * 1000)
                        story.append(spent["story"] * 1000)
            made = len(archive.duplicates(site=None))
    print(f"{len(todo)} new articles into an archive of {stored:,} ({made} links among them)")
    print(f"{'per new article':28} {'median ms':>10} {'p95 ms':>8}")
    for label, xs in (("whole add", whole), ("duplicate stage", link), ("story stage", story),
                      ("duplicate + story", [a + b for a, b in zip(link, story)])):
        print(f"{label:28} {statistics.median(xs):10.2f} {_p95(xs):8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
