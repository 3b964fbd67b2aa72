"""The local web app behind ``newsdesk serve``: search, articles, entities, quotes, sources.

    >>> from newsdesk.web import create_app
    >>> app = create_app("news.db")      # a FastAPI (ASGI) app; the archive is opened read-only
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
