"""The ``newsdesk`` command: a click group; each verb lives in its own module."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from .. import __version__
from ..errors import NewsdeskError, QueryError, UsageError
from . import (
    copy_archive,
    duplicates,
    enrich,
    entities,
    export,
    extract,
    feeds,
    fetch,
    importer,
    ingest,
    quotes,
    search,
    serve,
    show,
    spark,
    stats,
    stories,
    watch,
)

EPILOG = """\b
Exit codes:
  0  success
  1  error (an archive that cannot be opened, an unknown id, …)
  2  usage error (bad options or arguments, a search query FTS5 rejects)
  3  some inputs failed (each named on stderr; the rest were processed)

Data goes to stdout; errors, progress and summaries to stderr.
"""


class Failure(click.ClickException):
    """A NewsdeskError on its way out: one line on stderr, the matching exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class; per-error here

    def show(self, file: Any = None) -> None:
        click.echo(f"newsdesk: {self.message}", err=True)


class NewsdeskGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (UsageError, QueryError) as exc:
            raise Failure(str(exc), 2) from None
        except NewsdeskError as exc:
            raise Failure(str(exc), 1) from None


@click.group(cls=NewsdeskGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsdesk")
def cli() -> None:
    """Turn messy news pages into clean article records and a searchable archive."""


for command in (
    extract.command, ingest.command, fetch.command, watch.command, feeds.command, spark.command, importer.command, enrich.command, enrich.reprocess_command, search.command, quotes.command,
    entities.command, duplicates.command, stories.command, stories.story_command, show.command, stats.command, export.command, copy_archive.command, serve.command,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="newsdesk", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except BrokenPipeError:
        # `newsdesk search … | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
