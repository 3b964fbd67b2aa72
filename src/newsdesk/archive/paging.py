"""Pages of a list: how deep a list may be paged, and what a page says about the whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UsageError

# Counting every quote matching broad filters costs a row visit each: past this many the
# quotes page stops counting and reports "more than COUNT_CAP" (``total_exact`` False).
COUNT_CAP = 10_000
# Deepest row a list pages to. OFFSET walks the rows it skips, so page 5,000 of a broad
# list would cost what page 1 of it costs 5,000 times; nobody reads that far — narrow it.
MAX_OFFSET = 10_000


@dataclass(frozen=True, slots=True)
class Paged:
    """One page of a list. ``total`` is exact unless ``total_exact`` is False (then it is
    a lower bound: the count stopped at COUNT_CAP)."""

    items: list[Any]
    total: int
    page: int
    per_page: int
    total_exact: bool = True
    order: str | None = None  # for article lists: "relevance" or "newest"

    @property
    def pages(self) -> int:
        last = max(1, -(-self.total // self.per_page))
        return min(last, MAX_OFFSET // self.per_page + 1)


def offset(page: int, per_page: int) -> int:
    """The first row of ``page``; UsageError for page 0 or a page past MAX_OFFSET."""
    if page < 1:
        raise UsageError(f"page must be 1 or more, not {page}")
    first = (page - 1) * per_page
    if first > MAX_OFFSET:
        raise UsageError(f"page {page} is too deep (lists page to row {MAX_OFFSET:,}); narrow the search instead")
    return first


def where(clauses: list[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


__all__ = ["Paged", "offset", "where", "COUNT_CAP", "MAX_OFFSET"]
