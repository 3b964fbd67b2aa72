"""Test helpers: synthetic article pages and a runner for the real CLI (imported by conftest and tests)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import newsdesk

DATA = Path(__file__).parent / "data"
SRC = Path(newsdesk.__file__).resolve().parent.parent

_PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget for public transport, ending months of debate "
    "between the mayor's office and opposition members over the cost of extending the tram line.",
    "Officials said the plan would add twelve kilometres of track and forty new stops by the end of the decade, "
    "with most of the money coming from a regional infrastructure fund agreed last spring.",
    "Critics argued that the timetable was unrealistic and that similar projects in neighbouring regions had "
    "run years late and far over budget, leaving residents with half-built stations.",
    "Supporters countered that congestion in the centre had reached a point where doing nothing would cost "
    "more, pointing to a recent study of travel times during the morning rush.",
]


def article_html(
    n: int,
    *,
    title: str | None = None,
    canonical: str | None = None,
    published: str = "2020-02-23T05:06:00+00:00",
    extra: str = "",
    site: str = "example.com",
) -> str:
    """A small, plainly article-shaped page whose text is unique to ``n`` (and ``extra``)."""
    title = title or f"Council approves transport budget, part {n}"
    canonical = canonical or f"https://www.{site}/news/{n}-council-budget"
    paras = [f"Story {n} ({extra or 'first edition'}): reference code zq{n}x."] + _PARAGRAPHS
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Example News</title>
<link rel="canonical" href="{canonical}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:url" content="{canonical}">
<meta property="article:published_time" content="{published}">
<meta name="description" content="Councillors back a plan to extend the tram line.">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By Jane Reporter</p>
<time datetime="{published}">{published[:10]}</time>
{body}
</article></main>
<footer>© Example News</footer>
</body></html>
"""


def prose(seed: int, paragraphs: int = 6, words: int = 40, consonants: str = "bcdfghklmnprstvz") -> str:
    """Distinct, reproducible text: made-up words, so two seeds share no passage. Two seeds
    share many short words (a vocabulary of one story); other ``consonants`` share none."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice(consonants) + rng.choice("aeiou") for _ in range(rng.randint(1, 3)))
             for _ in range(400)]
    return "\n\n".join(" ".join(rng.choice(vocab) for _ in range(words)).capitalize() + "." for _ in range(paragraphs))


def write_pages(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(start, start + count):
        path = folder / f"page-{n:05d}.html"
        path.write_text(article_html(n), encoding="utf-8")
        paths.append(path)
    return paths


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    return env


def run_cli(*args: str | Path, cwd: Path, stdin: bytes | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newsdesk ARGS`` as a user would, capturing text stdout/stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=cli_env(),
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr


@dataclass(frozen=True)
class Trap:
    """A pipeline stage that misbehaves on the pages whose locator holds ``marker``: ``hang``
    (a Python-level hang the per-page alarm breaks), ``hang-hard`` (SIGALRM blocked first, as
    a hang inside C code would be: only the pool's watchdog can end it) or ``crash`` (the
    worker process is killed). Defined here so worker processes can import it."""

    marker: str
    how: str
    name: str = "trap"
    version: int = 0

    def process(self, batch: list[Any], *, time_limit: float | None) -> None:
        from newsdesk.pipeline.pool import beat
        from newsdesk.pipeline.stages import guarded

        for work in batch:
            if self.marker not in work.locator:
                continue
            if self.how == "hang":
                guarded(work, time_limit, lambda: time.sleep(3600))
            elif self.how == "hang-hard":
                beat(work.index, time_limit)
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
                time.sleep(3600)
            elif self.how == "crash":
                os.kill(os.getpid(), signal.SIGKILL)


def fts_consistent(path: Path | str) -> None:
    """The full-text index holds exactly the stored articles, as they are now."""
    if isinstance(path, str):  # PostgreSQL: one article_search row per article, kept by a trigger
        import psycopg

        with psycopg.connect(path) as pg:
            # Written out here, not through nd_article_tsv: the test checks the trigger's
            # weights and configuration, not the function against itself.
            stale = pg.execute(
                "SELECT count(*) FROM articles AS a FULL JOIN article_search AS s ON s.seq = a.seq"
                " WHERE a.seq IS NULL OR s.seq IS NULL OR s.day IS DISTINCT FROM substr(a.published, 1, 10)"
                " OR s.tsv IS DISTINCT FROM"
                " setweight(to_tsvector(nd_ts_config(a.language), coalesce(a.title, '')), 'A')"
                " || setweight(to_tsvector(nd_ts_config(a.language), coalesce(a.description, '')), 'B')"
                " || setweight(to_tsvector(nd_ts_config(a.language), left(a.text, 500000)), 'D')").fetchone()
            assert stale is not None and stale[0] == 0
        return
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    docs = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    rows = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert docs == rows
    conn.close()
