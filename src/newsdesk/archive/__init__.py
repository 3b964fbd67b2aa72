"""The SQLite archive: schema and migrations (db), storing (store), search, stats, export."""

from __future__ import annotations

from .people import EntityCount, QuoteHit
from .search import SearchHit
from .stats import Stats
from .store import AddResult, Archive, BatchWriter

__all__ = ["Archive", "BatchWriter", "AddResult", "SearchHit", "Stats", "QuoteHit", "EntityCount"]
