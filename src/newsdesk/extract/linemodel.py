"""The classifier primitives behind the text-dump line model: a standardised logistic
regression, boosted decision trees evaluated with numpy, and a two-state path decoder.

They know nothing of dumps or features (``dumplines`` builds those and composes these); the
weights are trained by ``bench/train_dumps.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(slots=True)
class LogReg:
    """A standardised logistic regression: p = sigmoid(((x - mean) / scale) · w + b)."""

    mean: np.ndarray
    scale: np.ndarray
    w: np.ndarray
    b: float

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.w + self.b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(), "w": self.w.tolist(), "b": self.b}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LogReg:
        return cls(np.asarray(d["mean"]), np.asarray(d["scale"]), np.asarray(d["w"]), float(d["b"]))


# Lines scored at once by the trees: 4096 lines x 120 trees of int64 is ~4 MB per work array.
PREDICT_BLOCK = 4096


@dataclass(slots=True)
class Trees:
    """Boosted regression trees of one fixed depth, stored level by level:
    p = sigmoid(base + sum over trees of the leaf reached). Node k of a tree has children
    2k+1 (x[feature] <= threshold) and 2k+2; leaves are numbered after the 2**depth - 1 splits."""

    base: float
    feature: np.ndarray  # (trees, 2**depth - 1) int
    threshold: np.ndarray  # (trees, 2**depth - 1) float
    leaf: np.ndarray  # (trees, 2**depth) float

    def predict(self, x: np.ndarray) -> np.ndarray:
        if len(x) > PREDICT_BLOCK:
            # Bounded memory on huge dumps: the work arrays are (trees x lines).
            return np.concatenate([self.predict(x[i : i + PREDICT_BLOCK]) for i in range(0, len(x), PREDICT_BLOCK)])
        t, splits = self.feature.shape
        depth = int(math.log2(splits + 1))
        n, nf = x.shape
        # Flat ``take`` gathers: several times faster than 2-D fancy indexing at this size.
        xf = np.ascontiguousarray(x).ravel()
        row_off = (np.arange(n) * nf)[None, :]
        tree_off = (np.arange(t) * splits)[:, None]
        feat, thr = self.feature.ravel(), self.threshold.ravel()
        node = np.zeros((t, n), dtype=np.int64)
        for _ in range(depth):
            flat = tree_off + node
            go_right = xf.take(row_off + feat.take(flat)) > thr.take(flat)
            node = 2 * node + 1 + go_right
        leaves = self.leaf.shape[1]
        z = self.base + self.leaf.ravel().take((np.arange(t) * leaves)[:, None] + node - splits).sum(axis=0)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "trees",
            "base": self.base,
            "feature": self.feature.tolist(),
            "threshold": [[v if math.isfinite(v) else 1e300 for v in row] for row in self.threshold.tolist()],
            "leaf": self.leaf.tolist(),
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Trees:
        return cls(float(d["base"]), np.asarray(d["feature"], dtype=np.int64), np.asarray(d["threshold"]), np.asarray(d["leaf"]))


def stage_from_json(d: dict[str, Any]) -> LogReg | Trees:
    return Trees.from_json(d) if d.get("kind") == "trees" else LogReg.from_json(d)


def best_path(probs: np.ndarray, words: list[int], switch_cost: float, threshold: float) -> list[bool]:
    """Body / not-body for each line: the labelling that best fits the scores, paying
    ``switch_cost`` each time it changes state (Viterbi over two states).

    A line's evidence is its log-odds against ``threshold``, weighted by its length (long lines
    are surer), so a short heading inside a run of paragraphs keeps the run's label.
    """
    n = len(probs)
    if n == 0:
        return []
    p = np.clip(probs, 1e-6, 1 - 1e-6)
    t = min(max(threshold, 1e-3), 1 - 1e-3)
    gain = (np.log(p / (1 - p)) - math.log(t / (1 - t))) * np.sqrt(np.asarray(words, dtype=np.float64) + 1.0)
    # score[s] = best total with the current line in state s (0 = out, 1 = body); plain Python
    # floats and lists, as numpy scalars cost more than the arithmetic at this size.
    gains = gain.tolist()
    s_out, s_in = 0.0, gains[0]
    back_out = [0] * n
    back_in = [0] * n
    for i in range(1, n):
        g = gains[i]
        # to out
        if s_out >= s_in - switch_cost:
            new_out = s_out
        else:
            new_out, back_out[i] = s_in - switch_cost, 1
        # to in
        if s_in >= s_out - switch_cost:
            new_in, back_in[i] = s_in + g, 1
        else:
            new_in = s_out - switch_cost + g
        s_out, s_in = new_out, new_in
    state = 1 if s_in > s_out else 0
    out = [False] * n
    for i in range(n - 1, -1, -1):
        out[i] = state == 1
        state = back_in[i] if state else back_out[i]
    return out
