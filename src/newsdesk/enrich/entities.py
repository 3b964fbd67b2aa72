"""Entities: spaCy's PERSON/ORG/GPE/LOC mentions merged into one entity per real thing.

SKELETON: groups mentions by exact text only. To be replaced by the merging rules
(surname -> full name, acronyms, role phrases, country aliases, capitals as governments).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import ENTITY_LABELS, Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class EntityIndex:
    """The entities of one Doc and a lookup from character spans to them."""

    entities: list[Entity] = field(default_factory=list)
    # (start, end, entity index) for every mention, sorted by start
    spans: list[tuple[int, int, int]] = field(default_factory=list)

    def at(self, start: int, end: int) -> int | None:
        """The entity with a mention overlapping [start, end), if any (longest overlap)."""
        best, best_overlap = None, 0
        for s, e, idx in self.spans:
            if s >= end:
                break
            overlap = min(e, end) - max(s, start)
            if overlap > best_overlap:
                best, best_overlap = idx, overlap
        return best

    def resolve(self, start: int, end: int, phrase: str) -> int | None:
        """The entity a speaker phrase refers to: a mention it overlaps; else, for a
        pronoun or role phrase ("he", "the minister"), the person it stands for."""
        return self.at(start, end)


def find_entities(doc: Doc) -> EntityIndex:
    by_key: dict[tuple[str, str], int] = {}
    index = EntityIndex()
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        key = (ent.text, ent.label_)
        idx = by_key.get(key)
        if idx is None:
            idx = by_key[key] = len(index.entities)
            index.entities.append(Entity(ent.text, ent.label_, []))
        index.entities[idx].mentions.append((ent.start_char, ent.end_char))
        index.spans.append((ent.start_char, ent.end_char, idx))
    index.spans.sort()
    return index
