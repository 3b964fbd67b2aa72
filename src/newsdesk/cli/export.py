"""``newsdesk export``: matching records to a JSON Lines, CSV or Parquet file."""

from __future__ import annotations

import click

from ..archive import Archive
from ..archive.export import FORMATS
from .common import db_option, filter_options, warn


@click.command("export", short_help="Records to a JSON Lines, CSV or Parquet file.")
@click.argument("query", required=False)
@db_option
@filter_options()
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=None, help="At most N records.")
@click.option("--newest", is_flag=True, help="Newest published first (default: archive order).")
def command(
    query: str | None, db: str, filters: dict[str, str | None], fmt: str, output: str, limit: int | None, newest: bool,
) -> None:
    """Export records (all, or those matching QUERY and the filters) with the record
    schema's field names. CSV holds list and object fields as JSON text.
    """
    with Archive(db, readonly=True) as archive:
        n = archive.export(
            output, format=fmt, query=query, limit=limit, newest=newest, **filters,
        )
    warn(f"exported {n} records to {output}")
