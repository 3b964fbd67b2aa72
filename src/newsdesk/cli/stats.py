"""``newsdesk stats``: what the archive holds, per site and per month."""

from __future__ import annotations

import click

from ..archive import Archive
from .common import clip, db_option, write_jsonl


@click.command("stats", short_help="Articles per site and per month.")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def command(db: str, fmt: str) -> None:
    """Count articles in total, per site and per month of publication."""
    with Archive(db, readonly=True) as archive:
        result = archive.stats()
    if fmt == "jsonl":
        for row in result.rows():
            write_jsonl(row)
        return
    click.echo(f"{result.total} articles")
    click.echo("\nper site:")
    for site, n in result.sites:
        click.echo(f"  {clip(site or '(unknown)', 40).ljust(40)} {n:>8}")
    click.echo("\nper month:")
    for month, n in result.months:
        click.echo(f"  {(month or '(undated)').ljust(40)} {n:>8}")
