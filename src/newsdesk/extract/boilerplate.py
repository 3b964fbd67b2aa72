"""Class/id hints and boilerplate lines, compiled from ``data/boilerplate-hints.json``.

The word lists live in the data file; this module only turns them into regexes, once per
process, on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Hints:
    junk: re.Pattern[str]
    related: re.Pattern[str]
    keep: re.Pattern[str]
    hidden: re.Pattern[str]
    positive: re.Pattern[str]
    lines: re.Pattern[str]


def _alt(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


_HINTS: Hints | None = None


def hints() -> Hints:
    """The compiled hints; the data file is read once per process."""
    global _HINTS
    if _HINTS is None:
        ref = resources.files("newsdesk") / "data" / "boilerplate-hints.json"
        data = json.loads(ref.read_text(encoding="utf-8"))
        _HINTS = Hints(
            junk=_alt(data["junk"]),
            related=_alt(data["related"]),
            keep=_alt(data["keep"]),
            hidden=_alt(data["hidden"]),
            positive=_alt(data["positive"]),
            # Lines are whole short blocks ("Advertisement", "Share this article"): anchored.
            lines=re.compile("^(?:" + "|".join(f"(?:{p})" for p in data["lines"]) + r")\W*$", re.I),
        )
    return _HINTS
