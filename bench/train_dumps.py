"""Train the dump-line classifier and report its cross-validated quality.

    python -m bench.train_dumps [--folds 5] [--write]

Labels come from the dev dumps: a line is body when its normalised text occurs in the true
body (or, for lines of 4+ words, when at least half its word trigrams do). Folds are grouped
by site (registered domain of the URL), so no site is scored by weights that saw it. The
figures printed are mean word F1 of the full extractor (``newsdesk.extract.text.analyse``):
cross-validated per part, then in-sample for the weights trained on all dumps. ``--write``
stores those weights in ``src/newsdesk/data/dumplines-weights.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import zlib
from pathlib import Path

import numpy as np

from bench.data import text_dumps
from bench.metrics import word_prf
from newsdesk.extract.dumplines import (
    LineModel,
    LogReg,
    best_path,
    base_features,
    split_dump,
    stage1_matrix,
    stage2_matrix,
)
from newsdesk.extract.text import analyse
from newsdesk.extract.urls import registered_domain
from newsdesk.model import normalise_text

WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "newsdesk" / "data" / "dumplines-weights.json"
_W = re.compile(r"\w+")
# Grids for the path decoder, searched on the training folds only.
SWITCH_COSTS = (0.0, 1.0, 2.0, 4.0, 8.0)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
L2 = 1.0


def labels(dump_lines, truth: str) -> np.ndarray:
    t = normalise_text(truth)
    toks = _W.findall(t)
    tri = {tuple(toks[i : i + 3]) for i in range(len(toks) - 2)}
    out = np.zeros(len(dump_lines))
    for i, line in enumerate(dump_lines):
        n = normalise_text(line.text)
        if n in t:
            out[i] = 1
            continue
        lt = _W.findall(n)
        if len(lt) >= 4:
            sh = [tuple(lt[j : j + 3]) for j in range(len(lt) - 2)]
            out[i] = sum(s in tri for s in sh) / len(sh) >= 0.5
    return out


def fit_logreg(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, iters: int = 25) -> LogReg:
    """Weighted L2 logistic regression by Newton's method on standardised features."""
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale < 1e-9] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        g = z.T @ (w * (p - y)) + reg * beta
        h = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(h, g)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return LogReg(mean, scale, beta[:-1], float(beta[-1]))


class Doc:
    def __init__(self, d):
        self.d = d
        self.lines = split_dump(d.dump)
        self.y = labels(self.lines, d.text)
        self.x1 = stage1_matrix(base_features(self.lines, url=d.url)) if self.lines else np.zeros((0, 0))
        self.words = words = np.array([line.words for line in self.lines], dtype=float)
        # Each dump weighs the same in training (the benchmark averages per dump); within one,
        # longer lines weigh more, as the metric counts words.
        sw = np.sqrt(words + 1)
        self.w = sw / sw.sum() * 100 if len(sw) else sw
        self.site = registered_domain(d.url) or d.id


def train(docs: list[Doc]) -> LineModel:
    docs = [d for d in docs if d.lines]
    x1 = np.vstack([d.x1 for d in docs])
    y = np.concatenate([d.y for d in docs])
    w = np.concatenate([d.w for d in docs])
    s1 = fit_logreg(x1, y, w)
    x2s = [stage2_matrix(d.x1, s1.predict(d.x1)) for d in docs]
    s2 = fit_logreg(np.vstack(x2s), y, w)
    # Decoder settings: the grid point with the best mean line-level word F1 on these docs.
    probs = [s2.predict(x2) for x2 in x2s]
    best = (-1.0, 0.0, 0.5)
    for c in SWITCH_COSTS:
        for t in THRESHOLDS:
            f = statistics.mean(_line_f1(d, best_path(p, d.words.tolist(), c, t)) for d, p in zip(docs, probs))
            if f > best[0]:
                best = (f, c, t)
    return LineModel(s1, s2, best[1], best[2])


def _line_f1(d: "Doc", sel: list[bool]) -> float:
    # Word F1 from the line labels (fast stand-in for the bag-of-words F1 while searching).
    s = np.asarray(sel, dtype=bool)
    tp = float((d.words * d.y)[s].sum())
    if tp == 0:
        return 0.0
    p, r = tp / d.words[s].sum(), tp / max((d.words * d.y).sum(), 1)
    return 2 * p * r / (p + r)


def score(docs: list[Doc], model: LineModel) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for d in docs:
        parts = analyse(d.d.dump, url=d.d.url, model=model)
        out.setdefault(d.d.part, []).append(word_prf(d.d.text, "\n\n".join(parts.paragraphs))[2])
    return out


def show(name: str, res: dict[str, list[float]]) -> None:
    print(name, "  ".join(f"{k} {statistics.mean(v):.3f} (n={len(v)})" for k, v in sorted(res.items())))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    t0 = time.time()
    docs = [Doc(d) for d in text_dumps()]
    print(f"features for {len(docs)} dumps in {time.time() - t0:.1f}s")
    cv: dict[str, list[float]] = {}
    for k in range(args.folds):
        test = [d for d in docs if zlib.crc32(d.site.encode()) % args.folds == k]
        trainset = [d for d in docs if zlib.crc32(d.site.encode()) % args.folds != k]
        m = train(trainset)
        for part, v in score(test, m).items():
            cv.setdefault(part, []).extend(v)
        print(f"fold {k}: switch {m.switch_cost} threshold {m.threshold}")
    show("cross-validated (grouped by site):", cv)
    full = train(docs)
    show("in-sample (all dumps):          ", score(docs, full))
    print(f"decoder: switch {full.switch_cost} threshold {full.threshold}")
    if args.write:
        WEIGHTS.write_text(json.dumps(full.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS}")


if __name__ == "__main__":
    main()
