"""Train the article-or-not page model (``newsdesk/data/pagetype.json``) on WCXB-dev labels.

    .venv/bin/python scripts/train_pagetype.py [--l2 10] [--write]

Features come from the extractor itself (``pagetype.features`` is recorded while each page
is extracted), so training and use cannot drift apart. Prints site-grouped 5-fold CV accuracy
(every page of one domain in the same fold) before fitting on all pages; ``--write`` stores
the weights, keeping the URL word groups and thresholds already in the file.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "src" / "newsdesk" / "data" / "pagetype.json"


def record(pages: Iterable[Any]) -> list[tuple[Any, list[float]]]:
    """Extract each page (``.html``, ``.url``) with newsdesk, keeping the page model's signals and
    inputs as the extractor computed them (``pagetype.features`` is recorded during extraction)."""
    import newsdesk
    from newsdesk.extract import pagetype

    seen: list[tuple[pagetype.PageSignals, list[float]]] = []
    real = pagetype.features

    def recording(s: pagetype.PageSignals) -> list[float]:
        f = real(s)
        seen.append((s, f))
        return f

    pagetype.features = recording  # type: ignore[assignment]
    out = []
    try:
        for p in pages:
            seen.clear()
            newsdesk.extract(p.html, url=p.url)
            out.append(seen[0])
    finally:
        pagetype.features = real  # type: ignore[assignment]
    return out


def collect() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """WCXB-dev: features, 1.0 for a true article, and each page's domain (its CV group)."""
    from bench.data import SHARED, wcxb_pages

    domains = {k: v["domain"] for k, v in json.loads((SHARED / "bench" / "wcxb-dev" / "metadata.json").read_text()).items()}
    pages = wcxb_pages()
    X = [f for _, f in record(pages)]
    y = [p.page_type == "article" for p in pages]
    groups = [domains.get(p.id, p.id) for p in pages]
    return np.array(X), np.array(y, float), groups


def fit(X: np.ndarray, y: np.ndarray, l2: float, steps: int = 3000, rate: float = 0.5) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = (X - mu) / sd
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(Z @ w + b)))
        w -= rate * (Z.T @ (p - y) + l2 * w) / len(y)
        b -= rate * float((p - y).mean())
    return w, b, mu, sd


def prob(model: tuple[np.ndarray, float, np.ndarray, np.ndarray], X: np.ndarray) -> np.ndarray:
    w, b, mu, sd = model
    return 1 / (1 + np.exp(-(((X - mu) / sd) @ w + b)))


def site_folds(groups: list[str], k: int = 5, seed: int = 0) -> np.ndarray:
    """Fold number of each page: domains shuffled (fixed seed) and dealt round-robin into ``k``
    folds, so every page of one domain lands in the same fold."""
    doms = sorted(set(groups))
    random.Random(seed).shuffle(doms)
    fold = {d: i % k for i, d in enumerate(doms)}
    return np.array([fold[g] for g in groups])


def out_of_fold(X: np.ndarray, y: np.ndarray, folds: np.ndarray, l2: float) -> np.ndarray:
    """Each page's article probability from a model fitted on the other folds only."""
    P = np.zeros(len(y))
    for k in sorted(set(folds.tolist())):
        P[folds == k] = prob(fit(X[folds != k], y[folds != k], l2), X[folds == k])
    return P


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    X, y, groups = collect()
    folds = site_folds(groups)
    P = out_of_fold(X, y, folds, args.l2)
    for th in (0.4, 0.5, 0.6):
        print(f"site-grouped CV accuracy at {th}: {((P >= th) == y).mean():.3f}")
    model = fit(X, y, args.l2)
    print(f"in-sample accuracy at 0.5: {((prob(model, X) >= 0.5) == y).mean():.3f}")
    if args.write:
        d = json.loads(DATA.read_text(encoding="utf-8"))
        from newsdesk.extract.pagetype import FEATURES

        w, b, mu, sd = model
        d["model"] = {
            "features": list(FEATURES) + [f"url_{g}" for g in d["url_groups"]],
            "weights": [round(float(v), 5) for v in w], "bias": round(float(b), 5),
            "mean": [round(float(v), 5) for v in mu], "scale": [round(float(v), 5) for v in sd],
        }
        DATA.write_text(json.dumps(d, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {DATA}")


if __name__ == "__main__":
    main()
