"""``newsdesk duplicates``: which articles copy or reuse which (the duplicate stage's links)."""

from __future__ import annotations

import click

from ..archive import Archive
from .common import clip, db_option, filter_options, warn, write_jsonl


@click.command("duplicates", short_help="Copies and reused passages: who copied whom.")
@db_option
@filter_options("site", "since", "until")
@click.option("--kind", type=click.Choice(["copy", "partial"]), help="Only copies, or only partial reuse.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=None, help="At most this many links.")
@click.option("--passages", is_flag=True, help="JSON Lines: add the shared passages (character offsets in both texts).")
@click.option("--rebuild", is_flag=True, help="Recompute every link from scratch first, with the current rules, "
              "matching the articles in the order they were stored (then the stories, which follow the copies).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def command(db: str, filters: dict[str, str | None], kind: str | None, limit: int | None, passages: bool, rebuild: bool,
            fmt: str) -> None:
    """One line per link, newest article first: ARTICLE copies (kind copy) or reuses
    passages of (kind partial) SOURCE, the earlier of the two by publication date.
    --site/--since/--until filter on the article.

    \b
    JSON Lines fields: article, source, kind, similarity (word 5-gram Jaccard, 0..1),
    shared (the share of the article's text found in the source, 0..1).
    Table columns: kind, similarity, shared, article <- source, the article's site and title.
    """
    if rebuild:
        def progress(done: int, total: int) -> None:
            if done % 1000 == 0:
                warn(f"rebuilding links: {done} of {total} articles")

        with Archive(db) as archive:
            n_links, n_stories = archive.rebuild_duplicates(progress)
        warn(f"rebuilt {n_links} links and {n_stories} stories")
    with Archive(db, readonly=True) as archive:
        links = archive.duplicates(kind=kind, limit=limit, **filters)
    for link in links:
        if fmt == "jsonl":
            write_jsonl(link.to_dict(passages=passages))
        else:
            click.echo(f"{link.kind:<8} {link.similarity:4.2f} {link.shared:4.2f}  {link.article} <- {link.source}  "
                       f"{clip(link.article_site, 24):<24} {clip(link.article_title, 60)}")
