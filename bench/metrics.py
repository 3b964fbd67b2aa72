"""Quality metrics, defined exactly as the benchmarks they come from define them."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def shingle_tp_fp_fn(true: str, pred: str, n: int = 4) -> tuple[float, float, float]:
    """Zyte article-extraction-benchmark: 4-token shingles, counts normalised per page."""

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        toks = _TOKEN_RE.findall(text or "")
        return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])

    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def shingle_prf(rows: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    """Precision averaged over pages with output, recall over pages with truth, F1 of the means."""
    rows = list(rows)

    def prec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def rec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean([prec(*r) for r in rows if r[0] + r[1] > 0] or [0.0])
    r = statistics.mean([rec(*r) for r in rows if r[0] + r[2] > 0] or [0.0])
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def word_prf(true: str, pred: str) -> tuple[float, float, float]:
    """Bag of lower-cased ``\\w+`` words: precision, recall, F1 for one page."""
    t = Counter(w.lower() for w in _TOKEN_RE.findall(true or ""))
    p = Counter(w.lower() for w in _TOKEN_RE.findall(pred or ""))
    tp = sum((t & p).values())
    if not tp:
        return 0.0, 0.0, 0.0
    prec, rec = tp / sum(p.values()), tp / sum(t.values())
    return prec, rec, 2 * prec * rec / (prec + rec)


def _norm(s: str) -> str:
    s = s.lower().replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2014", "-").replace("\u2013", "-").replace("\xa0", " ")
    return " ".join(s.split())


def snippet_counts(output: str, with_snippets: list[str], without_snippets: list[str]) -> tuple[int, int, int]:
    """WCXB snippets: (with found = TP, without found = FP, with missed = FN), case/space/quote-insensitive."""
    out = _norm(output)
    tp = sum(1 for s in with_snippets if _norm(s) in out)
    fp = sum(1 for s in without_snippets if _norm(s) in out)
    return tp, fp, len(with_snippets) - tp


def prf_from_counts(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def words(s: str | None) -> list[str]:
    return [w.lower() for w in _TOKEN_RE.findall(s or "")]


def title_match(true: str | None, pred: str | None) -> bool:
    """Exact title, as a sequence of lower-cased words (punctuation and spacing ignored)."""
    return bool(true) and words(true) == words(pred)


# Credentials and roles annotators leave in author strings ("Jane Doe, MS, RD"): not names.
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,5}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|[A-Z]\.[A-Z]\.)$")


def author_names(s: str | None) -> set[str]:
    if not s:
        return set()
    parts = re.split(r",|;|\band\b|&|\|", s)
    return {" ".join(words(p)) for p in parts if p.strip() and not _CREDENTIAL.match(p.strip()) and words(p)}


def authors_match(true: str | None, pred: list[str]) -> bool:
    """Set match of names (lower-cased words); no author in the truth means none must be predicted."""
    return author_names(true) == {" ".join(words(p)) for p in pred if words(p)}
