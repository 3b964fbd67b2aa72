"""The article record: one schema for every output (JSON, JSONL, the archive, exports).

The JSON Schema shipped in ``newsdesk/data/article.schema.json`` describes exactly what
``Article.to_dict()`` returns; ``SCHEMA_VERSION`` changes whenever a field does.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any, Literal

SCHEMA_VERSION = "1.1"

PageType = Literal["article", "listing", "front", "other"]
PAGE_TYPES: tuple[str, ...] = ("article", "listing", "front", "other")


@dataclass(slots=True)
class RelatedLink:
    """A cross-promotion or related-story link found on the page; never part of the body."""

    title: str
    url: str | None = None
    site: str | None = None


EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC"]
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC")
QuoteKind = Literal["direct", "partial", "indirect", "block"]
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect", "block")


@dataclass(slots=True)
class Entity:
    """A person, organisation or place, with every mention of it in the text merged.

    ``mentions`` are ``[start, end)`` character offsets into the text the entity was
    found in (``Article.text``, or the string given to ``analyze``), in text order.
    """

    name: str  # canonical name: the fullest form used in the text ("Fathi Bashagha")
    label: str  # one of ENTITY_LABELS
    mentions: list[tuple[int, int]] = field(default_factory=list)
    # Mentions in Article.title (offsets into the title), so a headline-only entity is
    # not lost; always empty for analyze(text).
    title_mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """Something a source said, with where it is in the text and who said it.

    ``kind`` is ``direct`` (a quoted sentence), ``partial`` (a quoted fragment inside
    the writer's own sentence), ``indirect`` (reported speech: "told X that ...",
    "according to X") or ``block`` (a paragraph of speech that lost its quote marks).
    ``speaker`` is the canonical entity name when the speaker resolves to one
    (``speaker_entity`` is then its index in ``entities``), else the speaker phrase as
    written, else ``None`` (unknown). ``speaker_span`` is where that phrase is written.
    """

    text: str
    start: int
    end: int
    kind: str  # one of QUOTE_KINDS
    cue: str | None = None
    speaker: str | None = None
    speaker_entity: int | None = None
    speaker_span: tuple[int, int] | None = None


@dataclass(slots=True)
class Source:
    """Where the record was read from."""

    path: str | None = None  # file path, "-" for stdin, or None for in-memory input
    format: str = "html"  # "html" or "text"; ".gz" inputs say so in `compression`
    compression: str | None = None


@dataclass(slots=True)
class Article:
    """One extracted page. ``id`` is a stable hash of the normalised text (see ``text_id``)."""

    id: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    related: list[RelatedLink] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    page_type: str = "article"
    word_count: int = 0
    source: Source = field(default_factory=Source)
    warnings: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    enriched: bool = False  # False: entities/quotes were not computed (--no-enrich)
    schema_version: str = SCHEMA_VERSION

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p]

    def to_dict(self) -> dict[str, Any]:
        """A plain dict in schema field order, safe for ``json.dumps``."""
        return asdict(self)

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        data = dict(data)
        data["related"] = [RelatedLink(**r) for r in data.get("related") or []]
        data["source"] = Source(**(data.get("source") or {}))
        data["entities"] = [
            Entity(
                e["name"],
                e["label"],
                [tuple(m) for m in e.get("mentions") or []],
                [tuple(m) for m in e.get("title_mentions") or []],
            )
            for e in data.get("entities") or []
        ]
        data["quotes"] = [_quote_from_dict(q) for q in data.get("quotes") or []]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def _quote_from_dict(data: dict[str, Any]) -> Quote:
    data = dict(data)
    span = data.get("speaker_span")
    data["speaker_span"] = tuple(span) if span else None
    known = set(Quote.__dataclass_fields__)
    return Quote(**{k: v for k, v in data.items() if k in known})


_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")


# Long texts are normalised, hashed and counted in pieces of about this many characters,
# cut at whitespace. Whole-text str.casefold() on a 50 MB page allocates ~12 bytes per
# character (peak 1.1 GB measured); 1 M-character pieces keep the peak near the page size.
_CHUNK_CHARS = 1 << 20


def _pieces(text: str, size: int = _CHUNK_CHARS) -> Iterator[str]:
    """``text`` cut just before a whitespace character every ~``size`` characters.

    Cutting before whitespace is safe for NFKC (whitespace never composes) and for word
    and whitespace runs, so per-piece results join to the whole-text result.
    """
    if len(text) <= size:
        yield text
        return
    start = 0
    while start < len(text):
        end = start + size
        if end >= len(text):
            yield text[start:]
            return
        m = _SPACE_RE.search(text, end)
        if m is None:
            yield text[start:]
            return
        yield text[start : m.start()]
        start = m.start()


def count_words(text: str) -> int:
    return sum(len(_WORD_RE.findall(piece)) for piece in _pieces(text))


def normalise_text(text: str) -> str:
    """The text as the id sees it: NFKC, case-folded, whitespace collapsed.

    Two copies of a story that differ only in markup, spacing or quote style get one id.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return _SPACE_RE.sub(" ", text).strip()


def text_id(text: str) -> str:
    """Stable record id: the first 16 hex digits of SHA-256 over the normalised text.

    Same digest as hashing ``normalise_text(text)`` whole, computed piece by piece so a
    huge page costs bounded memory.
    """
    digest = hashlib.sha256()
    first = True
    for piece in _pieces(text):
        norm = normalise_text(piece)
        if not norm:
            continue
        if not first:
            digest.update(b" ")
        digest.update(norm.encode("utf-8"))
        first = False
    return digest.hexdigest()[:16]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Article.to_dict()``, as shipped in the package."""
    ref = resources.files("newsdesk") / "data" / "article.schema.json"
    return json.loads(ref.read_text(encoding="utf-8"))
