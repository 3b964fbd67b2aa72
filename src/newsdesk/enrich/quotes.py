"""Quotes: who said what, from the dependency parse of clean text.

SKELETON: finds only quoted spans with a speech verb in the same sentence. To be
replaced by the full rules (direct, partial, indirect, block; speaker resolution).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Quote
from .entities import EntityIndex

if TYPE_CHECKING:
    from spacy.tokens import Doc

_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]{3,}?)[\"“”«»„]")
_CUES = {"said", "says", "say", "told", "tells", "added", "claimed", "stated"}


def find_quotes(doc: Doc, entities: EntityIndex) -> list[Quote]:
    out: list[Quote] = []
    text = doc.text
    for m in _QUOTED.finditer(text):
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        for tok in sent:
            if tok.lower_ in _CUES:
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                speaker = speaker_span = speaker_entity = None
                if subj is not None:
                    s, e = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
                    speaker_span = (s, e)
                    speaker_entity = entities.resolve(s, e, text[s:e])
                    speaker = entities.entities[speaker_entity].name if speaker_entity is not None else text[s:e]
                out.append(Quote(m.group(1), m.start(1), m.end(1), "direct", tok.text, speaker, speaker_entity, speaker_span))
                break
    return out
