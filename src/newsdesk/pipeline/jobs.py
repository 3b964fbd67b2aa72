"""The jobs a user runs, each the one runner with its inputs and stages:

- ``ingest``: files, folders and crawl files → extract → select → enrich → the archive;
- ``extract_pages``: the same without an archive (``newsdesk extract`` prints them);
- ``reprocess``: stored records whose stage versions are older (or all, ``force``) → the
  stages they need → the archive; ``enrich_archive`` is its enrich-only form.

Each worker reads and processes its own inputs; this process only lists them (a crawl
file's records, by offset) and is the single writer, committing every ``batch_size``
records, so killing a run at any moment leaves a consistent archive and rerunning it
finishes the job (``Archive.add`` is idempotent).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ..archive import Archive, BatchWriter
from ..errors import ArchiveError, NewsdeskError, UsageError
from ..outcome import Outcome, Report, Status
from ..read import PagePath, iter_pages, ref_for, scan, scan_listed
from .runner import outcomes, run
from .stages import DEFAULT_TIME_LIMIT, Enrich, Extract, Item, Link, Select, Stage, Task

# Every stage that changes a record, in pipeline order: what `reprocess` can re-run.
RECORD_STAGES: tuple[Stage, ...] = (Extract(), Enrich(), Link())


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _jobs(jobs: int | None) -> int:
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError("jobs must be at least 1")
    return jobs


def _listener(
    on_outcome: Callable[[Outcome], None] | None,
    on_failure: Callable[[str], None] | None,
    on_progress: Callable[[int], None] | None,
) -> Callable[[Outcome], None]:
    """One callback from the three a caller may give: every outcome; each failure or
    warning line; a tick per input."""

    def listen(outcome: Outcome) -> None:
        if on_failure is not None:
            if outcome.status is Status.FAILED:
                on_failure(outcome.reason or f"{outcome.locator}: failed")
            if outcome.warning:
                on_failure(outcome.warning)
        if on_progress is not None:
            on_progress(1)
        if on_outcome is not None:
            on_outcome(outcome)

    return listen


def pipeline(*, enrich: bool = True, select: Select | None = None, url: str | None = None,
             time_limit: float | None = DEFAULT_TIME_LIMIT, link: bool = False) -> Task:
    """The task of reading new inputs: extract, select, (unless ``enrich`` False) enrich,
    and for an archive (``link``) the signatures its duplicate stage matches."""
    stages: list[Stage] = [Extract(url=url), select or Select()]
    if enrich:
        stages.append(Enrich())
    if link:
        stages.append(Link())
    return Task(tuple(stages), time_limit)


def ingest(
    paths: Sequence[str],
    archive: str | Path | Archive,
    *,
    jobs: int | None = None,
    enrich: bool = True,
    sites: Sequence[str] = (),
    languages: Sequence[str] = (),
    articles_only: bool = False,
    keep_all: bool = False,
    batch_size: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    listed: Iterable[PagePath] | None = None,
) -> Report:
    """Read every page under ``paths`` (files, folders, WARC/WET/ARC files) and store the
    articles in ``archive``.

    Every page that yields main text is stored, with its ``page_type``; ``articles_only``
    keeps only article pages (dropping at most ~2% of true articles), ``sites`` and
    ``languages`` narrow further (crawl records of other sites are never read). Stored
    articles get their entities and quotes unless ``enrich`` is False (``newsdesk enrich``
    adds them later); a page that hangs past ``time_limit`` seconds in a stage is a
    failure, and the run goes on. ``keep_all`` is accepted for older callers: storing
    every page is now the default. ``listed`` may pass ``read.iter_pages(paths)``, already
    listed (the CLI lists inputs first to size its progress bar).
    """
    del keep_all
    select = Select.build(sites=sites, languages=languages, articles_only=articles_only)
    task = pipeline(enrich=enrich, select=select, time_limit=time_limit, link=True)
    todo = scan_listed(listed if listed is not None else iter_pages(paths), url_filter=select.url_filter)
    with BatchWriter(archive, batch_size=batch_size) as writer:
        return run(todo, task=task, jobs=_jobs(jobs), sink=writer, on_outcome=_listener(on_outcome, on_failure, on_progress))


def extract_pages(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    enrich: bool = False,
    url: str | None = None,
    select: Select | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Iterator[Outcome]:
    """Outcomes (articles or failures) for every page under ``paths``, in input order,
    using ``jobs`` worker processes (1 = this one)."""
    select = select or Select()
    items: Iterable[Item] = scan(paths, url_filter=select.url_filter)
    yield from outcomes(items, task=pipeline(enrich=enrich, select=select, url=url, time_limit=time_limit), jobs=jobs)


def reprocess(
    archive: str | Path | Archive,
    *,
    stages: Sequence[str] | None = None,
    force: bool = False,
    jobs: int | None = None,
    batch_size: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Report:
    """Re-run, on stored records, each stage (of ``stages``, default all) whose version is
    newer than the one the record went through — all of them with ``force``. A stage that
    runs again runs every later stage too (their input changed). Re-running ``extract``
    reads the page again from its source (``source.locator``); a source that is gone is a
    failure line and the stored record is kept."""
    names = list(stages) if stages else [s.name for s in RECORD_STAGES]
    known = {s.name for s in RECORD_STAGES}
    if unknown := [n for n in names if n not in known]:
        raise UsageError(f"unknown stage {unknown[0]!r} (stages: {', '.join(sorted(known))})")
    if isinstance(archive, (str, Path)) and not Path(archive).exists():
        raise ArchiveError(f"{archive}: no such archive (run `newsdesk ingest` first)")
    chosen = [s for s in RECORD_STAGES if s.name in names]
    with BatchWriter(archive, batch_size=batch_size) as writer:
        store = writer.archive
        plan = [(key, first) for key, done in store.stage_versions() if (first := _first_due(done, chosen, force))]
        listen = _listener(on_outcome, on_failure, on_progress)
        report = Report()
        # One run per stage that is first due for some records: from that stage on, every
        # later stage runs too (its input changed). Only extract needs the page itself.
        for at, stage in enumerate(RECORD_STAGES):
            todo = [key for key, due in plan if due == stage.name]
            if todo:
                task = Task(RECORD_STAGES[at:], time_limit)
                part = run(_stored(store, todo, reread=isinstance(stage, Extract)), task=task, jobs=_jobs(jobs),
                           sink=writer, on_outcome=listen)
                report.merge(part)
    return report


def _first_due(done: dict[str, int], stages: list[Stage], force: bool) -> str | None:
    """The first of ``stages`` a record with these stage versions must go through again."""
    for stage in stages:
        if force or done.get(stage.name, 0) < stage.version:
            return stage.name
    return None


def _stored(store: Archive, keys: list[str], *, reread: bool) -> Iterator[Item]:
    """The records to reprocess, read one at a time (never the whole archive in memory);
    with ``reread``, a reference to each record's source instead."""
    for key in keys:
        article = store.get(key)
        if article is None:
            continue  # deleted meanwhile
        if not reread:
            yield article
            continue
        locator = article.source.locator or article.source.path
        if not locator or locator == "-":
            yield Outcome.failed(article.id, f"{article.id}: its source cannot be read again (it came from "
                                 f"{'stdin' if locator == '-' else 'memory'}); re-ingest it", "unreadable")
            continue
        try:
            yield ref_for(locator)
        except NewsdeskError as exc:
            yield Outcome.failed(locator, str(exc), exc.code)


def enrich_archive(
    archive: str | Path | Archive,
    *,
    redo: bool = False,
    jobs: int | None = None,
    batch_size: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Report:
    """Entities and quotes for stored articles that lack them (all with ``redo``):
    ``reprocess`` of the enrich stage."""
    return reprocess(archive, stages=["enrich"], force=redo, jobs=jobs, batch_size=batch_size, time_limit=time_limit,
                     on_failure=on_failure, on_progress=on_progress)


__all__ = ["ingest", "extract_pages", "reprocess", "enrich_archive", "pipeline", "default_jobs",
           "RECORD_STAGES"]
