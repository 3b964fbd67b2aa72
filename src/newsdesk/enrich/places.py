"""Places: country names, their aliases and capitals, read from ``data/places.json``.

"the US", "U.S.", "America" and "the States" are one country; "Washington" is the
capital of that country. Lookups take a mention as written and normalise it the same
way the table is normalised (case, leading "the", dots, possessive).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DOTS = re.compile(r"\.(?=\S|$)")
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s?$")


def place_key(text: str) -> str:
    """``text`` as the table is keyed: lower case, no leading "the", no dots or 's."""
    key = _SPACES.sub(" ", text.strip()).lower()
    key = _POSSESSIVE.sub("", key)
    if key.startswith("the "):
        key = key[4:]
    return _DOTS.sub("", key).strip(" ,")


@dataclass(frozen=True, slots=True)
class Place:
    country: str  # canonical country name ("United States")
    capital: bool  # the name is the country's capital ("Washington"), not the country


@dataclass(frozen=True, slots=True)
class PlaceTable:
    names: dict[str, Place]

    def lookup(self, text: str) -> Place | None:
        return self.names.get(place_key(text))


@lru_cache(maxsize=1)
def places() -> PlaceTable:
    """The country table, read once (it is immutable)."""
    ref = resources.files("newsdesk") / "data" / "places.json"
    data = json.loads(ref.read_text(encoding="utf-8"))
    names: dict[str, Place] = {}
    for row in data["countries"]:
        # capitals first so a name that is both ("Djibouti", "Singapore") stays the country
        for cap in row["capitals"]:
            names.setdefault(place_key(cap), Place(row["name"], True))
        for name in [row["name"], *row["aliases"]]:
            names[place_key(name)] = Place(row["name"], False)
    return PlaceTable(names)
