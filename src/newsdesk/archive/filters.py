"""The filter vocabulary, defined once: which filters a reader of the archive can give, what
each means, and how it becomes SQL. The CLI's options (``cli.common.filter_options``), the
web app's query parameters (``web.routes``) and the Python API's keyword arguments are all
built from ``FILTERS``, so ``newsdesk search --type listing`` and ``/api/search?type=listing``
cannot mean different things.

Names are matched case-insensitively and by whole words, so ``--person Bashagha`` finds
"Fathi Bashagha" and ``--org "national accord"`` finds "Government of National Accord",
while ``--person Ali`` does not find "Alice Smith".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import UsageError
from ..model import PAGE_TYPES


@dataclass(frozen=True, slots=True)
class FilterSpec:
    """One filter as every front end presents it."""

    name: str
    help: str
    metavar: str
    max_length: int
    choices: tuple[str, ...] = ()

    @property
    def described(self) -> str:
        """The help text, with the choices when there are any."""
        return f"{self.help.rstrip('.')}: {', '.join(self.choices)}." if self.choices else self.help


DATE_HELP = "YYYY-MM-DD, YYYY-MM or an ISO time"
FILTERS: tuple[FilterSpec, ...] = (
    FilterSpec("site", "Only this site (registered domain, e.g. rt.com).", "DOMAIN", 200),
    FilterSpec("since", f"Published on or after DATE ({DATE_HELP}).", "DATE", 40),
    FilterSpec("until", f"Published on or before DATE ({DATE_HELP}; a bare date includes that day).", "DATE", 40),
    FilterSpec("person", 'Only articles naming this person (whole words: "Bashagha" finds "Fathi Bashagha").', "NAME", 500),
    FilterSpec("org", "Only articles naming this organisation.", "NAME", 500),
    FilterSpec("place", "Only articles naming this place (GPE or LOC).", "NAME", 500),
    FilterSpec("type", "Only pages of this type.", "TYPE", 20, PAGE_TYPES),
    FilterSpec("story", "Only articles of this story (its id: `newsdesk stories`).", "ID", 20),
)
FILTER_NAMES = tuple(f.name for f in FILTERS)

# `--person/--org/--place` and `entities --label` take these; a place is GPE or LOC.
LABEL_GROUPS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "org": ("ORG",),
    "place": ("GPE", "LOC"),
    "PERSON": ("PERSON",),
    "ORG": ("ORG",),
    "GPE": ("GPE",),
    "LOC": ("LOC",),
}


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters every read of the archive shares, normalised (see ``FILTERS``)."""

    site: str | None = None
    since: str | None = None  # inclusive lower bound on published
    until: str | None = None  # exclusive upper bound on published
    person: str | None = None  # articles naming this person (whole words of the name)
    org: str | None = None
    place: str | None = None
    type: str | None = None  # page_type
    story: int | None = None  # articles.story
    unenriched: bool = False  # only records whose entities and quotes were never computed

    @classmethod
    def build(cls, **given: str | int | None) -> Filters:
        """Filters from the vocabulary's names (None or blank: not given). Raises UsageError
        for an unknown filter, a date that is not one or a page type that does not exist."""
        if unknown := set(given) - set(FILTER_NAMES):
            raise UsageError(f"unknown filter {sorted(unknown)[0]!r} (filters: {', '.join(FILTER_NAMES)})")
        v = {k: (x.strip() if isinstance(x, str) else x) or None for k, x in given.items()}
        kind, site, since, until = (_text(v.get(k)) for k in ("type", "site", "since", "until"))
        if kind is not None and kind.lower() not in PAGE_TYPES:
            raise UsageError(f"--type: unknown page type {kind!r} (use {', '.join(PAGE_TYPES)})")
        story = v.get("story")
        if story is not None and not str(story).isdigit():
            raise UsageError(f"--story: a story id is a number, not {story!r}")
        return cls(
            site=site.lower() if site else None,
            since=_bound(since, "since", end=False) if since else None,
            until=_bound(until, "until", end=True) if until else None,
            person=_text(v.get("person")),
            org=_text(v.get("org")),
            place=_text(v.get("place")),
            type=kind.lower() if kind else None,
            story=int(story) if story is not None else None,
        )

    def given(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def named(self) -> list[tuple[str, str]]:
        """The entity filters given, as (person|org|place, name)."""
        return [(k, n) for k, n in (("person", self.person), ("org", self.org), ("place", self.place)) if n]

    def article_where(self) -> tuple[list[str], list[Any]]:
        """The filters on the article's own columns (site, dates, type, story), as SQL over
        ``articles AS a``."""
        clauses: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("a.site = ?", self.site),
            ("a.published >= ?", self.since),
            ("a.published < ?", self.until),
            ("a.page_type = ?", self.type),
            ("a.story = ?", self.story),
        ):
            if value:
                clauses.append(clause)
                params.append(value)
        return clauses, params

    def where(self, dialect: str = "sqlite") -> tuple[list[str], list[Any]]:
        """SQL over ``articles AS a``: clauses to AND, and their parameters (``dialect``:
        the store's, see ``dialect``)."""
        from .dialect import not_true

        clauses, params = self.article_where()
        if self.unenriched:
            clauses.append(not_true(dialect, "a.record", "enriched"))
        for kind, name in self.named():
            labels = LABEL_GROUPS[kind]
            match, args = name_clause("e.key", name)
            clauses.append(
                f"a.seq IN (SELECT e.article_seq FROM entities AS e WHERE e.label IN ({', '.join('?' * len(labels))}) AND {match})"
            )
            params.extend([*labels, *args])
        return clauses, params


def _text(value: str | int | None) -> str | None:
    return None if value is None else str(value)


def _bound(value: str, name: str, *, end: bool) -> str:
    """An ISO date or time as a string bound on ``published``.

    ``published`` is stored as the page gives it (ISO 8601, offset only when the page has
    one), so bounds compare as strings; a bare date as ``until`` covers that whole day.
    """
    value = value.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return (day + timedelta(days=1)).isoformat() if end else day.isoformat()
        if len(value) == 7:  # YYYY-MM
            first = date.fromisoformat(value + "-01")
            if not end:
                return first.isoformat()
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return nxt.isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"--{name}: {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or an ISO time)") from None


# -- names ---------------------------------------------------------------------------------


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def label_group(label: str) -> tuple[str, ...]:
    """PERSON, ORG, GPE or LOC (any case), or person/org/place (a place is GPE or LOC)."""
    group = LABEL_GROUPS.get(label) or LABEL_GROUPS.get(label.upper()) or LABEL_GROUPS.get(label.lower())
    if group is None:
        raise UsageError(f"unknown entity label {label!r} (use PERSON, ORG, GPE, LOC or place)")
    return group


def has_words(key: str | None, words: str) -> bool:
    """SQL function ``has_words(key, words)``: every word of ``words`` is a whole word of
    ``key`` (both already case-folded). Registered on every archive connection."""
    if not key:
        return False
    have = set(re.findall(r"\w+", key))
    return all(w in have for w in re.findall(r"\w+", words))


def name_clause(column: str, name: str) -> tuple[str, list[Any]]:
    """SQL matching ``column`` (a case-folded name) against ``name`` by whole words.

    The LIKE on the longest word lets SQLite skip most rows before the Python check.
    """
    words = re.findall(r"\w+", name_key(name))
    if not words:
        raise UsageError(f"no name to match in {name!r}")
    probe = max(words, key=len)
    return f"({column} LIKE ? AND has_words({column}, ?))", ["%" + probe + "%", " ".join(words)]


__all__ = ["FILTERS", "FILTER_NAMES", "FilterSpec", "Filters", "LABEL_GROUPS", "DATE_HELP", "name_key", "label_group",
           "has_words", "name_clause"]
