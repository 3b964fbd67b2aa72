"""``newsdesk ingest PATH...``: files, folders and crawl files into the archive."""

from __future__ import annotations

import click

from ..pipeline import default_jobs, ingest
from .common import db_option, finish, input_progress, pipeline_options


@click.command("ingest", short_help="Files, folders and crawl files (WARC, WET, ARC) into the archive.")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@pipeline_options
def command(
    paths: tuple[str, ...], db: str, jobs: int | None, no_enrich: bool, articles_only: bool, sites: tuple[str, ...],
    languages: tuple[str, ...], time_limit: float, batch_size: int | None, keep_all: bool, quiet: bool,
) -> None:
    """Extract every page in PATHs into the archive: HTML and text files (folders are
    searched recursively for .html, .htm, .txt and their .gz; hidden files skipped), - for
    stdin, and crawl files: WARC (.warc, .warc.gz), WET (.warc.wet.gz) and ARC (.arc,
    .arc.gz), whose 200 responses with an HTML or text payload become pages (revisits,
    redirects, errors, requests and metadata are counted in the summary, not stored).

    Every page that yields main text is stored with its page_type (article, listing,
    front, other); --articles-only keeps article pages only. Each stored page gets its
    people, organisations, places and quotes (spaCy's English pipeline; --no-enrich skips
    that). A record is one publication: re-ingesting the same URL updates its record (or
    leaves it alone), the same text at another URL is a record of its own. Exit code 3
    when some inputs failed.
    """
    pages, progress = input_progress(paths, quiet=quiet)
    with progress:
        report = ingest(
            paths,
            db,
            jobs=jobs or default_jobs(),
            enrich=not no_enrich,
            sites=sites,
            languages=languages,
            articles_only=articles_only,
            batch_size=batch_size,
            time_limit=time_limit,
            on_failure=progress.failure,
            on_progress=progress.update,
            listed=pages,
        )
    finish(report, quiet=quiet)
