"""The collection jobs: ``fetch`` (URLs, feeds, sitemaps, site roots → the archive) and
``watch`` (poll the subscribed feeds and sitemaps, fetching only what is new).

Both are the one runner over a different reader: ``read.fetch.Collector`` yields each
fetched page as a record of the run's WARC file, the workers extract and enrich it like
any crawl record, the single writer stores it and marks it done in the fetch queue.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..archive import Archive, BatchWriter
from ..archive.queue import Queue
from ..errors import UsageError
from ..outcome import Outcome, Report
from ..read.fetch.crawler import Collector, FetchOptions, FetchStats
from .jobs import _jobs, _listener, pipeline
from .runner import run
from .stages import DEFAULT_TIME_LIMIT, Select


def default_warc_dir(archive: str | Path) -> Path:
    """Beside the archive: ``news.db`` → ``news-warc/``; for a PostgreSQL archive, which
    has no folder, ``DBNAME-warc/`` in the current one (a team gives ``--warc-dir`` a
    folder every reader of the records can reach)."""
    from ..archive.db import is_server

    if is_server(archive):
        name = urlsplit(str(archive)).path.strip("/") or "newsdesk"
        return Path.cwd() / f"{name}-warc"
    path = Path(archive)
    return path.with_name(f"{path.stem}-warc")


@dataclass(slots=True)
class Collection:
    """What one fetch (or one watch poll) did: the pipeline's counts and the fetcher's."""

    report: Report
    stats: FetchStats

    def summary(self) -> str:
        return f"{self.report.summary()}; {self.stats.line()}"


def fetch(
    urls: Sequence[str],
    archive: str | Path | Archive,
    *,
    options: FetchOptions,
    jobs: int | None = None,
    enrich: bool = True,
    sites: Sequence[str] = (),
    languages: Sequence[str] = (),
    articles_only: bool = False,
    batch_size: int | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    poll_subscriptions: bool = False,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_failure: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Collection:
    """Fetch ``urls`` (article pages, feeds, sitemaps, site roots) and everything they lead
    to, politely (``options``), into ``archive``; also whatever an earlier, killed run left
    in the fetch queue. ``poll_subscriptions``: poll the subscribed listings too (`watch`)."""
    select = Select.build(sites=sites, languages=languages, articles_only=articles_only)
    task = pipeline(enrich=enrich, select=select, time_limit=time_limit, link=True)
    with BatchWriter(archive, batch_size=batch_size) as writer:
        queue = Queue(writer.archive.conn, commit=writer.archive.commit)
        collector = Collector(queue, options, url_filter=select.url_filter, warn=on_failure)
        told = collector.add(urls)
        if poll_subscriptions:
            told += collector.add(collector.queue.subscribed(), kind="listing", feed_self=True)

        def sink(outcome: Outcome) -> Outcome:
            outcome = writer(outcome)
            collector.finished(outcome)
            return outcome

        listen = _listener(on_outcome, on_failure, on_progress)
        report = Report()
        for outcome in told:
            report.count(outcome)
            listen(outcome)
        report.merge(run(collector.pages(), task=task, jobs=_jobs(jobs), sink=sink, on_outcome=listen))
        return Collection(report, collector.stats)


def watch(
    archive: str | Path,
    *,
    options: FetchOptions,
    every: float = 900.0,
    once: bool = False,
    polls: int | None = None,
    on_poll: Callable[[Collection], None] | None = None,
    **kwargs: object,
) -> list[Collection]:
    """Poll the subscribed feeds and sitemaps (``fetch --subscribe``) every ``every``
    seconds — once with ``once`` (for cron) — fetching the pages they list that are not
    in the archive yet. Conditional GET makes an unchanged listing a 304 and no page."""
    if every <= 0:
        raise UsageError("--every must be more than zero")
    with Archive(archive) as store:
        if not Queue(store.conn).subscribed():
            raise UsageError(f"{archive}: no subscriptions (add some with `newsdesk fetch URL --subscribe`)")
    done: list[Collection] = []
    while True:
        started = time.monotonic()
        result = fetch([], archive, options=options, poll_subscriptions=True, **kwargs)  # type: ignore[arg-type]
        done.append(result)
        if on_poll is not None:
            on_poll(result)
        if once or (polls is not None and len(done) >= polls):
            return done
        time.sleep(max(0.0, every - (time.monotonic() - started)))


__all__ = ["fetch", "watch", "Collection", "default_warc_dir", "FetchOptions"]
