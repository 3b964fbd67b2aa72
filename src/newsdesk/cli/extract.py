"""``newsdesk extract PAGE...``: pages in, one article record per page out."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..errors import UsageError
from ..model import Article
from ..outcome import Report, Status
from ..pipeline import DEFAULT_TIME_LIMIT, Select, extract_pages
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
@click.option("--articles-only", is_flag=True, help="Article pages only (listings, home pages and other pages skipped).")
@click.option("--site", "sites", multiple=True, metavar="DOMAIN", help="Only pages of this site (repeatable).")
@click.option("--language", "languages", multiple=True, metavar="CODE", help="Only pages in this language (repeatable).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIME_LIMIT, show_default=True,
              metavar="SECONDS", help="A page taking longer than this in one stage is reported as failed.")
def command(
    pages: tuple[str, ...], url: str | None, fmt: str, no_enrich: bool, articles_only: bool, sites: tuple[str, ...],
    languages: tuple[str, ...], time_limit: float,
) -> None:
    """Extract articles from PAGEs: HTML files (.html, .htm, .html.gz), text dumps (.txt),
    crawl files (WARC, WET, ARC: one record per page), folders of them, or - for stdin.
    HTML or text is decided from the content.

    Records carry the page's people, organisations, places and quotes (``entities``,
    ``quotes``) unless --no-enrich. A page that cannot be read gets one line on stderr;
    the others are still extracted (exit code 3). Records of a crawl file that are not
    pages (requests, revisits, redirects, …) are counted in a summary line on stderr.
    """
    if url and len(pages) > 1:
        raise UsageError("--url applies to a single PAGE")
    select = Select.build(sites=sites, languages=languages, articles_only=articles_only)
    report = Report()
    records: list[dict[str, Any]] = []
    # Pages go through spaCy a few at a time (nlp.pipe batching) and are printed as each
    # batch is done, so a long run streams.
    for outcome in extract_pages(list(pages), jobs=1, enrich=not no_enrich, url=url, select=select, time_limit=time_limit):
        report.count(outcome)
        if outcome.status is Status.FAILED:
            warn(outcome.reason or f"{outcome.locator}: failed")
        elif outcome.warning:
            warn(outcome.warning)
        if outcome.article is None or outcome.status is not Status.DONE:
            continue
        if fmt == "json":
            records.append(outcome.article.to_dict())
        else:
            _emit(outcome.article, fmt)
    if fmt == "json":
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    if report.skipped:
        warn(report.summary(stored=False))
    if report.failed:
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
