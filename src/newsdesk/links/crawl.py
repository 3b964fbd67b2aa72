"""Copy groups over a whole crawl at once: the duplicate stage's signatures and rules, as
a pass over all records instead of one record against an archive.

The steps are those of any MinHash dedup (signature → buckets → candidate pairs → confirm
→ groups), each a plain function so a Spark job (``pipeline.spark``) can run them as a map
(``band_rows``), a shuffle by band key, a map over each bucket (``bucket_pairs``), a
confirmation next to the two texts (``confirm``) and a final union (``groups``). The
candidates (a shared LSH band), the confirmation (``copies.judge`` on the two texts, the
newer against the older) and the origin (the earliest by publication, then fetch time)
are the incremental stage's, so the same input gives the same copy groups.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from . import copies as cp
from . import signals as sg

# A band shared by more records than this is boilerplate (a cookie notice, an empty
# template): its members are paired only with the earliest few, as the incremental stage
# compares a candidate group's first members only (archive.links.PER_GROUP).
MAX_BUCKET = 200
PER_BUCKET_EARLIEST = 3

When = tuple[str, str, str]


def when(record: dict[str, Any]) -> When:
    """A record's place in time, as the archive orders copies: published, then fetched
    (an undated one after dated ones), then the id for a stable tie-break."""
    return (record.get("published") or record.get("fetched") or "~", record.get("fetched") or "~", record["id"])


def band_rows(record: dict[str, Any]) -> Iterator[tuple[int, tuple[str, When]]]:
    """``(band_key, (id, when))`` for each LSH band of the record's text."""
    text = record.get("text") or ""
    if not text.strip():
        return
    member = (record["id"], when(record))
    for key in cp.signature(text).bands:
        yield int(key), member


def bucket_pairs(members: Iterable[tuple[str, When]]) -> Iterator[tuple[str, str]]:
    """Candidate pairs ``(newer, older)`` among the records sharing one band."""
    ordered = sorted(set(members), key=lambda m: m[1])
    if len(ordered) < 2:
        return
    if len(ordered) > MAX_BUCKET:
        early = ordered[:PER_BUCKET_EARLIEST]
        for newer in ordered[PER_BUCKET_EARLIEST:]:
            for older in early:
                yield newer[0], older[0]
        return
    for i, newer in enumerate(ordered):
        for older in ordered[:i]:
            yield newer[0], older[0]


def confirm(newer_text: str, older_text: str) -> cp.Pair | None:
    """The pair when the newer text is a copy of the older (``copies.judge``), else None."""
    p = cp.pair(sg.words(newer_text), sg.words(older_text))
    return p if cp.judge(p) == cp.COPY else None


def groups(edges: Iterable[tuple[str, str]], times: dict[str, When]) -> dict[str, str]:
    """``{id: origin}`` for every record in a copy group (the connected sets of confirmed
    copy links), the origin being the group's earliest member."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in list(parent):
        members.setdefault(find(x), []).append(x)
    out: dict[str, str] = {}
    for group in members.values():
        origin = min(group, key=lambda x: times[x])
        for x in group:
            out[x] = origin
    return out


__all__ = ["band_rows", "bucket_pairs", "confirm", "groups", "when", "MAX_BUCKET"]
