"""Lines of a text dump, their features, and the classifier that says which are article body.

A dump is a page flattened to text: one block per line ("wet" exports) or blocks separated by
blank lines ("para" scrapes, where a block may hold several short lines, e.g. a menu). Each
non-blank line gets a feature vector built from its own shape (length, punctuation, case,
repetition, boilerplate words, comment-thread markers) and from its neighbours'. Two stages
score it: a logistic regression from the features, then boosted trees from the features plus
the first stage's scores of the surrounding lines and the line's place relative to the page's
best run of prose (so a short heading between two paragraphs is read as body, a comment
thread after the story is not). A two-state
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
_BOILER_TOKEN_RE = re.compile(r"\w+|©")
_ALPHA_WORD_RE = re.compile(r"[^\W\d_]+")
_SENT_END_RE = re.compile(r"[.!?。！？…](?:[\"'”’»)\]]*)$")
_SEP_RE = re.compile(r"[|•·»›«‹/]|\s[-–—]\s")
_URLISH_RE = re.compile(r"https?://|www\.|\S@\S|\B@\w")


@dataclass(slots=True)
class Line:
    """One non-blank line: its text (stripped), its block and its index among lines."""

    text: str
    block: int
    words: int


_SOUP_PUNCT_RE = re.compile(r"[.,;:!?。，、！？]")
# A label soup has at least this many words. Dev dumps: lines of 20+ words with no punctuation
# and no capital letter (in a cased script) are 6 non-body to 1 body line; at 12+ words the
# share of body lines rises to 35 of 55.
SOUP_MIN_WORDS = 20


def is_label_soup(line: Line) -> bool:
    """A long run of lower-case words with no punctuation: icon labels, tag clouds, glued link
    lists ("icon bookmark icon camera icon check …"). Prose has commas and full stops."""
    t = line.text
    return (
        line.words >= SOUP_MIN_WORDS
        and _SOUP_PUNCT_RE.search(t) is None
        and not any(c.isupper() for c in t)
        and any(c.islower() for c in t)
    )


# A prompt line is at most this long. Dev dumps: lines of up to 15 words that open with a
# boilerplate phrase and hold two or more are 951 non-body to 15 body lines.
PROMPT_MAX_WORDS = 15


def is_prompt(line: Line) -> bool:
    """A share / subscribe / cookie prompt: a short line opening with a boilerplate phrase and
    holding another ("Think your friends would be interested? Share this story!")."""
    if line.words > PROMPT_MAX_WORDS:
        return False
    hits, first = boiler_hits(line.text, patterns()["boiler"])
    return first and hits >= 2


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
    phrases = {tuple(_BOILER_TOKEN_RE.findall(p.lower())) for p in raw["boilerplate"]}
    return {
        "related": [re.compile(rf"^\s*{p}\s*$", re.IGNORECASE) for p in raw["related_prefix"]],
        "byline": re.compile(rf"^\s*{raw['byline']}", re.IGNORECASE),
        "comment": re.compile("|".join(f"(?:{p})" for p in raw["comment_markers"]), re.IGNORECASE),
        "end": re.compile("|".join(f"(?:{p})" for p in raw["end_markers"]), re.IGNORECASE),
        "boiler": frozenset(p for p in phrases if p),
        "boiler_max_len": max(len(p) for p in phrases),
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
    "block_lines",
    "block_mean_words",
    "rel_log_words",
    "url_overlap",
    "para_style",
    "comment_marker",
    "comment_markers_before",
    "end_marker",
    "end_markers_before",
)
CONTEXT_FEATURES: tuple[str, ...] = ("log_words", "sent_end", "words_ge_8", "cap_frac", "boiler_any", "inner_punct")
WINDOWS: tuple[int, ...] = (1, 3, 8)
# Longer lines skip the boilerplate-word features. Dev dumps: body lines over 25 words hold a
# boilerplate word far more often than non-body lines of that length do (they are prose).
BOILER_MAX_WORDS = 25


def _url_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    try:
        path = urlsplit(url).path
    except ValueError:
        return set()
    return {t for t in re.split(r"[^0-9a-z]+", path.lower()) if len(t) > 2 and not t.isdigit()}


def boiler_hits(text: str, phrases: frozenset[tuple[str, ...]], max_len: int = 0) -> tuple[int, bool]:
    """How many boilerplate phrases ``text`` holds, and whether it opens with one."""
    by_first = _phrases_by_first(phrases)
    toks = _BOILER_TOKEN_RE.findall(text.lower())
    hits, first = 0, False
    for j, tok in enumerate(toks):
        cands = by_first.get(tok)
        if not cands:
            continue
        for ph in cands:
            if len(ph) == 1 or tuple(toks[j : j + len(ph)]) == ph:
                hits += 1
                first = first or j == 0
    return hits, first


@lru_cache(maxsize=4)
def _phrases_by_first(phrases: frozenset[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for ph in phrases:
        out.setdefault(ph[0], []).append(ph)
    return out


def base_features(lines: list[Line], *, url: str | None = None) -> np.ndarray:
    """One row of ``BASE_FEATURES`` per line."""
    n = len(lines)
    pats = patterns()
    boiler, boiler_len = pats["boiler"], pats["boiler_max_len"]
    comment_re, end_re = pats["comment"], pats["end"]
    n_comment = n_end = 0
    counts = Counter(line.text.casefold() for line in lines)
    block_sizes = Counter(line.block for line in lines)
    block_words: Counter[int] = Counter()
    for line in lines:
        block_words[line.block] += line.words
    # Length against the page's longest line: prose on a page of short lines still stands out.
    max_log_words = math.log1p(max((line.words for line in lines), default=0))
    slug = _url_tokens(url)
    para = 1.0 if n and len(block_sizes) < n else 0.0
    rows: list[tuple[float, ...]] = []
    for i, line in enumerate(lines):
        t = line.text
        w = line.words
        # Case shares are read on the first 40 tokens: enough to tell a label from prose.
        toks = t.split(None, 40)[:40]
        na = len(toks) or 1
        caps = sum(1 for a in toks if a[0].isupper())
        lows = sum(1 for a in toks if a[0].islower())
        # Boilerplate words and slug overlap are only read on short lines: in a long line they
        # are prose ("… said on Facebook"), and the alternation is the costliest regex here.
        short = w <= BOILER_MAX_WORDS
        if slug and short:
            overlap = len({a.lower() for a in _ALPHA_WORD_RE.findall(t)} & slug) / len(slug)
        else:
            overlap = 0.0
        n_boiler, boiler_first = boiler_hits(t, boiler, boiler_len) if short else (0, False)
        # Markers of a comment thread / of the article's end, and how many came before: what
        # follows them is rarely body however prose-like it reads.
        is_comment = short and comment_re.fullmatch(t) is not None
        is_end = short and end_re.fullmatch(t) is not None
        inner = t.count(". ") + t.count(", ") + t.count("; ") + t.count(": ") + t.count("! ") + t.count("? ")
        rows.append((
            math.log1p(w),
            w >= 8,
            w >= 20,
            _SENT_END_RE.search(t) is not None,
            t.endswith(":"),
            inner / (w + 1),
            t.count(",") / (w + 1),
            caps / na,
            lows / na,
            len(t) >= 3 and t.isupper(),
            sum(map(t.count, "0123456789")) / len(t),
            min(len(_SEP_RE.findall(t)), 3) / 3,
            counts[t.casefold()] > 1,
            min(n_boiler, 3) / 3,
            boiler_first,
            ("@" in t or "ww" in t or "http" in t) and _URLISH_RE.search(t) is not None,
            t[0].islower(),
            min(len(t) / (w or 1), 15) / 15,
            math.log(block_sizes[line.block]),
            math.log1p(block_words[line.block] / block_sizes[line.block]),
            math.log1p(w) - max_log_words,
            overlap,
            para,
            is_comment,
            min(n_comment, 3) / 3,
            is_end,
            min(n_end, 3) / 3,
        ))
        n_comment += is_comment
        n_end += is_end
    return np.array(rows, dtype=np.float64).reshape(n, len(BASE_FEATURES))


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


def core_features(p1: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Where each line sits relative to the core: the run of lines with the highest summed
    evidence of body (maximum subarray of (p - 0.5) * sqrt(words + 1))."""
    n = len(p1)
    gain = (p1 - 0.5) * np.sqrt(words + 1.0)
    best, cur, cur_start, a, b = -1e18, 0.0, 0, 0, 0
    for i in range(n):
        if cur <= 0:
            cur, cur_start = 0.0, i
        cur += gain[i]
        if cur > best:
            best, a, b = cur, cur_start, i
    idx = np.arange(n)
    inside = ((idx >= a) & (idx <= b)).astype(np.float64)
    before = np.log1p(np.maximum(a - idx, 0))
    after = np.log1p(np.maximum(idx - b, 0))
    return np.stack([inside, before, after], axis=1)


def stage2_matrix(x1: np.ndarray, p1: np.ndarray) -> np.ndarray:
    words = np.expm1(x1[:, BASE_FEATURES.index("log_words")])
    # The first stage's score against the page's best: a page where every line scores low
    # still has its article among its best lines.
    rel = p1 / max(float(p1.max()), 1e-6)
    return np.hstack([x1, p1[:, None], rel[:, None], window_means(p1), core_features(p1, words)])


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


def _stage_from_json(d: dict[str, Any]) -> LogReg | Trees:
    return Trees.from_json(d) if d.get("kind") == "trees" else LogReg.from_json(d)


@dataclass(slots=True)
class LineModel:
    """The two stages and the path's switching cost."""

    stage1: LogReg | Trees
    stage2: LogReg | Trees
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
        return cls(_stage_from_json(d["stage1"]), _stage_from_json(d["stage2"]), float(d["switch_cost"]), float(d["threshold"]))


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
