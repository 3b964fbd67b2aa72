"""``newsdesk extract PAGE...``: pages in, one article record per page out."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..errors import UsageError
from ..ingest import CHUNK, Task
from ..model import Article
from ..read.files import iter_pages
from .common import warn, write_jsonl

FORMATS = ("jsonl", "json", "text", "markdown")


@click.command("extract", short_help="Pages in, one article record per page out.")
@click.argument("pages", nargs=-1, required=True, metavar="PAGE...")
@click.option("--url", help="The URL the page was fetched from (one PAGE only).")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
    help="jsonl: a record per line; json: a pretty JSON array; text: title and text; markdown.",
)
@click.option("--no-enrich", is_flag=True, help="Skip entities and quotes (faster).")
def command(pages: tuple[str, ...], url: str | None, fmt: str, no_enrich: bool) -> None:
    """Extract articles from PAGEs: HTML files (.html, .htm, .html.gz), text dumps (.txt),
    folders of them, or - for stdin. HTML or text is decided from the content.

    Records carry the page's people, organisations, places and quotes (``entities``,
    ``quotes``) unless --no-enrich. A page that cannot be read gets one line on stderr;
    the others are still extracted (exit code 3).
    """
    if url and len(pages) > 1:
        raise UsageError("--url applies to a single PAGE")
    failed = 0
    records = []
    task = Task(enrich=not no_enrich, keep_all=True)
    batch: list[Any] = []

    def flush() -> int:
        bad = 0
        for outcome in task.run(batch, url=url):
            if outcome.error is not None:
                warn(outcome.error)
            if outcome.article is None:
                bad += 1
            elif fmt == "json":
                records.append(outcome.article.to_dict())
            else:
                _emit(outcome.article, fmt)
        batch.clear()
        return bad

    # Pages go through spaCy a few at a time (nlp.pipe batching) and are printed as each
    # batch is done, so a long run streams.
    for page in iter_pages(pages):
        batch.append(page)
        if len(batch) >= CHUNK:
            failed += flush()
    failed += flush()
    if fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    if failed:
        sys.exit(3)


def _emit(article: Article, fmt: str) -> None:
    if fmt == "jsonl":
        write_jsonl(article.to_dict())
    elif fmt == "text":
        head = f"{article.title}\n\n" if article.title else ""
        sys.stdout.write(f"{head}{article.text}\n\n")
    else:
        sys.stdout.write(to_markdown(article) + "\n\n")


def to_markdown(article: Article) -> str:
    parts = [f"# {article.title or 'Untitled'}"]
    meta = [m for m in (article.site_name or article.site, article.published, ", ".join(article.authors)) if m]
    link = article.canonical_url or article.url
    if link:
        meta.append(f"<{link}>")
    if meta:
        parts.append("*" + " · ".join(meta) + "*")
    parts.extend(article.paragraphs)
    return "\n\n".join(parts)
