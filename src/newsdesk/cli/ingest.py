"""``newsdesk ingest PATH...``: files and folders into the archive."""

from __future__ import annotations

import click

from ..ingest import default_jobs, ingest
from ..read.files import iter_pages
from .common import Progress, db_option, finish


@click.command("ingest", short_help="Files and folders into the archive.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: every core].")
@click.option("--keep-all", is_flag=True, help="Also store pages that are not articles (listings, front pages).")
@click.option("--no-enrich", is_flag=True, help="Skip entities and quotes (fast); `newsdesk enrich` adds them later.")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True, help="Records per commit.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary (failures are still reported).")
def command(
    paths: tuple[str, ...], db: str, jobs: int | None, keep_all: bool, no_enrich: bool, batch_size: int, quiet: bool
) -> None:
    """Extract every page in PATHs (files, or folders searched recursively for .html,
    .htm, .txt and their .gz; hidden files skipped) into the archive.

    Each stored article gets its people, organisations, places and quotes (spaCy's
    English pipeline; --no-enrich skips that). Re-ingesting is safe: a page with the
    same canonical URL or the same text as a stored one updates that record. Pages that
    are not articles are counted, not stored. Exit code 3 when some pages failed.
    """
    pages = list(iter_pages(paths))
    with Progress(len(pages), "page", quiet=quiet) as progress:
        report = ingest(
            paths,
            db,
            jobs=jobs or default_jobs(),
            keep_all=keep_all,
            enrich=not no_enrich,
            batch_size=batch_size,
            on_failure=progress.failure,
            on_progress=progress.update,
            pages=pages,
        )
    finish(report, quiet=quiet)
