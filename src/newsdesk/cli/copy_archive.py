"""``newsdesk copy SRC DST``: move an archive between SQLite and PostgreSQL (either way).

(Not ``copy.py``: ``cli/spark_submit.py`` runs as a script, which puts this folder on
``sys.path``, where a ``copy`` module would hide the standard library's.)"""

from __future__ import annotations

import click

from .common import Progress, warn


@click.command("copy", short_help="Copy an archive between SQLite and PostgreSQL.")
@click.argument("source")
@click.argument("destination")
@click.option("--batch-size", type=click.IntRange(1), default=500, show_default=True,
              help="Articles per transaction (with their entities, quotes and links).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def command(source: str, destination: str, batch_size: int, quiet: bool) -> None:
    """Copy the archive SOURCE into DESTINATION: each a SQLite file or a PostgreSQL URL
    (postgresql://user@host/dbname). Everything goes over as stored — records, entities,
    quotes, copy links, stories, the fetch queue and subscriptions — and DESTINATION's
    search index and summaries are built as the rows arrive.

    Resumable: a copy that was stopped goes on from the last article it committed when
    run again with the same arguments. DESTINATION must be new, empty, or that earlier
    part of the same copy.
    """
    from ..archive.copy import copy_archive
    from ..archive.db import describe

    with Progress(None, "article", quiet=quiet) as bar:
        def progress(done: int, total: int) -> None:
            if bar.bar is not None:
                bar.bar.total = total
                bar.bar.n = done
                bar.bar.refresh()

        result = copy_archive(source, destination, batch_size=batch_size, progress=progress)
    if not quiet:
        resumed = f" (resumed after {result.resumed_after})" if result.resumed_after else ""
        extra = ", ".join(f"{n} {t}" for t, n in result.tables.items() if t != "articles" and n)
        warn(f"copied {result.articles} articles{resumed} from {describe(source)} to {describe(destination)}"
             + (f"; {extra}" if extra else ""))
