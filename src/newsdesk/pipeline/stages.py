"""The per-article stages of a run, and the task a worker runs over a chunk of inputs.

A stage is a small object with a ``name``, a ``version`` and ``process(batch)``: it takes
the items still going (``Work``) and gives each an article or an outcome. Stages that
change the record (``extract``, ``enrich``; the duplicate and story stages next) record
their version in ``Article.stages``, so ``newsdesk reprocess`` re-runs exactly the stages
whose version is newer than what an article went through. Bump a stage's version when
its output changes.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from .. import outcome as oc
from ..errors import NewsdeskError, PageTimeout
from ..model import Article
from ..outcome import Outcome, Status
from ..read import open_page
from ..read.raw import PageRef
from ..urls import registered_domain
from .pool import WHOLE_CHUNK, beat

# Seconds one page may take in one stage before it is reported as a failure (--time-limit).
# Pages here take milliseconds to extract and well under a second to enrich; a minute is a
# page that will never finish (a pathological regex or parse), not a slow one.
DEFAULT_TIME_LIMIT = 60.0

# Stage versions: bump when a stage's output for the same input changes, so `newsdesk
# reprocess` knows which stored records to redo.
# 2 (extract): CJK line widths and carousel wrappers; 2 (enrich): quotes carry a family;
# 3 (enrich): speakers and attributions of quotations beside cues (PolNeAR dev source
# accuracy 0.891 -> 0.908).
EXTRACT_VERSION = 2
ENRICH_VERSION = 3
LINK_VERSION = 1


# What a run is made of: a page to read, a stored article to reprocess, or an input the
# reader already decided about (it rides along so that outcomes keep their input order).
Item = PageRef | Article | Outcome


@dataclass(slots=True)
class Work:
    """One input on its way through the stages."""

    locator: str
    index: int = 0  # position in the worker's chunk: what the heartbeat names
    ref: PageRef | None = None
    article: Article | None = None
    outcome: Outcome | None = None
    warning: str | None = None
    signals: dict[str, Any] | None = None  # for the archive's cross-article stages

    @classmethod
    def of(cls, item: Item, index: int = 0) -> Work:
        if isinstance(item, Outcome):  # decided already (a skipped crawl record): passes through
            return cls(item.locator, index, outcome=item)
        if isinstance(item, Article):
            return cls(item.source.locator or item.id, index, article=item)
        return cls(item.locator, index, ref=item)

    def fail(self, message: str, code: str) -> None:
        self.outcome = Outcome.failed(self.locator, message, code)

    def skip(self, reason: str) -> None:
        self.outcome = Outcome.skipped(self.locator, reason)

    def finish(self) -> Outcome:
        if self.outcome is not None:
            return self.outcome
        return Outcome(self.locator, Status.DONE, article=self.article, warning=self.warning, signals=self.signals)


class Stage(Protocol):
    """One step of the pipeline. ``version`` 0: a step that does not change the record
    (a filter) and is not recorded."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> int: ...

    def process(self, batch: list[Work], *, time_limit: float | None) -> None: ...


@contextmanager
def deadline(seconds: float | None, locator: str) -> Iterator[None]:
    """Raise PageTimeout in this block after ``seconds`` (SIGALRM; the main thread only —
    elsewhere, and for a hang inside C code, the worker pool's watchdog is the bound)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise PageTimeout(f"took longer than {seconds:g} s (the per-page time limit)", source=locator)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def guarded(work: Work, time_limit: float | None, step: Callable[[], None]) -> None:
    """Run ``step`` for one item: a bad input, a timeout or a bug becomes that item's
    failure (a one-line message naming it), never the end of the run."""
    beat(work.index, time_limit)
    try:
        with deadline(time_limit, work.locator):
            step()
    except NewsdeskError as exc:
        work.fail(str(exc) if exc.source else f"{work.locator}: {exc}", exc.code)
    except Exception as exc:  # an extractor bug must not end a 100k-page run
        work.fail(f"{work.locator}: internal error ({type(exc).__name__}: {exc})", "internal")


@dataclass(frozen=True, slots=True)
class Extract:
    """Read the page (in this worker) and extract its article."""

    url: str | None = None  # the page's URL when the caller knows it (`extract --url`)
    name: str = "extract"
    version: int = EXTRACT_VERSION

    def process(self, batch: list[Work], *, time_limit: float | None) -> None:
        from ..extract import extract

        for work in batch:
            ref = work.ref
            if ref is None:
                continue  # a stored article being reprocessed: nothing to read

            def step(work: Work = work, ref: PageRef = ref) -> None:
                raw = open_page(ref)
                work.article = extract(raw, url=self.url or raw.url)

            guarded(work, time_limit, step)
            if work.article is not None:
                work.article.stages[self.name] = self.version


@dataclass(frozen=True, slots=True)
class Select:
    """Which articles a run keeps: every page with main text, narrowed by site, language
    and (for crawls) article pages only. Not recorded: it changes no record."""

    sites: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    articles_only: bool = False
    name: str = "select"
    version: int = 0

    @classmethod
    def build(cls, *, sites: Iterable[str] = (), languages: Iterable[str] = (), articles_only: bool = False) -> Select:
        return cls(
            frozenset(registered_domain(s) or s.strip().lower() for s in sites if s.strip()),
            frozenset(x.strip().lower() for x in languages if x.strip()),
            articles_only,
        )

    def url_filter(self, url: str | None) -> str | None:
        """Why a crawl record is not wanted from its URL alone (so it is never read)."""
        if self.sites and url and registered_domain(url) not in self.sites:
            return oc.OTHER_SITE
        return None

    def reason(self, article: Article) -> str | None:
        from ..extract.pagetype import articles_only_threshold

        if not article.text.strip():
            return oc.NO_TEXT
        if self.sites and article.site not in self.sites:
            return oc.OTHER_SITE
        if self.languages and article.language not in self.languages:
            return oc.OTHER_LANGUAGE
        if self.articles_only and article.page_score < articles_only_threshold():
            return oc.NOT_ARTICLE
        return None

    def process(self, batch: list[Work], *, time_limit: float | None) -> None:
        for work in batch:
            if work.article is not None and (why := self.reason(work.article)) is not None:
                work.skip(why)


@dataclass(frozen=True, slots=True)
class Enrich:
    """People, organisations, places and quotes, through spaCy's ``nlp.pipe`` in batches.
    An article that cannot be enriched is still kept, unenriched, with a warning."""

    name: str = "enrich"
    version: int = ENRICH_VERSION

    def process(self, batch: list[Work], *, time_limit: float | None) -> None:
        from ..enrich import enrich_many

        todo = [w for w in batch if w.article is not None]
        if not todo:
            return
        for w in todo:
            assert w.article is not None
            w.article.warnings = [x for x in w.article.warnings if x != "enrichment failed"]
        beat(WHOLE_CHUNK, time_limit * len(todo) if time_limit else None)
        try:
            with deadline(time_limit * len(todo) if time_limit else None, todo[0].locator):
                for _ in enrich_many([w.article for w in todo if w.article is not None]):
                    pass
        except Exception:  # find the article that failed (or hung), enrich the rest
            for w in todo:
                if w.article is not None and not w.article.enriched:
                    self._one(w, time_limit)
        for w in todo:
            if w.article is not None and w.article.enriched:
                w.article.stages[self.name] = self.version

    def _one(self, work: Work, time_limit: float | None) -> None:
        from ..enrich import enrich_many

        article = work.article
        assert article is not None
        beat(work.index, time_limit)
        try:
            with deadline(time_limit, work.locator):
                for _ in enrich_many([article]):
                    pass
        except Exception as exc:  # stored unenriched; `newsdesk enrich` can retry
            article.enriched = False
            article.entities, article.quotes = [], []
            article.warnings.append("enrichment failed")
            work.warning = f"{work.locator}: enrichment failed ({type(exc).__name__}: {exc})"


@dataclass(frozen=True, slots=True)
class Link:
    """The per-article half of the duplicate and story stages: the text's signature
    (MinHash bands, passage fingerprints) and its story features (weighted terms and
    entities, the day), computed here in the worker so the archive's single writer only
    looks them up (``archive/links.py``, ``archive/stories.py``)."""

    name: str = "link"
    version: int = LINK_VERSION

    def process(self, batch: list[Work], *, time_limit: float | None) -> None:
        from ..links.copies import signature
        from ..links.stories import article_features

        for work in batch:
            article = work.article
            if article is None:
                continue

            def step(work: Work = work, article: Article = article) -> None:
                work.signals = {**(work.signals or {}), "copies": signature(article.text),
                                "stories": article_features(article)}

            guarded(work, time_limit, step)
            if work.outcome is None:
                article.stages[self.name] = self.version


@dataclass(frozen=True, slots=True)
class Task:
    """What a worker runs over one chunk of inputs: every stage in turn, each on the items
    still going. Picklable, so it crosses to worker processes."""

    stages: tuple[Stage, ...]
    time_limit: float | None = DEFAULT_TIME_LIMIT

    def __call__(self, items: list[Item]) -> list[Outcome]:
        batch = [Work.of(x, i) for i, x in enumerate(items)]
        for stage in self.stages:
            live = [w for w in batch if w.outcome is None]
            if not live:
                break
            # Until the stage names the item it is on, a death in it blames the whole chunk
            # (its items are then retried one by one), never the last item an earlier stage named.
            beat(WHOLE_CHUNK, self.time_limit * len(live) if self.time_limit else None)
            stage.process(live, time_limit=self.time_limit)
        return [w.finish() for w in batch]


def lost(item: Item, why: str) -> Outcome:
    """The outcome of an item whose worker died or hung (see pool.parallel_map)."""
    locator = Work.of(item).locator
    if why == "timeout":
        return Outcome.failed(locator, f"{locator}: took far longer than the per-page time limit; worker stopped",
                              PageTimeout.code)
    return Outcome.failed(locator, f"{locator}: worker process died while processing it", "internal")


__all__ = ["Stage", "Item", "Work", "Task", "Extract", "Select", "Enrich", "Link", "lost", "deadline", "DEFAULT_TIME_LIMIT",
           "EXTRACT_VERSION", "ENRICH_VERSION", "LINK_VERSION"]
