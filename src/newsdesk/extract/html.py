"""HTML page → Article. (Placeholder: whole-body text; the real extractor replaces this.)"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from ..model import Article, Source
from .record import build_article


def extract_html(html: str, *, url: str | None = None, source: Source) -> Article:
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    body = tree.body
    text = body.text(separator="\n\n", strip=True) if body is not None else ""
    return build_article(text=text, source=source, url=url, title=title_node.text(strip=True) if title_node else None)
