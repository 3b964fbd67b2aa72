"""The word lists entity merging and speaker resolution use, from ``data/entity-hints.json``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


def word_key(text: str) -> str:
    """A word as the lists hold it: lower case, no trailing dot ("Mr." -> "mr")."""
    return text.lower().rstrip(".")


@dataclass(frozen=True, slots=True)
class Hints:
    honorifics: frozenset[str]  # titles dropped from a name ("Mr.", "Gen.", "Sen.")
    male: frozenset[str]  # titles and role words that say the person is a man
    female: frozenset[str]
    role_heads: frozenset[str]  # "minister", "secretary", "commander", ...
    departments: frozenset[str]  # "defense", "interior": the field of a minister/secretary
    role_modifiers: frozenset[str]  # "prime", "deputy", "former": allowed lower-case in a title
    generic_modifiers: frozenset[str]  # "former", "top": say nothing about which role
    rank_modifiers: frozenset[str]  # "vice", "deputy": a "vice president" is not "the president"
    org_nouns: frozenset[str]  # "the company", "the ministry"
    standalone_orgs: frozenset[str]  # "Senate", "Pentagon": never short for a longer name
    told_verbs: frozenset[str]
    wrote_verbs: frozenset[str]
    pronouns_male: frozenset[str]
    pronouns_female: frozenset[str]
    pronouns_other: frozenset[str]  # they/we/it/...: never a single person
    acronym_skip: frozenset[str]  # words initials skip ("of", "the", "and", "for")


@lru_cache(maxsize=1)
def hints() -> Hints:
    """The lists, read once (immutable)."""
    ref = resources.files("newsdesk") / "data" / "entity-hints.json"
    d = json.loads(ref.read_text(encoding="utf-8"))

    def s(*keys: str) -> frozenset[str]:
        return frozenset(w for k in keys for w in d[k])

    return Hints(
        honorifics=s("honorifics", "honorifics_male", "honorifics_female"),
        male=s("honorifics_male", "role_heads_male"),
        female=s("honorifics_female", "role_heads_female"),
        role_heads=s("role_heads"),
        departments=s("departments"),
        role_modifiers=s("role_modifiers"),
        generic_modifiers=s("generic_modifiers"),
        rank_modifiers=s("rank_modifiers"),
        org_nouns=s("org_nouns"),
        standalone_orgs=s("standalone_orgs", "org_nouns"),
        told_verbs=s("org_evidence_verbs"),
        wrote_verbs=s("org_evidence_reporting"),
        pronouns_male=s("person_pronouns_male"),
        pronouns_female=s("person_pronouns_female"),
        pronouns_other=s("plural_pronouns"),
        acronym_skip=s("acronym_skip"),
    )
