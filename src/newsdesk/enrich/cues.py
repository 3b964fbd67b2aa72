"""What quote attribution reads before the parse: cue words and quote marks.

The cue words live in ``newsdesk/data/quote-cues.json`` (every word form written out, since
the lean pipeline has no lemmatizer). ``quoted_spans`` pairs quote marks of every style in
plain text, paragraph by paragraph, without spaCy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: frozenset[str]  # word forms of verbs that attribute speech or belief
    verb_lemma: dict[str, str]  # word form -> lemma, for the cue's reported name
    first_person: frozenset[str]  # lower-cased pronouns that mark a paragraph as someone's speech
    speaker_deps: frozenset[str]
    addressees: frozenset[str]  # a lone object that is an addressee ("told him")
    stance: frozenset[str]  # word forms of belief, intention, evidence and naming verbs


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The cue lexicon, read once from package data (immutable, so sharing it is safe)."""
    ref = resources.files("newsdesk") / "data" / "quote-cues.json"
    data = json.loads(ref.read_text(encoding="utf-8"))
    forms: dict[str, str] = {}
    for lemma, words in data["verbs"].items():
        for w in words:
            forms.setdefault(w, lemma)
    return Lexicon(
        frozenset(forms),
        forms,
        frozenset(data["first_person"]),
        frozenset(data["speaker_deps"]),
        frozenset(data["addressees"]),
        frozenset(w for words in data["stance"].values() for w in words),
    )


@dataclass(frozen=True, slots=True)
class Quoted:
    """A span between quote marks: ``start``/``end`` are the marks, ``inner_*`` the words."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool  # False: an opening mark left open until the paragraph ended


_MARK = re.compile("''|``|[\"'\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019\u201a\u2039\u203a]|\n[ \t]*\n")
_DOUBLE = "d"
_SINGLE = "s"
_GUILLEMET = "g"
_OPENERS_BEFORE = " \t\n([{\u2014\u2013-/\u201c\u201e\u00ab\u2018\"':"
_TRAIL = " \t\n,;:\u2014\u2013-"


def _opens(text: str, i: int) -> bool:
    """A straight or curly single mark at ``i`` can open: start of text or after space/bracket,
    and followed by a word character (not "rock 'n' roll" spacing)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPENERS_BEFORE and not after.isspace()


def _closes(text: str, i: int) -> bool:
    """A mark at ``i`` can close: after a non-space and not followed by a letter (so the
    apostrophe in "don't" or "O'Malley" never closes)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def quoted_spans(text: str) -> list[Quoted]:
    """Outermost quoted spans in text order; never raises.

    Marks pair within a paragraph; a double or guillemet quote left open at a paragraph's
    end runs to that end (the convention for speech running over paragraphs, where each
    paragraph re-opens the quote). Unpaired single marks are apostrophes and are dropped.
    """
    out: list[Quoted] = []
    stack: list[tuple[str, int]] = []  # (family, position of the opening mark)
    para = [0, 0]  # start of the current paragraph, marks seen in it

    def orphan(i: int, width: int = 1) -> None:
        # A closing mark as the paragraph's first mark: the opening one was lost (or sits
        # in the previous paragraph of a speech run), so the quote starts the paragraph.
        s = para[0]
        while s < i and text[s].isspace():
            s += 1
        if para[1] == 1 and i > s:
            out.append(Quoted(s, i + width, s, i, True))

    def flush(end: int) -> None:
        # An unclosed outermost double/guillemet quote runs to the paragraph end.
        if stack and stack[0][0] != _SINGLE:
            s = stack[0][1]
            inner_end = end
            while inner_end > s + 1 and text[inner_end - 1] in _TRAIL:
                inner_end -= 1
            if inner_end > s + 1:
                out.append(Quoted(s, end, s + 1, inner_end, False))
        stack.clear()

    def close(family: str, i: int, width: int = 1) -> bool:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == family:
                s = stack[depth][1]
                del stack[depth:]
                if family == _SINGLE and stack:
                    return True  # a single-quoted span inside a quote is never outermost
                # outermost, or only unclosed single marks (apostrophes) below it
                if i > s + 1 and all(f == _SINGLE for f, _ in stack):
                    out.append(Quoted(s, i + width, s + 1, i, True))
                return True
        return False

    def has(family: str) -> bool:
        return any(f == family for f, _ in stack)

    for m in _MARK.finditer(text):
        ch, i = m.group(), m.start()
        if ch[0] == "\n":
            flush(i)
            para[:] = [m.end(), 0]
            continue
        if ch not in "\u2018\u2019\u201a'":  # apostrophes do not count
            para[1] += 1
        if ch == "``":  # TeX / newswire style: ``…'' (and ''…'' in some wire copy)
            stack.append((_DOUBLE, i + 1))
            continue
        if ch == "''":
            if has(_DOUBLE) and _closes(text, i + 1):
                close(_DOUBLE, i, 2)
            elif _opens(text, i + 1) and not (i > 0 and text[i - 1].isalnum()):
                stack.append((_DOUBLE, i + 1))
            elif _closes(text, i + 1):
                orphan(i, 2)
            continue
        if ch in "\u201c":  # “ opens, or closes a German „…“
            if has(_DOUBLE) and stack[-1][0] == _DOUBLE and text[stack[-1][1]] == "\u201e" and _closes(text, i):
                close(_DOUBLE, i)
            else:
                stack.append((_DOUBLE, i))
        elif ch == "\u201e":
            stack.append((_DOUBLE, i))
        elif ch == "\u201d":
            if not has(_DOUBLE) and _opens(text, i) and not _closes(text, i):
                stack.append((_DOUBLE, i))  # ”…” typed with the closing mark at a line start
            elif not close(_DOUBLE, i):
                orphan(i)
        elif ch == '"':
            if has(_DOUBLE) and _closes(text, i):
                close(_DOUBLE, i)
            elif _opens(text, i):
                stack.append((_DOUBLE, i))
            elif has(_DOUBLE):
                close(_DOUBLE, i)
            elif _closes(text, i):
                orphan(i)
        elif ch in "\u00ab\u2039":
            stack.append((_GUILLEMET, i))
        elif ch in "\u00bb\u203a":
            close(_GUILLEMET, i)
        elif ch in "\u2018\u201a":
            if _opens(text, i):
                stack.append((_SINGLE, i))
        elif ch in "\u2019'":
            if has(_SINGLE) and _closes(text, i):
                close(_SINGLE, i)
            elif ch == "'" and _opens(text, i) and not (i > 0 and text[i - 1].isalnum()):
                stack.append((_SINGLE, i))
    flush(len(text))
    out.sort(key=lambda q: q.start)
    return out
