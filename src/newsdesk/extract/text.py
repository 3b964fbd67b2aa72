"""Text dump → Article. (Placeholder: every line kept; the real extractor replaces this.)"""

from __future__ import annotations

from ..model import Article, Source
from .record import build_article


def extract_text(dump: str, *, url: str | None = None, source: Source) -> Article:
    paras = [line.strip() for line in dump.splitlines() if line.strip()]
    return build_article(text="\n\n".join(paras), source=source, url=url)
