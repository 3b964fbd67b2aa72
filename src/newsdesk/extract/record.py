"""Turn what an extractor found into a finished Article: id, site, word count, language."""

from __future__ import annotations

from ..model import Article, RelatedLink, Source, count_words, identify
from ..urls import registered_domain
from . import language as lang


def build_article(
    *,
    text: str,
    source: Source,
    url: str | None = None,
    canonical_url: str | None = None,
    site: str | None = None,
    site_name: str | None = None,
    title: str | None = None,
    description: str | None = None,
    authors: list[str] | None = None,
    published: str | None = None,
    modified: str | None = None,
    language: str | None = None,
    related: list[RelatedLink] | None = None,
    tags: list[str] | None = None,
    page_type: str = "article",
    page_score: float = 1.0,
    warnings: list[str] | None = None,
) -> Article:
    warnings = list(warnings or [])
    site = registered_domain(canonical_url) or registered_domain(url) or site
    if language is None:
        language = lang.detect(text or title or "")
    if not text.strip():
        warnings.append("no main text found")
    article = Article(
        id="",
        text=text,
        url=url,
        canonical_url=canonical_url,
        site=site,
        site_name=site_name,
        title=title,
        description=description,
        authors=list(authors or []),
        published=published,
        modified=modified,
        language=language,
        related=list(related or []),
        tags=list(tags or []),
        page_type=page_type,
        page_score=round(page_score, 4),
        word_count=count_words(text),
        source=source,
        warnings=warnings,
    )
    # An empty text still needs a stable hash: identify() falls back to title + url.
    identify(article)
    return article
