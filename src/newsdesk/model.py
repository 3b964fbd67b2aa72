"""The article record: one schema for every output (JSON, JSONL, the archive, exports).

The JSON Schema shipped in ``newsdesk/data/article.schema.json`` describes exactly what
``Article.to_dict()`` returns; ``SCHEMA_VERSION`` changes whenever a field does.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any, Iterator, Literal

SCHEMA_VERSION = "1.0"

PageType = Literal["article", "listing", "front", "other"]
PAGE_TYPES: tuple[str, ...] = ("article", "listing", "front", "other")


@dataclass(slots=True)
class RelatedLink:
    """A cross-promotion or related-story link found on the page; never part of the body."""

    title: str
    url: str | None = None
    site: str | None = None


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
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


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
