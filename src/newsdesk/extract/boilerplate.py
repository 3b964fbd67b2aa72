"""Class/id hints and boilerplate lines, from ``data/boilerplate-hints.json``.

The word lists live in the data file; this module turns them into fast checks (one
overlapping-match regex for substrings, dict look-ups for class names and parts: the walk
classifies a hundred or more class strings per page), once per process, on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from selectolax.lexbor import LexborNode

JUNK, KEEP, RELATED, POSITIVE, TALK = 1, 2, 4, 8, 16

_PARTS = re.compile(r"[\s_\-]+")


# Group bits inside the classifier; `classify` folds them into the public bits above.
_G_JUNK, _G_KEEP, _G_RELATED, _G_POSITIVE, _G_HIDDEN, _G_TALK, _G_EMBED = 1, 2, 4, 8, 16, 32, 64
_GROUPS = (
    ("junk", _G_JUNK), ("keep", _G_KEEP), ("related", _G_RELATED), ("positive", _G_POSITIVE), ("hidden", _G_HIDDEN),
    ("talk", _G_TALK), ("embeds", _G_EMBED),
)


def _substrings(words: list[str]) -> re.Pattern[str] | None:
    # One pass finds every hint word wherever it starts: a lookahead at each position, the
    # alternatives grouped by first letter so the engine dispatches on one character, longest
    # first so each position reports its longest word (shorter words starting there are its
    # prefixes, and their bits are folded into it). Measured on Zyte class strings: 1.2 us a
    # string against 6 us for one search per group.
    if not words:
        return None
    by_first: dict[str, list[str]] = {}
    for w in sorted(set(words), key=len, reverse=True):
        by_first.setdefault(w[0], []).append(re.escape(w[1:]))
    return re.compile("(?=(" + "|".join(f"{re.escape(k)}(?:{'|'.join(v)})" for k, v in by_first.items()) + "))")


@dataclass(frozen=True, slots=True)
class Hints:
    contains: re.Pattern[str] | None
    word_bits: dict[str, int]  # substring → group bits (its own and those of words inside it)
    class_bits: dict[str, int]  # whole class name → group bits
    part_bits: dict[str, int]  # piece between spaces, '-' and '_' → group bits
    modifiers: tuple[str, ...]  # class prefixes that say what an element has, not what it is
    lines: re.Pattern[str]

    def classify(self, hint: str, tokens: dict[str, int] | None = None) -> int:
        """Bits (JUNK, KEEP, RELATED, POSITIVE, TALK) for an element's class/id/role text.

        Hint words never span a space, so each space-separated token is looked at alone and
        its group bits are remembered in ``tokens`` (one dict per page: "row", "col-md-6" and
        "container" come back hundreds of times).
        """
        raw = 0
        for tok in hint.lower().split():
            if tokens is not None and tok in tokens:
                raw |= tokens[tok]
                continue
            tb = self._token_bits(tok)
            if tokens is not None:
                tokens[tok] = tb
            raw |= tb
        if not raw:
            return 0
        bits = 0
        if raw & _G_KEEP:
            bits |= KEEP
        elif raw & (_G_JUNK | _G_HIDDEN):
            bits |= JUNK
            if raw & _G_RELATED:
                bits |= RELATED
            if raw & _G_TALK:
                bits |= TALK
        if raw & _G_POSITIVE:
            bits |= POSITIVE
        return bits

    def _token_bits(self, tok: str) -> int:
        if tok.startswith(self.modifiers):
            # "has-sidebar", "with-rail": a page-layout state on the story's own wrapper.
            return 0
        raw = self.class_bits.get(tok, 0)
        if self.contains is not None:
            word_bits = self.word_bits
            for w in self.contains.findall(tok.replace("-", "").replace("_", "")):
                raw |= word_bits[w]
        part_bits = self.part_bits
        for p in tok.replace("-", " ").replace("_", " ").split():
            if p in part_bits:
                raw |= part_bits[p]
        # "social-media-embed": the tweet a story quotes, not a share bar.
        return 0 if raw & _G_EMBED else raw


def _compile(data: dict[str, dict[str, list[str]]], lines: list[str]) -> Hints:
    words: dict[str, int] = {}
    classes: dict[str, int] = {}
    parts: dict[str, int] = {}
    for name, bit in _GROUPS:
        group = data.get(name, {})
        if isinstance(group, list):  # a plain word list: substrings
            group = {"contains": group}
        for w in group.get("contains", ()):
            words[w] = words.get(w, 0) | bit
        for c in group.get("classes", ()):
            classes[c] = classes.get(c, 0) | bit
        for p in group.get("parts", ()):
            parts[p] = parts.get(p, 0) | bit
    # A found word carries the bits of every hint word inside it ("articlebody" holds "article").
    word_bits = {w: _fold(w, words) for w in words}
    return Hints(
        contains=_substrings(list(words)),
        word_bits=word_bits,
        class_bits=classes,
        part_bits=parts,
        modifiers=tuple(data.get("modifiers", ())),
        # Lines are whole short blocks ("Advertisement", "Share this article"): anchored.
        lines=re.compile("^(?:" + "|".join(f"(?:{p})" for p in lines) + r")\W*$", re.I),
    )


def _fold(word: str, words: dict[str, int]) -> int:
    bits = 0
    for other, b in words.items():
        if other in word:
            bits |= b
    return bits


_HINTS: Hints | None = None


def hints() -> Hints:
    """The compiled hints; the data file is read once per process."""
    global _HINTS
    if _HINTS is None:
        ref = resources.files("newsdesk") / "data" / "boilerplate-hints.json"
        data = json.loads(ref.read_text(encoding="utf-8"))
        _HINTS = _compile(data, data["lines"])
    return _HINTS


def inside_marked(node: LexborNode, markers: Iterable[str], tags: frozenset[str], *, depth: int = 8) -> bool:
    """Whether ``node`` or one of its ``depth`` nearest ancestors is one of ``tags`` or carries a
    class/id containing one of ``markers`` (a comment thread, a related list, a footer).

    Eight levels reach from a byline or date to the thread or list around it on the pages
    measured (Zyte, wcxb-dev) without climbing into the page's layout wrappers.
    """
    n: LexborNode | None = node
    for _ in range(depth):
        if n is None:
            return False
        if n.tag in tags:
            return True
        a = n.attributes
        cls = ((a.get("class") or "") + " " + (a.get("id") or "")).lower()
        if any(m in cls for m in markers):
            return True
        n = n.parent
    return False
