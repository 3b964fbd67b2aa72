"""Copies and reused passages: what one article shares with another, decided on the texts.

The duplicate stage works in three steps, as cross-document work should:

1. ``signature(text)`` — in the worker, per article: LSH band keys of a MinHash signature
   (near copies) and winnowed passage fingerprints (reused passages);
2. candidates — the stored articles sharing a band key or two fingerprints (the archive's
   index answers: ``archive/links.py``);
3. ``judge(newer, older)`` — the candidate confirmed on the two real texts: a **copy**
   (the newer text is, but for a few edits, the older one, or a cut of it) or a **partial**
   reuse (passages of the older inside the newer's own text), or nothing.

Direction is always from the dates: the source of a link is the earlier article
(``published``, then ``fetched``, then storage order), whatever order they arrived in.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import signals as sg

# The rules, chosen with grouped 5-fold cross-validation on the syndication dev set
# (`python scripts/tune_links.py --consistent`: folds of linked pages, the truth with its
# own labelling rule applied to every pair). Every value below was chosen in 4 or 5 of the 5
# folds (PARTIAL_MOST 0.4 in the fifth); out of fold: copy F1 0.979, partial P 0.949 /
# R 0.864, against 0.968 and 0.945 / 0.757 before the whole-paragraph, most-of-a-text and
# similarity rules, with recall up or equal in every fold.
#
# A copy keeps most of its text from the older article in runs of 8+ words (edits break
# runs but leave most words in them), and keeps a fair part of the older text (a cut copy
# still carries its opening paragraphs; an excerpt of a long article is a partial reuse).
COPY_COVERED = 0.7  # share of the newer text's words inside shared runs
COPY_KEPT = 0.4  # share of the older text's words the newer keeps
COPY_SIMILAR = 0.5  # and word 5-gram Jaccard: below it, a heavy reuse, not a copy
# A partial reuse: shared passages of at least PASSAGE_WORDS words each, together at least
# PARTIAL_WORDS words and PARTIAL_SHARE of the newer text (a quoted sentence or a shared
# boilerplate paragraph is no reuse; two paragraphs are).
PASSAGE_WORDS = 12
PARTIAL_WORDS = 60
PARTIAL_SHARE = 0.03
# Two or more whole paragraphs shared by both texts (starting and ending at paragraph breaks
# in each) are a lifted passage even when short — list items, a short table, two one-line
# paragraphs: independent reports of one event share quoted sentences, rarely whole
# paragraphs of both. Runs of WHOLE_MIN+ such words are passages; PARTIAL_WHOLE words of
# them (and PARTIAL_SHARE) make a partial reuse on their own.
WHOLE_MIN = 12
PARTIAL_WHOLE = 16
# Passages that make PARTIAL_MOST of either text (a short report that is mostly another's
# paragraphs, or a brief taken almost whole into a longer one) are a reuse at any length.
PARTIAL_MOST = 0.5
# Candidates: a shared LSH band counts CANDIDATE_BAND, a shared passage fingerprint 1; a
# stored article scoring CANDIDATE_MIN is compared on the texts. Fingerprints held by more
# than COMMON_PRINT articles are boilerplate (a site's footer), not evidence.
CANDIDATE_BAND = 2
CANDIDATE_MIN = 2
COMMON_PRINT = 30
# At most this many candidates are compared per new article (the highest scoring): a text
# found in thousands of stored articles is boilerplate, and the cost stays bounded.
MAX_CANDIDATES = 64

COPY = "copy"
PARTIAL = "partial"


@dataclass(frozen=True, slots=True)
class Signature:
    """What the candidate index needs of one text (small, picklable: made in a worker)."""

    bands: tuple[int, ...]  # one key per LSH band, band index mixed in (signed 64-bit)
    prints: tuple[int, ...]  # winnowed passage fingerprints (signed 64-bit), distinct
    words: int


def signature(text: str) -> Signature:
    w = sg.words(text)
    keys = sg.bands(sg.minhash(sg.shingle_set(w)))
    return Signature(tuple(sg.band_key(i, k) for i, k in enumerate(keys)),
                     tuple(sorted({h for h, _ in sg.fingerprints(w)})), len(w.hashes))


@dataclass(frozen=True, slots=True)
class Pair:
    """How a newer text relates to an older one. ``similarity``: word 5-gram Jaccard;
    ``covered``: share of the newer text inside shared runs of 8+ words; ``kept``: share
    of the older text inside them; ``passages``: runs of PASSAGE_WORDS+ words as
    ``(newer_start, newer_end, older_start, older_end)`` character offsets, and runs of
    WHOLE_MIN+ words that are two or more whole paragraphs of both; ``reused``: words of
    the newer text inside the passages; ``whole``: those inside whole-paragraph ones."""

    similarity: float
    covered: float
    kept: float
    passages: tuple[tuple[int, int, int, int], ...]
    reused: int
    words: int  # words of the newer text
    whole: int = 0

    @property
    def shared(self) -> float:
        """Share of the newer text that the reused passages make."""
        return self.reused / self.words if self.words else 0.0


def pair(newer: sg.Words, older: sg.Words) -> Pair:
    runs = sg.shared_runs(newer, older, min_words=sg.PASSAGE_K)
    n, m = len(newer.hashes), len(older.hashes)
    covered = sum(e - s for s, e, _, _ in runs)
    kept = _union([(s, e) for _, _, s, e in runs])
    whole = [r for r in runs if r[1] - r[0] >= WHOLE_MIN and _paragraphs(newer, older, r)]
    long_runs = sorted({r for r in runs if r[1] - r[0] >= PASSAGE_WORDS} | set(whole))
    passages = tuple(
        (int(newer.starts[s]), int(newer.ends[e - 1]), int(older.starts[os_]), int(older.ends[oe - 1]))
        for s, e, os_, oe in long_runs)
    return Pair(sg.jaccard(newer, older), covered / n if n else 0.0, kept / m if m else 0.0, passages,
                sum(e - s for s, e, _, _ in long_runs), n, sum(e - s for s, e, _, _ in whole))


def _paragraphs(newer: sg.Words, older: sg.Words, run: tuple[int, int, int, int]) -> bool:
    """Is the run two or more whole paragraphs of both texts?"""
    a0, a1, b0, b1 = run
    if len(newer.breaks) == 0 or len(older.breaks) == 0:
        return False
    return bool(newer.breaks[a0] and newer.breaks[a1] and older.breaks[b0] and older.breaks[b1]
                and newer.breaks[a0 + 1 : a1].any())


def _union(spans: list[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(spans):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def judge(p: Pair) -> str | None:
    """``copy``, ``partial`` or None for a compared pair."""
    if p.covered >= COPY_COVERED and p.kept >= COPY_KEPT and p.similarity >= COPY_SIMILAR:
        return COPY
    if p.shared >= PARTIAL_SHARE and (p.reused >= PARTIAL_WORDS or p.whole >= PARTIAL_WHOLE
                                      or max(p.shared, p.kept) >= PARTIAL_MOST):
        return PARTIAL
    return None


__all__ = ["Signature", "signature", "Pair", "pair", "judge", "COPY", "PARTIAL"]
