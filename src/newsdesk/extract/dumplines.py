"""Lines of a text dump, their features, and the classifier that says which are article body.

A dump is a page flattened to text: one block per line ("wet" exports) or blocks separated by
blank lines ("para" scrapes, where a block may hold several short lines, e.g. a menu). Each
non-blank line gets a feature vector built from its own shape (length, punctuation, case,
repetition, boilerplate words) and from its neighbours'. Two logistic regressions score it:
the first from the features, the second from the features plus the first stage's scores of the
surrounding lines (so a short heading between two paragraphs is read as body). A two-state
path (body / not body) with a switching cost then picks the body lines, so the result is a few
contiguous runs rather than a scatter.

The weights are trained by ``bench/train_dumps.py`` and shipped in
``newsdesk/data/dumplines-weights.json``; the word lists live in ``newsdesk/data/dumplines.json``.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import numpy as np

_WORD_RE = re.compile(r"\w+")
_ALPHA_WORD_RE = re.compile(r"[^\W\d_]+")
_SENT_END_RE = re.compile(r"[.!?。！？…](?:[\"'”’»)\]]*)$")
_INNER_PUNCT_RE = re.compile(r"[.,;:!?](?=\s)")
_SEP_RE = re.compile(r"[|•·»›«‹/]|\s[-–—]\s")
_URLISH_RE = re.compile(r"https?://|www\.|\S@\S|\B@\w")
_DIGIT_RE = re.compile(r"\d")


@dataclass(slots=True)
class Line:
    """One non-blank line: its text (stripped), its block and its index among lines."""

    text: str
    block: int
    words: int


def split_dump(dump: str) -> list[Line]:
    """Non-blank lines, numbered by block (a blank line ends a block)."""
    out: list[Line] = []
    block, blank = 0, False
    for raw in dump.splitlines():
        text = " ".join(raw.split())
        if not text:
            blank = True
            continue
        if blank and out:
            block += 1
        blank = False
        out.append(Line(text, block, len(_WORD_RE.findall(text))))
    if out and all(line.block == 0 for line in out):
        # No blank line anywhere: a "wet" dump, every line its own block.
        for i, line in enumerate(out):
            line.block = i
    return out


@lru_cache(maxsize=1)
def patterns() -> dict[str, Any]:
    """The word lists and regexes of ``data/dumplines.json``, compiled once per process."""
    ref = resources.files("newsdesk") / "data" / "dumplines.json"
    raw = json.loads(ref.read_text(encoding="utf-8"))
    boiler = "|".join(raw["boilerplate"])
    return {
        "related": [re.compile(rf"^\s*{p}\s*$", re.IGNORECASE) for p in raw["related_prefix"]],
        "byline": re.compile(rf"^\s*{raw['byline']}", re.IGNORECASE),
        "boiler": re.compile(rf"(?<!\w)(?:{boiler})(?!\w)", re.IGNORECASE),
        "boiler_start": re.compile(rf"^\W*(?:{boiler})(?!\w)", re.IGNORECASE),
        "date_extra": int(raw["date_line_max_extra_words"]),
    }


# Names of the per-line features, in vector order (the weights file records them too, and
# loading refuses weights trained on a different list).
BASE_FEATURES: tuple[str, ...] = (
    "log_words",
    "words_ge_8",
    "words_ge_20",
    "sent_end",
    "colon_end",
    "inner_punct",
    "commas",
    "cap_frac",
    "lower_frac",
    "all_caps",
    "digit_frac",
    "separators",
    "repeated",
    "boiler_any",
    "boiler_start",
    "urlish",
    "starts_lower",
    "avg_word_len",
    "rel_pos",
    "words_before",
    "block_lines",
    "block_mean_words",
    "dist_longest",
    "url_overlap",
    "para_style",
)
CONTEXT_FEATURES: tuple[str, ...] = ("log_words", "sent_end", "words_ge_8", "cap_frac", "boiler_any", "inner_punct")
WINDOWS: tuple[int, ...] = (1, 3, 8)


def _url_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    try:
        path = urlsplit(url).path
    except ValueError:
        return set()
    return {t for t in re.split(r"[^0-9a-z]+", path.lower()) if len(t) > 2 and not t.isdigit()}


def base_features(lines: list[Line], *, url: str | None = None) -> np.ndarray:
    """One row of ``BASE_FEATURES`` per line."""
    n = len(lines)
    pats = patterns()
    boiler, boiler_start = pats["boiler"], pats["boiler_start"]
    counts = Counter(line.text.casefold() for line in lines)
    block_sizes = Counter(line.block for line in lines)
    block_words: Counter[int] = Counter()
    for line in lines:
        block_words[line.block] += line.words
    total_words = sum(line.words for line in lines) or 1
    longest = max(range(n), key=lambda i: lines[i].words) if n else 0
    slug = _url_tokens(url)
    para = 1.0 if n and len(block_sizes) < n else 0.0
    rows = np.zeros((n, len(BASE_FEATURES)), dtype=np.float64)
    before = 0
    for i, line in enumerate(lines):
        t = line.text
        w = line.words
        alpha = _ALPHA_WORD_RE.findall(t)
        na = len(alpha) or 1
        caps = sum(1 for a in alpha if a[0].isupper())
        lows = sum(1 for a in alpha if a[0].islower())
        letters = [c for c in t if c.isalpha()]
        all_caps = 1.0 if len(letters) >= 3 and all(c.isupper() for c in letters if c.isupper() or c.islower()) and any(c.isupper() for c in letters) else 0.0
        if slug and alpha:
            toks = {a.lower() for a in alpha}
            overlap = len(toks & slug) / len(slug)
        else:
            overlap = 0.0
        rows[i] = (
            math.log1p(w),
            w >= 8,
            w >= 20,
            bool(_SENT_END_RE.search(t)),
            t.endswith(":"),
            len(_INNER_PUNCT_RE.findall(t)) / (w + 1),
            t.count(",") / (w + 1),
            caps / na,
            lows / na,
            all_caps,
            len(_DIGIT_RE.findall(t)) / (len(t) or 1),
            min(len(_SEP_RE.findall(t)), 3) / 3,
            counts[t.casefold()] > 1,
            min(len(boiler.findall(t)), 3) / 3,
            bool(boiler_start.search(t)),
            bool(_URLISH_RE.search(t)),
            t[0].islower(),
            min(len(t) / (w or 1), 15) / 15,
            i / n,
            before / total_words,
            math.log(block_sizes[line.block]),
            math.log1p(block_words[line.block] / block_sizes[line.block]),
            math.log1p(abs(i - longest)),
            overlap,
            para,
        )
        before += w
    return rows


def context_features(base: np.ndarray) -> np.ndarray:
    """Window means of a few base features on each side, and the previous/next line's."""
    n = len(base)
    cols = [BASE_FEATURES.index(c) for c in CONTEXT_FEATURES]
    sub = base[:, cols]
    csum = np.vstack([np.zeros((1, sub.shape[1])), np.cumsum(sub, axis=0)])
    parts = []
    idx = np.arange(n)
    for k in WINDOWS:
        lo_b = np.maximum(idx - k, 0)
        hi_a = np.minimum(idx + k + 1, n)
        left = (csum[idx] - csum[lo_b]) / np.maximum(idx - lo_b, 1)[:, None]
        right = (csum[hi_a] - csum[idx + 1]) / np.maximum(hi_a - idx - 1, 1)[:, None]
        parts += [left, right]
    return np.hstack(parts)


def window_means(values: np.ndarray) -> np.ndarray:
    """Means of a per-line score over the windows before and after each line (excluding it)."""
    n = len(values)
    csum = np.concatenate([[0.0], np.cumsum(values)])
    idx = np.arange(n)
    cols = []
    for k in WINDOWS:
        lo_b = np.maximum(idx - k, 0)
        hi_a = np.minimum(idx + k + 1, n)
        cols.append(np.where(idx > lo_b, (csum[idx] - csum[lo_b]) / np.maximum(idx - lo_b, 1), 0.0))
        cols.append(np.where(hi_a > idx + 1, (csum[hi_a] - csum[idx + 1]) / np.maximum(hi_a - idx - 1, 1), 0.0))
    return np.stack(cols, axis=1)


def stage1_matrix(base: np.ndarray) -> np.ndarray:
    return np.hstack([base, context_features(base)])


def stage2_matrix(x1: np.ndarray, p1: np.ndarray) -> np.ndarray:
    return np.hstack([x1, p1[:, None], window_means(p1)])


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


@dataclass(slots=True)
class LineModel:
    """The two stages and the path's switching cost."""

    stage1: LogReg
    stage2: LogReg
    switch_cost: float
    threshold: float

    def probabilities(self, lines: list[Line], *, url: str | None = None) -> np.ndarray:
        if not lines:
            return np.zeros(0)
        x1 = stage1_matrix(base_features(lines, url=url))
        p1 = self.stage1.predict(x1)
        return self.stage2.predict(stage2_matrix(x1, p1))

    def select(self, lines: list[Line], probs: np.ndarray) -> list[bool]:
        return best_path(probs, [line.words for line in lines], self.switch_cost, self.threshold)

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(BASE_FEATURES),
            "context": list(CONTEXT_FEATURES),
            "windows": list(WINDOWS),
            "stage1": self.stage1.to_json(),
            "stage2": self.stage2.to_json(),
            "switch_cost": self.switch_cost,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LineModel:
        if d.get("features") != list(BASE_FEATURES) or d.get("context") != list(CONTEXT_FEATURES):
            raise ValueError("dump-line weights were trained on a different feature list; retrain them")
        return cls(LogReg.from_json(d["stage1"]), LogReg.from_json(d["stage2"]), float(d["switch_cost"]), float(d["threshold"]))


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    ref = resources.files("newsdesk") / "data" / "dumplines-weights.json"
    return LineModel.from_json(json.loads(ref.read_text(encoding="utf-8")))


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
    # score[s] = best total with the current line in state s (0 = out, 1 = body)
    s_out, s_in = 0.0, float(gain[0])
    back = np.zeros((n, 2), dtype=np.int8)
    for i in range(1, n):
        g = float(gain[i])
        # to out
        if s_out >= s_in - switch_cost:
            new_out, back[i, 0] = s_out, 0
        else:
            new_out, back[i, 0] = s_in - switch_cost, 1
        # to in
        if s_in >= s_out - switch_cost:
            new_in, back[i, 1] = s_in + g, 1
        else:
            new_in, back[i, 1] = s_out - switch_cost + g, 0
        s_out, s_in = new_out, new_in
    state = 1 if s_in > s_out else 0
    out = [False] * n
    for i in range(n - 1, -1, -1):
        out[i] = state == 1
        state = int(back[i, state])
    return out
