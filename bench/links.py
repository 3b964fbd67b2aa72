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
link to the earlier page. The newsdesk column is the work in progress of issue 10: LSH bands
and passage fingerprints for candidates (``newsdesk.links.signals``), each candidate
confirmed on the texts; its rules are not tuned with cross-validation yet, so it is a
development figure, not a result.
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
    from newsdesk.links import signals as sg

    # Development rules (issue 10, not yet cross-validated): a copy's text is in the older
    # article (containment >= 0.8) and keeps at least 30% of it; reused passages of 30+
    # words making 10%+ of the newer text go to the earliest article holding them.
    copy_min, keep_min, part_words, part_share = 0.8, 0.3, 30, 0.1
    bands: dict[tuple[int, int], list[str]] = collections.defaultdict(list)
    prints: dict[int, list[str]] = collections.defaultdict(list)
    words: dict[str, Any] = {}
    copies: list[tuple[str, str]] = []
    partials: list[tuple[str, str]] = []
    for name in _order(pages):
        w = words[name] = sg.words(pages[name]["text"])
        keys = sg.bands(sg.minhash(sg.shingle_set(w)))
        fps = sg.fingerprints(w)
        seen: collections.Counter[str] = collections.Counter()
        for i, k in enumerate(keys):
            seen.update({o: 2 for o in bands[(i, k)]})
        for h, _ in fps:
            holders = prints[h]
            if len(holders) <= 30:  # a fingerprint on many pages is boilerplate
                seen.update(holders)
        older = [o for o, n in seen.items() if n >= 2]
        comparisons = {o: sg.compare(w, words[o], min_words=20) for o in older}
        same = [o for o, c in comparisons.items() if c.a_in_b >= copy_min and c.b_in_a >= keep_min]
        if same:
            copies.append((name, min(same, key=lambda o: (pages[o]["published"], o))))
        else:
            owner: dict[tuple[int, int], str] = {}
            for o in sorted(comparisons, key=lambda o: (pages[o]["published"], o)):
                for a0, a1, _, _ in comparisons[o].passages:
                    if not any(s < a1 and a0 < e for (s, e) in owner):
                        owner[(a0, a1)] = o
            total = max(1, len(w.hashes))
            for o in set(owner.values()):
                c = comparisons[o]
                mine = sum(e - s for (s, e), oo in owner.items() if oo == o)
                share_chars = mine / max(1, sum(p[1] - p[0] for p in c.passages))
                n_words = c.shared_words_a * share_chars
                if n_words >= part_words and n_words / total >= part_share:
                    partials.append((name, o))
        for i, k in enumerate(keys):
            bands[(i, k)].append(name)
        for h, _ in fps:
            prints[h].append(name)
    return copies, partials


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args(argv)
    pages, truth = load()
    rows = []
    systems: list[tuple[str, Callable[[dict[str, dict[str, Any]]], tuple[list[tuple[str, str]], list[tuple[str, str]]]]]] = [
        ("datasketch MinHashLSH (0.5, 128, 5-grams)", anchor),
        ("newsdesk (issue 10, in progress)", newsdesk_links),
    ]
    for label, fn in systems:
        start = time.perf_counter()
        copies, partials = fn(pages)
        ms = (time.perf_counter() - start) / len(pages) * 1000
        rows.append((label, score(copies, partials, truth), ms))
    print(f"syndication/: {len(pages)} pages, {len(truth['links'])} truth links, {len(truth['ambiguous'])} ambiguous pairs")
    print(f"{'system':45} {'copy P':>7} {'copy R':>7} {'copy F1':>7} {'part P':>7} {'part R':>7} {'indep':>7} {'ms/page':>8}")
    for label, m, ms in rows:
        print(f"{label:45} {m['copy_p']:7.3f} {m['copy_r']:7.3f} {m['copy_f1']:7.3f} {m['partial_p']:7.3f} "
              f"{m['partial_r']:7.3f} {m['independent']:7.3f} {ms:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
