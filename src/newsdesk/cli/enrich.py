"""``newsdesk enrich``: entities and quotes for an archive stored without them."""

from __future__ import annotations

import click

from ..ingest import default_jobs, enrich_archive
from .common import Progress, db_option, finish


@click.command("enrich", short_help="Add entities and quotes to stored articles.")
@db_option
@click.option("--redo", is_flag=True, help="Recompute every article, not only those never enriched.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: every core].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def command(db: str, redo: bool, jobs: int | None, quiet: bool) -> None:
    """Find the people, organisations, places and quotes of stored articles that were
    ingested with --no-enrich (or, with --redo, of all). Safe to stop and rerun.
    Exit code 3 when some articles failed.
    """
    from pathlib import Path

    if not Path(db).exists():
        from ..errors import ArchiveError

        raise ArchiveError(f"{db}: no such archive (run `newsdesk ingest` first)")
    with Progress(None, "article", quiet=quiet) as progress:
        report = enrich_archive(
            db, redo=redo, jobs=jobs or default_jobs(), on_failure=progress.failure, on_progress=progress.update
        )
    finish(report, quiet=quiet)
