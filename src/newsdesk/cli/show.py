"""``newsdesk show ID``: one stored record, in full."""

from __future__ import annotations

import click

from ..archive import Archive
from ..errors import NewsdeskError
from .common import db_option


@click.command("show", short_help="One stored record as JSON.")
@click.argument("key", metavar="ID")
@db_option
def command(key: str, db: str) -> None:
    """Print the full record of article ID (or canonical URL) as JSON."""
    with Archive(db, readonly=True) as archive:
        article = archive.get(key)
    if article is None:
        raise NewsdeskError(f"{key}: no such article in {db}")
    click.echo(article.to_json(indent=2))
