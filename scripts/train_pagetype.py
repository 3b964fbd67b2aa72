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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "src" / "newsdesk" / "data" / "pagetype.json"


def collect() -> tuple[np.ndarray, np.ndarray, list[str]]:
    import newsdesk
    from bench.data import SHARED, wcxb_pages
    from newsdesk.extract import pagetype

    domains = {k: v["domain"] for k, v in json.loads((SHARED / "bench" / "wcxb-dev" / "metadata.json").read_text()).items()}
    seen: list[list[float]] = []
    real = pagetype.features

    def record(s: pagetype.PageSignals) -> list[float]:
        f = real(s)
        seen.append(f)
        return f

    pagetype.features = record  # type: ignore[assignment]
    X, y, groups = [], [], []
    for p in wcxb_pages():
        seen.clear()
        newsdesk.extract(p.html, url=p.url)
        X.append(seen[0])
        y.append(p.page_type == "article")
        groups.append(domains.get(p.id, p.id))
    pagetype.features = real  # type: ignore[assignment]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    X, y, groups = collect()
    doms = sorted(set(groups))
    random.Random(0).shuffle(doms)
    fold = {d: i % 5 for i, d in enumerate(doms)}
    folds = np.array([fold[g] for g in groups])
    P = np.zeros(len(y))
    for k in range(5):
        P[folds == k] = prob(fit(X[folds != k], y[folds != k], args.l2), X[folds == k])
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
