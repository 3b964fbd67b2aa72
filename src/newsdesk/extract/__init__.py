"""Page in, Article out. ``extract`` picks the HTML or the text-dump extractor."""

from __future__ import annotations

from typing import Literal

from ..errors import UsageError
from ..model import Article, Source
from ..read.decode import cap_nesting, decode, finish, gunzip, is_gzip, sniff_kind
from ..read.raw import RawPage
from .hints import fill

Kind = Literal["auto", "html", "text"]


def extract(
    content: str | bytes | RawPage,
    *,
    url: str | None = None,
    kind: Kind = "auto",
    source: str | None = None,
) -> Article:
    """Extract one article from a page.

    ``content`` is the page as ``str``, raw ``bytes`` (gzip is inflated, the encoding
    detected) or a ``RawPage`` from a reader (``newsdesk.read_pages``), whose URL, HTTP
    charset, fetch time and locator then go into the record. ``kind`` forces ``"html"``
    or ``"text"``; ``"auto"`` decides from the content (a WET record is always text).
    ``source`` names the input in errors and in ``Article.source.path``.
    Raises an ``InputError`` subclass for input that is not a readable page.
    """
    if kind not in ("auto", "html", "text"):
        raise UsageError(f"kind must be 'auto', 'html' or 'text', not {kind!r}")
    declared = fetched = locator = compression = None
    hints: dict[str, object] = {}
    if isinstance(content, RawPage):
        raw = content
        hints = raw.hints
        url = url or raw.url
        source = source or raw.path
        locator, fetched, declared, compression = raw.locator, raw.fetched, raw.charset, raw.compression
        if kind == "auto":
            kind = raw.kind
        content = raw.content
    if isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
        where = locator or source
        if is_gzip(data):
            data = gunzip(data, source=where)
            compression = compression or "gzip"
        text = decode(data, source=where, declared=declared)
    elif isinstance(content, str):
        text = finish(content, locator or source)
    else:
        raise UsageError(f"content must be str, bytes or a RawPage, not {type(content).__name__}")
    if kind == "auto":
        kind = sniff_kind(text)
    src = Source(path=source, format=kind, compression=compression, locator=locator or source)
    if kind == "html":
        from .html import extract_html

        # Bound the parser's quadratic worst case (see read.decode.MAX_NESTING).
        text, capped = cap_nesting(text)
        article = extract_html(text, url=url, source=src)
        if capped:
            article.warnings.append("nesting capped")
    else:
        from .text import extract_text

        article = extract_text(text, url=url, source=src)
    article.fetched = fetched
    return fill(article, hints) if hints else article


__all__ = ["extract", "Kind"]
