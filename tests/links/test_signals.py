"""What two texts share: shingles, signatures and passages (the ground of the duplicate stage)."""

from __future__ import annotations

import re

from support import _PARAGRAPHS

from newsdesk.links import signals as sg

SOURCE = "\n\n".join(_PARAGRAPHS)


def test_hashes_are_stable_and_case_blind() -> None:
    a, b = sg.words("The Council met."), sg.words("the COUNCIL met")
    assert a.hashes.tolist() == b.hashes.tolist()
    assert a.spans == [(0, 3), (4, 11), (12, 15)]
    assert sg.minhash(sg.shingle_set(a)) == sg.minhash(sg.shingle_set(b))
    assert len(sg.bands(sg.minhash(sg.shingle_set(a)))) == sg.BANDS


def test_copy_truncated_copy_and_unrelated_text() -> None:
    src = sg.words(SOURCE)
    same = sg.compare(sg.words(SOURCE.upper()), src, min_words=20)
    assert same.jaccard == same.a_in_b == same.b_in_a == 1.0
    cut = sg.compare(sg.words("\n\n".join(_PARAGRAPHS[:2])), src, min_words=20)
    assert cut.a_in_b == 1.0 and 0.3 < cut.b_in_a < 0.7  # all of the copy is in the source
    other = sg.compare(sg.words("A storm closed the harbour for two days and the ferries stayed in port."), src, min_words=20)
    assert other.jaccard == 0.0 and other.passages == ()


def test_a_reused_passage_is_found_at_its_offsets_in_both_texts() -> None:
    own = "Readers wrote in all week about the new bus timetable, which starts on Monday across the whole region."
    host = f"{own}\n\n{_PARAGRAPHS[2]}\n\nThe mayor did not comment on the letters when asked on Friday."
    result = sg.compare(sg.words(host), sg.words(SOURCE), min_words=20)
    ((a0, a1, b0, b1),) = result.passages
    # From the paragraph's first word to its last: the closing full stop is no word.
    assert host[a0:a1] == SOURCE[b0:b1] == _PARAGRAPHS[2].rstrip(".")
    assert result.shared_words_a == len(re.findall(r"\w+", _PARAGRAPHS[2]))


def test_fingerprints_catch_any_shared_run_of_eleven_words() -> None:
    text = " ".join(f"w{i}" for i in range(200))
    inner = " ".join(f"w{i}" for i in range(90, 90 + sg.PASSAGE_K + sg.WINDOW - 1))
    a = {h for h, _ in sg.fingerprints(sg.words(text))}
    b = {h for h, _ in sg.fingerprints(sg.words(f"unrelated words first {inner} and after"))}
    assert a & b
