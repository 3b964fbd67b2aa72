"""Enrich: people, organisations, places and quotes in clean text.

    >>> from newsdesk import analyze
    >>> result = analyze("“We will help,” Fathi Bashagha said.")
    >>> result.quotes[0].speaker
    'Fathi Bashagha'

``analyze`` works on text that is already clean; ``enrich`` fills in an ``Article``'s
``entities`` and ``quotes`` (offsets into ``article.text``). Both load the spaCy English
pipeline on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Entity, Quote
from .entities import EntityIndex, find_entities
from .nlp import MAX_CHARS, parse_many
from .quotes import find_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..model import Article


@dataclass(slots=True)
class Analysis:
    """Entities and quotes of one text; every offset indexes that exact string."""

    text: str
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    truncated: bool = False  # the text was longer than nlp.MAX_CHARS; the rest is not analysed


def analyze_doc(doc: Doc) -> tuple[list[Entity], list[Quote]]:
    """Entities and quotes of an already parsed Doc (parsed by ``nlp.pipeline()``)."""
    index: EntityIndex = find_entities(doc)
    quotes = find_quotes(doc, index)
    return index.entities, quotes


def analyze_many(texts: Iterable[str], *, batch_size: int = 16) -> Iterator[Analysis]:
    texts = list(texts)
    for text, doc in zip(texts, parse_many(texts, batch_size=batch_size)):
        entities, quotes = analyze_doc(doc)
        yield Analysis(text, entities, quotes, len(text) > MAX_CHARS)


def analyze(text: str) -> Analysis:
    """Entities and quotes in ``text`` (clean text: no extraction step is run)."""
    if not isinstance(text, str):
        raise TypeError(f"analyze() takes a str, not {type(text).__name__}")
    return next(analyze_many([text]))


def _title_and_text(article: Article) -> tuple[str, int]:
    """The string an article is parsed as: its title, a blank line, its text.

    Headline-only entities (a story whose body never repeats "the Pentagon") are kept
    as ``title_mentions``; returns the string and the offset where ``text`` starts.
    """
    title = (article.title or "").strip()
    if not title or article.text.startswith(title):
        return article.text, 0
    head = title.replace("\n", " ") + "\n\n"
    return head + article.text, len(head)


def _split_title(result: Analysis, offset: int) -> tuple[list[Entity], list[Quote]]:
    """Entities and quotes of title+text turned into offsets into text (and title)."""
    if offset == 0:
        return result.entities, result.quotes
    entities: list[Entity] = []
    renumber: dict[int, int] = {}
    for i, ent in enumerate(result.entities):
        body = [(s - offset, e - offset) for s, e in ent.mentions if s >= offset]
        head = [(s, e) for s, e in ent.mentions if e <= offset]
        if body or head:
            renumber[i] = len(entities)
            entities.append(Entity(ent.name, ent.label, body, head))
    quotes: list[Quote] = []
    for q in result.quotes:
        if q.start < offset:  # a quote inside the headline has no offsets into text
            continue
        span = q.speaker_span
        if span is not None:
            span = (span[0] - offset, span[1] - offset) if span[0] >= offset else None
        who = renumber.get(q.speaker_entity) if q.speaker_entity is not None else None
        quotes.append(Quote(q.text, q.start - offset, q.end - offset, q.kind, q.cue, q.speaker, who, span, q.family))
    return entities, quotes


def enrich_many(articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[Article]:
    """Each article with ``entities``, ``quotes`` and ``enriched`` filled in (in place).

    Offsets index ``article.text``; entities named in the title carry ``title_mentions``.
    """
    articles = list(articles)
    todo = [english(a) for a in articles]
    inputs = [_title_and_text(a) for a, ok in zip(articles, todo) if ok]
    parsed = zip(inputs, analyze_many([s for s, _ in inputs], batch_size=batch_size))
    for article, ok in zip(articles, todo):
        if ok:
            (_, offset), result = next(parsed)
            article.entities, article.quotes = _split_title(result, offset)
            if result.truncated and "enrichment truncated" not in article.warnings:
                article.warnings.append("enrichment truncated")
            article.warnings = [w for w in article.warnings if w != SKIPPED_LANGUAGE]
        else:
            article.entities, article.quotes = [], []
            if SKIPPED_LANGUAGE not in article.warnings:
                article.warnings.append(SKIPPED_LANGUAGE)
        article.enriched = True
        yield article


# The pipeline is English: a text in another language is not analysed (its entities and
# quotes would be noise) and the record says so in ``warnings``. Decided on the text itself
# (the extractor's language detector), not the page's declared language: of the 181 Zyte dev
# pages, 2 declared "de" are English and 2 declared "en" are German. Skipping the 20 the
# text detector calls non-English: spaCy 28.9 s -> 22.5 s on one core.
SKIPPED_LANGUAGE = "enrichment skipped: not English"


def english(article: Article) -> bool:
    """Whether ``article`` is English enough to enrich: its text's detected language is
    English, or the text is too short (or too mixed) to say."""
    from ..extract.language import detect

    return detect(article.text) in (None, "en")


def enrich(article: Article) -> Article:
    return next(enrich_many([article]))


__all__ = ["analyze", "analyze_many", "analyze_doc", "enrich", "enrich_many", "english", "Analysis", "SKIPPED_LANGUAGE"]
