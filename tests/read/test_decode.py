"""Bounds in decoding: gzip limits, nesting cap, and ids that do not depend on chunking."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import CompressionError, TooLarge
from newsdesk.model import _pieces, count_words, normalise_text, text_id
from newsdesk.read.decode import MAX_NESTING, _nesting_depth, cap_nesting, gunzip


def test_gunzip_limits() -> None:
    data = gzip.compress(b"a" * 10_000)
    assert gunzip(data) == b"a" * 10_000
    with pytest.raises(TooLarge):
        gunzip(data, limit=1000)
    with pytest.raises(CompressionError, match="truncated"):
        gunzip(data[: len(data) // 2])


def test_cap_nesting_keeps_text_and_bounds_depth() -> None:
    html = "<html><body>" + "<div>" * 5000 + "deep words" + "</div>" * 5000 + "</body></html>"
    capped, changed = cap_nesting(html)
    assert changed
    assert "deep words" in capped
    assert _nesting_depth(capped) == MAX_NESTING


def test_cap_nesting_leaves_ordinary_pages_alone() -> None:
    html = "<html><body>" + "<div><p>text<br><img src=x></p></div>" * 3000 + "</body></html>"
    assert cap_nesting(html) == (html, False)


def _whole_id(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


_pieces_text = st.lists(
    st.sampled_from(["word", "Straße", "ﬁ", " ", "  ", "\n\n", "\u3000", "e\u0301", "\t", "Ω", "’", "x" * 30]),
    max_size=400,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(_pieces_text, st.integers(min_value=1, max_value=50))
def test_pieces_join_to_the_whole(text: str, size: int) -> None:
    pieces = list(_pieces(text, size))
    assert "".join(pieces) == text
    # Hashing piece by piece gives the whole-text id.
    digest, first = hashlib.sha256(), True
    for piece in pieces:
        norm = normalise_text(piece)
        if norm:
            digest.update((b"" if first else b" ") + norm.encode("utf-8"))
            first = False
    assert digest.hexdigest()[:16] == _whole_id(text)
    assert sum(count_words(p) for p in pieces) == count_words(text)


def test_text_id_matches_whole_text_hash_on_long_text() -> None:
    text = ("Ünïcode  text\u00a0with ﬁ ligatures and\tspaces. " * 60_000)  # ~2.7 M characters, several pieces
    assert text_id(text) == _whole_id(text)
