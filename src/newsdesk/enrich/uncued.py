"""Quotes that no cue word attributes: signed quotations ("“…” ― Jane Doe"), transcript
lines ("Q: …"), quotations that continue the last speaker's, paragraphs of first-person
speech that lost their quote marks, and the "I" inside someone's quotation. Each pass runs
over the attributions the cue pass found (``quotes.find_quotes``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Quote
from .cues import Lexicon
from .spans import Attr, Paragraphs, QuoteIndex, tok_end, trim

if TYPE_CHECKING:
    from spacy.tokens import Doc


def drop_nested_in_blocks(quotes: list[Quote]) -> list[Quote]:
    """A block quote is the speaker's whole paragraph; a quote inside it by the same
    speaker ("we hope that ..." in Bashagha's own words) repeats part of it, so it goes.
    Quotes inside a block by someone else (the speaker quoting another) stay."""
    whole = [q for q in quotes if q.kind == "block"]
    if not whole:
        return quotes
    return [
        q
        for q in quotes
        if q.kind == "block"
        or not any(b.start <= q.start and q.end <= b.end and b.speaker == q.speaker for b in whole)
    ]


_SIGNATURE = re.compile(r"[ \t]*[\u2014\u2015\u2013-]{1,2}[ \t]*")


_SIGNED_NAME = re.compile(
    r"[A-ZÀ-Ý][\w'’.\-]*(?:[ \t]+(?:[A-ZÀ-Ý][\w'’.\-]*|de|da|del|dos|van|von|la|le|y)){1,4}(?=[ \t]*(?:[“\"«]|\n|$))"
)


def signed_quotes(doc: Doc, quotes: QuoteIndex, paras: Paragraphs, text: str) -> list[Attr]:
    """“…” ― Jane Doe: a quotation signed with a dash and a name (vox pops, epigraphs)."""
    out = []
    for k, q in enumerate(quotes.spans):
        if quotes.used[k]:
            continue
        m = _SIGNATURE.match(text, q.end)
        if m is None or m.end() == q.end:
            continue
        span = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
        if span is not None and span[0].ent_type_ in ("PERSON", "ORG") and span[0].ent_iob_ == "B":
            first = span[0]
            last = first
            while last.i + 1 < len(doc) and doc[last.i + 1].ent_iob_ == "I":
                last = doc[last.i + 1]
            who = (first.idx, tok_end(last))
        else:
            # A signature the tagger left untagged ("― Christina N Luis Olidem" between two
            # quotations of a vox pop): two to five capitalised words, then the next
            # quotation or the end of the line.
            name = _SIGNED_NAME.match(text, m.end())
            if name is None:
                continue
            who = (name.start(), name.end())
        s, e = trim(text, q.inner_start, q.inner_end)
        if e > s:
            quotes.used[k] = True
            out.append(Attr(s, e, None, who, "direct", paras.of(s)))
    return out


# "Q: …", "TRUMP: …", "Jane Doe: …" opening a paragraph: a transcript line (interviews,
# debates). The label is at most 40 characters, the speech after it at least
# _MIN_TRANSCRIPT_CHARS. Train F1 0.642 -> 0.644 (source acc 0.882 -> 0.880: "Q"/"A" labels).
_TRANSCRIPT_LABEL = re.compile(r"[^\W\d_][\w.'\- ]{0,39}?:[ \t]+(?=\S)")
_MIN_TRANSCRIPT_CHARS = 20


# From this many labelled paragraphs, all with different labels, they are a list.
_LIST_LABELS = 4


def transcript_lines(doc: Doc, paras: Paragraphs, text: str, taken: set[int]) -> list[Attr]:
    """Paragraphs written as "SPEAKER: words": the label (upper case, or a person's name)
    says them."""
    out = []
    for k in range(len(paras.starts)):
        if k in taken:
            continue
        start, end = paras.bounds(k)
        m = _TRANSCRIPT_LABEL.match(text, start, end)
        if m is None or end - m.end() < _MIN_TRANSCRIPT_CHARS:
            continue
        label_end = m.end() - len(m.group()) + m.group().index(":")
        label = text[start:label_end]
        if not label.isupper():
            span = doc.char_span(start, label_end)
            if span is None or not all(t.ent_type_ == "PERSON" for t in span):
                continue
        out.append(Attr(m.end(), end, None, (start, label_end), "direct", k))
    labels = [text[a.speaker[0] : a.speaker[1]].casefold() for a in out if a.speaker is not None]
    if len(labels) >= _LIST_LABELS and len(set(labels)) == len(labels):
        # Many labels, none twice: a list ("Jane Doe: possession of …, held on $70,000 bond"
        # for each person charged), not an interview, whose speakers take turns.
        return []
    return out


def first_person_speakers(attrs: list[Attr], lex: Lexicon, text: str) -> None:
    """"I think …" inside someone's quotation or block: the speaker is that someone (the
    phrase stays "I"; the name is the quoting speaker's). ``attrs`` is in text order."""
    outer: Attr | None = None
    for a in attrs:
        if a.kind in ("direct", "block") and a.speaker is not None:
            if outer is None or a.start >= outer.end:
                outer = a
            continue
        if outer is None or a.start >= outer.end or a.speaker is None:
            continue
        if text[a.speaker[0] : a.speaker[1]].lower() in lex.first_person and outer.start <= a.speaker[0] < outer.end:
            a.name = outer.name or outer.speaker


# A quotation with no cue of its own continues the previous speaker's quote when it opens
# within this many paragraphs of that quote (the same one or the next). Train F1 / source
# acc at 20 characters: 0 paragraphs 0.619 / 0.869, 1: 0.627 / 0.852, 2: 0.629 / 0.846.
_CONTINUE_PARAS = 1
# Shorter unattributed quotations are titles, slogans or scare quotes more often than speech.
# Measured on PolNeAR train (F1 / source acc): from 20 characters 0.627 / 0.852, 40 0.628 /
# 0.857, 60 0.629 / 0.861, 100 0.628 / 0.864; letting short ones through when they end a
# sentence: 0.627 / 0.857.
_MIN_CONTINUE_CHARS = 60


def continuations(attrs: list[Attr], quotes: QuoteIndex, paras: Paragraphs, text: str,
                   spare: list[Attr]) -> list[Attr]:
    """Quotations with no cue of their own, given to the last speaker, or to a ``spare``
    cue (one whose own quotation was someone else's) written between that speaker's quote
    and this one in this one's paragraph: "“A,” she said. “B.”" is hers."""
    out: list[Attr] = []
    ai = 0
    last: Attr | None = None
    for k, q in enumerate(quotes.spans):
        while ai < len(attrs) and attrs[ai].start < q.start:
            out.append(attrs[ai])
            if attrs[ai].speaker is not None:
                last = attrs[ai]
            ai += 1
        if quotes.used[k] or last is None:
            continue
        if q.inner_end - q.inner_start < _MIN_CONTINUE_CHARS:
            continue
        if paras.of(q.start) - last.para > _CONTINUE_PARAS:
            continue
        s, e = trim(text, q.inner_start, q.inner_end)
        if e > s:
            quotes.used[k] = True
            by = next((c for c in reversed(spare) if last.end <= c.start < q.start and c.para == paras.of(s)), last)
            cont = Attr(s, e, by.cue, by.speaker, "direct", paras.of(s), by.name)  # quoted words: speech
            out.append(cont)
            last = cont
    out.extend(attrs[ai:])
    return out


def blocks(attrs: list[Attr], doc: Doc, paras: Paragraphs, quotes: QuoteIndex, lex: Lexicon, text: str) -> list[Attr]:
    """Paragraphs of first-person speech that lost their quote marks, after a quoting one."""
    # A paragraph's own attributions, but not one whose speaker is the first person ("we
    # hope that …" inside the speech itself).
    own = [a for a in attrs if a.speaker is None or text[a.speaker[0] : a.speaker[1]].lower() not in lex.first_person]
    by_para: dict[int, Attr] = {}
    for a in own:
        if a.speaker is not None:
            by_para[a.para] = a  # the last speaker of each paragraph
    has_attr = {a.para for a in own}
    first_person: set[int] = set()
    for tok in doc:
        low = tok.lower_
        if low in lex.first_person and not (low == "us" and tok.text == "US"):
            first_person.add(paras.of(tok.idx))
    quoted = {paras.of(q.start) for q in quotes.spans}
    out = list(attrs)
    prev: Attr | None = None
    for k in range(len(paras.starts)):
        if k in by_para:
            prev = by_para[k]
            continue
        if prev is None or prev.para < k - 1 or k in has_attr or k in quoted or k not in first_person:
            prev = None
            continue
        s, e = trim(text, *paras.bounds(k))
        if e <= s:
            prev = None
            continue
        block = Attr(s, e, None, prev.speaker, "block", k, prev.name)  # no cue is written; speech
        out.append(block)
        prev = block
    out.sort(key=lambda a: a.start)
    return out


__all__ = ["drop_nested_in_blocks", "signed_quotes", "transcript_lines", "first_person_speakers", "continuations", "blocks"]
