"""The duplicate stage's decision on two real texts (newsdesk.links.copies)."""

from __future__ import annotations

from support import _PARAGRAPHS

from newsdesk.links import copies as cp
from newsdesk.links import signals as sg

SOURCE = "\n\n".join(_PARAGRAPHS)
OWN = ("Readers wrote in all week about the new bus timetable, which starts on Monday across the whole region. "
       "Several asked why the late services were cut, and the council promised an answer by the end of the month. "
       "The mayor did not comment on the letters when asked on Friday, saying only that the plan was under review.")
LIST = "- Storage units with climate control and security cameras\n\n- Portable containers rented by the week for packing"
ITEMS = LIST.replace("- ", "")


def test_paragraph_breaks_are_marked_at_word_indexes() -> None:
    assert sg.words("one two\n\nthree four\nfive").breaks.tolist() == [True, False, True, False, True, True]


def test_two_short_whole_paragraphs_are_a_partial_reuse_but_the_same_words_inside_a_paragraph_are_not() -> None:
    older = f"{SOURCE}\n\n{LIST}"
    first, rest = OWN.split(". ", 1)
    lifted = f"{first}.\n\n{LIST}\n\n{rest}"
    assert cp.judge(cp.pair(sg.words(lifted), sg.words(older))) == cp.PARTIAL
    inline = f"{first}. We list {ITEMS.replace(chr(10), ' ')} as well. {rest}"
    assert cp.judge(cp.pair(sg.words(inline), sg.words(older))) is None


def test_a_short_text_made_mostly_of_an_older_ones_paragraph_is_a_partial_reuse() -> None:
    newer = f"{_PARAGRAPHS[2]}\n\nMore on this story as it develops."
    p = cp.pair(sg.words(newer), sg.words(SOURCE))
    assert p.shared >= cp.PARTIAL_MOST and cp.judge(p) == cp.PARTIAL


def test_a_whole_copy_and_a_cut_copy_are_copies() -> None:
    assert cp.judge(cp.pair(sg.words(SOURCE.upper()), sg.words(SOURCE))) == cp.COPY
    cut = "\n\n".join(_PARAGRAPHS[: max(2, len(_PARAGRAPHS) * 2 // 3)])
    assert cp.judge(cp.pair(sg.words(cut), sg.words(SOURCE))) == cp.COPY
