"""Files and folders → the archive: extraction in worker processes, one writer in this one.

Each page is read and extracted in a worker; whatever goes wrong with one page (a bad
input, or a bug in an extractor) comes back as a one-line failure for that page, and the
run goes on. The parent is the only process that writes, committing every ``batch_size``
records, so killing a run at any moment leaves a consistent archive and rerunning it
finishes the job (``Archive.add`` is idempotent).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .archive import Archive
from .archive.store import BATCH_SIZE
from .errors import NewsdeskError, UsageError
from .extract import extract
from .model import Article
from .read.files import PagePath, iter_pages, read_page

# Pages per task sent to a worker: enough to amortise the round trip (a small page
# extracts in ~1 ms), few enough that a worker dying loses little.
CHUNK = 16


@dataclass(slots=True)
class Outcome:
    """What became of one page: an article, or a failure line naming the page and reason."""

    path: str
    article: Article | None = None
    error: str | None = None
    code: str | None = None


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    not_article: int = 0
    unenriched: int = 0  # stored, but entities and quotes could not be computed

    def summary(self) -> str:
        line = (
            f"read {self.read}, added {self.added}, updated {self.updated}, "
            f"already present {self.unchanged}, failed {self.failed}, not an article {self.not_article}"
        )
        return line + (f", not enriched {self.unenriched}" if self.unenriched else "")


def process_page(page: PagePath, *, url: str | None = None) -> Outcome:
    """Read and extract one page. Never raises for a bad page: the failure is the outcome."""
    path = page.path
    try:
        data = read_page(path, walked=page.walked)
        return Outcome(path, article=extract(data, url=url, source=path))
    except NewsdeskError as exc:
        message = str(exc) if exc.source else f"{path}: {exc}"
        return Outcome(path, error=message, code=exc.code)
    except Exception as exc:
        return Outcome(path, error=f"{path}: internal error ({type(exc).__name__}: {exc})", code="internal")


def enrich_articles(articles: list[Article]) -> list[str | None]:
    """Fill in entities and quotes of ``articles`` in place, batched through ``nlp.pipe``.

    Returns, for each article in order, None or the line saying why it could not be
    enriched (it stays ``enriched=False`` with a warning; ``newsdesk enrich`` can retry).
    """
    from .enrich import enrich_many

    try:
        for _ in enrich_many(articles):
            pass
        return [None] * len(articles)
    except Exception:
        errors: list[str | None] = []
        for article in articles:
            error = None
            if not article.enriched:
                try:
                    for _ in enrich_many([article]):
                        pass
                except Exception as exc:
                    article.warnings.append("enrichment failed")
                    error = f"{article.source.path or article.id}: enrichment failed ({type(exc).__name__}: {exc})"
            errors.append(error)
        return errors


@dataclass(frozen=True, slots=True)
class Task:
    """What a worker does with each page: extract it, and enrich what will be stored."""

    enrich: bool = True
    keep_all: bool = False

    def __call__(self, pages: list[PagePath]) -> list[Outcome]:
        return self.run(pages)

    def run(self, pages: list[PagePath], *, url: str | None = None) -> list[Outcome]:
        outcomes = [process_page(page, url=url) for page in pages]
        if self.enrich:
            todo = [o for o in outcomes if o.article is not None and (self.keep_all or o.article.page_type == "article")]
            errors = enrich_articles([o.article for o in todo if o.article is not None])
            for o, error in zip(todo, errors):
                if error is not None:
                    # Reported with the page; the article is still stored, unenriched.
                    o.error, o.code = error, "enrich"
        return outcomes


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


T = TypeVar("T")
R = TypeVar("R")


def parallel_map(
    fn: Callable[[list[T]], list[R]],
    chunks: Iterable[list[T]],
    *,
    jobs: int,
    lost: Callable[[T], R],
) -> Iterator[R]:
    """``fn`` over ``chunks`` in ``jobs`` worker processes, results in input order.

    A worker that dies outright (a crash in C code, the OOM killer) loses the chunks in
    flight: each of their items becomes ``lost(item)`` and the run goes on in a new pool.
    With ``jobs`` 1 everything runs in this process.
    """
    if jobs <= 1:
        for chunk in chunks:
            yield from fn(chunk)
        return
    # forkserver, not fork: workers start from a clean interpreter and never inherit the
    # parent's open SQLite connection or threads.
    context = multiprocessing.get_context("forkserver")
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    window: deque[tuple[list[T], Future[list[R]]]] = deque()
    todo = iter(chunks)
    try:
        while True:
            # Keep a few chunks per worker in flight: workers never idle, memory stays bounded.
            while len(window) < jobs * 4:
                nxt = next(todo, None)
                if nxt is None:
                    break
                window.append((nxt, executor.submit(fn, nxt)))
            if not window:
                return
            chunk, future = window.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                gone = [chunk] + [c for c, _ in window]
                window.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
                for c in gone:
                    for item in c:
                        yield lost(item)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def extract_pages(
    pages: Iterable[PagePath], *, jobs: int, enrich: bool = False, keep_all: bool = False
) -> Iterator[Outcome]:
    """Outcomes for ``pages``, in input order, using ``jobs`` worker processes (1 = in-process)."""

    def lost(page: PagePath) -> Outcome:
        return Outcome(page.path, error=f"{page.path}: worker process died while extracting", code="internal")

    yield from parallel_map(Task(enrich=enrich, keep_all=keep_all), _chunks(pages, CHUNK), jobs=jobs, lost=lost)


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Writer:
    """The single writer of a run: opens the archive unless handed one, commits every
    ``batch_size`` stored records and once more at the end, closes what it opened."""

    def __init__(self, archive: str | Path | Archive, batch_size: int) -> None:
        if batch_size < 1:
            raise UsageError("batch size must be at least 1")
        self.own = not isinstance(archive, Archive)
        self.store = archive if isinstance(archive, Archive) else Archive(archive)
        self.batch_size = batch_size
        self.pending = 0

    def add(self, article: Article) -> str:
        result = self.store.add(article, commit=False)
        self.pending += 1
        if self.pending >= self.batch_size:
            self.store.commit()
            self.pending = 0
        return result

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.store.commit()
        finally:
            if self.own:
                self.store.close()


def ingest(
    paths: Sequence[str],
    archive: str | Path | Archive,
    *,
    jobs: int | None = None,
    keep_all: bool = False,
    enrich: bool = True,
    batch_size: int = BATCH_SIZE,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    pages: Sequence[PagePath] | None = None,
) -> IngestReport:
    """Extract every page under ``paths`` and store the articles in ``archive``.

    Pages whose ``page_type`` is not "article" are counted and skipped unless ``keep_all``.
    Stored articles get their entities and quotes unless ``enrich`` is False (``newsdesk
    enrich`` fills them in later); a page that extracts but cannot be enriched is stored
    unenriched and reported through ``on_failure``.
    ``on_failure`` gets each failure line; ``on_progress`` the number of pages just done.
    ``pages`` may pass an already expanded ``iter_pages(paths)`` (the CLI counts it first).
    """
    if batch_size < 1:
        raise UsageError("batch size must be at least 1")
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError("jobs must be at least 1")
    report = IngestReport()
    todo = pages if pages is not None else iter_pages(paths)
    with _Writer(archive, batch_size) as writer:
        for outcome in extract_pages(todo, jobs=jobs, enrich=enrich, keep_all=keep_all):
            report.read += 1
            if outcome.article is not None and outcome.error is not None:
                report.unenriched += 1
                if on_failure is not None:
                    on_failure(outcome.error)
            if outcome.article is None:
                report.failed += 1
                if on_failure is not None:
                    on_failure(outcome.error or f"{outcome.path}: failed")
            elif outcome.article.page_type != "article" and not keep_all:
                report.not_article += 1
            else:
                result = writer.add(outcome.article)
                setattr(report, result, getattr(report, result) + 1)
            if on_progress is not None:
                on_progress(1)
    return report


@dataclass(slots=True)
class EnrichReport:
    articles: int = 0
    enriched: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"articles {self.articles}, enriched {self.enriched}, failed {self.failed}"


def _enrich_chunk(articles: list[Article]) -> list[tuple[Article, str | None]]:
    return list(zip(articles, enrich_articles(articles)))


def enrich_archive(
    archive: str | Path | Archive,
    *,
    redo: bool = False,
    jobs: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> EnrichReport:
    """Compute entities and quotes for stored articles that lack them (all with ``redo``).

    Articles are read in batches of ids, enriched in worker processes and written back in
    place; a killed run keeps every committed batch and a rerun picks up the rest.
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1 or batch_size < 1:
        raise UsageError("jobs and batch size must be at least 1")
    report = EnrichReport()
    with _Writer(archive, batch_size) as writer:
        store = writer.store
        ids = [a.id for a in store.iter_articles(unenriched=not redo)]
        report.articles = len(ids)

        def articles() -> Iterator[Article]:
            for key in ids:
                article = store.get(key)
                if article is not None:
                    article.warnings = [w for w in article.warnings if w != "enrichment failed"]
                    yield article

        def lost(article: Article) -> tuple[Article, str | None]:
            return article, "worker process died while enriching"

        for article, error in parallel_map(_enrich_chunk, _chunks(articles(), CHUNK), jobs=jobs, lost=lost):
            if error is None:
                writer.add(article)
                report.enriched += 1
            else:
                report.failed += 1
                if on_failure is not None:
                    on_failure(f"{article.id}: {error}")
            if on_progress is not None:
                on_progress(1)
    return report


__all__ = ["ingest", "enrich_archive", "EnrichReport", "enrich_articles", "IngestReport", "Outcome", "process_page", "extract_pages", "default_jobs"]
