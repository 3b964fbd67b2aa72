"""Copies and reused passages on the syndication set: the datasketch anchor beside newsdesk's
signals, same extracted texts, same scorer, one run.

    python -m bench.links

Scoring (``../shared/bench/syndication/truth.json``):
- copy groups: pages joined by predicted copy links (closure) against the truth's groups
  (closure of its copy links), pairwise precision / recall / F1; ``ambiguous`` pairs are
  never scored;
- partial reuse: a truth link (page, source) is found when a predicted partial link of that
  page points into the source's copy group; precision over predicted partial links;
- independent reports: pairs of pages of one event (``story``) with no truth link (and not
  ambiguous) that got a link, as a share of such pairs.

The anchor is datasketch's ``MinHashLSH`` (threshold 0.5, 128 permutations, word 5-grams)
queried with each page before it is inserted, in publication order: every match is a copy
link to the earlier page. The newsdesk column is the archive's duplicate stage itself: each
page stored with ``Archive.add`` (LSH bands and passage fingerprints for candidates, each
candidate confirmed on the texts; rules chosen with grouped cross-validation by
``scripts/tune_links.py``), its time per page including the archive writes.

Every system is scored twice: against the truth as given, and against the truth with its
own labelling rule applied to all pairs (``consistent``): the set's partial pages are built
on texts that are sources elsewhere in the set, and those pairs are not labelled.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from bench.data import BENCH, require

SYNDICATION = BENCH / "syndication"
_WORD = re.compile(r"\w+")


def load() -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    import newsdesk

    root = require(SYNDICATION)
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    pages = {}
    for name in sorted(truth["pages"]):
        a = newsdesk.extract((root / "pages" / name).read_bytes())
        pages[name] = {"text": a.text, "published": truth["pages"][name]["published"] or a.published or ""}
    return pages, truth


def _groups(pairs: Iterable[tuple[str, str]], nodes: list[str]) -> dict[str, str]:
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return {n: find(n) for n in nodes}


def score(copies: list[tuple[str, str]], partials: list[tuple[str, str]], truth: dict[str, Any]) -> dict[str, float]:
    nodes = sorted(truth["pages"])
    pages = truth["pages"]
    ambiguous = {tuple(sorted(p)) for p in truth["ambiguous"]}
    tcopy = [(link["page"], link["source"]) for link in truth["links"] if link["kind"] == "copy"]
    tpart = [(link["page"], link["source"]) for link in truth["links"] if link["kind"] == "partial"]
    tg, pg = _groups(tcopy, nodes), _groups(copies, nodes)
    tp = fp = fn = 0
    for a, b in itertools.combinations(nodes, 2):
        if (a, b) in ambiguous:
            continue
        t, p = tg[a] == tg[b], pg[a] == pg[b]
        tp += t and p
        fp += p and not t
        fn += t and not p
    cp, cr = tp / max(1, tp + fp), tp / max(1, tp + fn)
    predicted: dict[str, set[str]] = collections.defaultdict(set)
    for page, source in partials:
        predicted[page].add(tg[source])
    found = sum(1 for page, source in tpart if tg[source] in predicted[page])
    true_groups: dict[str, set[str]] = collections.defaultdict(set)
    for page, source in tpart:
        true_groups[page].add(tg[source])
    scored = [(a, s) for a, s in partials if tuple(sorted((a, s))) not in ambiguous]
    good = sum(1 for a, s in scored if tg[s] in true_groups[a])
    linked = {tuple(sorted(p)) for p in copies + partials}
    truth_pairs = {tuple(sorted(p)) for p in tcopy + tpart}
    independent = [
        (a, b) for a, b in itertools.combinations(nodes, 2)
        if pages[a]["story"] is not None and pages[a]["story"] == pages[b]["story"]
        and (a, b) not in truth_pairs and (a, b) not in ambiguous and tg[a] != tg[b]
    ]
    bad = sum(1 for p in independent if p in linked)
    return {
        "copy_p": cp, "copy_r": cr, "copy_f1": 2 * cp * cr / max(1e-9, cp + cr),
        "partial_p": good / max(1, len(scored)), "partial_r": found / max(1, len(tpart)),
        "independent": bad / max(1, len(independent)),
    }


def consistent(truth: dict[str, Any], pages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The truth with its own labelling rule applied to every pair of pages, not only to
    the reports of one event: word 5-gram Jaccard >= 0.5 a copy, containment (of the
    smaller set) >= 0.5 a partial reuse, 0.2-0.5 ambiguous. The generator builds partial
    pages' own text from texts that are bases elsewhere in the set and leaves those pairs
    unlabelled; this version labels them as the README says reports are labelled."""
    sets = {}
    for n, meta in pages.items():
        words = _WORD.findall(meta["text"].lower())
        sets[n] = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    holders: dict[str, list[str]] = collections.defaultdict(list)
    for n in sorted(sets):
        for s in sets[n]:
            holders[s].append(n)
    shared: collections.Counter[tuple[str, str]] = collections.Counter()
    for names in holders.values():
        if len(names) <= 50:
            shared.update(itertools.combinations(names, 2))
    known = {tuple(sorted((link["page"], link["source"]))) for link in truth["links"]}
    known |= {tuple(sorted(p)) for p in truth["ambiguous"]}
    links, ambiguous = list(truth["links"]), list(truth["ambiguous"])
    for (a, b), n in shared.items():
        if (a, b) in known:
            continue
        jaccard = n / (len(sets[a]) + len(sets[b]) - n)
        contain = n / min(len(sets[a]), len(sets[b]))
        newer, older = sorted((a, b), key=lambda x: (pages[x]["published"], x), reverse=True)
        if jaccard >= 0.5:
            links.append({"page": newer, "source": older, "kind": "copy"})
        elif contain >= 0.5:
            links.append({"page": newer, "source": older, "kind": "partial"})
        elif contain >= 0.2:
            ambiguous.append([a, b])
    return {"pages": truth["pages"], "links": links, "ambiguous": ambiguous}


def _order(pages: dict[str, dict[str, Any]]) -> list[str]:
    return sorted(pages, key=lambda n: (pages[n]["published"], n))


def anchor(pages: dict[str, dict[str, Any]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    copies = []
    for name in _order(pages):
        words = _WORD.findall(pages[name]["text"].lower())
        shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles])
        copies += [(name, other) for other in lsh.query(m)]
        lsh.insert(name, m)
    return copies, []


def newsdesk_links(pages: dict[str, dict[str, Any]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The shipped duplicate stage: every page stored in a fresh archive in file order (not
    publication order: direction must come from the dates), then its links read back."""
    import tempfile
    from pathlib import Path

    from newsdesk import Archive, Article

    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "links.db") as archive:
        names = {}
        with archive.transaction():
            for name in sorted(pages):
                # One record per page: the set gives some pages the same canonical URL as
                # another page's (an edited version of one publication), which the archive
                # would store as one record; the links of every page are what is scored.
                article = Article(id="", text=pages[name]["text"], url=f"https://bench.invalid/{name}",
                                  published=pages[name]["published"] or None)
                archive.add(article, commit=False)
                names[article.id] = name
        links = archive.duplicates()
    copies = [(names[x.article], names[x.source]) for x in links if x.kind == "copy"]
    partials = [(names[x.article], names[x.source]) for x in links if x.kind == "partial"]
    return copies, partials


def missed_partials(pages: dict[str, dict[str, Any]], truth: dict[str, Any],
                    copies: list[tuple[str, str]], partials: list[tuple[str, str]]) -> None:
    """Why the truth's partial reuses that newsdesk missed were missed, by how much text the
    two pages share in runs of 8+ words (the passage fingerprints' length)."""
    from newsdesk.links import signals as sg

    nodes = sorted(truth["pages"])
    tg = _groups([(x["page"], x["source"]) for x in truth["links"] if x["kind"] == "copy"], nodes)
    found: dict[str, set[str]] = collections.defaultdict(set)
    for page, source in partials:
        found[page].add(tg[source])
    tpart = [(x["page"], x["source"]) for x in truth["links"] if x["kind"] == "partial"]
    missed = [(a, s) for a, s in tpart if tg[s] not in found[a]]
    why: collections.Counter[str] = collections.Counter()
    for a, s in missed:
        runs = sg.shared_runs(sg.words(pages[a]["text"]), sg.words(pages[s]["text"]), min_words=8)
        longest = max([r[1] - r[0] for r in runs] or [0])
        total = sum(r[1] - r[0] for r in runs)
        why["no shared run of 20+ words" if longest < 20 else "under 40 shared words" if total < 40 else
            "40+ shared words (a rule's miss)"] += 1
    print(f"missed partial reuses: {len(missed)} of {len(tpart)}")
    for reason, n in why.most_common():
        print(f"  {reason:36} {n}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--misses", action="store_true", help="also say why the missed partial reuses were missed")
    args = ap.parse_args(argv)
    pages, truth = load()
    both = consistent(truth, pages)
    rows = []
    systems: list[tuple[str, Callable[[dict[str, dict[str, Any]]], tuple[list[tuple[str, str]], list[tuple[str, str]]]]]] = [
        ("datasketch MinHashLSH (0.5, 128, 5-grams)", anchor),
        ("newsdesk (archive duplicate stage)", newsdesk_links),
    ]
    for label, fn in systems:
        start = time.perf_counter()
        copies, partials = fn(pages)
        ms = (time.perf_counter() - start) / len(pages) * 1000
        rows.append((label, score(copies, partials, truth), ms))
        if args.misses and fn is newsdesk_links:
            missed_partials(pages, truth, copies, partials)
        rows.append(("  same, truth's rule on all pairs", score(copies, partials, both), ms))
    print(f"syndication/: {len(pages)} pages, {len(truth['links'])} truth links, {len(truth['ambiguous'])} ambiguous pairs")
    print(f"{'system':45} {'copy P':>7} {'copy R':>7} {'copy F1':>7} {'part P':>7} {'part R':>7} {'indep':>7} {'ms/page':>8}")
    for label, m, ms in rows:
        print(f"{label:45} {m['copy_p']:7.3f} {m['copy_r']:7.3f} {m['copy_f1']:7.3f} {m['partial_p']:7.3f} "
              f"{m['partial_r']:7.3f} {m['independent']:7.3f} {ms:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
