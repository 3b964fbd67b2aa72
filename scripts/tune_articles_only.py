"""Choose the ``--articles-only`` threshold on the article probability, by site-grouped CV.

    .venv/bin/python scripts/tune_articles_only.py [--l2 10] [--max-drop 0.02]

``--articles-only`` keeps a page when ``pagetype.article_probability`` >= T and may drop at most
2% of true articles. T is read off out-of-fold probabilities on WCXB-dev: the same site-grouped
5 folds as ``scripts/train_pagetype.py`` (every page of one domain in one fold), each fold scored
by a model fitted on the other four. A true article is WCXB ``page_type == "article"``.

Prints, for a grid of T: true articles dropped (pooled and in the worst fold), non-articles
dropped (pooled and in the fold that drops fewest) and Zyte news pages dropped by the shipped
model (``data/pagetype.json``; no Zyte site is in its training data); then the largest T that
meets the limit pooled and in every fold, the per-fold figures at the recommended T, what it
drops by WCXB page type, and how far the largest every-fold T moves with the fold shuffle.
Nothing is written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_pagetype import collect, out_of_fold, prob, record, site_folds

GRID = (0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
SEEDS = range(10)


def largest_t(p_articles: np.ndarray, max_drop: float) -> float:
    """The largest T with share(p < T) <= max_drop: the (k+1)-th lowest article probability,
    k = floor(max_drop * n) (any T up to and including it drops at most k articles)."""
    a = np.sort(p_articles)
    k = math.floor(max_drop * len(a) + 1e-9)
    return float(a[k]) if k < len(a) else 1.0


def round_down(t: float, digits: int = 2) -> float:
    """``t`` cut down (never up) to ``digits`` significant digits, so the rounded T still meets the limit."""
    if t <= 0:
        return 0.0
    e = math.floor(math.log10(t)) - digits + 1
    return math.floor(t / 10**e + 1e-9) * 10**e


def drops(P: np.ndarray, y: np.ndarray, folds: np.ndarray, t: float) -> dict[str, float]:
    art, non = y == 1, y == 0
    per_a = [float((P[art & (folds == k)] < t).mean()) for k in sorted(set(folds.tolist()))]
    per_n = [float((P[non & (folds == k)] < t).mean()) for k in sorted(set(folds.tolist()))]
    return {"art": float((P[art] < t).mean()), "art_n": int((P[art] < t).sum()), "art_worst": max(per_a),
            "non": float((P[non] < t).mean()), "non_least": min(per_n), "non_most": max(per_n)}


def upper95(k: int, n: int) -> float:
    """One-sided 95% Clopper-Pearson upper bound on a share seen as k of n (bisection on the binomial CDF)."""
    if k >= n:
        return 1.0

    def cdf(q: float) -> float:
        return sum(math.comb(n, i) * q**i * (1 - q) ** (n - i) for i in range(k + 1))

    lo, hi = k / n, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if cdf(mid) > 0.05 else (lo, mid)
    return hi


def fold_max_t(P: np.ndarray, y: np.ndarray, folds: np.ndarray, max_drop: float) -> list[float]:
    return [largest_t(P[(y == 1) & (folds == k)], max_drop) for k in sorted(set(folds.tolist()))]


def page_types(n: int) -> list[str]:
    """WCXB page type of each page, in ``collect()`` order (``bench.data.wcxb_pages``: sorted ids with both files)."""
    from bench.data import SHARED

    root = SHARED / "bench" / "wcxb-dev"
    meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
    ids = [f for f in sorted(meta) if (root / "ground-truth" / f"{f}.json").exists() and (root / "html" / f"{f}.html.gz").exists()]
    assert len(ids) == n, (len(ids), n)
    return [meta[f]["page_type"] for f in ids]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--l2", type=float, default=10.0, help="as scripts/train_pagetype.py (default 10)")
    ap.add_argument("--max-drop", type=float, default=0.02, help="largest share of true articles dropped (default 0.02)")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    from bench.data import zyte_pages
    from newsdesk.extract import pagetype

    X, y, groups = collect()
    types = page_types(len(y))
    assert all((t == "article") == bool(v) for t, v in zip(types, y))
    folds = site_folds(groups)
    P = out_of_fold(X, y, folds, args.l2)
    K = sorted(set(folds.tolist()))

    # The shipped model, as newsdesk runs it, on Zyte (all news articles, held-out sites).
    zs = record(zyte_pages())
    Z = np.array([pagetype.article_probability(s) for s, _ in zs])
    m = pagetype._model()
    shipped = (np.array(m.weights), m.bias, np.array(m.mean), np.array(m.scale))
    assert np.allclose(prob(shipped, np.array([f for _, f in zs])), Z, atol=1e-9)
    P_ship = prob(shipped, X)  # in-sample on WCXB-dev, for reference only

    n_art, n_non = int(y.sum()), int((1 - y).sum())
    print(f"WCXB-dev: {len(y)} pages, {n_art} true articles, {n_non} non-articles, {len(set(groups))} domains, "
          f"{len(K)} site-grouped folds; Zyte: {len(Z)} news pages. Limit: at most {args.max_drop:.0%} of true articles dropped.")
    print(f"(reference: out-of-fold accuracy at 0.5 {((P >= 0.5) == y).mean():.3f}; shipped model in-sample "
          f"{((P_ship >= 0.5) == y).mean():.3f}; Zyte kept at 0.5 by the shipped model: {(Z >= 0.5).sum()}/{len(Z)})")

    t_pool = largest_t(P[y == 1], args.max_drop)
    per_fold_t = fold_max_t(P, y, folds, args.max_drop)
    t_every = min(per_fold_t)
    rec = round_down(t_every)
    print()
    print(f"largest T meeting the limit pooled:        {t_pool:.4f}")
    print("largest T meeting it within each fold:     " + ", ".join(f"fold {k}: {t:.4f}" for k, t in zip(K, per_fold_t)))
    print(f"largest T meeting it in every fold:        {t_every:.4f}  -> recommended T = {rec:.2g} (cut down to 2 significant digits)")

    shuffles = []  # (folds, out-of-fold P) for each fold shuffle; seed 0 is the one above
    for seed in SEEDS:
        f = site_folds(groups, seed=seed)
        shuffles.append((f, P if seed == 0 else out_of_fold(X, y, f, args.l2)))

    print()
    print("T vs share dropped (out-of-fold WCXB-dev, fold shuffle 0 as train_pagetype.py; Zyte by the shipped model)")
    hdr = f"{'T':>7} | {'articles pooled':>15} | {'95% upper':>9} | {'articles worst fold':>19} | {'shuffles ok':>11} | {'non-art pooled':>14} | {'non-art fold min..max':>21} | {'Zyte':>11}"
    print(hdr)
    print("-" * len(hdr))
    for t in sorted(set(GRID) | {rec, round_down(t_pool)}):
        d = drops(P, y, folds, t)
        mark = " <- recommended" if t == rec else (" <- pooled max (2 s.f.)" if t == round_down(t_pool) else "")
        ok = "" if d["art_worst"] <= args.max_drop else " *"
        n_ok = sum(drops(Ps, y, f, t)["art_worst"] <= args.max_drop for f, Ps in shuffles)
        print(f"{t:>7.3g} | {d['art']:>7.1%} ({d['art_n']:>3}) | {upper95(d['art_n'], n_art):>9.1%} | {d['art_worst']:>17.1%}{ok:2} | "
              f"{n_ok:>4} of {len(shuffles):<3} | {d['non']:>14.1%} | "
              f"{d['non_least']:>9.1%} .. {d['non_most']:>6.1%} | {(Z < t).mean():>5.1%} ({int((Z < t).sum())}){mark}")
    print("(* worst fold above the limit; 95% upper: one-sided Clopper-Pearson bound on the pooled article share; shuffles ok:\n"
          f" of {len(shuffles)} random site-grouped fold shuffles, in how many no fold drops more than {args.max_drop:.0%} of its articles;\n"
          " 'non-art fold min' is the fold where the filter removes least)")

    print()
    print(f"per fold at T = {rec:.2g}")
    print(f"{'fold':>4} | {'domains':>7} | {'articles':>8} | {'articles dropped':>16} | {'non-articles':>12} | {'non-articles dropped':>20}")
    for k in K:
        a, n = (y == 1) & (folds == k), (y == 0) & (folds == k)
        doms = len({g for g, f in zip(groups, folds) if f == k})
        print(f"{k:>4} | {doms:>7} | {int(a.sum()):>8} | {int((P[a] < rec).sum()):>4} = {(P[a] < rec).mean():>7.1%} | "
              f"{int(n.sum()):>12} | {int((P[n] < rec).sum()):>6} = {(P[n] < rec).mean():>9.1%}")
    a, n = y == 1, y == 0
    print(f"{'all':>4} | {len(set(groups)):>7} | {n_art:>8} | {int((P[a] < rec).sum()):>4} = {(P[a] < rec).mean():>7.1%} | "
          f"{n_non:>12} | {int((P[n] < rec).sum()):>6} = {(P[n] < rec).mean():>9.1%}")

    print()
    by_type = sorted(set(types) - {"article"})
    print(f"non-articles dropped at T = {rec:.2g} by page type (out-of-fold): " + ", ".join(
        f"{t} {int(((P < rec) & (np.array(types) == t)).sum())}/{types.count(t)}" for t in by_type))
    print(f"Zyte news pages dropped at T = {rec:.2g} (shipped model): {int((Z < rec).sum())}/{len(Z)} = {(Z < rec).mean():.1%}"
          f"; lowest Zyte probabilities: " + ", ".join(f"{v:.3f}" for v in np.sort(Z)[:5]))

    print()
    print("stability over fold shuffles (seeds 0-9; the folds above are seed 0, as train_pagetype.py):")
    rows = []
    for seed, (f, Ps) in zip(SEEDS, shuffles):
        te = min(fold_max_t(Ps, y, f, args.max_drop))
        d = drops(Ps, y, f, rec)
        rows.append((seed, largest_t(Ps[y == 1], args.max_drop), te, d["art"], d["art_worst"], d["non"]))
    print(f"{'seed':>4} | {'pooled max T':>12} | {'every-fold max T':>16} | at T = {rec:.2g}: articles pooled / worst fold / non-articles pooled")
    for seed, tp, te, da, dw, dn in rows:
        print(f"{seed:>4} | {tp:>12.4f} | {te:>16.4f} | {da:>6.1%} / {dw:>5.1%} / {dn:>5.1%}")
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
