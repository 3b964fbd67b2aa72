"""Author bylines → clean person names.

"By Jane Doe, Staff Writer" → ["Jane Doe"]; e-mails, "Staff", roles and relative times
("2 hours ago") are dropped. Word lists live in ``data/author-hints.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class _Words:
    prefix: re.Pattern[str]
    role: re.Pattern[str]
    non_names: frozenset[str]
    split: re.Pattern[str]


_WORDS: _Words | None = None
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URLISH = re.compile(r"https?://|www\.|\.(?:com|org|net)\b", re.I)
_HANDLE = re.compile(r"(?:^|\s)@\w+")
_TIMEY = re.compile(r"\d|\b(?:ago|updated|published|posted|min read|minutes?|hours?|days?)\b", re.I)
# A name is at most this many words; longer parts are sentences that slipped into a byline.
_MAX_WORDS = 5


def _words() -> _Words:
    global _WORDS
    if _WORDS is None:
        ref = resources.files("newsdesk") / "data" / "author-hints.json"
        d = json.loads(ref.read_text(encoding="utf-8"))
        prefixes = sorted(d["prefixes"], key=len, reverse=True)
        roles = sorted(d["roles"], key=len, reverse=True)
        _WORDS = _Words(
            prefix=re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in prefixes) + r")(?:\s+|:\s*|(?<=:))", re.I),
            role=re.compile(r"\b(?:" + "|".join(re.escape(r) for r in roles) + r")\b.*$", re.I),
            non_names=frozenset(n.casefold() for n in d["non_names"]),
            split=re.compile("|".join(re.escape(s) for s in d["separators"]), re.I),
        )
    return _WORDS


def clean_authors(raw: list[str], *, limit: int = 20) -> list[str]:
    """Names from byline strings, deduplicated, in order."""
    w = _words()
    out: list[str] = []
    seen: set[str] = set()
    for value in raw:
        value = _EMAIL.sub(" ", value)
        value = w.prefix.sub("", " ".join(value.split()))
        for part in w.split.split(value):
            name = _clean_part(part, w)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
                if len(out) >= limit:
                    return out
    return out


def _clean_part(part: str, w: _Words) -> str | None:
    part = w.prefix.sub("", part.strip())
    part = _HANDLE.sub(" ", part)
    if _URLISH.search(part):
        return None
    part = part.strip(" \t-–—:|,.·•()[]\"'")
    if not part or part.casefold() in w.non_names:
        return None
    # "Jane Doe Staff Writer" / "Jane Doe, Reporter": cut the role and what follows it.
    stripped = w.role.sub("", part).strip(" -–—:|,.")
    if not stripped:
        return None
    part = stripped
    if _TIMEY.search(part) or len(part.split()) > _MAX_WORDS or not any(c.isalpha() for c in part):
        return None
    if part.casefold() in w.non_names:
        return None
    return part
