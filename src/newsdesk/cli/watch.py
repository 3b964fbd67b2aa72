"""``newsdesk watch``: poll the subscribed feeds and sitemaps, fetch what is new."""

from __future__ import annotations

import re
from typing import Any

import click

from .common import collect_options, db_option, finish, pipeline_options, warn

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def seconds(value: str) -> float:
    """``15m`` → 900.0 (s, m, h, d; a bare number is seconds)."""
    m = _EVERY.match(value)
    if not m or float(m.group(1)) <= 0:
        raise click.BadParameter(f"{value!r} is not a duration such as 90s, 15m, 2h or 1d")
    return float(m.group(1)) * _UNIT[m.group(2)]


@click.command("watch", short_help="Poll the subscribed feeds and sitemaps; fetch only what is new.")
@db_option
@click.option("--every", default="15m", show_default=True, metavar="DURATION", help="Time between polls: 90s, 15m, 2h, 1d.")
@click.option("--once", is_flag=True, help="Poll once and exit (for cron).")
@collect_options
@pipeline_options
def command(db: str, every: str, once: bool, collect: dict[str, Any], jobs: int | None, no_enrich: bool, articles_only: bool,
            sites: tuple[str, ...], languages: tuple[str, ...], time_limit: float, batch_size: int | None, keep_all: bool,
            quiet: bool) -> None:
    """Poll every feed and sitemap subscribed with `newsdesk fetch --subscribe` and fetch
    the pages they list that are not in the archive yet, with fetch's manners and
    options. Listings are asked conditionally (ETag, Last-Modified): an unchanged one is a
    304 and costs nothing more. Runs until interrupted; --once polls once (cron:
    `*/15 * * * * newsdesk watch --once --db news.db -q`). Exit code 3 when something
    failed in the last poll.
    """
    from ..pipeline import default_jobs
    from ..pipeline.collect import Collection, watch
    from .fetch import options_for

    interval = seconds(every)
    options = options_for(db, collect)

    def polled(result: Collection) -> None:
        if not quiet and not once:
            warn(result.summary())

    results = watch(db, options=options, every=interval, once=once, on_poll=polled, jobs=jobs or default_jobs(),
                    enrich=not no_enrich, sites=sites, languages=languages, articles_only=articles_only,
                    batch_size=batch_size, time_limit=time_limit, on_failure=warn)
    last = results[-1]
    finish(last.report, quiet=quiet or not once, line=last.summary())
