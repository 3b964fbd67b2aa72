"""PostgreSQL beside SQLite at archive scale: copy, web latency, search, ingest, concurrent writers.

    python -m bench.archive_pg [--articles 100000] [--requests 20] [--writers 4] [--ingest 5000]

One run, both stores, the same data. The SQLite archive is ``bench.gen_archive``'s synthetic
one (built once and cached per size: ``web-100k.db``, ``web-<N>.db``); a throwaway
PostgreSQL server (``tests/pgserver.py``: a fresh ``initdb`` on loopback, fsync off) gets
its copy. Measured:

1. copy — ``newsdesk copy -q <sqlite> <pg url>`` in a subprocess, as a user moves an
   archive: wall time and articles/s. Then ``VACUUM (ANALYZE)`` (timed apart; skip it with
   ``--no-vacuum``): the pages are timed as on a settled server, with statistics;
2. web — ``bench.web``'s cases against ``newsdesk serve`` on each store in turn (same
   probes, picked from the SQLite archive: the copy holds the same ids and names; one
   warm-up, then ``--requests`` sequential requests per case): p50/p95/max, the PG/SQLite
   ratio at p95, and PG cases over ``bench.web.SLOW_MS`` at p95 flagged;
3. search — ``Archive(target, readonly=True).search(word)`` in this process for the common
   and the rare probe word and the common word on the biggest site: p50/p95 over
   ``--requests`` runs after one warm-up;
4. ingest — ``Archive(fresh).add_many`` of ``--ingest`` generated articles (the generator
   of ``bench.gen_archive``) into a new SQLite file and a new PostgreSQL database;
5. writers — ``--writers`` spawned processes, each with its own ``BatchWriter``, adding
   overlapping slices of those articles (neighbours share half) into ONE new database,
   released together; then every writer must have finished without an error, the table
   must hold each distinct id exactly once and each id must have been "added" by exactly
   one writer. The same with one SQLite file (its writers take turns through the busy
   timeout; PostgreSQL's through an advisory lock per transaction).

The Markdown tables go to stdout, progress to stderr, everything to
``bench/out/archive-pg.json``. The PostgreSQL numbers are for a server without fsync or
synchronous commit (a benchmark server), SQLite's for its WAL + synchronous=NORMAL: ingest
rates lean towards PostgreSQL. ``--keep-server`` leaves the server and its databases
running at the end (the output says how to stop it), to ``EXPLAIN ANALYZE`` a slow page.
Timings are never part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.gen_archive import DEFAULT_DB, ROOT, Generator, build
from bench.web import SLOW_MS, Probes, cases, measure, percentile, probes, serving

OUT = ROOT / "bench" / "out" / "archive-pg.json"
# The default run should stay under this on the 2-core bench machine; past it the output
# says so and suggests a smaller --articles.
BUDGET_S = 25 * 60
# Seconds the writers may take to load their articles and open the archive (the first
# open of a new database runs the migrations) before the start is called off.
READY_TIMEOUT_S = 600


def log(msg: str) -> None:
    print(f"archive_pg: {msg}", file=sys.stderr, flush=True)


def stats_ms(times: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(times), 2), "p95": round(percentile(times, 95), 2),
            "max": round(max(times), 2)}


# -- 1. copy ----------------------------------------------------------------------------------


def bench_copy(db: Path, url: str) -> dict[str, Any]:
    from newsdesk import Archive

    started = time.perf_counter()
    # A subprocess, as a user runs it: the CLI's own imports and connections are timed.
    done = subprocess.run([sys.executable, "-m", "newsdesk", "copy", "-q", str(db), url], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"archive_pg: newsdesk copy failed ({done.returncode}):\n{done.stderr}")
    with Archive(db, readonly=True) as src, Archive(url, readonly=True) as dst:
        articles, copied = src.count(), dst.count()
        pg_bytes = int(dst.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0])
    if copied != articles:
        sys.exit(f"archive_pg: the copy holds {copied} articles, the source {articles}")
    return {"articles": articles, "seconds": round(seconds, 1), "articles_per_s": round(articles / seconds, 1),
            "sqlite_bytes": db.stat().st_size, "pg_bytes": pg_bytes}


def pg_maintenance(url: str) -> dict[str, Any]:
    """Whether autovacuum has analysed and vacuumed the big tables yet: a copy runs no
    ANALYZE, so right after one the planner's statistics (and the visibility map behind
    index-only scans) are whatever autovacuum managed during it."""
    from newsdesk import Archive

    with Archive(url, readonly=True) as archive:
        rows = archive.conn.execute(
            "SELECT relname, n_live_tup, last_autoanalyze IS NOT NULL, last_autovacuum IS NOT NULL, n_mod_since_analyze"
            " FROM pg_stat_user_tables WHERE relname IN ('articles', 'entities', 'quotes', 'quote_about', 'entity_stats')"
            " ORDER BY relname").fetchall()
    return {r[0]: {"rows": r[1], "analyzed": bool(r[2]), "vacuumed": bool(r[3]), "changed_since_analyze": r[4]}
            for r in rows}


def vacuum_analyze(url: str) -> None:
    """``VACUUM (ANALYZE)`` the whole database, as a settled server's autovacuum would have:
    the pages are then timed on real statistics, and no autovacuum worker of the fresh
    copy competes with them for the two cores."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


# -- 2. web -----------------------------------------------------------------------------------


def bench_web(target: Path | str, log_path: Path, p: Probes, requests: int) -> tuple[dict[str, dict[str, float]], list[str]]:
    """p50/p95/max per case name, and the requests that did not answer 200."""
    results: dict[str, dict[str, float]] = {}
    failed: list[str] = []
    with serving(target, log_path) as url, httpx.Client(base_url=url, timeout=120) as client:
        for case in cases(p):
            times, errors = measure(client, case, requests)
            results[case.name] = stats_ms(times)
            failed.extend(errors)
            log(f"  {case.group:<9} {case.name[:52]:<52} p95 {results[case.name]['p95']:8.1f} ms")
    return results, failed


# -- 3. search --------------------------------------------------------------------------------


def search_queries(p: Probes) -> list[tuple[str, str, dict[str, str]]]:
    return [
        (f"common word ({p.common_word})", p.common_word, {}),
        (f"rare word ({p.rare_word})", p.rare_word, {}),
        (f"common word, site={p.site}", p.common_word, {"site": p.site}),
    ]


def bench_search(target: Path | str, p: Probes, runs: int) -> dict[str, dict[str, Any]]:
    from newsdesk import Archive

    results: dict[str, dict[str, Any]] = {}
    with Archive(target, readonly=True) as archive:
        for name, word, filters in search_queries(p):
            hits = archive.search(word, **filters)  # warm-up: statement caches, the page cache
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                archive.search(word, **filters)
                times.append((time.perf_counter() - start) * 1000)
            results[name] = {**stats_ms(times), "hits": len(hits)}
    return results


# -- 4. ingest --------------------------------------------------------------------------------


def write_articles(path: Path, count: int) -> None:
    """The first ``count`` generated articles, pickled: every phase and every writer process
    reads the same records without generating them again (the generator is sequential:
    article n needs the random state after n-1)."""
    gen = Generator()
    with path.open("wb") as out:
        pickle.dump([gen.article(n) for n in range(count)], out, protocol=pickle.HIGHEST_PROTOCOL)


def load_articles(path: Path) -> list[Any]:
    with path.open("rb") as f:
        return pickle.load(f)  # our own file, written by write_articles


def bench_ingest(target: Path | str, articles_file: Path, count: int) -> dict[str, Any]:
    from newsdesk import Archive

    articles = load_articles(articles_file)[:count]  # fresh objects: add() sets id, story, origin
    started = time.perf_counter()
    archive = Archive(target)  # creates and migrates: timed apart from the adds
    opened = time.perf_counter()
    try:
        counts = archive.add_many(articles)
    finally:
        archive.close()
    seconds = time.perf_counter() - opened
    return {"articles": count, "open_s": round(opened - started, 2), "seconds": round(seconds, 1),
            "articles_per_s": round(count / seconds, 1), "results": dict(counts)}


# -- 5. concurrent writers ----------------------------------------------------------------------


def slices(writers: int, per_writer: int) -> list[tuple[int, int]]:
    """Writer k adds articles [k*N/2, k*N/2 + N): each shares half its slice with each
    neighbour."""
    half = per_writer // 2
    return [(k * half, k * half + per_writer) for k in range(writers)]


def _writer(k: int, target: str, articles_file: str, lo: int, hi: int, ready: Any, go: Any, off: Any,
            results: Any) -> None:
    """One writer process: load, open, say it is ready, wait for the start, add its slice
    through a BatchWriter (a commit per batch, as ingest does). Reports (k, counts, start,
    end, error) on ``results``."""
    from newsdesk.archive import Archive, BatchWriter

    counts: Counter[str] = Counter()
    start = end = 0.0
    error = None
    try:
        articles = load_articles(Path(articles_file))[lo:hi]
        # Odd writers go backwards, so neighbours reach their shared half during the same
        # stretch of the run and really do add the same ids at the same time (both going
        # forward, the later slice would always have stored them long before).
        if k % 2:
            articles.reverse()
        archive = Archive(target)  # all open a new archive at once: concurrent migrations
    except BaseException as exc:
        results.put((k, {}, 0.0, 0.0, f"before start: {type(exc).__name__}: {exc}"))
        return
    ready.put(k)
    if not go.wait(READY_TIMEOUT_S) or off.is_set():
        archive.close()
        results.put((k, {}, 0.0, 0.0, "start called off (another writer failed to start)"))
        return
    try:
        # time.monotonic: one system-wide clock, comparable between processes.
        start = time.monotonic()
        with BatchWriter(archive) as writer:
            for article in articles:
                counts[writer.add(article)] += 1
    except BaseException as exc:
        error = f"after {sum(counts.values())} adds: {type(exc).__name__}: {' '.join(str(exc).split())}"
    finally:
        end = time.monotonic()
        try:
            archive.close()
        except BaseException as exc:
            error = error or f"close: {type(exc).__name__}: {exc}"
        results.put((k, dict(counts), start, end, error))


def _start_together(procs: list[Any], ready: Any, go: Any, off: Any) -> None:
    """Release the writers once every one is ready; call the start off if one dies (or
    hangs) before it is, so no process waits for a writer that will never come."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    waiting = len(procs)
    while waiting:
        try:
            ready.get(timeout=1)
            waiting -= 1
        except queue.Empty:
            if time.monotonic() > deadline or any(proc.exitcode is not None for proc in procs):
                off.set()
                break
    go.set()


def _collect(procs: list[Any], results: Any) -> list[tuple[Any, ...]]:
    """Every writer's report. Read before join (a child with queued data waits for it to
    be read before it exits); a child that died without one shows as its exit code."""
    reports: list[tuple[Any, ...]] = []
    while len(reports) < len(procs):
        try:
            reports.append(results.get(timeout=5))
        except queue.Empty:
            if not any(proc.is_alive() for proc in procs) and results.empty():
                break
    for proc in procs:
        proc.join()
    return sorted(reports)


def _count_rows(target: Path | str) -> tuple[int, int]:
    """Rows in articles, and rows beyond one per id; (0, 0) when no writer ever opened it."""
    from newsdesk import Archive
    from newsdesk.errors import ArchiveError

    try:
        with Archive(target, readonly=True) as archive:
            rows = int(archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0])
            dupes = int(archive.conn.execute("SELECT count(*) - count(DISTINCT id) FROM articles").fetchone()[0])
    except ArchiveError:
        return 0, 0
    return rows, dupes


def bench_writers(target: Path | str, articles_file: Path, writers: int, per_writer: int) -> dict[str, Any]:
    spans = slices(writers, per_writer)
    distinct = spans[-1][1] - spans[0][0]
    # spawn: each writer a fresh interpreter, as separate `newsdesk ingest` runs are; no
    # inherited connections or locks from this process. (A script calling this needs the
    # usual `if __name__ == "__main__":` guard: spawn imports the main module again.)
    ctx = multiprocessing.get_context("spawn")
    ready, results = ctx.Queue(), ctx.Queue()
    go, off = ctx.Event(), ctx.Event()
    procs = [ctx.Process(target=_writer, args=(k, str(target), str(articles_file), lo, hi, ready, go, off, results))
             for k, (lo, hi) in enumerate(spans)]
    for proc in procs:
        proc.start()
    _start_together(procs, ready, go, off)
    reports = _collect(procs, results)
    errors = [f"writer {k}: {err}" for k, _, _, _, err in reports if err]
    reported = {r[0] for r in reports}
    errors += [f"writer {k}: exit code {proc.exitcode}, no report" for k, proc in enumerate(procs)
               if proc.exitcode and k not in reported]
    starts = [s for _, _, s, _, err in reports if s]
    ends = [e for _, _, s, e, _ in reports if s]
    seconds = (max(ends) - min(starts)) if starts else 0.0
    totals: Counter[str] = Counter()
    for _, counts, *_ in reports:
        totals.update(counts)
    adds = sum(totals.values())
    rows, dupes = _count_rows(target)
    checks = {
        "no_errors": not errors,
        "rows_equal_distinct": rows == distinct,
        "no_duplicate_ids": dupes == 0,
        "each_added_once": totals.get("added", 0) == distinct,
    }
    return {
        "writers": writers, "per_writer": per_writer, "adds": adds, "distinct": distinct, "rows": rows,
        "duplicate_ids": dupes, "results": dict(totals), "seconds": round(seconds, 1),
        "adds_per_s": round(adds / seconds, 1) if seconds else None,
        "distinct_per_s": round(distinct / seconds, 1) if seconds else None,
        "per_writer_s": [round(e - s, 1) if s else None for _, _, s, e, _ in reports],
        "errors": errors, "checks": checks, "ok": all(checks.values()),
    }


# -- output -----------------------------------------------------------------------------------


def table(header: list[str], rows: list[list[Any]], align: str = "") -> str:
    """A Markdown table; ``align`` one letter per column, l or r (default: first l, rest r)."""
    align = align or "l" + "r" * (len(header) - 1)
    cells = [[str(c) for c in row] for row in rows]
    rule = [":---" if a == "l" else "---:" for a in align]
    return "\n".join("| " + " | ".join(r) + " |" for r in [header, rule, *cells])


def fmt(v: float | None, digits: int = 1) -> str:
    return "–" if v is None else f"{v:,.{digits}f}"


def report(res: dict[str, Any]) -> str:
    out = [f"# newsdesk archive: PostgreSQL beside SQLite ({res['articles']:,} articles)", ""]
    out.append(f"SQLite: {res['sqlite']} · PostgreSQL: {res['postgres']['version']} (throwaway server, "
               f"{res['postgres']['settings']}) · {res['requests']} requests/runs per case · {os.cpu_count()} CPUs")
    p = res["probes"]
    out.append(f"Probes: common word {p['common_word']!r}, rare word {p['rare_word']!r} ({p['rare_word_articles']} "
               f"articles on SQLite), site {p['site']}, person {p['person']!r} ({p['person_articles']} articles)")
    out.append("")

    c = res["copy"]
    out += ["## Copy (`newsdesk copy -q`, SQLite → PostgreSQL)", ""]
    out.append(table(["articles", "seconds", "articles/s", "SQLite file", "PG database"],
                     [[f"{c['articles']:,}", fmt(c["seconds"]), fmt(c["articles_per_s"], 0),
                       f"{c['sqlite_bytes'] / 1e9:.2f} GB", f"{c['pg_bytes'] / 1e9:.2f} GB"]], "rrrrr"))
    maint = res["pg_maintenance"]
    state = ", ".join(f"{t} {'analysed' if m['analyzed'] else 'NOT analysed'}" for t, m in maint.items())
    out += ["", f"Autovacuum by the end of the copy: {state}. "
            + ("Then `VACUUM (ANALYZE)` (phase below) before anything was timed." if res["vacuumed"]
               else "No VACUUM ANALYZE before the timings (--no-vacuum)."), ""]

    out += [f"## Web latency (ms; `newsdesk serve`, {res['requests']} sequential requests per case)", ""]
    rows = []
    for w in res["web"]:
        s, g = w["sqlite"], w["postgres"]
        flag = "**PG SLOW**" if w["pg_slow"] else ""
        if s["p95"] > SLOW_MS:
            flag = (flag + " " if flag else "") + "SQLite slow"
        rows.append([w["group"], w["case"], fmt(s["p50"]), fmt(s["p95"]), fmt(s["max"]), fmt(g["p50"]), fmt(g["p95"]),
                     fmt(g["max"]), f"{w['ratio_p95']:.1f}×", flag])
    out.append(table(["group", "case", "SQLite p50", "SQLite p95", "SQLite max", "PG p50", "PG p95", "PG max",
                      "PG/SQLite p95", f"> {SLOW_MS:.0f} ms p95"], rows, "llrrrrrrrl"))
    slow = [w for w in res["web"] if w["pg_slow"]]
    out.append("")
    if slow:
        out.append(f"PostgreSQL cases over {SLOW_MS:.0f} ms at p95:")
        out += [f"- {w['case']}: {w['postgres']['p95']:.1f} ms (`{w['path']}`)" for w in slow]
    else:
        out.append(f"No PostgreSQL case over {SLOW_MS:.0f} ms at p95.")
    for store, failed in res["web_failures"].items():
        if failed:
            out.append(f"Requests that failed on {store}: " + "; ".join(failed))
    out.append("")

    out += [f"## Search through the Python API (ms; `Archive.search`, {res['requests']} runs)", ""]
    rows = []
    for name, s in res["search"]["sqlite"].items():
        g = res["search"]["postgres"][name]
        rows.append([name, s["hits"], fmt(s["p50"]), fmt(s["p95"]), g["hits"], fmt(g["p50"]), fmt(g["p95"]),
                     f"{g['p95'] / s['p95']:.1f}×" if s["p95"] else "–"])
    out.append(table(["query", "SQLite hits", "SQLite p50", "SQLite p95", "PG hits", "PG p50", "PG p95", "PG/SQLite p95"],
                     rows))
    out.append("")

    out += ["## Ingest (`Archive(fresh).add_many`, one process, commit per 200)", ""]
    out.append(table(["store", "articles", "open s", "seconds", "articles/s"],
                     [[store, f"{i['articles']:,}", fmt(i["open_s"], 2), fmt(i["seconds"]), fmt(i["articles_per_s"])]
                      for store, i in res["ingest"].items()]))
    out.append("")

    out += ["## Concurrent writers (one new archive, spawned processes, `BatchWriter`, released together)", ""]
    rows = []
    for store, w in res["writers"].items():
        rows.append([store, w["writers"], f"{w['adds']:,}", f"{w['distinct']:,}", f"{w['rows']:,}", w["duplicate_ids"],
                     w["results"].get("added", 0), fmt(w["seconds"]), fmt(w["adds_per_s"]), fmt(w["distinct_per_s"]),
                     len(w["errors"]), "yes" if w["ok"] else "**NO**"])
    out.append(table(["store", "writers", "adds", "distinct ids", "rows", "duplicate ids", "added", "wall s", "adds/s",
                      "distinct/s", "errors", "checks pass"], rows))
    for store, w in res["writers"].items():
        for err in w["errors"]:
            out.append(f"- {store} {err}")
        failed = [k for k, v in w["checks"].items() if not v]
        if failed:
            out.append(f"- {store}: failed checks: {', '.join(failed)}")
    out.append("")

    out += ["## Run", ""]
    out.append(table(["phase", "seconds"], [[k, fmt(v)] for k, v in res["phases"].items()]
                     + [["**total**", fmt(res["total_seconds"])]]))
    if res["total_seconds"] > BUDGET_S:
        out += ["", f"The run took over {BUDGET_S // 60} minutes (budget for the default run); "
                "pass a smaller --articles (or --ingest) for a quicker one."]
    return "\n".join(out)


def measure_all(args: argparse.Namespace, db: Path, p: Probes, pg: Any, folder: Path,
                phase: Callable[[str, Callable[[], Any]], Any]) -> dict[str, Any]:
    """Phases 1-5 against the running server ``pg``; their results."""
    res: dict[str, Any] = {}
    url = pg.database("archive")
    res["postgres"] = {"version": pg_version(pg.admin_url), "settings": "fsync=off, synchronous_commit=off",
                       "url": url}
    res["copy"] = phase("copy", lambda: bench_copy(db, url))
    res["pg_maintenance"] = pg_maintenance(url)
    res["vacuumed"] = not args.no_vacuum
    if res["vacuumed"]:
        phase("vacuum analyze", lambda: vacuum_analyze(url))

    web: dict[str, Any] = {}
    failures: dict[str, list[str]] = {}
    web["sqlite"], failures["sqlite"] = phase(
        "web sqlite", lambda: bench_web(db, db.with_suffix(".serve.log"), p, args.requests))
    web["postgres"], failures["postgres"] = phase(
        "web postgres", lambda: bench_web(url, db.with_name("archive-pg.serve.log"), p, args.requests))
    res["web"] = []
    for case in cases(p):
        s, g = web["sqlite"][case.name], web["postgres"][case.name]
        res["web"].append({"group": case.group, "case": case.name, "path": case.paths[0], "sqlite": s, "postgres": g,
                           "ratio_p95": round(g["p95"] / s["p95"], 2) if s["p95"] else None,
                           "pg_slow": g["p95"] > SLOW_MS})
    res["web_failures"] = failures

    res["search"] = phase("search", lambda: {"sqlite": bench_search(db, p, args.requests),
                                             "postgres": bench_search(url, p, args.requests)})

    # The writers' slices: together as many adds as the single ingest, half of them ids a
    # neighbour adds too.
    per_writer = args.ingest // args.writers
    articles_file = folder / "articles.pickle"
    phase("generate articles",
          lambda: write_articles(articles_file, max(args.ingest, slices(args.writers, per_writer)[-1][1])))
    res["ingest"] = {
        "sqlite": phase("ingest sqlite", lambda: bench_ingest(folder / "ingest.db", articles_file, args.ingest)),
        "postgres": phase("ingest postgres", lambda: bench_ingest(pg.database("ingest"), articles_file, args.ingest)),
    }
    res["writers"] = {
        "sqlite": phase("writers sqlite",
                        lambda: bench_writers(folder / "writers.db", articles_file, args.writers, per_writer)),
        # An empty database, not yet an archive: the writers' first opens migrate it.
        "postgres": phase("writers postgres",
                          lambda: bench_writers(pg.database("writers"), articles_file, args.writers, per_writer)),
    }
    return res


def pg_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="size of the archive copied and served")
    parser.add_argument("--db", type=Path, default=None, help=f"default: {DEFAULT_DB} (web-<N>.db for other sizes)")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per web case, runs per search [20]")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writer processes [4]")
    parser.add_argument("--ingest", type=int, default=5000, help="articles added by ingest; the writers share as many adds")
    parser.add_argument("--no-vacuum", action="store_true",
                        help="time the pages on the copy as it is, without VACUUM (ANALYZE) first")
    parser.add_argument("--keep-server", action="store_true",
                        help="leave the PostgreSQL server (and the copy) running at the end, to EXPLAIN slow pages")
    args = parser.parse_args(argv)
    if args.writers < 1 or args.ingest < 2 * args.writers:
        parser.error("need --writers >= 1 and --ingest >= 2 * --writers")
    db = args.db or (DEFAULT_DB if args.articles == 100_000 else DEFAULT_DB.with_name(f"web-{args.articles}.db"))

    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import Server, missing

    if reason := missing():
        sys.exit(f"archive_pg: needs {reason}")

    started = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name: str, fn: Callable[[], Any]) -> Any:
        log(f"{name}…")
        t = time.perf_counter()
        value = fn()
        phases[name] = round(time.perf_counter() - t, 1)
        log(f"{name}: {phases[name]:.0f} s")
        return value

    phase("archive (cached build)", lambda: build(db, args.articles))
    p = probes(db)
    res: dict[str, Any] = {"articles": args.articles, "requests": args.requests, "sqlite": str(db),
                           "probes": {k: v for k, v in vars(p).items() if k != "article_ids"}}
    pg = Server().start()
    try:
        with tempfile.TemporaryDirectory(prefix="archive-pg-") as tmp:
            res.update(measure_all(args, db, p, pg, Path(tmp), phase))
    finally:
        if not args.keep_server:
            pg.stop()
    if args.keep_server:
        as_user = f"runuser -u {pg.user} -- " if pg.user else ""
        log(f"PostgreSQL left running: {res['postgres']['url']} (databases ingest and writers beside it); stop it with\n"
            f"  {as_user}{pg.bin / 'pg_ctl'} -D {pg.data} -m fast stop && rm -rf {pg.folder}")
    res["phases"] = phases
    res["total_seconds"] = round(time.perf_counter() - started, 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(report(res))
    print(f"\n(JSON: {OUT.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
