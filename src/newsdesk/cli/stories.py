"""``newsdesk stories`` and ``newsdesk story ID``: the same event across outlets."""

from __future__ import annotations

import click

from ..archive import Archive
from .common import clip, db_option, filter_options, warn, write_jsonl


@click.command("stories", short_help="Stories: the same event across outlets, biggest first.")
@click.argument("query", required=False)
@db_option
@filter_options("since", "until", "site")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--rebuild", is_flag=True, help="Recompute every story from scratch first (the same stories the "
              "incremental path built from the same input order).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def command(query: str | None, db: str, filters: dict[str, str | None], limit: int, rebuild: bool, fmt: str) -> None:
    """One line per story, biggest first; QUERY (search syntax) and the filters keep the
    stories with at least one matching article.

    \b
    JSON Lines fields: id, label (the headline of its most central article), first and
    last (publication times), articles (ids, oldest first), sites.
    Table columns: id, articles, outlets, first and last day, label.
    """
    if rebuild:
        with Archive(db) as archive:
            n = archive.rebuild_stories()
        warn(f"rebuilt {n} stories")
    with Archive(db, readonly=True) as archive:
        rows = archive.stories(query, limit=limit, site=filters["site"], since=filters["since"], until=filters["until"])
        if archive.stories_stale():
            warn(f"{db}: the stories were computed by an earlier version and cleared; "
                 "run `newsdesk stories --rebuild` to recompute them")
    for row in rows:
        if fmt == "jsonl":
            write_jsonl(row.to_dict())
        else:
            days = f"{(row.first or '')[:10]:10} {(row.last or '')[:10]:10}"
            click.echo(f"{row.id:>7}  {len(row.articles):>5}  {len(row.sites):>4}  {days}  {clip(row.label, 70)}")


@click.command("story", short_help="One story's timeline: who published when, who copied whom.")
@click.argument("story_id", metavar="ID", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def story_command(story_id: int, db: str, fmt: str) -> None:
    """The articles of story ID in publication order: date, site, id, title, and whether
    each is a copy (of which origin) or reuses passages of others.

    \b
    JSON Lines: one line per article: id, site, title, published, copy_of (the origin's id
    or null), reuses (ids).
    """
    with Archive(db, readonly=True) as archive:
        row, entries = archive.story(story_id)
    if fmt == "jsonl":
        for e in entries:
            write_jsonl({"id": e.id, "site": e.site, "title": e.title, "published": e.published,
                         "copy_of": e.copy_of, "reuses": e.reuses})
        return
    click.echo(f"story {row.id}: {row.label or '(untitled)'}")
    click.echo(f"{len(row.articles)} articles, {len(row.sites)} outlets, {row.first or '?'} to {row.last or '?'}")
    for e in entries:
        mark = f"copy of {e.copy_of}" if e.copy_of else (f"reuses {', '.join(e.reuses)}" if e.reuses else "")
        click.echo(f"{(e.published or '')[:16]:16}  {clip(e.site, 22):22}  {e.id}  {clip(e.title, 50):50}  {mark}")
