"""``newsdesk entities``: the people, organisations and places the archive names most."""

from __future__ import annotations

import click

from ..archive import Archive
from .common import clip, db_option, filter_options, write_jsonl

LABELS = ("PERSON", "ORG", "GPE", "LOC")


@click.command("entities", short_help="Most-named people, organisations and places.")
@click.argument("name", required=False)
@db_option
@click.option("--label", type=click.Choice(LABELS, case_sensitive=False), help="Only this kind of entity.")
@click.option("--top", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@filter_options("site", "since", "until")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def command(
    name: str | None, db: str, label: str | None, top: int,
    filters: dict[str, str | None], fmt: str,
) -> None:
    """Entities by the number of articles naming them (NAME keeps names containing its
    words). Columns: articles, mentions, label, name.
    """
    with Archive(db, readonly=True) as archive:
        rows = archive.entities(
            label=label.upper() if label else None, name=name, top=top, **filters
        )
    if fmt == "jsonl":
        for row in rows:
            write_jsonl(row.to_dict())
        return
    for row in rows:
        click.echo(f"{row.articles:>8}  {row.mentions:>8}  {row.label:<6}  {clip(row.name, 60)}")
