"""What the commands share: the --db option, the filter options, output helpers."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DB = "newsdesk.db"


def batch_size_option(f: F) -> F:
    """``--batch-size``: records per commit; unset, the store's own (``BATCH_SIZES``)."""
    from ..archive.dialect import POSTGRES, SQLITE
    from ..archive.store import BATCH_SIZES

    default = f"{BATCH_SIZES[SQLITE]} on SQLite, {BATCH_SIZES[POSTGRES]} on PostgreSQL"
    return click.option("--batch-size", type=click.IntRange(min=1), default=None,
                        help=f"Records per commit [default: {default}].")(f)


def db_option(f: F) -> F:
    return click.option(
        "--db",
        "db",
        default=DEFAULT_DB,
        show_default=True,
        envvar="NEWSDESK_DB",
        show_envvar=True,
        type=click.Path(dir_okay=False),
        metavar="FILE|URL",
        help="The archive: a SQLite file, or a PostgreSQL URL (postgresql://user@host/dbname).",
    )(f)


def filter_options(*names: str) -> Callable[[F], F]:
    """The shared filters as options (``archive.filters.FILTERS``; ``names``: a subset),
    handed to the command as one ``filters`` dict, ready for the library's keyword
    arguments: every read command spells and means them the same way."""
    from ..archive.filters import FILTERS

    specs = [s for s in FILTERS if not names or s.name in names]

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> Any:
            return f(*args, filters={s.name: kwargs.pop(s.name) for s in specs}, **kwargs)

        for spec in reversed(specs):
            kind = click.Choice(spec.choices) if spec.choices else None
            command = click.option(f"--{spec.name}", spec.name, metavar=spec.metavar, type=kind, help=spec.described)(command)
        return command  # type: ignore[return-value]

    return decorate


def pipeline_options(f: F) -> F:
    """What every command that reads new inputs takes (ingest; fetch and watch next):
    workers, enrichment, which pages to keep, the per-page time limit, batch size, quiet."""
    from ..pipeline import DEFAULT_TIME_LIMIT

    options = [
        click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes [default: every core]."),
        click.option("--no-enrich", is_flag=True, help="Skip entities and quotes (fast); `newsdesk enrich` adds them later."),
        click.option("--articles-only", is_flag=True,
                     help="Store article pages only (for crawls): listings, home pages and other pages are skipped; "
                     "tuned to drop at most 2% of true articles."),
        click.option("--site", "sites", multiple=True, metavar="DOMAIN",
                     help="Only pages of this site (registered domain; repeatable). Crawl records of other sites are "
                     "never read."),
        click.option("--language", "languages", multiple=True, metavar="CODE",
                     help="Only pages in this language (ISO 639-1, e.g. en; repeatable)."),
        click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_TIME_LIMIT,
                     show_default=True, metavar="SECONDS",
                     help="A page taking longer than this in one stage is reported as failed; the run goes on."),
        batch_size_option,
        click.option("--keep-all", is_flag=True, hidden=True, help="Accepted for older scripts: every page is now stored."),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary (failures are still reported)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def collect_options(f: F) -> F:
    """What every command that fetches takes (fetch, watch): where the WARC files go, who
    we say we are, and the manners; handed to the command as one ``collect`` dict of
    ``read.fetch.FetchOptions`` fields (``warc_dir`` None: beside the archive)."""
    from ..read.fetch.client import DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_USER_AGENT

    specs = [
        click.option("--warc-dir", type=click.Path(file_okay=False), default=None,
                     help="Where the WARC files of every response go [default: beside the archive, NAME-warc/]."),
        click.option("--user-agent", default=DEFAULT_USER_AGENT, show_default=True, envvar="NEWSDESK_USER_AGENT",
                     help="The User-Agent sent, and the name robots.txt rules are read for; add your contact URL or "
                     "address (or set NEWSDESK_USER_AGENT)."),
        click.option("--rate", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="PER_SECOND",
                     help="Requests per second to one host (0: no spacing; one request at a time per host always). "
                     "A robots.txt Crawl-delay that asks for more is honoured."),
        click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True,
                     help="Requests in flight, all hosts together."),
        click.option("--max-pages", type=click.IntRange(min=0), default=None, help="Fetch at most this many pages."),
        click.option("--refresh", is_flag=True, help="Fetch pages again even when they are in the archive already."),
        click.option("--connect-timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_CONNECT_TIMEOUT,
                     show_default=True, metavar="SECONDS"),
        click.option("--read-timeout", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_READ_TIMEOUT,
                     show_default=True, metavar="SECONDS", help="Longest wait for the next bytes of a response."),
        click.option("--max-size", "max_bytes", type=click.IntRange(min=1), default=16, show_default=True, metavar="MB",
                     help="Bodies larger than this are refused (not read)."),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
                     help="Tries after the first on timeouts, 429 and 5xx (exponential backoff, Retry-After honoured)."),
    ]
    names = ["warc_dir", "user_agent", "rate", "concurrency", "max_pages", "refresh", "connect_timeout", "read_timeout",
             "max_bytes", "retries"]

    @functools.wraps(f)
    def command(*args: Any, **kwargs: Any) -> Any:
        collect = {n: kwargs.pop(n) for n in names}
        collect["max_bytes"] *= 1024 * 1024
        return f(*args, collect=collect, **kwargs)

    for option in reversed(specs):
        command = option(command)
    return command  # type: ignore[return-value]


def warn(message: str) -> None:
    """One line on stderr, prefixed like every newsdesk message."""
    click.echo(f"newsdesk: {message}", err=True)


class Progress:
    """A tqdm bar on stderr when it is a terminal (and not --quiet); failure lines are
    written above the bar instead of breaking it. A context manager: closes the bar."""

    def __init__(self, total: int | None, unit: str, *, quiet: bool) -> None:
        self.bar: Any = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, file=sys.stderr, dynamic_ncols=True)
        self.update = self.bar.update if self.bar is not None else None

    def failure(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(f"newsdesk: {line}", file=sys.stderr)
        else:
            warn(line)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def finish(report: Any, *, quiet: bool, line: str | None = None) -> None:
    """The run's summary line (unless quiet), and exit code 3 when some inputs failed."""
    if not quiet:
        warn(line or report.summary())
    if report.failed:
        sys.exit(3)


def input_progress(paths: tuple[str, ...], *, quiet: bool, unit: str = "page") -> tuple[list[Any], Progress]:
    """The inputs under ``paths``, listed (a folder walk, no file read), and a progress bar
    sized by them — open-ended when crawl files are among them (their records are counted
    as they are read, not before)."""
    from ..read import iter_pages, reader_for

    pages = list(iter_pages(paths))
    crawl = any(reader_for(p.path).name != "file" for p in pages)
    return pages, Progress(None if crawl else len(pages), "record" if crawl else unit, quiet=quiet)


def write_jsonl(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def clip(value: str | None, width: int) -> str:
    value = " ".join((value or "").split())
    return value if len(value) <= width else value[: width - 1] + "…"
