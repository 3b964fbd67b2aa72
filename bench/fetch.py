"""Collecting from a loopback site against ingesting the same pages as files, one run.

    python -m bench.fetch [--pages 300] [--jobs 2] [--runs 3] [--no-enrich]

The pages are the first ``--pages`` syndication dev pages (``../shared/bench/syndication/
pages``, real rendered news pages). A standard-library HTTP server on 127.0.0.1 serves
them at ``/news/NAME``, with a sitemap listing them and a robots.txt that allows all and
asks no delay. Then, in turns (files, fetch, fetch, files, …; each into a fresh archive):

- files: ``pipeline.ingest`` of the pages as files (what `newsdesk ingest FOLDER` does);
- fetch: ``pipeline.collect.fetch`` of the sitemap with ``--rate 0`` (no spacing; still one
  request at a time to the one host) — every response written to a WARC file, every page
  read back from it by the workers.

Reported: wall seconds (median of the runs), pages/s, the fetch/files ratio, and the time
spent writing WARC records (``WarcWriter.write``, timed in this process, where the writing
happens) as a share of the fetch run and of the files ingest: the cost of keeping every
response on record.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.data import BENCH


class _Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # As real servers do: without it, the head and the body go in two segments and the
    # client's delayed ACK adds ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _site(folder: Path, names: list[str]) -> Path:
    root = folder / "site"
    (root / "news").mkdir(parents=True)
    for name in names:
        shutil.copyfile(BENCH / "syndication" / "pages" / name, root / "news" / name)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return root


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-enrich", action="store_true")
    args = ap.parse_args(argv)

    from newsdesk.pipeline import ingest
    from newsdesk.pipeline.collect import FetchOptions, fetch
    from newsdesk.read.fetch import warcs

    names = sorted(p.name for p in (BENCH / "syndication" / "pages").glob("*.html"))[: args.pages]
    spent = [0.0]
    original = warcs.WarcWriter.write

    def timed(self: Any, *a: Any, **k: Any) -> str:
        t = time.perf_counter()
        try:
            return original(self, *a, **k)
        finally:
            spent[0] += time.perf_counter() - t

    warcs.WarcWriter.write = timed  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        root = _site(tmp, names)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        urls = "\n".join(f"  <url><loc>{base}/news/{n}</loc></url>" for n in names)
        (root / "sitemap.xml").write_text(
            f'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n')
        runs: dict[str, list[float]] = {"files": [], "fetch": []}
        warc_share: list[float] = []
        stored: dict[str, int] = {}
        order = ["files", "fetch", "fetch", "files"] * args.runs
        for i, what in enumerate(order[: 2 * args.runs]):
            db = tmp / f"{what}-{i}.db"
            t = time.perf_counter()
            if what == "files":
                report = ingest([str(root / "news")], db, jobs=args.jobs, enrich=not args.no_enrich)
            else:
                spent[0] = 0.0
                options = FetchOptions(warc_dir=tmp / f"warc-{i}", rate=0.0, concurrency=4)
                report = fetch([f"{base}/sitemap.xml"], db, options=options, jobs=args.jobs,
                               enrich=not args.no_enrich).report
            wall = time.perf_counter() - t
            runs[what].append(wall)
            stored[what] = report.added
            if what == "fetch":
                warc_share.append(spent[0] / wall)
            db.unlink()
        server.shutdown()
    files, fetched = statistics.median(runs["files"]), statistics.median(runs["fetch"])
    print(f"{len(names)} syndication pages, jobs {args.jobs}, enrich {'off' if args.no_enrich else 'on'}, "
          f"{args.runs} runs each")
    print(f"{'run':34} {'median s':>9} {'pages/s':>8} {'stored':>7}")
    print(f"{'ingest of the pages as files':34} {files:9.2f} {len(names) / files:8.1f} {stored['files']:7}")
    print(f"{'fetch from the loopback site':34} {fetched:9.2f} {len(names) / fetched:8.1f} {stored['fetch']:7}")
    print(f"fetch / files wall ratio: {fetched / files:.3f}")
    share = statistics.median(warc_share)
    print(f"WARC writing: {share * 100:.1f}% of the fetch run, {share * fetched / files * 100:.1f}% of the files ingest")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
