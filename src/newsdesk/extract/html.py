"""HTML page → Article.

One parse (lexbor), structured data first (JSON-LD, OpenGraph, meta), then one iterative walk
of the body for the main text (``content``), then the record (``record.build_article``).
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from ..model import Article, RelatedLink, Source
from ..urls import absolute, registered_domain
from . import content, metadata, pubdate
from .authors import bare_name_line, clean_authors, is_byline_label, is_credit_line, labelled_anywhere, visible_authors
from .pagetype import page_type, signals
from .record import build_article

# Texts shorter than this many words get a warning: usually a teaser, paywall or listing.
SHORT_TEXT_WORDS = 50
MAX_RELATED = 30


def extract_html(html: str, *, url: str | None = None, source: Source) -> Article:
    tree = LexborHTMLParser(html)
    warnings: list[str] = []
    m = metadata.read_metadata(tree)
    if not m.ld and not m.meta.get("og:title") and not m.meta.get("og:type"):
        warnings.append("no structured data")
    if m.ld_errors:
        warnings.append("unreadable JSON-LD")

    canonical = absolute(metadata.canonical_url(m), url) if (m.canonical or m.meta) else None
    base = url or canonical
    domain = registered_domain(canonical) or registered_domain(url)
    site_name = metadata.site_name(m)
    title, title_from = metadata.choose_title(m, site_name, domain)
    if title_from == "title":
        warnings.append("title from <title> tag")
    elif title is None:
        warnings.append("no title")

    body = tree.body
    w = content.walk(body) if body is not None else content.Walk()
    desc = metadata.description(m)
    anchors = content.find_anchors(w, title, desc)
    content.weigh(w, anchors)
    container = content.choose(w)
    result = content.emit(w, container, title=title)

    start = _headline_block(w, container, anchors)
    published, modified = pubdate.published_date(m, tree, w, start, url or canonical, _container_times(w, container))
    authors = clean_authors(metadata.raw_authors(m))
    if not authors:
        authors = visible_authors(tree, _byline_lines(w, container, anchors))
    # The page-type signal counts only bylines proper: the fallbacks below also name the
    # owners of listings and home pages (wcxb-dev page_type 0.925 with them left out, 0.921 counted).
    byline_count = len(authors)
    if not authors:
        authors = bare_name_line(w.blocks, start) or labelled_anywhere(w.blocks)
    text = "\n\n".join(_without_credits(result.paragraphs, authors))

    related: list[RelatedLink] = []
    seen: set[str] = set()
    for ln in result.related_links:
        href = absolute(ln.href, base) if base else (ln.href if ln.href.startswith(("http://", "https://")) else None)
        key = href or ln.text
        if key in seen or href == canonical:
            continue
        seen.add(key)
        related.append(RelatedLink(title=ln.text, url=href, site=registered_domain(href)))
        if len(related) >= MAX_RELATED:
            break

    ptype, pscore = page_type(signals(
        tree, w,
        url=url or canonical,
        og_type=m.first("og:type"),
        ld_types=m.ld_types,
        prose_chars=result.prose_chars,
        link_blocks=result.link_blocks,
        paragraphs=len(result.paragraphs),
        authors=byline_count,
        dated=published is not None,
    ))
    article = build_article(
        text=text,
        source=source,
        url=url,
        canonical_url=canonical,
        site_name=site_name,
        title=title,
        description=desc,
        authors=authors,
        published=published,
        modified=modified,
        language=metadata.language(m),
        related=related,
        tags=metadata.tags(m),
        page_type=ptype,
        page_score=pscore,
        warnings=warnings,
    )
    if text and article.word_count < SHORT_TEXT_WORDS:
        article.warnings.append(f"text shorter than {SHORT_TEXT_WORDS} words")
    return article


# The head of the text, where bylines and datelines sit: the lines before its first
# paragraph of this many words.
CREDIT_HEAD_WORDS = 20


def _without_credits(paragraphs: list[str], authors: list[str]) -> list[str]:
    """The paragraphs without the byline and dateline lines at the head of the text (the
    metadata holds them)."""
    out = []
    head = True
    for p in paragraphs:
        if head and len(p.split()) >= CREDIT_HEAD_WORDS:
            head = False
        if head and is_credit_line(p, authors):
            continue
        out.append(p)
    return out


def _container_times(w: content.Walk, container: int) -> list[str]:
    """<time datetime> values, those inside or just above the main text first."""
    if container < 0:
        return w.times
    start = w.first_block[container]
    end = w.end_block[container]
    inside = [t for t, b in zip(w.times, w.time_blocks) if start - 10 <= b <= end]
    return inside + [t for t in w.times if t not in inside]


def _headline_block(w: content.Walk, container: int, anchors: list[int]) -> int:
    """The block of the headline (else the main text's first block): bylines sit next to it."""
    heads = [a for a in anchors if w.blocks[a].tag in content.HEADING_TAGS]
    return heads[0] if heads else (w.first_block[container] if container >= 0 else 0)


# Blocks either side of the headline searched for a "By …" line. wcxb-dev articles: bylines
# sit within a few blocks of the headline (as for VISIBLE_DATE_WINDOW).
BYLINE_WINDOW = 8


def _byline_lines(w: content.Walk, container: int, anchors: list[int]) -> list[str]:
    """Short lines around the headline, nearest first: where a visible byline sits."""
    blocks = w.blocks
    if not blocks:
        return []
    heads = [a for a in anchors if blocks[a].tag in content.HEADING_TAGS]
    start = heads[0] if heads else (w.first_block[container] if container >= 0 else 0)
    lo, hi = max(0, start - BYLINE_WINDOW), min(len(blocks), start + BYLINE_WINDOW)

    def line(i: int) -> str:  # "Written by" | "Jane Doe" in two blocks → one byline
        t = blocks[i].text
        return f"{t} {blocks[i + 1].text}" if i + 1 < len(blocks) and is_byline_label(t) else t

    return [line(i) for i in sorted(range(lo, hi), key=lambda i: abs(i - start)) if len(blocks[i].text) <= 120]
