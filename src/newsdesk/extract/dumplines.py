"""Lines of a text dump, their features, and the classifier that says which are article body.

A dump is a page flattened to text: one block per line ("wet" exports) or blocks separated by
blank lines ("para" scrapes, where a block may hold several short lines, e.g. a menu). Each
non-blank line gets a feature vector built from its own shape (length, punctuation, case,
repetition, boilerplate words, comment-thread markers, place relative to the line that echoes
the URL's slug) and from its neighbours'. The features are computed for the whole dump at once:
the lines are joined and read as one array of code points (a class table gives case, digits and
punctuation; counts per line come from one ``reduceat``), and each regex or word list runs once
over the joined text instead of once per line. Two stages
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
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .linemodel import LogReg, Trees, best_path, stage_from_json

_WORD_RE = re.compile(r"\w+")
_BOILER_TOKEN_RE = re.compile(r"\w+|©")
_ALPHA_CHAR_RE = re.compile(r"[^\W\d_]")
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
        out.append(Line(text, block, 0))
    if out:
        # Words (runs of ``\w``) of every line at once, from the joined text's character classes.
        joined, starts = _joined([line.text for line in out])
        word = (_char_classes(_codes(joined)) & _WORDCH) != 0
        opens = word.copy()
        opens[1:] &= ~word[:-1]
        for line, w in zip(out, np.add.reduceat(opens.astype(np.int32), starts).tolist()):
            line.words = w
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
        "comment_lines": re.compile("^(?:" + "|".join(f"(?:{p})" for p in raw["comment_markers"]) + ")$", re.IGNORECASE | re.MULTILINE),
        "end_lines": re.compile("^(?:" + "|".join(f"(?:{p})" for p in raw["end_markers"]) + ")$", re.IGNORECASE | re.MULTILINE),
        "marker_lines": re.compile(
            "^(?:(?P<c>" + "|".join(f"(?:{p})" for p in raw["comment_markers"]) + ")|(?P<e>"
            + "|".join(f"(?:{p})" for p in raw["end_markers"]) + "))$",
            re.IGNORECASE | re.MULTILINE,
        ),
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
    "label_soup",
    "prompt",
    "position",
    "head_found",
    "head_before",
    "head_after",
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


def _codes(s: str) -> np.ndarray:
    """The code points of ``s`` as an array (one element per character)."""
    return np.frombuffer(s.encode("utf-32-le"), dtype="<u4")


# Bits of the per-character class table.
_UP, _LOW, _DIGIT, _INNER, _SEP, _DASH, _SOUP, _CLOSER, _SENT, _WORDCH = (1 << k for k in range(10))
_CLASS_CHARS = (
    (_DIGIT, "0123456789"),
    (_INNER, ".,;:!?"),
    (_SEP, "|•·»›«‹/"),
    (_DASH, "-–—"),
    (_SOUP, ".,;:!?。，、！？"),
    (_CLOSER, "\"'”’»)]"),
    (_SENT, ".!?。！？…"),
)


def _case_bits(c: str) -> int:
    # Case as ``str.isupper`` / ``str.islower`` read it; word character: what ``\w`` matches.
    return (_UP if c.isupper() else 0) | (_LOW if c.islower() else 0) | (_WORDCH if _WORD_RE.match(c) else 0)


@lru_cache(maxsize=1)
def _class_table() -> np.ndarray:
    """Class bits of every code point of the Basic Multilingual Plane (built once, ~30 ms)."""
    table = np.fromiter((_case_bits(chr(c)) for c in range(0x10000)), dtype=np.uint16, count=0x10000)
    for bit, chars in _CLASS_CHARS:
        for c in chars:
            table[ord(c)] |= bit
    return table


def _char_classes(a: np.ndarray) -> np.ndarray:
    """Class bits of each code point in ``a``."""
    bits = _class_table()[np.minimum(a, 0xFFFF)]
    high = np.flatnonzero(a > 0xFFFF)
    if len(high):
        # Beyond the BMP (emoji, historic scripts): no punctuation here, only case to read.
        bits[high] = [_case_bits(chr(int(c))) for c in a[high]]
    return bits


def _joined(texts: list[str]) -> tuple[str, np.ndarray]:
    """The lines joined by newlines, and where each starts in the joined text."""
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    return "\n".join(texts), np.concatenate([[0], np.cumsum(lens + 1)[:-1]])


_BOILER_TOKENS_RE = re.compile(r"\w+|©|\n")


def _boiler_lines(texts: list[str], rows: np.ndarray, phrases: frozenset[tuple[str, ...]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """``boiler_hits`` for the lower-cased lines ``texts`` (rows ``rows`` of ``n``), tokenised
    in one pass over their joined text: (phrases per line, whether one opens the line)."""
    hits = np.zeros(n)
    first = np.zeros(n, dtype=bool)
    if not texts:
        return hits, first
    index, cands = _first_token_index(phrases)
    toks = _BOILER_TOKENS_RE.findall("\n".join(texts))
    # Token codes by C-level dict lookups: 0 a line break, k > 0 the first word of cands[k].
    code = np.fromiter(map(index.get, toks, repeat(-1)), dtype=np.int64, count=len(toks))
    brk = code == 0
    line_of = np.cumsum(brk)
    opening = np.ones(len(toks), dtype=bool)
    opening[1:] = brk[:-1]
    for j in np.flatnonzero(code > 0).tolist():
        for ph in cands[code[j]]:
            if len(ph) == 1 or tuple(toks[j : j + len(ph)]) == ph:
                r = rows[line_of[j]]
                hits[r] += 1
                first[r] |= opening[j]
    return hits, first


@lru_cache(maxsize=4)
def _first_token_index(phrases: frozenset[tuple[str, ...]]) -> tuple[dict[str, int], list[list[tuple[str, ...]]]]:
    by_first = _phrases_by_first(phrases)
    index = {"\n": 0}
    cands: list[list[tuple[str, ...]]] = [[]]
    for tok, phs in sorted(by_first.items()):
        index[tok] = len(cands)
        cands.append(phs)
    return index, cands


def _marker_lines(pats: dict[str, Any], texts: list[str], rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Which of the lines ``rows`` are whole comment-thread markers and which end markers, by
    one MULTILINE search of both patterns (``^(?:(?P<c>…)|(?P<e>…))$``) over the joined lines.
    The comment pattern is tried first, so a line found as an end marker is not a comment one;
    a line found as a comment marker is checked against the end pattern on its own. A match
    that crosses a line break (``\\s*`` eats the newline) is rechecked line by line."""
    comment = np.zeros(n, dtype=bool)
    end = np.zeros(n, dtype=bool)
    if not len(rows):
        return comment, end
    c_rx, e_rx = pats["comment_lines"], pats["end_lines"]
    joined, starts = _joined(texts)
    for m in pats["marker_lines"].finditer(joined):
        a = int(np.searchsorted(starts, m.start(), side="right")) - 1
        if "\n" in m.group(0):
            b = int(np.searchsorted(starts, m.end(), side="right")) - 1
            for k in range(a, b + 1):
                comment[rows[k]] = c_rx.fullmatch(texts[k]) is not None
                end[rows[k]] = e_rx.fullmatch(texts[k]) is not None
        elif m.group("c") is not None:
            comment[rows[a]] = True
            end[rows[a]] = e_rx.fullmatch(texts[a]) is not None
        else:
            end[rows[a]] = True
    return comment, end


def base_features(lines: list[Line], *, url: str | None = None) -> np.ndarray:
    """One row of ``BASE_FEATURES`` per line, computed for the whole dump at once: the lines are
    joined and read as one array of code points (case, digits, punctuation counted per line by
    ``reduceat``), and each regex runs once over the joined text rather than once per line."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(BASE_FEATURES)))
    pats = patterns()
    texts = [line.text for line in lines]
    joined = "\n".join(texts)
    a = _codes(joined)
    m = len(a)
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    starts = np.concatenate([[0], np.cumsum(lens + 1)[:-1]])
    ends = starts + lens - 1  # last character of each line (lines are never empty)
    lid = np.repeat(np.arange(n), lens + 1)[:m]
    words = np.fromiter((line.words for line in lines), dtype=np.float64, count=n)
    bits = _char_classes(a)
    is_up, is_low = (bits & _UP) != 0, (bits & _LOW) != 0

    space = (a == 32) | (a == 10)
    prev_space = np.ones(m, dtype=bool)
    prev_space[1:] = space[:-1]
    next_blank = np.zeros(m, dtype=bool)
    next_blank[:-1] = a[1:] == 32
    prev_blank = np.zeros(m, dtype=bool)
    prev_blank[1:] = a[:-1] == 32
    tok = ~space & prev_space
    # All per-character counts in one pass: a row per count, summed line by line.
    masks = np.stack(
        [
            tok,
            tok & is_up,
            tok & is_low,
            is_up,
            is_low,
            (bits & _DIGIT) != 0,
            a == 44,
            ((bits & _INNER) != 0) & next_blank,
            ((bits & _SEP) != 0) | (((bits & _DASH) != 0) & prev_blank & next_blank),
            (bits & _SOUP) != 0,
        ],
        axis=0,
    ).view(np.uint8)
    ntok, caps, lows, n_up, n_low, digits, commas, inner, seps, soup_punct = np.add.reduceat(masks, starts, axis=1, dtype=np.int32).astype(np.float64)
    ntok = np.maximum(ntok, 1)
    # Sentence end: the last character that is not a closing quote or bracket ends a sentence.
    body_chars = np.flatnonzero(((bits & _CLOSER) == 0) & (a != 10))
    k = np.searchsorted(lid[body_chars], np.arange(n), side="right") - 1
    last_real = body_chars[np.maximum(k, 0)] if len(body_chars) else starts
    sent_end = (k >= 0) & (last_real >= starts) & ((bits[last_real] & _SENT) != 0)

    keys = joined.casefold().split("\n")
    counts = Counter(keys)
    repeated = np.fromiter((counts[c] > 1 for c in keys), dtype=bool, count=n)
    urlish = np.fromiter(
        (("@" in t or "ww" in t or "http" in t) and _URLISH_RE.search(t) is not None for t in texts), dtype=bool, count=n
    )
    blocks = np.fromiter((line.block for line in lines), dtype=np.int64, count=n)
    block_sizes = np.bincount(blocks).astype(np.float64)[blocks]
    block_words = np.bincount(blocks, words)[blocks]

    # Boilerplate words, slug overlap and markers are only read on short lines: in a long line
    # they are prose ("… said on Facebook").
    short = np.flatnonzero(words <= BOILER_MAX_WORDS)
    all_lo = joined.lower().split("\n")
    short_lo = [all_lo[i] for i in short]
    n_boiler, boiler_first = _boiler_lines(short_lo, short, pats["boiler"], n)
    slug = _url_tokens(url)
    overlap = np.zeros(n)
    if slug and len(short):
        # Each slug word found as a whole alphabetic word (no letter either side), by ``find``.
        sj, sstarts = _joined(short_lo)
        seen = set()
        for sw in slug:
            i = sj.find(sw)
            while i >= 0:
                e = i + len(sw)
                if (i == 0 or not _ALPHA_CHAR_RE.match(sj[i - 1])) and (e == len(sj) or not _ALPHA_CHAR_RE.match(sj[e])):
                    seen.add((int(np.searchsorted(sstarts, i, side="right")) - 1, sw))
                i = sj.find(sw, i + 1)
        for i, _ in seen:
            overlap[short[i]] += 1.0 / len(slug)
    short_texts = [texts[i] for i in short]
    is_comment, is_end = _marker_lines(pats, short_texts, short, n)
    n_comment = np.cumsum(is_comment) - is_comment
    n_end = np.cumsum(is_end) - is_end

    log_words = np.log1p(words)
    idx = np.arange(n)
    # The line that shares most words with the URL's slug is most likely the headline; the body
    # follows it, "top stories" lists sit above it.
    head = int(np.argmax(overlap))
    head_found = float(overlap[head])
    if head_found == 0:
        head_before = head_after = np.zeros(n)
    else:
        head_before = np.log1p(np.maximum(head - idx, 0))
        head_after = np.log1p(np.maximum(idx - head, 0))
    cols = {
        "log_words": log_words,
        "words_ge_8": words >= 8,
        "words_ge_20": words >= 20,
        "sent_end": sent_end,
        "colon_end": a[ends] == 58,
        "inner_punct": inner / (words + 1),
        "commas": commas / (words + 1),
        "cap_frac": caps / ntok,
        "lower_frac": lows / ntok,
        "all_caps": (lens >= 3) & (n_up > 0) & (n_low == 0),
        "digit_frac": digits / lens,
        "separators": np.minimum(seps, 3) / 3,
        "repeated": repeated,
        "boiler_any": np.minimum(n_boiler, 3) / 3,
        "boiler_start": boiler_first,
        "urlish": urlish,
        "starts_lower": is_low[starts],
        "avg_word_len": np.minimum(lens / np.maximum(words, 1), 15) / 15,
        "block_lines": np.log(block_sizes),
        "block_mean_words": np.log1p(block_words / block_sizes),
        # Length against the page's longest line: prose on a page of short lines still stands out.
        "rel_log_words": log_words - log_words.max(),
        "url_overlap": overlap,
        "para_style": np.full(n, 1.0 if len(np.unique(blocks)) < n else 0.0),
        "comment_marker": is_comment,
        "comment_markers_before": np.minimum(n_comment, 3) / 3,
        "end_marker": is_end,
        "end_markers_before": np.minimum(n_end, 3) / 3,
        # The two hard rules of text.py, as evidence the trees can weigh.
        "label_soup": (words >= SOUP_MIN_WORDS) & (soup_punct == 0) & (n_up == 0) & (n_low > 0),
        "prompt": (words <= PROMPT_MAX_WORDS) & boiler_first & (n_boiler >= 2),
        "position": idx / max(n - 1, 1),
        "head_found": np.full(n, head_found),
        "head_before": head_before,
        "head_after": head_after,
    }
    return np.stack([np.asarray(cols[f], dtype=np.float64) for f in BASE_FEATURES], axis=1)


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
    gain = ((p1 - 0.5) * np.sqrt(words + 1.0)).tolist()
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
        if d.get("features") != list(BASE_FEATURES) or d.get("context") != list(CONTEXT_FEATURES) or d.get("windows") != list(WINDOWS):
            raise ValueError("dump-line weights were trained on a different feature list or windows; retrain them")
        return cls(stage_from_json(d["stage1"]), stage_from_json(d["stage2"]), float(d["switch_cost"]), float(d["threshold"]))


@lru_cache(maxsize=1)
def default_model() -> LineModel:
    ref = resources.files("newsdesk") / "data" / "dumplines-weights.json"
    return LineModel.from_json(json.loads(ref.read_text(encoding="utf-8")))
