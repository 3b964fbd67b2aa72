"""What kind of page this is: "article", "listing", "front" or "other"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .metadata import ARTICLE_TYPES, LISTING_TYPES

# Structured types of pages that are neither stories nor lists of stories.
OTHER_TYPES = frozenset(
    "product productgroup offer discussionforumposting qapage faqpage softwareapplication webapplication "
    "mobileapplication course service event jobposting profilepage aboutpage contactpage store localbusiness".split()
)

# A root path, or a bare language/edition prefix ("/en/", "/uk", "/index.html").
_FRONT_PATH = re.compile(r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.\w+|home/?)?$", re.I)
_LISTING_PATH = re.compile(r"/(?:tags?|topics?|category|categories|section|sections|archives?|authors?|search|page/\d+)(?:/|$)", re.I)
# Structure thresholds, chosen on wcxb-dev page_type labels (listing vs article): a page whose
# chosen text is under ~600 characters while it shows 15+ mostly-linked teaser blocks reads
# as a listing.
LISTING_MAX_PROSE = 600
LISTING_MIN_LINK_BLOCKS = 15


def page_type(
    *,
    url: str | None,
    og_type: str | None,
    ld_types: set[str],
    prose_chars: int,
    link_blocks: int,
    paragraphs: int,
) -> str:
    path = urlsplit(url).path if url and "//" in url else None
    if path is not None and _FRONT_PATH.match(path) and not (ld_types & ARTICLE_TYPES):
        return "front"
    og = (og_type or "").strip().lower()
    is_article = og == "article" or og.startswith("article") or bool(ld_types & ARTICLE_TYPES)
    if is_article and prose_chars >= 200:
        return "article"
    if ld_types & LISTING_TYPES:
        return "listing"
    if og in ("product", "profile", "book", "music.song", "video.other") or (ld_types & OTHER_TYPES and not is_article):
        return "other"
    if path is not None and _LISTING_PATH.search(path):
        return "listing"
    if prose_chars < LISTING_MAX_PROSE and link_blocks >= LISTING_MIN_LINK_BLOCKS:
        return "listing"
    if is_article or prose_chars >= 1000 or (prose_chars >= 400 and paragraphs >= 3):
        return "article"
    if og == "website" and path is not None and _FRONT_PATH.match(path):
        return "front"
    return "other"
