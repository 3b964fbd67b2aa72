"""``newsdesk enrich``: entities and quotes for an archive stored without them."""

from __future__ import annotations

import sys
from typing import Any

import click

from ..ingest import default_jobs, enrich_archive
from .common import db_option, warn


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
    bar: Any = None
    if not quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="article", file=sys.stderr, dynamic_ncols=True)
    try:
        report = enrich_archive(
            db,
            redo=redo,
            jobs=jobs or default_jobs(),
            on_failure=warn,
            on_progress=bar.update if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.close()
    if not quiet:
        warn(report.summary())
    if report.failed:
        sys.exit(3)
