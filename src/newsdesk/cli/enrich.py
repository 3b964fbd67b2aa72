"""``newsdesk enrich`` and ``newsdesk reprocess``: stored records through stages again."""

from __future__ import annotations

import click

from ..pipeline import DEFAULT_TIME_LIMIT, default_jobs, reprocess
from ..pipeline.jobs import RECORD_STAGES
from .common import Progress, db_option, finish

_STAGES = [s.name for s in RECORD_STAGES]


def _run(db: str, stages: list[str], force: bool, jobs: int | None, time_limit: float, quiet: bool, verb: str) -> None:
    with Progress(None, "article", quiet=quiet) as progress:
        report = reprocess(db, stages=stages, force=force, jobs=jobs or default_jobs(), time_limit=time_limit,
                           on_failure=progress.failure, on_progress=progress.update)
    finish(report, quiet=quiet, line=report.summary(redone=verb))


_jobs = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: every core].")
_quiet = click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
_limit = click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIME_LIMIT,
                      show_default=True, metavar="SECONDS", help="An article taking longer than this is reported as failed.")


@click.command("enrich", short_help="Add entities and quotes to stored articles.")
@db_option
@click.option("--redo", is_flag=True, help="Recompute every article, not only those never enriched (or enriched by an "
              "older version).")
@_jobs
@_limit
@_quiet
def command(db: str, redo: bool, jobs: int | None, time_limit: float, quiet: bool) -> None:
    """Find the people, organisations, places and quotes of stored articles that were
    ingested with --no-enrich or by an older enrich stage (with --redo: of all). Safe to
    stop and rerun. Exit code 3 when some articles failed.
    """
    _run(db, ["enrich"], redo, jobs, time_limit, quiet, "enriched")


@click.command("reprocess", short_help="Re-run the stages a newer newsdesk changed.")
@db_option
@click.option("--stage", "stages", multiple=True, type=click.Choice(_STAGES),
              help="Only this stage (repeatable) [default: every stage].")
@click.option("--force", is_flag=True, help="Re-run the stages on every record, whatever version it has.")
@_jobs
@_limit
@_quiet
def reprocess_command(db: str, stages: tuple[str, ...], force: bool, jobs: int | None, time_limit: float,
                      quiet: bool) -> None:
    """Re-run, on stored records, each stage whose version is newer than the one the record
    went through (records carry them in `stages`), and every stage after it. Re-running
    extract reads the page again from its source (source.locator: a file, or a record
    of a crawl file); a source that is gone is reported and the stored record kept.
    Safe to stop and rerun. Exit code 3 when some records failed.
    """
    _run(db, list(stages) or _STAGES, force, jobs, time_limit, quiet, "reprocessed")
