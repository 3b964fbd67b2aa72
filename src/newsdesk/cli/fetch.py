"""``newsdesk fetch URL...``: pages, feeds, sitemaps and site roots into the archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .common import Progress, collect_options, db_option, finish, pipeline_options, warn


def options_for(db: str, collect: dict[str, Any], *, subscribe: bool = False) -> Any:
    """``FetchOptions`` from the command's collect options (the WARC folder beside ``db``
    unless given)."""
    from ..pipeline.collect import FetchOptions, default_warc_dir

    collect = dict(collect)
    collect["warc_dir"] = Path(collect["warc_dir"]) if collect["warc_dir"] else default_warc_dir(db)
    return FetchOptions(subscribe=subscribe, **collect)


@click.command("fetch", short_help="Fetch pages, feeds, sitemaps and sites politely into the archive (WARC kept).")
@click.argument("urls", nargs=-1, metavar="URL...")
@db_option
@click.option("--from-file", "from_file", type=click.File("r"), default=None,
              help="Read more URLs from this file, one per line (- for stdin; blank lines and # comments skipped).")
@click.option("--subscribe", is_flag=True, help="Remember the feeds and sitemaps among the URLs (and those a site root "
              "names) for `newsdesk watch`.")
@collect_options
@pipeline_options
def command(urls: tuple[str, ...], db: str, from_file: Any, subscribe: bool, collect: dict[str, Any], jobs: int | None,
            no_enrich: bool, articles_only: bool, sites: tuple[str, ...], languages: tuple[str, ...], time_limit: float,
            batch_size: int | None, keep_all: bool, quiet: bool) -> None:
    """Fetch each URL and what it leads to, and store the articles: an article page; an
    RSS 0.9x/1.0/2.0, Atom or JSON Feed; a sitemap, sitemap index, Google News sitemap or
    plain-text sitemap (gzipped too); or a site's root, whose robots.txt Sitemap lines and
    home-page feed links are followed. The pages go through the pipeline like `ingest`
    (extract, enrich, duplicates, stories).

    \b
    Manners: robots.txt obeyed for --user-agent (Crawl-delay honoured); one request at a
    time per host, --rate per second; timeouts; bodies over --max-size refused; at most 5
    redirects; retries with backoff on timeouts, 429 and 5xx (Retry-After honoured);
    conditional GET for feeds and sitemaps; URLs canonicalised (fragments, utm_* and other
    tracking parameters, default ports), so each page is fetched once; pages already in the
    archive are not fetched again (--refresh fetches them). Every response and its request
    are written to WARC files under --warc-dir; each record names its WARC locator. The
    queue lives in the archive: a killed run is finished by running it again.
    Exit code 3 when some URLs failed.
    """
    from ..pipeline import default_jobs
    from ..pipeline.collect import fetch

    given = list(urls)
    if from_file is not None:
        given += [line.strip() for line in from_file if line.strip() and not line.lstrip().startswith("#")]
    if not given:
        raise click.UsageError("give at least one URL (or --from-file)")
    options = options_for(db, collect, subscribe=subscribe)
    with Progress(None, "page", quiet=quiet) as progress:
        result = fetch(given, db, options=options, jobs=jobs or default_jobs(), enrich=not no_enrich, sites=sites,
                       languages=languages, articles_only=articles_only, batch_size=batch_size, time_limit=time_limit,
                       on_failure=progress.failure, on_progress=progress.update)
    for url in result.stats.subscribed:
        if not quiet:
            warn(f"subscribed: {url}")
    finish(result.report, quiet=quiet, line=result.summary())
