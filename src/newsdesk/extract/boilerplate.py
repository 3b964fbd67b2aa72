"""Class/id hints and boilerplate lines, from ``data/boilerplate-hints.json``.

The word lists live in the data file; this module turns them into fast checks (substring
and set look-ups rather than one big regex: the walk classifies thousands of class strings
per page), once per process, on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

JUNK, KEEP, RELATED, POSITIVE = 1, 2, 4, 8

_PARTS = re.compile(r"[\s_\-]+")


@dataclass(frozen=True, slots=True)
class _Group:
    contains: re.Pattern[str] | None
    classes: frozenset[str]
    parts: frozenset[str]

    def match(self, norm: str, classes: set[str], parts: set[str]) -> bool:
        if self.classes and not self.classes.isdisjoint(classes):
            return True
        if self.parts and not self.parts.isdisjoint(parts):
            return True
        return self.contains is not None and self.contains.search(norm) is not None


def _substrings(words: list[str]) -> re.Pattern[str] | None:
    # Alternatives grouped by first letter: the regex engine then dispatches on one character
    # instead of trying ~80 words at every position (4x faster than a loop of `in` checks).
    if not words:
        return None
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    return re.compile("|".join(f"{re.escape(k)}(?:{'|'.join(v)})" for k, v in by_first.items()))


@dataclass(frozen=True, slots=True)
class Hints:
    junk: _Group
    related: _Group
    keep: _Group
    hidden: _Group
    positive: _Group
    lines: re.Pattern[str]

    def classify(self, hint: str) -> int:
        """Bits (JUNK, KEEP, RELATED, POSITIVE) for an element's class/id/role text."""
        low = hint.lower()
        norm = low.replace("-", "").replace("_", "")
        classes = set(low.split())
        parts = set(_PARTS.split(low))
        bits = 0
        if self.keep.match(norm, classes, parts):
            bits |= KEEP
        elif self.junk.match(norm, classes, parts) or self.hidden.match(norm, classes, parts):
            bits |= JUNK
            if self.related.match(norm, classes, parts):
                bits |= RELATED
        if self.positive.match(norm, classes, parts):
            bits |= POSITIVE
        return bits


def _group(d: dict[str, list[str]]) -> _Group:
    return _Group(_substrings(list(d.get("contains", ()))), frozenset(d.get("classes", ())), frozenset(d.get("parts", ())))


_HINTS: Hints | None = None


def hints() -> Hints:
    """The compiled hints; the data file is read once per process."""
    global _HINTS
    if _HINTS is None:
        ref = resources.files("newsdesk") / "data" / "boilerplate-hints.json"
        data = json.loads(ref.read_text(encoding="utf-8"))
        _HINTS = Hints(
            junk=_group(data["junk"]),
            related=_group(data["related"]),
            keep=_group(data["keep"]),
            hidden=_group(data["hidden"]),
            positive=_group(data["positive"]),
            # Lines are whole short blocks ("Advertisement", "Share this article"): anchored.
            lines=re.compile("^(?:" + "|".join(f"(?:{p})" for p in data["lines"]) + r")\W*$", re.I),
        )
    return _HINTS
