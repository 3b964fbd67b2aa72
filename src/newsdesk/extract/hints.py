"""What a feed or a sitemap said about a page, filled into the fields the page leaves empty.

A feed entry's title, date, authors and language are a second opinion: the page's own
metadata is what the outlet published on the page, so it always wins; the listing only
fills gaps (a page without a byline, a date line the extractor could not read).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..model import Article

_LANGUAGE = re.compile(r"^[a-z]{2}$")


def fill(article: Article, hints: Mapping[str, Any]) -> Article:
    """``article`` with its empty ``title``, ``published``, ``authors`` and ``language``
    taken from ``hints`` (values of the wrong shape are ignored)."""
    if not hints:
        return article
    title = hints.get("title")
    if not article.title and isinstance(title, str) and title.strip():
        article.title = " ".join(title.split())
    published = hints.get("published")
    if not article.published and isinstance(published, str) and published.strip():
        article.published = published.strip()
    authors = hints.get("authors")
    if not article.authors and isinstance(authors, (list, tuple)):
        article.authors = [a.strip() for a in authors if isinstance(a, str) and a.strip()]
    language = hints.get("language")
    if not article.language and isinstance(language, str) and _LANGUAGE.match(language):
        article.language = language
    return article


__all__ = ["fill"]
