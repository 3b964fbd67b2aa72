"""What became of each input: one typed outcome per page or record, counted one way.

Every reader, stage and writer says what happened to an input as an ``Outcome``: it was
stored, updated, already present, skipped for a reason ("revisit", "not html", "other
site", …) or failed with an error code. ``Report`` counts them; its summary line is what
``ingest``, ``extract``, ``enrich`` and ``reprocess`` print.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Article


class Status(str, Enum):
    DONE = "done"  # an article was made and handed on (extract prints it; a writer will store it)
    STORED = "stored"  # a new record
    UPDATED = "updated"  # an existing record replaced
    UNCHANGED = "unchanged"  # the same record was already stored
    SKIPPED = "skipped"  # deliberately not stored: see the reason
    FAILED = "failed"  # could not be read or processed: see the code and message


# Skip reasons, as the summary writes them (plural forms for counts other than one).
REVISIT = "revisit"
REDIRECT = "redirect"
HTTP_ERROR = "error"  # 4xx and 5xx, and any other status than 200
NOT_HTML = "not html"
NO_TEXT = "no main text"
NOT_ARTICLE = "not an article"
OTHER_SITE = "other site"
OTHER_LANGUAGE = "other language"
LISTING = "listing"  # robots.txt, a feed or a sitemap: read for its links, not stored
_PLURAL = {
    LISTING: "listings",
    REVISIT: "revisits",
    REDIRECT: "redirects",
    HTTP_ERROR: "errors",
    "request": "requests",
    "warcinfo": "warcinfo",
    "metadata": "metadata",
    "too large": "too large",
    "other record": "other records",
    NOT_ARTICLE: "not articles",
    OTHER_SITE: "other sites",
    OTHER_LANGUAGE: "other languages",
}


@dataclass(slots=True)
class Outcome:
    """One input's fate. ``locator`` names it (a path, ``crawl.warc.gz@1234``, an id);
    ``reason`` is the skip reason, or for a failure the one-line message naming the input;
    ``code`` the failure's stable error code. ``warning`` notes a problem that did not stop
    the record from being stored (an article that could not be enriched)."""

    locator: str
    status: Status
    article: Article | None = None
    reason: str | None = None
    code: str | None = None
    warning: str | None = None
    # What workers computed for the archive's cross-article stages (``{"copies":
    # Signature}``): consumed by the writer, never part of the record.
    signals: dict[str, Any] | None = None

    @classmethod
    def failed(cls, locator: str, message: str, code: str) -> Outcome:
        return cls(locator, Status.FAILED, reason=message, code=code)

    @classmethod
    def skipped(cls, locator: str, reason: str) -> Outcome:
        return cls(locator, Status.SKIPPED, reason=reason)


@dataclass(slots=True)
class Report:
    """Counts of a run's outcomes, and its summary line.

    ``read`` counts the pages and records that were candidates for a record (skipped ones
    included, a crawl file's request and metadata records too); ``failed`` is what makes
    the exit code 3.
    """

    statuses: Counter[Status] = field(default_factory=Counter)
    skips: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    warnings: int = 0

    def count(self, outcome: Outcome) -> None:
        self.statuses[outcome.status] += 1
        if outcome.status is Status.SKIPPED:
            self.skips[outcome.reason or "skipped"] += 1
        elif outcome.status is Status.FAILED:
            self.codes[outcome.code or "error"] += 1
        if outcome.warning:
            self.warnings += 1

    @property
    def read(self) -> int:
        return sum(self.statuses.values())

    @property
    def failed(self) -> int:
        return self.statuses[Status.FAILED]

    @property
    def skipped(self) -> int:
        return self.statuses[Status.SKIPPED]

    def __getitem__(self, status: Status) -> int:
        return self.statuses[status]

    def merge(self, other: Report) -> None:
        self.statuses.update(other.statuses)
        self.skips.update(other.skips)
        self.codes.update(other.codes)
        self.warnings += other.warnings

    # The counts by the names the summary line uses.
    @property
    def added(self) -> int:
        return self.statuses[Status.STORED]

    @property
    def updated(self) -> int:
        return self.statuses[Status.UPDATED]

    @property
    def unchanged(self) -> int:
        return self.statuses[Status.UNCHANGED]

    @property
    def not_article(self) -> int:
        return self.skips[NOT_ARTICLE]

    @property
    def unenriched(self) -> int:
        return self.warnings

    def skip_line(self) -> str:
        """``skipped 12 revisits, 6 not html, 4 redirects`` (most first), or ``""``."""
        if not self.skips:
            return ""
        parts = [f"{n} {reason if n == 1 else _PLURAL.get(reason, reason)}" for reason, n in self.skips.most_common()]
        return "skipped " + ", ".join(parts)

    def summary(self, *, stored: bool = True, redone: str | None = None, warning_label: str = "not enriched") -> str:
        """The one line a run ends with. ``stored`` False: a run that prints records instead
        of storing them (``newsdesk extract``); ``redone``: a run over stored records
        (``enrich``, ``reprocess``), counted as "articles N, <redone> M, failed F"."""
        if redone:
            done = self[Status.STORED] + self[Status.UPDATED] + self[Status.UNCHANGED] - self.warnings
            line = f"articles {self.read}, {redone} {done}, failed {self.failed}"
        elif stored:
            line = (
                f"read {self.read}, added {self[Status.STORED]}, updated {self[Status.UPDATED]}, "
                f"already present {self[Status.UNCHANGED]}, failed {self.failed}"
            )
        else:
            line = f"read {self.read}, extracted {self[Status.DONE]}, failed {self.failed}"
        if self.skips:
            line += f", {self.skip_line()}"
        if self.warnings:
            line += f", {warning_label} {self.warnings}"
        return line


__all__ = ["Status", "Outcome", "Report"]
