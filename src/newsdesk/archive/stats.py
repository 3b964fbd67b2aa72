"""What the archive holds: counts per site and per month of publication."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .db import Connection


@dataclass(slots=True)
class Stats:
    total: int
    sites: list[tuple[str | None, int]] = field(default_factory=list)  # most articles first
    months: list[tuple[str | None, int]] = field(default_factory=list)  # "YYYY-MM", oldest first; None = undated

    def rows(self) -> list[dict[str, Any]]:
        """Flat rows for JSON Lines / tables: ``{"by": "site"|"month", "key": …, "articles": n}``."""
        out: list[dict[str, Any]] = [{"by": "total", "key": None, "articles": self.total}]
        out += [{"by": "site", "key": k, "articles": n} for k, n in self.sites]
        out += [{"by": "month", "key": k, "articles": n} for k, n in self.months]
        return out


def stats(conn: Connection) -> Stats:
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    sites = conn.execute(
        "SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY n DESC, site IS NULL, site"
    ).fetchall()
    months = conn.execute(
        "SELECT substr(published, 1, 7) AS month, count(*) AS n FROM articles "
        "GROUP BY month ORDER BY month NULLS LAST"
    ).fetchall()
    return Stats(total=total, sites=[(r[0], r[1]) for r in sites], months=[(r[0], r[1]) for r in months])


__all__ = ["Stats", "stats"]
