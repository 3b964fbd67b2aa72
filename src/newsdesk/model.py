"""The article record: one schema for every output (JSON, JSONL, the archive, exports).

Every field is declared once, with its description and constraints (``doc``); the JSON
Schema (shipped as ``newsdesk/data/article.schema.json``), the web API's models and the
Parquet schema are derived from these dataclasses by ``newsdesk.schema``.
``SCHEMA_VERSION`` changes whenever a field does.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import MISSING, asdict, dataclass, field
from importlib import resources
from typing import Any, Literal

SCHEMA_VERSION = "1.3"

PageType = Literal["article", "listing", "front", "other"]
PAGE_TYPES: tuple[str, ...] = ("article", "listing", "front", "other")
EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC"]
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC")
QuoteKind = Literal["direct", "partial", "indirect", "block"]
QUOTE_KINDS: tuple[str, ...] = ("direct", "partial", "indirect", "block")
QUOTE_FAMILIES: tuple[str, ...] = ("speech", "stance")
SOURCE_FORMATS: tuple[str, ...] = ("html", "text")
COMPRESSIONS: tuple[str, ...] = ("gzip", "deflate", "br")
# [start, end) character offsets.
Span = tuple[int, int]


def doc(description: str | None = None, *, default: Any = MISSING, factory: Any = MISSING, **constraints: Any) -> Any:
    """A dataclass field with its documentation and JSON Schema constraints (``pattern``,
    ``enum``, ``minimum``) attached: the record's fields are described once, here, and the
    JSON Schema, the web API's models and the Parquet schema are derived from them
    (``newsdesk.schema``)."""
    meta = {"description": description, **constraints}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(slots=True)
class RelatedLink:
    """A cross-promotion or related-story link found on the page; never part of the body."""

    title: str = doc()
    url: str | None = doc(default=None)
    site: str | None = doc(default=None)


@dataclass(slots=True)
class Entity:
    """A person, organisation or place, with every mention of it in the text merged.

    ``mentions`` are ``[start, end)`` character offsets into the text the entity was
    found in (``Article.text``, or the string given to ``analyze``), in text order.
    """

    name: str = doc("Canonical name: the fullest form the text uses.")
    label: str = doc(enum=list(ENTITY_LABELS))
    mentions: list[Span] = doc("[start, end) character offsets into text, in text order.", factory=list)
    # Mentions in Article.title (offsets into the title), so a headline-only entity is
    # not lost; always empty for analyze(text).
    title_mentions: list[Span] = doc(
        "[start, end) character offsets into title, so an entity named only in the headline is kept.", factory=list
    )


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

    text: str = doc("What was said: exactly text[start:end].")
    start: int = doc(minimum=0)
    end: int = doc(minimum=0)
    kind: str = doc(enum=list(QUOTE_KINDS))
    cue: str | None = doc("The verb or phrase that attributes it (said, told, according to).", default=None)
    speaker: str | None = doc(
        "Canonical entity name when resolvable, else the speaker phrase as written, else null (unknown).", default=None
    )
    speaker_entity: int | None = doc("Index of the speaker in entities.", default=None, minimum=0)
    speaker_span: Span | None = doc(
        "[start, end) of the speaker phrase in text (a pronoun or role phrase when that is what the text says).",
        default=None,
    )
    family: str = doc(
        'speech (said, told, according to, a colon, a transcript label, a block quote) or stance (belief, intention, '
        'evidence, naming: think, want, decide, show, call X Y; and a bare noun-phrase object: "emphasizing the '
        'region\'s significance").',
        default="speech", enum=list(QUOTE_FAMILIES),
    )


@dataclass(slots=True)
class Source:
    """Where the record was read from."""

    path: str | None = doc('The file read: a page, a crawl file, "-" for stdin; null for in-memory input.', default=None)
    format: str = doc("How the page was read: html, or text (a text dump, a WET conversion record).", default="html",
                      enum=list(SOURCE_FORMATS))
    compression: str | None = doc("How the page bytes were compressed (a .gz file, or HTTP Content-Encoding).",
                                  default=None, enum=[*COMPRESSIONS, None])
    locator: str | None = doc(
        "Where exactly: the path for a page file, PATH@OFFSET for a record of a crawl file (the byte offset "
        "where its WARC/ARC record starts).", default=None)


@dataclass(slots=True)
class Article:
    """One extracted page. ``id`` names the publication (see ``record_id``)."""

    id: str = doc(
        "The record's identity: the first 16 hex digits of SHA-256 over its identity URL (the canonical URL, else "
        "the fetched URL, normalised), or for a page without any URL the text_hash.", pattern="^[0-9a-f]{16}$")
    text: str = doc("Main text. Paragraphs separated by one blank line; headings and list items are paragraphs of their own.")
    url: str | None = doc("The URL the page was fetched from, when known (--url, the WARC-Target-URI, or the page's own og:url).",
                          default=None)
    canonical_url: str | None = doc("The page's declared canonical URL (link rel=canonical, og:url), absolute.", default=None)
    site: str | None = doc("Registered domain of the page, e.g. rt.com.", default=None)
    site_name: str | None = doc("Human name of the site (og:site_name, publisher name).", default=None)
    title: str | None = doc(default=None)
    description: str | None = doc("The page's own summary (meta description, og:description).", default=None)
    authors: list[str] = doc("Person or organisation names; never roles, e-mails, 'Staff' or relative times.", factory=list)
    published: str | None = doc("ISO 8601 publication time; carries a UTC offset only when the page gives one.", default=None)
    modified: str | None = doc("ISO 8601 last-modified time, same rules as published.", default=None)
    fetched: str | None = doc(
        "ISO 8601 UTC time the page was fetched (a crawl record's WARC-Date); never a guess at published.", default=None)
    language: str | None = doc("ISO 639-1 code.", default=None, pattern="^[a-z]{2}$")
    related: list[RelatedLink] = doc("Cross-promotions and related-story links. Never part of text.", factory=list)
    tags: list[str] = doc(factory=list)
    page_type: str = doc("What kind of page: article, listing, front (a home page) or other.", default="article",
                         enum=list(PAGE_TYPES))
    page_score: float = doc(
        "Probability that the page is an article, from the page-type model (page_type is article from 0.5).",
        default=1.0, minimum=0, maximum=1)
    word_count: int = doc(default=0, minimum=0)
    text_hash: str = doc(
        "First 16 hex digits of SHA-256 over the normalised text (NFKC, case-folded, whitespace collapsed): "
        "equal for exact copies at different URLs.", default="", pattern="^[0-9a-f]{16}$")
    source: Source = doc(factory=Source)
    warnings: list[str] = doc("What the extractor was unsure of, as short stable phrases.", factory=list)
    entities: list[Entity] = doc(
        "People, organisations and places in text, each mention of the same one merged under a canonical name. "
        "Empty when enriched is false.", factory=list)
    quotes: list[Quote] = doc(
        "Who said what: direct, partial, indirect (reported) and block quotes, in text order. "
        "Empty when enriched is false.", factory=list)
    enriched: bool = doc("Whether entities and quotes were computed for this record.", default=False)
    stages: dict[str, int] = doc(
        "The version of each processing stage this record went through (extract, enrich, …): newsdesk reprocess "
        "re-runs a stage whose version is newer.", factory=dict)
    origin: str | None = doc(
        "Set by the archive: the id of the origin of this article's copy group (its earliest published member; the "
        "article's own id when it is the origin); null when no stored article copies it or is copied by it.",
        default=None, pattern="^[0-9a-f]{16}$")
    story: int | None = doc(
        "Set by the archive: the id of the story (the same event across outlets) this article is in.", default=None)
    schema_version: str = doc(default=SCHEMA_VERSION)

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
        data["stages"] = dict(data.get("stages") or {})
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
    """The text hash: the first 16 hex digits of SHA-256 over the normalised text.

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


def record_id(identity_url: str | None, text_hash: str) -> str:
    """A record's id: one publication, named by its identity URL (``urls.identity_url``)
    when it has one — the same text at two URLs is two records — else by its text hash."""
    if identity_url:
        return hashlib.sha256(("url " + identity_url).encode("utf-8")).hexdigest()[:16]
    return text_hash


def identify(article: Article) -> str:
    """Set (and return) ``article.id`` from what names it — its identity URL, else its text
    hash (computed if missing) — the one definition the extractor and the archive share."""
    from .urls import identity_url

    if not article.text_hash:
        basis = article.text if article.text.strip() else f"{article.title or ''}\n{article.canonical_url or article.url or ''}"
        article.text_hash = text_id(basis)
    article.id = record_id(identity_url(article.canonical_url, article.url), article.text_hash)
    return article.id


def json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Article.to_dict()``, as shipped in the package (derived from the
    dataclasses by ``newsdesk.schema.record_json_schema``; a test keeps the two equal)."""
    ref = resources.files("newsdesk") / "data" / "article.schema.json"
    return json.loads(ref.read_text(encoding="utf-8"))
