"""``newsdesk feeds``: the subscribed feeds and sitemaps; ``feeds remove URL``."""

from __future__ import annotations

import click

from ..archive import Archive
from ..archive.queue import Queue
from ..urls import normalise_url
from .common import clip, db_option, write_jsonl


@click.group("feeds", invoke_without_command=True, short_help="The subscribed feeds and sitemaps, with their last poll.")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@click.pass_context
def command(ctx: click.Context, db: str, fmt: str) -> None:
    """List the feeds and sitemaps `newsdesk watch` polls: when each was last polled, how
    that went, and how many pages it led to (stored as articles, still pending, failed).

    \b
    JSON Lines fields: url, kind, title, added, last_poll, status, pages, articles,
    pending, failed.
    """
    if ctx.invoked_subcommand is not None:
        return
    with Archive(db, readonly=True) as archive:
        subs = Queue(archive.conn).subscriptions()
    for sub in subs:
        if fmt == "jsonl":
            write_jsonl(sub.to_dict())
        else:
            click.echo(f"{clip(sub.url, 60):<60} {sub.kind or '?':<12} {sub.last_poll or 'never':<25} "
                       f"{sub.stored:>6} articles  {clip(sub.status, 40)}")


@command.command("remove", short_help="Stop watching a feed or sitemap.")
@click.argument("url")
@db_option
def remove(url: str, db: str) -> None:
    """Unsubscribe URL (what it already led to stays in the archive)."""
    with Archive(db) as archive:
        gone = Queue(archive.conn).unsubscribe(normalise_url(url) or url)
        archive.commit()
    if not gone:
        raise click.ClickException(f"not subscribed: {url}")
    click.echo(f"newsdesk: unsubscribed {url}", err=True)
