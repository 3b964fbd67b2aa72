"""Web app latency at archive scale: p50/p95/max per page type, against a running server.

    python -m bench.web [--articles 100000] [--db bench/out/web-100k.db] [--requests 20]

Builds (once, cached; see ``bench.gen_archive``) a synthetic archive of ``--articles``
articles, starts ``newsdesk serve`` on it in a subprocess (uvicorn, as a user runs it) and
times sequential HTTP requests from this process with httpx: each case gets one untimed
warm-up request, then ``--requests`` timed ones. The time is the whole round trip over
loopback, body read included. The query words, names and sites are picked from the
archive itself (the most and least named person, a common and a rare word, the biggest
site), so the cases mean the same on any archive size. Pages over ``SLOW_MS`` at p95 are
flagged. Timings are never part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

from bench.gen_archive import DEFAULT_DB, build

# A page a person waits for: past ~200 ms a click stops feeling immediate.
SLOW_MS = 200.0


@dataclass(frozen=True)
class Case:
    group: str
    name: str
    paths: tuple[str, ...]  # requests cycle through these (articles: many different ids)


@dataclass(frozen=True)
class Probes:
    common_word: str
    rare_word: str
    rare_word_articles: int
    site: str
    person: str
    person_articles: int
    rare_person: str
    rare_person_articles: int
    since: str
    until: str
    article_ids: tuple[str, ...]


def probes(db: Path) -> Probes:
    """Query values picked from the archive: a common and a rare word, the most and a least
    named person, the biggest site, a half-year window and 50 random article ids."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        people = conn.execute(
            "SELECT name, count(DISTINCT article_seq) AS n FROM entities WHERE label = 'PERSON' GROUP BY key"
        ).fetchall()
        people.sort(key=lambda r: (-r[1], r[0]))
        rare = [r for r in people if r[1] <= 3]
        rare_person = rare[len(rare) // 2] if rare else people[-1]
        site = conn.execute("SELECT site FROM articles GROUP BY site ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        dates = conn.execute("SELECT min(published), max(published) FROM articles").fetchone()
        year = int(dates[1][:4]) - 1
        total = conn.execute("SELECT max(seq) FROM articles").fetchone()[0]
        rng = random.Random(7)
        seqs = rng.sample(range(1, total + 1), min(50, total))
        ids = tuple(
            r[0] for r in conn.execute(f"SELECT id FROM articles WHERE seq IN ({','.join('?' * len(seqs))})", seqs)
        )
        # A rare word: the least frequent of a sample of text words that still occur.
        words: dict[str, int] = {}
        for (text,) in conn.execute("SELECT text FROM articles WHERE seq IN (1, 2, 3, 4, 5, 6, 7, 8)"):
            for w in text.split():
                w = w.strip(".,“”").lower()
                if w.isalpha() and len(w) > 5:
                    words[w] = 0
        for w in list(words)[:300]:
            words[w] = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (w,)).fetchone()[0]
        counted = sorted((n, w) for w, n in words.items() if n > 0)
        rare_n, rare_word = counted[0]
    finally:
        conn.close()
    return Probes(
        common_word="said",
        rare_word=rare_word,
        rare_word_articles=rare_n,
        site=site,
        person=people[0][0],
        person_articles=people[0][1],
        rare_person=rare_person[0],
        rare_person_articles=rare_person[1],
        since=f"{year}-01-01",
        until=f"{year}-06-30",
        article_ids=ids,
    )


def cases(p: Probes) -> list[Case]:
    def q(path: str, **params: str | int) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    person, rare = quote(p.person, safe=""), quote(p.rare_person, safe="")
    common = {"q": p.common_word}
    html = [
        Case("search", "home (no query)", (q("/"),)),
        Case("search", f"common word ({p.common_word})", (q("/", **common),)),
        Case("search", f"rare word ({p.rare_word}: {p.rare_word_articles} articles)", (q("/", q=p.rare_word),)),
        Case("search", "common word + site + dates", (q("/", **common, site=p.site, since=p.since, until=p.until),)),
        Case("search", "common word + person", (q("/", **common, person=p.person),)),
        Case("search", "person only (no query)", (q("/", person=p.person),)),
        Case("search", "common word, page 50", (q("/", **common, page=50),)),
        Case("article", "article (50 ids)", tuple(f"/article/{i}" for i in p.article_ids)),
        Case("entity", f"common person ({p.person_articles} articles)", (f"/entity/PERSON/{person}",)),
        Case("entity", f"rare person ({p.rare_person_articles} articles)", (f"/entity/PERSON/{rare}",)),
        Case("entities", "entities (all labels)", (q("/entities"),)),
        Case("entities", "entities PERSON", (q("/entities", label="PERSON"),)),
        Case("entities", "entities PERSON, page 20", (q("/entities", label="PERSON", page=20),)),
        Case("entities", "entities ORG name filter", (q("/entities", label="ORG", name="ministry"),)),
        Case("quotes", "quotes (plain)", (q("/quotes"),)),
        Case("quotes", "quotes by speaker (common person)", (q("/quotes", speaker=p.person),)),
        Case("quotes", "quotes about (common person)", (q("/quotes", about=p.person),)),
        Case("quotes", f"quotes words ({p.common_word})", (q("/quotes", q=p.common_word),)),
        Case("quotes", "quotes kind + site", (q("/quotes", kind="partial", site=p.site),)),
        Case("quotes", "quotes page 50", (q("/quotes", page=50),)),
        Case("sources", "sources", (q("/sources"),)),
    ]
    api = [
        Case("api", "/api/search common word", (q("/api/search", **common),)),
        Case("api", "/api/search common word + person", (q("/api/search", **common, person=p.person),)),
        Case("api", "/api/article (50 ids)", tuple(f"/api/article/{i}" for i in p.article_ids)),
        Case("api", "/api/entities PERSON", (q("/api/entities", label="PERSON"),)),
        Case("api", "/api/entity common person", (f"/api/entity/PERSON/{person}",)),
        Case("api", "/api/quotes", (q("/api/quotes"),)),
        Case("api", "/api/quotes by speaker", (q("/api/quotes", speaker=p.person),)),
        Case("api", "/api/sources", (q("/api/sources"),)),
    ]
    return html + api


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path | str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``newsdesk serve --db DB`` on a free port: DB a SQLite path or a PostgreSQL URL."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # a first open may migrate a big archive
    while True:
        if proc.poll() is not None:
            sys.exit(f"bench.web: newsdesk serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            httpx.get(url + "/openapi.json", timeout=5)
            return proc, url
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            sys.exit(f"bench.web: newsdesk serve did not answer on {url}")
        time.sleep(0.2)


@contextlib.contextmanager
def serving(target: Path | str, log_path: Path) -> Iterator[str]:
    """``newsdesk serve`` on ``target`` while the block runs; its base URL."""
    proc, url = start_server(target, log_path)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(client: httpx.Client, case: Case, requests: int) -> tuple[list[float], list[str]]:
    """Milliseconds per timed request, and any request that did not answer 200."""
    errors: list[str] = []
    client.get(case.paths[0])  # warm-up: first-use caches, the page cache
    times: list[float] = []
    for i in range(requests):
        path = case.paths[i % len(case.paths)]
        start = time.perf_counter()
        response = client.get(path)
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200 and len(errors) < 3:
            errors.append(f"{path} -> HTTP {response.status_code}")
    return times, errors


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=None, help=f"default: {DEFAULT_DB} (web-<N>.db for other sizes)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per case [default: 20]")
    args = parser.parse_args(argv)
    db = args.db or (DEFAULT_DB if args.articles == 100_000 else DEFAULT_DB.with_name(f"web-{args.articles}.db"))

    started = time.perf_counter()
    build(db, args.articles)
    print(f"archive: {db} ({args.articles:,} articles; ready in {time.perf_counter() - started:.0f} s)")
    p = probes(db)
    print(
        f"probes: common word {p.common_word!r}, rare word {p.rare_word!r} ({p.rare_word_articles} articles), "
        f"site {p.site}, person {p.person!r} ({p.person_articles} articles), "
        f"rare person {p.rare_person!r} ({p.rare_person_articles}), dates {p.since}..{p.until}"
    )
    slow: list[tuple[Case, float]] = []
    failed: list[str] = []
    with serving(db, db.with_suffix(".serve.log")) as url, httpx.Client(base_url=url, timeout=60) as client:
        print(f"server: newsdesk serve (uvicorn) at {url}; {args.requests} sequential requests per case\n")
        print(f"{'group':<9} {'case':<52} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for case in cases(p):
            times, errors = measure(client, case, args.requests)
            p50, p95 = statistics.median(times), percentile(times, 95)
            flag = "  SLOW" if p95 > SLOW_MS else ""
            print(f"{case.group:<9} {case.name[:52]:<52} {p50:8.1f} {p95:8.1f} {max(times):8.1f}{flag}", flush=True)
            if p95 > SLOW_MS:
                slow.append((case, p95))
            failed.extend(errors)
    if slow:
        print(f"\nover {SLOW_MS:.0f} ms at p95:")
        for case, p95 in slow:
            print(f"  {p95:8.1f} ms  {case.paths[0]}")
    if failed:
        print("\nrequests that failed:")
        for line in failed:
            print(f"  {line}")


if __name__ == "__main__":
    main()
