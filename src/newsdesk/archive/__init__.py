"""The SQLite archive: schema and migrations (db), storing (store), search, stats, export."""

from __future__ import annotations

from .search import SearchHit
from .stats import Stats
from .people import EntityCount, QuoteHit
from .store import AddResult, Archive

__all__ = ["Archive", "AddResult", "SearchHit", "Stats", "QuoteHit", "EntityCount"]
