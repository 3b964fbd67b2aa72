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

    def summary(self) -> str:
        return (
            f"read {self.read}, added {self.added}, updated {self.updated}, "
            f"already present {self.unchanged}, failed {self.failed}, not an article {self.not_article}"
        )


def process_page(page: PagePath, *, url: str | None = None) -> Outcome:
    """Read and extract one page. Never raises for a bad page: the failure is the outcome."""
    path = page.path
    try:
        data = read_page(path, walked=page.walked)
        return Outcome(path, article=extract(data, url=url, source=path))
    except NewsdeskError as exc:
        message = str(exc) if exc.source else f"{path}: {exc}"
        return Outcome(path, error=message, code=exc.code)
    except Exception as exc:  # noqa: BLE001 — an extractor bug must not end a 100k-page run
        return Outcome(path, error=f"{path}: internal error ({type(exc).__name__}: {exc})", code="internal")


def _process_chunk(pages: list[PagePath]) -> list[Outcome]:
    return [process_page(page) for page in pages]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def extract_pages(pages: Iterable[PagePath], *, jobs: int) -> Iterator[Outcome]:
    """Outcomes for ``pages``, in input order, using ``jobs`` worker processes (1 = in-process)."""
    if jobs <= 1:
        for page in pages:
            yield process_page(page)
        return
    # forkserver, not fork: workers start from a clean interpreter and never inherit the
    # parent's open SQLite connection or threads.
    context = multiprocessing.get_context("forkserver")
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    window: deque[tuple[list[PagePath], Future[list[Outcome]]]] = deque()
    chunks = _chunks(pages, CHUNK)
    try:
        while True:
            # Keep a few chunks per worker in flight: workers never idle, memory stays bounded.
            while len(window) < jobs * 4:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                window.append((chunk, executor.submit(_process_chunk, chunk)))
            if not window:
                return
            chunk, future = window.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                # A worker died outright (a crash in C code, the OOM killer). Every chunk in
                # flight is lost with it: report those pages and carry on with a new pool.
                lost = [chunk] + [c for c, _ in window]
                window.clear()
                executor.shutdown(wait=False, cancel_futures=True)
                executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
                for c in lost:
                    for page in c:
                        yield Outcome(page.path, error=f"{page.path}: worker process died while extracting", code="internal")
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(pages: Iterable[PagePath], size: int) -> Iterator[list[PagePath]]:
    chunk: list[PagePath] = []
    for page in pages:
        chunk.append(page)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest(
    paths: Sequence[str],
    archive: str | Path | Archive,
    *,
    jobs: int | None = None,
    keep_all: bool = False,
    batch_size: int = BATCH_SIZE,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    pages: Sequence[PagePath] | None = None,
) -> IngestReport:
    """Extract every page under ``paths`` and store the articles in ``archive``.

    Pages whose ``page_type`` is not "article" are counted and skipped unless ``keep_all``.
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
    own = not isinstance(archive, Archive)
    store = archive if isinstance(archive, Archive) else Archive(archive)
    try:
        pending = 0
        for outcome in extract_pages(todo, jobs=jobs):
            report.read += 1
            if outcome.article is None:
                report.failed += 1
                if on_failure is not None:
                    on_failure(outcome.error or f"{outcome.path}: failed")
            elif outcome.article.page_type != "article" and not keep_all:
                report.not_article += 1
            else:
                result = store.add(outcome.article, commit=False)
                setattr(report, result, getattr(report, result) + 1)
                pending += 1
                if pending >= batch_size:
                    store.commit()
                    pending = 0
            if on_progress is not None:
                on_progress(1)
        store.commit()
    finally:
        if own:
            store.close()
    return report


__all__ = ["ingest", "IngestReport", "Outcome", "process_page", "extract_pages", "default_jobs"]
