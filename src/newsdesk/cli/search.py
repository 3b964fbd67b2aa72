"""``newsdesk search QUERY``: full-text search of the archive."""

from __future__ import annotations

import sys

import click

from ..archive import Archive, SearchHit
from .common import clip, db_option, filter_options, write_jsonl

# ANSI bold on / off, for matched words when the table goes to a terminal.
_BOLD = ("\x1b[1m", "\x1b[22m")


@click.command("search", short_help="Full-text search of the archive.")
@click.argument("query")
@db_option
@filter_options()
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--newest", is_flag=True, help="Newest published first, instead of best match first.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def command(
    query: str, db: str, filters: dict[str, str | None], limit: int, newest: bool, fmt: str,
) -> None:
    """Search title, description and text (SQLite FTS5 syntax: words, "exact phrase",
    AND/OR/NOT, prefix*, title:word). Best match (BM25, title weighted) first; a query
    matching more than 20,000 articles lists the newest first (as the web app does).
    """
    tty = sys.stdout.isatty()
    markers = _BOLD if fmt == "table" and tty else ("[", "]")
    with Archive(db, readonly=True) as archive:
        hits = archive.search(
            query, limit=limit, newest=newest, markers=markers, **filters,
        )
    if fmt == "jsonl":
        for hit in hits:
            write_jsonl(hit.to_dict())
    else:
        _table(hits, tty=tty)


def _table(hits: list[SearchHit], *, tty: bool) -> None:
    for hit in hits:
        date = (hit.published or "")[:10].ljust(10)
        site = clip(hit.site, 18).ljust(18)
        title = clip(hit.title, 70)
        head = f"{hit.id}  {date}  {site}  {click.style(title, bold=True) if tty else title}"
        click.echo(head)
        click.echo(f"    {hit.snippet}")
