"""Page in, Article out. ``extract`` picks the HTML or the text-dump extractor."""

from __future__ import annotations

from typing import Literal

from ..errors import UsageError
from ..model import Article, Source
from ..read.decode import cap_nesting, decode, finish, gunzip, is_gzip, sniff_kind

Kind = Literal["auto", "html", "text"]


def extract(
    content: str | bytes,
    *,
    url: str | None = None,
    kind: Kind = "auto",
    source: str | None = None,
) -> Article:
    """Extract one article from a page.

    ``content`` is the page as ``str`` or raw ``bytes`` (gzip is inflated, the encoding
    detected). ``kind`` forces ``"html"`` or ``"text"``; ``"auto"`` decides from the content.
    ``source`` names the input in errors and in ``Article.source.path``.
    Raises an ``InputError`` subclass for input that is not a readable page.
    """
    if kind not in ("auto", "html", "text"):
        raise UsageError(f"kind must be 'auto', 'html' or 'text', not {kind!r}")
    compression = None
    if isinstance(content, (bytes, bytearray, memoryview)):
        data = bytes(content)
        if is_gzip(data):
            data = gunzip(data, source=source)
            compression = "gzip"
        text = decode(data, source=source)
    elif isinstance(content, str):
        text = finish(content, source)
    else:
        raise UsageError(f"content must be str or bytes, not {type(content).__name__}")
    if kind == "auto":
        kind = sniff_kind(text)
    src = Source(path=source, format=kind, compression=compression)
    if kind == "html":
        from .html import extract_html

        # Bound the parser's quadratic worst case (see read.decode.MAX_NESTING).
        text, capped = cap_nesting(text)
        article = extract_html(text, url=url, source=src)
        if capped:
            article.warnings.append("nesting capped")
        return article
    from .text import extract_text

    return extract_text(text, url=url, source=src)


__all__ = ["extract", "Kind"]
