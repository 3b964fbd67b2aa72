"""What two texts share: word shingles, MinHash signatures for candidate search, passage
fingerprints, and the exact comparison that confirms a candidate.

Words are runs of word characters (``\\w``), lower-cased; words are hashed and shingles of
``k`` words combined from the word hashes all in numpy, so a 1,000-word article costs well
under a millisecond. Hashes are stable across processes and runs: they are stored in the archive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Word shingle size for similarity: 5-grams, as the syndication truth defines copies and as
# the datasketch anchor is configured, so the figures compare.
K = 5
# Shingle size of passage fingerprints, and the winnowing window: any shared run of at
# least PASSAGE_K + WINDOW - 1 = 15 words shares a fingerprint, and of 23 words two (the
# candidate minimum: links/copies.py, where a lone passage of whole paragraphs may be
# shorter and is then found only beside other shared text). WINDOW 4 and 8 find the same links on the syndication set
# (scripts/tune_links.py); 8 keeps half as many fingerprints in the index.
PASSAGE_K = 8
WINDOW = 8
# MinHash permutations and LSH bands (BANDS x ROWS = NUM_PERM). With 32 bands of 4 rows, a
# pair of Jaccard 0.3 is a candidate with probability 1-(1-0.3^4)^32 = 0.23, of 0.5 with
# 0.87, of 0.7 with 1.00: copies (Jaccard >= 0.45 on the dev data but for one 0.24) are found;
# what LSH misses, the passage fingerprints find.
NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SEED = 20261201

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant: the shingle combiner's base


@dataclass(slots=True)
class Words:
    """A text's words: their hashes and ``[start, end)`` character offsets; ``breaks``
    (one more than the words) marks the word indexes where a paragraph starts, the text's
    end included, so that ``[i, j)`` is whole paragraphs when both ``breaks[i]`` and
    ``breaks[j]`` are set. Empty when unknown."""

    hashes: np.ndarray  # uint64, one per word
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    breaks: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def spans(self) -> list[tuple[int, int]]:
        return list(zip(self.starts.tolist(), self.ends.tolist()))


# Per-character tables over the Basic Multilingual Plane, built on first use (~30 ms):
# which code points are word characters (as ``\w``: alphanumeric or "_") and each one's
# lower-case form where that is one code point. Characters beyond the BMP (emoji, rare
# scripts) are not word characters.
_TABLES: tuple[np.ndarray, np.ndarray] | None = None
_P = 0x100000001B3  # odd: invertible modulo 2**64, so a word's hash is independent of its position
_P_INV = pow(_P, -1, 1 << 64)


def _tables() -> tuple[np.ndarray, np.ndarray]:
    global _TABLES
    if _TABLES is None:
        chars = [chr(c) for c in range(0x10000)]
        is_word = np.array([c.isalnum() or c == "_" for c in chars], dtype=bool)
        is_word[0xD800:0xE000] = False  # surrogates
        fold = np.array([ord(lo) if len(lo := c.lower()) == 1 else i for i, c in enumerate(chars)], dtype=np.uint64)
        _TABLES = (is_word, fold)
    return _TABLES


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit reaches every output bit."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def words(text: str) -> Words:
    """Every word of ``text`` (a run of word characters), hashed case-blind, in numpy:
    ~20 ns a character, against ~1 µs a word for a regex and a hash call per word."""
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    if len(cps) == 0:
        return Words(np.zeros(0, dtype=np.uint64))
    is_word_t, fold_t = _tables()
    bmp = cps < 0x10000
    low = np.where(bmp, cps, 0)
    is_word = is_word_t[low] & bmp
    edges = np.diff(np.concatenate(([0], is_word.view(np.int8), [0])))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if len(starts) == 0:
        return Words(np.zeros(0, dtype=np.uint64))
    folded = np.where(is_word, fold_t[low], np.uint64(0)).astype(np.uint64)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(len(cps), _P, dtype=np.uint64))  # P^1 .. P^n, modulo 2**64
        inverse = np.cumprod(np.full(len(cps), _P_INV, dtype=np.uint64))
        prefix = np.concatenate(([np.uint64(0)], np.cumsum(folded * powers, dtype=np.uint64)))
        raw = (prefix[ends] - prefix[starts]) * np.concatenate(([np.uint64(1)], inverse))[starts]
        hashes = _mix(raw ^ (ends - starts).astype(np.uint64))
    # A paragraph starts at a word with a line break between it and the word before.
    lines = np.cumsum(cps == 10)
    breaks = np.ones(len(starts) + 1, dtype=bool)
    breaks[1:-1] = lines[starts[1:]] > lines[ends[:-1] - 1]
    return Words(hashes, starts, ends, breaks)


def shingles(w: Words, k: int = K) -> np.ndarray:
    """The hash of every run of ``k`` consecutive words, in text order (uint64). A text of
    fewer than ``k`` words has one shingle: all its words."""
    h = w.hashes
    n = len(h)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    if n < k:
        k = n
    with np.errstate(over="ignore"):
        out = h[: n - k + 1].copy()
        for i in range(1, k):
            out = (out * _MULT) ^ h[i : n - k + 1 + i]
    return out


def shingle_set(w: Words, k: int = K) -> np.ndarray:
    return np.unique(shingles(w, k))


def minhash(shingle_hashes: np.ndarray) -> list[int]:
    """The MinHash signature (NUM_PERM values) of a shingle set, with rensa (Rust): ~100x
    datasketch's speed on a 1,000-word article (0.02 ms against 1.7 ms, measured here)."""
    import rensa

    if len(shingle_hashes) == 0:
        return [0] * NUM_PERM
    rows = rensa.RMinHash.digest_matrix_from_token_hash_sets([shingle_hashes.tolist()], num_perm=NUM_PERM, seed=SEED)
    return [int(x) for x in rows.to_rows()[0]]


def bands(signature: list[int]) -> list[int]:
    """One key per LSH band: articles sharing any band key are copy candidates."""
    sig = np.asarray(signature, dtype=np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = sig[:, 0].copy()
        for r in range(1, ROWS):
            keys = (keys * _MULT) ^ sig[:, r]
    # SQLite integers are signed 64-bit.
    return [int(x) - (1 << 64) if x >= 1 << 63 else int(x) for x in keys.tolist()]


def band_key(band: int, key: int) -> int:
    """A band's key with the band's index mixed in: one indexed column holds all bands."""
    with np.errstate(over="ignore"):
        mixed = (np.uint64(key & 0xFFFFFFFFFFFFFFFF) * _MULT) ^ np.uint64(band + 1)
    return _signed(int(mixed))


def fingerprints(w: Words) -> list[tuple[int, int]]:
    """Winnowed passage fingerprints: ``(hash, word index)`` of the smallest PASSAGE_K-word
    shingle in each window of WINDOW consecutive shingles (each kept once)."""
    s = shingles(w, PASSAGE_K)
    if len(s) < WINDOW or len(w.hashes) < PASSAGE_K:
        return [(_signed(int(x)), i) for i, x in enumerate(s[:1])]
    view = np.lib.stride_tricks.sliding_window_view(s, WINDOW)
    picks = view.argmin(axis=1) + np.arange(len(view))
    chosen = np.unique(picks)
    return [(_signed(int(s[i])), int(i)) for i in chosen]


def _signed(x: int) -> int:
    return x - (1 << 64) if x >= 1 << 63 else x


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two texts compared on their K-word shingles. ``a_in_b``: the share of a's shingles
    that b has too (containment); ``passages``: the runs of words they share,
    ``(a_start, a_end, b_start, b_end)`` character offsets, longest first."""

    jaccard: float
    a_in_b: float
    b_in_a: float
    passages: tuple[tuple[int, int, int, int], ...]
    shared_words_a: int  # words of a inside the passages


def jaccard(a: Words, b: Words) -> float:
    """Word K-gram Jaccard similarity of two texts."""
    sa, sb = shingle_set(a), shingle_set(b)
    if len(sa) == 0 or len(sb) == 0:
        return 0.0
    inter = len(np.intersect1d(sa, sb, assume_unique=True))
    return inter / (len(sa) + len(sb) - inter)


def compare(a: Words, b: Words, *, min_words: int) -> Comparison:
    sa, sb = shingle_set(a), shingle_set(b)
    if len(sa) == 0 or len(sb) == 0:
        return Comparison(0.0, 0.0, 0.0, (), 0)
    inter = len(np.intersect1d(sa, sb, assume_unique=True))
    union = len(sa) + len(sb) - inter
    runs = shared_runs(a, b, min_words=min_words)
    covered = sum(ae - as_ for as_, ae, _, _ in runs)
    passages = tuple(
        (int(a.starts[as_]), int(a.ends[ae - 1]), int(b.starts[bs]), int(b.ends[be - 1])) for as_, ae, bs, be in runs
    )
    return Comparison(inter / union, inter / len(sa), inter / len(sb), passages, covered)


def shared_runs(a: Words, b: Words, *, min_words: int) -> list[tuple[int, int, int, int]]:
    """Maximal runs of words the two texts share, as word ranges ``(a_start, a_end,
    b_start, b_end)``, at least ``min_words`` long, each word of a in one run at most,
    longest first. Found on PASSAGE_K-word shingles: a shingle of a matched to its first
    occurrence in b, consecutive matches on one diagonal making one run."""
    k = PASSAGE_K
    if len(a.hashes) < k or len(b.hashes) < k:
        return []
    sa, sb = shingles(a, k), shingles(b, k)
    order = np.argsort(sb, kind="stable")
    ranked = sb[order]
    at = np.minimum(np.searchsorted(ranked, sa), len(ranked) - 1)
    hit = ranked[at] == sa
    i = np.flatnonzero(hit)
    if len(i) == 0:
        return []
    j = order[at[hit]]
    cut = np.flatnonzero((np.diff(i) != 1) | (np.diff(j) != 1)) + 1
    first = np.concatenate(([0], cut))
    last = np.concatenate((cut - 1, [len(i) - 1]))
    runs: list[tuple[int, int, int, int]] = []
    done = 0  # words of a before this are in an earlier run
    for f, g in zip(i[first].tolist(), (i[last] - i[first]).tolist()):
        a0, a1 = f, f + g + k
        b0 = int(j[np.searchsorted(i, f)])
        if a0 < done:  # overlaps the previous run by up to k-1 words: trim it
            b0 += done - a0
            a0 = done
        if a1 - a0 >= min_words:
            runs.append((a0, a1, b0, b0 + a1 - a0))
        done = max(done, a1)
    runs.sort(key=lambda r: (r[0] - r[1], r[0]))
    return runs


__all__ = ["Words", "words", "shingles", "shingle_set", "minhash", "bands", "band_key", "fingerprints", "compare", "jaccard", "shared_runs",
           "Comparison", "K", "PASSAGE_K", "WINDOW", "NUM_PERM", "BANDS"]
