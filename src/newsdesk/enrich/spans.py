"""The text-offset bookkeeping that quote finding shares: attributions under way,
paragraphs, and the paired quotation marks of a text."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cues import Quoted

if TYPE_CHECKING:
    from spacy.tokens import Token

# Edges trimmed off a reported clause: the content is the clause, not its punctuation.
STRIP = " \t\n,;:\u2014\u2013-"


@dataclass(slots=True)
class Attr:
    start: int  # reported content, character offsets
    end: int
    cue: str | None
    speaker: tuple[int, int] | None
    kind: str
    para: int
    name: tuple[int, int] | None = None  # the phrase resolved to a name, when not the speaker phrase
    family: str = "speech"


class Paragraphs:
    """Paragraph index of a character offset (paragraphs are split by blank lines)."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        i = text.find("\n\n")
        while i >= 0:
            j = i
            while j < len(text) and text[j] == "\n":
                j += 1
            self.starts.append(j)
            i = text.find("\n\n", j)
        self.text = text

    def of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def bounds(self, k: int) -> tuple[int, int]:
        start = self.starts[k]
        end = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.text)
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in STRIP:
        start += 1
    while end > start and text[end - 1] in STRIP:
        end -= 1
    # a sentence-final full stop belongs to the quote only when the clause is a sentence
    return start, end


def tok_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


class QuoteIndex:
    def __init__(self, spans: list[Quoted]) -> None:
        self.spans = spans
        self.starts = [q.start for q in spans]
        self.used = [False] * len(spans)

    def overlapping(self, start: int, end: int) -> list[int]:
        out = []
        k = bisect.bisect_left(self.starts, start)
        if k > 0 and self.spans[k - 1].end > start:
            out.append(k - 1)
        while k < len(self.spans) and self.spans[k].start < end:
            out.append(k)
            k += 1
        return out

    def containing(self, offset: int) -> int | None:
        """The quotation whose marks enclose ``offset``."""
        k = bisect.bisect_right(self.starts, offset) - 1
        if k >= 0 and self.spans[k].start < offset < self.spans[k].end:
            return k
        return None

    def after(self, offset: int, limit: int) -> int | None:
        """The quote opening within ``limit`` characters after ``offset``."""
        k = bisect.bisect_left(self.starts, offset)
        if k < len(self.spans) and self.spans[k].start - offset <= limit:
            return k
        return None

    def before(self, offset: int, limit: int) -> int | None:
        """The quote closing within ``limit`` characters before ``offset``."""
        k = bisect.bisect_left(self.starts, offset) - 1
        if k >= 0 and 0 <= offset - self.spans[k].end <= limit:
            return k
        return None


__all__ = ["STRIP", "Attr", "Paragraphs", "QuoteIndex", "trim", "tok_end"]
