"""What kind of page this is: "article", "listing", "front" or "other".

Article or not is a logistic model over cheap signals the extractor already has: structured
types, URL shape and words, the share of prose against links, forms, prices and code on the
page, bylines and dates. Its weights and URL word groups live in ``data/pagetype.json``
(trained by ``scripts/train_pagetype.py``). A page that is not an article is then told apart
as a listing, a front page or something else by structured types, URL shape and link density.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .metadata import ARTICLE_TYPES, LISTING_TYPES

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser

    from .content import Walk

# Structured types of pages that are neither stories nor lists of stories.
OTHER_TYPES = frozenset(
    "product productgroup offer discussionforumposting qapage faqpage softwareapplication webapplication "
    "mobileapplication course service event jobposting profilepage aboutpage contactpage store localbusiness".split()
)

# A root path, or a bare language/edition prefix ("/en/", "/uk", "/index.html").
_FRONT_PATH = re.compile(r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:index\.\w+|home/?)?$", re.I)
_LISTING_PATH = re.compile(r"/(?:tags?|topics?|category|categories|section|sections|archives?|authors?|search|page/\d+)(?:/|$)", re.I)
_URL_DATE = re.compile(r"/(?:19|20)\d\d[/-]\d\d?[/-]")
_URL_TOKEN = re.compile(r"[/._\-?=&+%]+")
_PRICE = re.compile(r"[$€£¥]\s?\d|\d\s?(?:€|EUR|USD)\b")
# Structure thresholds, chosen on wcxb-dev page_type labels (listing vs article): a page whose
# chosen text is under ~600 characters while it shows 15+ mostly-linked teaser blocks reads
# as a listing.
LISTING_MAX_PROSE = 600
LISTING_MIN_LINK_BLOCKS = 15
# Elements counted for the model, in one selector pass.
_COUNTED = "article, form, input, pre, code, table, h2, li, blockquote"

FEATURES = (
    "og_article", "ld_article", "ld_other", "ld_listing", "og_website", "dated", "url_date", "author",
    "authors3", "log_prose", "log_paragraphs", "log_link_blocks", "link_share", "prose_share", "log_prices",
    "log_inputs", "log_forms", "log_code", "log_articles", "log_times", "url_depth", "log_slug_words",
    "url_query", "url_root", "log_h2", "log_li", "log_table", "log_blockquote",
)


@dataclass(frozen=True, slots=True)
class _Model:
    groups: dict[str, frozenset[str]]
    names: tuple[str, ...]
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    bias: float
    threshold: float
    articles_only: float


@lru_cache(maxsize=1)
def _model() -> _Model:
    ref = resources.files("newsdesk") / "data" / "pagetype.json"
    d = json.loads(ref.read_text(encoding="utf-8"))
    groups = {k: frozenset(v) for k, v in d["url_groups"].items()}
    m = d["model"]
    return _Model(groups, tuple(m["features"]), tuple(m["weights"]), tuple(m["mean"]), tuple(m["scale"]),
                  m["bias"], d["threshold"], d["articles_only_threshold"])


def articles_only_threshold() -> float:
    """The article probability from which ``--articles-only`` keeps a page: lower than the
    page_type threshold, so that at most 2% of true articles are dropped (see pagetype.json)."""
    return _model().articles_only


def url_groups() -> dict[str, frozenset[str]]:
    return _model().groups


@dataclass(slots=True)
class PageSignals:
    """What the model reads off one page."""

    url: str | None
    og_type: str
    ld_types: set[str]
    prose_chars: int
    paragraphs: int
    link_blocks: int
    text_chars: int
    link_chars: int
    prices: int
    times: int
    authors: int
    dated: bool
    counts: dict[str, int]


def signals(
    tree: LexborHTMLParser, w: Walk, *, url: str | None, og_type: str | None, ld_types: set[str],
    prose_chars: int, paragraphs: int, link_blocks: int, authors: int, dated: bool,
) -> PageSignals:
    counts: dict[str, int] = {}
    for node in tree.css(_COUNTED):
        tag = node.tag or ""
        counts[tag] = counts.get(tag, 0) + 1
    text = link = prices = 0
    for b in w.blocks:
        text += len(b.text)
        link += b.link_chars
        if "$" in b.text or "€" in b.text or "£" in b.text or "¥" in b.text or "EUR" in b.text or "USD" in b.text:
            prices += len(_PRICE.findall(b.text))
    return PageSignals(url, (og_type or "").strip().lower(), ld_types, prose_chars, paragraphs, link_blocks,
                       text, link, prices, len(w.times), authors, dated, counts)


def features(s: PageSignals) -> list[float]:
    """The model's inputs, in ``FEATURES`` order, then one 0/1 per URL word group."""
    parts = urlsplit(s.url) if s.url and "//" in s.url else None
    path = parts.path if parts else ""
    segs = [x for x in path.split("/") if x]
    last = segs[-1] if segs else ""
    host = (parts.hostname or "") if parts else ""
    toks = {t for t in _URL_TOKEN.split(path.lower()) if t} | set(host.split(".")[:-2])
    c = s.counts
    total = max(1, s.text_chars)
    lg = math.log1p
    f = [
        s.og_type.startswith("article"), bool(s.ld_types & ARTICLE_TYPES), bool(s.ld_types & OTHER_TYPES),
        bool(s.ld_types & LISTING_TYPES), s.og_type == "website", s.dated, bool(_URL_DATE.search(path)),
        s.authors > 0, s.authors >= 3, lg(s.prose_chars), lg(s.paragraphs), lg(s.link_blocks), s.link_chars / total,
        s.prose_chars / total, lg(s.prices), lg(c.get("input", 0)), lg(c.get("form", 0)),
        lg(c.get("pre", 0) + c.get("code", 0)), lg(c.get("article", 0)), lg(s.times), len(segs), lg(last.count("-")),
        bool(parts and parts.query), parts is not None and not segs, lg(c.get("h2", 0)), lg(c.get("li", 0)),
        lg(c.get("table", 0)), lg(c.get("blockquote", 0)),
    ]
    f += [bool(toks & g) for g in url_groups().values()]
    return [float(x) for x in f]


def article_probability(s: PageSignals) -> float:
    m = _model()
    z = m.bias
    for x, w, mu, sd in zip(features(s), m.weights, m.mean, m.scale):
        z += w * (x - mu) / sd
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def page_type(s: PageSignals) -> tuple[str, float]:
    """The page's type and the model's probability that it is an article."""
    p = article_probability(s)
    return _kind(s, p), p


def _kind(s: PageSignals, p: float) -> str:
    if p >= _model().threshold:
        return "article"
    path = urlsplit(s.url).path if s.url and "//" in s.url else None
    if path is not None and _FRONT_PATH.match(path):
        return "front"
    if s.ld_types & LISTING_TYPES:
        return "listing"
    if s.og_type in ("product", "profile", "book", "music.song", "video.other") or s.ld_types & OTHER_TYPES:
        return "other"
    if path is not None and _LISTING_PATH.search(path):
        return "listing"
    if s.prose_chars < LISTING_MAX_PROSE and s.link_blocks >= LISTING_MIN_LINK_BLOCKS:
        return "listing"
    if s.counts.get("article", 0) >= 5:
        return "listing"
    return "other"
