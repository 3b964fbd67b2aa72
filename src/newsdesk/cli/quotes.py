"""``newsdesk quotes``: who said what, across the archive."""

from __future__ import annotations

import click

from ..archive import Archive, QuoteHit
from ..model import QUOTE_KINDS
from .common import clip, db_option, filter_options, write_jsonl


@click.command("quotes", short_help="Quotes in the archive: who said what.")
@click.argument("query", required=False)
@db_option
@click.option("--speaker", metavar="NAME", help='Said by NAME (whole words: "Bashagha" finds "Fathi Bashagha").')
@click.option("--about", metavar="NAME", help="Quotes that name this person, organisation or place.")
@click.option("--kind", type=click.Choice(QUOTE_KINDS), help="Only direct, partial, indirect or block quotes.")
@click.option("--all", "everything", is_flag=True,
              help="Stance too: what people think, want, decide, show or call things, beside what they said.")
@click.option("--stance", is_flag=True, help="Only stance (belief, intention, evidence, naming), no speech.")
@filter_options("site", "since", "until")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True, help="Skip this many (paging).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def command(
    query: str | None, db: str, speaker: str | None, about: str | None, kind: str | None, everything: bool,
    stance: bool, filters: dict[str, str | None], limit: int, offset: int, fmt: str,
) -> None:
    """What people said in stored articles, newest article first; QUERY matches words in
    the quote (FTS5 syntax). Each line: date, site, speaker, kind, the quote, article id.

    Speech only by default (said, told, according to, a colon, a transcript label, a block
    quote); --all adds stance (what someone thinks, wants, decided, showed, called
    something), --stance shows only that. JSON lines carry "family": "speech" | "stance".
    """
    if everything and stance:
        raise click.UsageError("--all and --stance exclude each other")
    family = None if everything else "stance" if stance else "speech"
    with Archive(db, readonly=True) as archive:
        hits = archive.quotes(
            query, speaker=speaker, about=about, kind=kind, family=family, limit=limit, offset=offset, **filters,
        )
    if fmt == "jsonl":
        for hit in hits:
            write_jsonl(hit.to_dict())
    else:
        for hit in hits:
            _line(hit)


def _line(hit: QuoteHit) -> None:
    date = (hit.published or "")[:10].ljust(10)
    who = clip(hit.speaker or "(unknown)", 24)
    kind = hit.kind if hit.family == "speech" else f"{hit.kind}, stance"
    click.echo(f"{date}  {clip(hit.site, 16).ljust(16)}  {who} [{kind}]  {hit.article_id}")
    click.echo(f"    {clip(hit.text, 300)}")
