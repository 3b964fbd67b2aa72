"""WARC ingest against ingesting the same pages as files: pages/s side by side, one run.

    python -m bench.warc [--pages 1181] [--jobs 2] [--runs 5]
    python -m bench.warc --big [--big-mb 1000] [--copies 2] [--keep]

The pages are the 181 Zyte pages and then the WCXB-dev pages (sorted by id) of the shared
bench data, ``--pages`` of them. Built once and cached under ``bench/out/warc/``:

- ``pages-N/``: the pages as the ``.html.gz`` files the data ships (``zyte/ID.html.gz``,
  ``wcxb/ID.html.gz``);
- ``pages-N.warc.gz``: a WARC/1.0, one gzip member per record, written with
  ``tests/crawlfiles.py``, laid out as a Common Crawl WARC: a warcinfo record, then per page
  a request record, the HTTP 200 response (the page's own URL, ``text/html`` with the
  charset the page declares in its first 4 KB, else no charset; the body as served,
  uncompressed) and a metadata record, so the reader skips two records per page.

Then ``newsdesk ingest FOLDER --db a.db --no-enrich --jobs J --quiet`` and the same over the
WARC (``b.db``) are timed in turns (files, WARC, WARC, files, ...; each on a fresh db, after
one untimed warm-up of each): wall seconds as min and median, pages/s, the WARC/files ratio
of wall times (per pair: median and min), and the peak memory of the newsdesk process tree.
The two archives are then compared: same record count, same set of ``text_hash`` values. A
difference is traced to its pages and counted as explained when ``newsdesk.extract`` itself
gives that page another text with its URL (which the WARC supplies) than without (a page file
has none); the exit status is 1 when a difference is unexplained or the counts differ.

``--big`` writes a ~1 GB WARC (``--big-mb``) instead: the pages ``--copies`` times, each copy
under other URLs (``?copy=K``), with 1–5 MB binary responses (random bytes, so gzip cannot
shrink them; image/jpeg and application/octet-stream) spread between them, and ingests it once
with ``--no-enrich --jobs J``: wall time, records/s, pages/s and peak memory. The file is
deleted at the end unless ``--keep``.

Memory: a sampler reads /proc every 0.2 s (``--interval``) for every process in the command's
process group (the CLI, its fork server and workers) and keeps the peak of the SUM of their
RSS, of the sum of their PSS (smaps_rollup: shared pages split between the processes sharing
them, so forked workers are not counted twice), and the largest single process's RSS. Not the
kernel's ``ru_maxrss`` (``getrusage(RUSAGE_CHILDREN)`` or ``os.wait4``): the workers are
children of multiprocessing's fork server, which the CLI never waits for, so they are not in
it; and Linux carries the high-water mark across exec, so the CLI's figure would start at this
bench process's own peak RSS (~420 MiB after writing the big WARC).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.data import WCXB, ZYTE, require

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "warc"
sys.path.insert(0, str(ROOT / "tests"))

import crawlfiles as cf  # noqa: E402  (tests/crawlfiles.py: the tests' WARC writer)

PAGES = 181 + 1000
LAYOUT = 2  # bump when the generated files change, so cached ones are rebuilt
_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)


@dataclass
class Page:
    part: str  # "zyte" or "wcxb"
    id: str
    url: str
    path: Path  # the shared .html.gz


def select_pages(count: int) -> list[Page]:
    """The first ``count`` pages: every Zyte page (sorted by id), then WCXB-dev (sorted)."""
    pages = []
    truth = json.loads((require(ZYTE) / "ground-truth.json").read_text(encoding="utf-8"))
    for pid in sorted(truth):
        pages.append(Page("zyte", pid, truth[pid].get("url") or f"https://zyte.example/{pid}", ZYTE / "html" / f"{pid}.html.gz"))
    root = require(WCXB)
    for html in sorted((root / "html").glob("*.html.gz")):
        if len(pages) >= count:
            break
        fid = html.name.removesuffix(".html.gz")
        gt = root / "ground-truth" / f"{fid}.json"
        url = json.loads(gt.read_text(encoding="utf-8")).get("url") if gt.exists() else None
        pages.append(Page("wcxb", fid, url or f"https://wcxb.example/{fid}", html))
    if len(pages) < count:
        sys.exit(f"bench: only {len(pages)} pages in the shared data, --pages {count} asked for")
    return pages[:count]


def charset_of(raw: bytes) -> str | None:
    m = _CHARSET_RE.search(raw[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def page_records(page: Page, raw: bytes, url: str) -> list[cf.Record]:
    """request, response, metadata: what Common Crawl writes for one fetch."""
    cs = charset_of(raw)
    resp = cf.response(url, raw, content_type=f"text/html; charset={cs}" if cs else "text/html")
    req = cf.request(url, concurrent_to=resp)
    meta = cf.metadata(url, {"fetchTimeMs": str(100 + len(raw) % 900), "charset-detected": (cs or "utf-8").upper()},
                       refers_to=resp)
    return [req, resp, meta]


def warcinfo(name: str) -> cf.Record:
    return cf.warcinfo({"software": "newsdesk bench.warc", "format": "WARC File Format 1.0",
                        "description": "shared bench pages as a Common Crawl-shaped WARC"}, filename=name)


class Writer:
    """Append records to a .warc.gz one by one (a gzip member each), so a big file never sits
    in memory; written under a temporary name and renamed by ``close``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".part")
        self.fh = open(self.tmp, "wb")  # noqa: SIM115  (closed by close())
        self.records = 0

    def add(self, *records: cf.Record) -> list[int]:
        """Write ``records``; return the offset where each starts (its locator's @OFFSET)."""
        offsets = []
        for rec in records:
            offsets.append(self.fh.tell())
            # warc_bytes of one record, compression="record": exactly that record's gzip member.
            self.fh.write(cf.warc_bytes([rec], compression="record"))
        self.records += len(records)
        return offsets

    @property
    def size(self) -> int:
        return self.fh.tell()

    def close(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)


def _key(p: Page) -> str:
    return f"{p.part}/{p.id}"


def build(pages: list[Page]) -> tuple[Path, Path, dict[int, str]]:
    """The folder of .html.gz files and the WARC, built unless cached for these pages; and
    which page (``part/id``) each response record of the WARC holds, by offset."""
    n = len(pages)
    folder, warc = OUT / f"pages-{n}", OUT / f"pages-{n}.warc.gz"
    stamp_path = OUT / f"pages-{n}.json"
    stamp = {"layout": LAYOUT, "pages": [_key(p) for p in pages]}
    if folder.is_dir() and warc.is_file() and stamp_path.is_file():
        cached = json.loads(stamp_path.read_text())
        if cached.get("stamp") == stamp:
            return folder, warc, {int(k): v for k, v in cached["offsets"].items()}
    t0 = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    stamp_path.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    for p in pages:
        dest = folder / p.part / f"{p.id}.html.gz"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p.path, dest)
    w = Writer(warc)
    w.add(warcinfo(warc.name))
    offsets = {}
    for p in pages:
        offsets[w.add(*page_records(p, gzip.decompress(p.path.read_bytes()), p.url))[1]] = _key(p)
    w.close()
    stamp_path.write_text(json.dumps({"stamp": stamp, "offsets": offsets}))
    print(f"built {folder.relative_to(ROOT)}/ and {warc.relative_to(ROOT)} ({w.records} records, "
          f"{warc.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s", flush=True)
    return folder, warc, offsets


def build_big(pages: list[Page], path: Path, target: int, copies: int, seed: int = 1) -> tuple[int, int, int]:
    """The big WARC: the pages ``copies`` times (other URLs each time) with 1-5 MB binary
    responses spread between them until the file reaches ``target`` bytes.
    Returns (records, pages, binaries)."""
    rng = random.Random(seed)
    raws = [gzip.decompress(p.path.read_bytes()) for p in pages]
    page_bytes = sum(len(r) for r in raws) * copies * 0.2  # gzip takes HTML to about a fifth
    blobs_planned = max(1, int((target - page_bytes) / 3e6))
    every = max(1, (len(pages) * copies) // blobs_planned)
    w = Writer(path)
    w.add(warcinfo(path.name))
    blobs = written = 0

    def blob() -> None:
        nonlocal blobs
        size = rng.randint(1_000_000, 5_000_000)
        kind = "image/jpeg" if blobs % 2 else "application/octet-stream"
        url = f"https://media.example.net/{blobs:06d}.{'jpg' if blobs % 2 else 'bin'}"
        resp = cf.response(url, os.urandom(size), content_type=kind)
        w.add(cf.request(url, concurrent_to=resp), resp)
        blobs += 1

    for k in range(copies):
        for p, raw in zip(pages, raws):
            url = p.url + ("&" if "?" in p.url else "?") + f"copy={k}"
            w.add(*page_records(p, raw, url))
            written += 1
            if written % every == 0 and w.size < target:
                blob()
    while w.size < target:
        blob()
    w.close()
    return w.records, written, blobs


# ---------------------------------------------------------------------------------------------
# Running and measuring


def newsdesk_cmd() -> list[str]:
    script = Path(sys.executable).with_name("newsdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsdesk"]


def _group_memory(pgid: int) -> tuple[int, int, int, int]:
    """(sum of RSS, sum of PSS, largest RSS, processes), bytes, over the processes of group ``pgid``."""
    rss = pss = largest = n = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
            fields = stat[stat.rindex(b")") + 2 :].split()
            if int(fields[2]) != pgid:  # state, ppid, pgrp
                continue
            with open(f"/proc/{entry}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Rss:"):
                        one = int(line.split()[1]) * 1024
                        rss += one
                        largest = max(largest, one)
                    elif line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
            n += 1
        except (OSError, ValueError, IndexError):  # gone meanwhile, or a kernel thread
            continue
    return rss, pss, largest, n


@dataclass
class Run:
    wall: float
    returncode: int
    stderr: str
    peak_rss: int  # sum over the tree, sampled
    peak_pss: int
    peak_largest: int  # the largest single process, sampled
    peak_procs: int


def run(cmd: list[str], *, interval: float = 0.2, timeout: float = 3600) -> Run:
    """Run ``cmd`` in a process group of its own, sampling the group's memory meanwhile."""
    import tempfile

    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        peak = [0, 0, 0, 0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[:] = [max(a, b) for a, b in zip(peak, _group_memory(proc.pid))]
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        killer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        killer.start()
        _, status = os.waitpid(proc.pid, 0)
        wall = time.perf_counter() - t0
        killer.cancel()
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(wall, proc.returncode, text, *peak)


def fresh(db: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)


def ingest(source: Path, db: Path, jobs: int, *, quiet: bool = True, interval: float = 0.2) -> Run:
    fresh(db)
    cmd = [*newsdesk_cmd(), "ingest", str(source), "--db", str(db), "--no-enrich", "--jobs", str(jobs)]
    r = run(cmd + (["--quiet"] if quiet else []), interval=interval)
    if r.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-2000:]}")
    return r


def archive_contents(db: Path) -> dict[str, str]:
    """text_hash by locator (the page file, or the WARC@OFFSET of its response record)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT json_extract(record, '$.source.locator'), text_hash FROM articles").fetchall()
    finally:
        conn.close()
    return dict(rows)


def check(pages: list[Page], folder: Path, offsets: dict[int, str], a: Path, b: Path) -> bool:
    """Both archives: the same records, the same text hashes. A difference is traced to its
    pages, and called explained when ``newsdesk.extract`` itself gives the page another text
    with its URL (what the WARC supplies) than without one (a file has none)."""
    by_file = archive_contents(a)
    by_warc = archive_contents(b)
    ha, hb = set(by_file.values()), set(by_warc.values())
    if len(by_file) == len(by_warc) and ha == hb:
        print(f"check: both archives hold {len(by_file)} records with the same set of {len(ha)} text_hash values")
        return True
    print(f"check: the archives DIFFER: files {len(by_file)} records / {len(ha)} text hashes, "
          f"WARC {len(by_warc)} records / {len(hb)} text hashes; {len(ha - hb)} hashes only from the files, "
          f"{len(hb - ha)} only from the WARC")
    import newsdesk

    page_of = {_key(p): p for p in pages}
    odd = sorted({str(Path(loc).relative_to(folder)).removesuffix(".html.gz") for loc, h in by_file.items() if h not in hb}
                 | {offsets.get(int(loc.rpartition("@")[2]), loc) for loc, h in by_warc.items() if h not in ha})
    explained = True
    for key in odd:
        p = page_of.get(key)
        if p is None:
            print(f"  {key}: not traced to a page")
            explained = False
            continue
        raw = gzip.decompress(p.path.read_bytes())
        without, with_url = (newsdesk.extract(raw).text_hash, newsdesk.extract(raw, url=p.url).text_hash)
        why = "extract() differs with the URL than without" if without != with_url else "UNEXPLAINED"
        explained &= without != with_url
        print(f"  {key} {p.url}: {why} ({without} without, {with_url} with it)")
    if explained and len(by_file) == len(by_warc):
        print("check: same record count; the text hashes differ only on pages whose extraction depends on "
              "knowing the page's URL (the WARC gives it, a page file does not)")
    return explained and len(by_file) == len(by_warc)


def mb(n: int) -> str:
    return f"{n / 2**20:.0f} MiB" if n else "n/a"


def compare(args: argparse.Namespace) -> None:
    pages = select_pages(args.pages)
    folder, warc, offsets = build(pages)
    n = len(pages)
    dbs = {"files": OUT / "a.db", "warc": OUT / "b.db"}
    sources = {"files": folder, "warc": warc}
    print(f"{n} pages: {folder.relative_to(ROOT)}/ ({sum(f.stat().st_size for f in folder.rglob('*.gz')) / 1e6:.1f} MB "
          f"of .html.gz) vs {warc.relative_to(ROOT)} ({warc.stat().st_size / 1e6:.1f} MB, {3 * n + 1} records); "
          f"--jobs {args.jobs}, {args.runs} runs each after {args.warmup} warm-up", flush=True)
    for _ in range(args.warmup):
        for kind in ("files", "warc"):
            ingest(sources[kind], dbs[kind], args.jobs, interval=args.interval)
    runs: dict[str, list[Run]] = {"files": [], "warc": []}
    for i in range(args.runs):
        order = ("files", "warc") if i % 2 == 0 else ("warc", "files")
        for kind in order:
            r = ingest(sources[kind], dbs[kind], args.jobs, interval=args.interval)
            runs[kind].append(r)
            print(f"  run {i + 1} {kind:<5} {r.wall:7.2f} s  {n / r.wall:6.1f} pages/s  peak tree RSS {mb(r.peak_rss)}",
                  flush=True)

    print()
    print(f"{'input':<6} {'wall min':>9} {'wall med':>9} {'pages/s best':>13} {'pages/s med':>12} "
          f"{'peak RSS sum':>13} {'peak PSS sum':>13} {'largest proc':>13}")
    for kind in ("files", "warc"):
        walls = [r.wall for r in runs[kind]]
        lo, med = min(walls), statistics.median(walls)
        print(f"{kind:<6} {lo:8.2f}s {med:8.2f}s {n / lo:13.1f} {n / med:12.1f} "
              f"{mb(max(r.peak_rss for r in runs[kind])):>13} {mb(max(r.peak_pss for r in runs[kind])):>13} "
              f"{mb(max(r.peak_largest for r in runs[kind])):>13}")
    pairs = [w.wall / f.wall for w, f in zip(runs["warc"], runs["files"])]
    print(f"ratio WARC/files of wall time, pair by pair: median {statistics.median(pairs):.3f}, min {min(pairs):.3f}, "
          f"max {max(pairs):.3f} (below 1: the WARC is faster); of min walls "
          f"{min(r.wall for r in runs['warc']) / min(r.wall for r in runs['files']):.3f}, of median walls "
          f"{statistics.median(r.wall for r in runs['warc']) / statistics.median(r.wall for r in runs['files']):.3f}")

    # The last run of each left its archive: the same pages must give the same records.
    if not check(pages, folder, offsets, dbs["files"], dbs["warc"]):
        sys.exit(1)


def big(args: argparse.Namespace) -> None:
    pages = select_pages(args.pages)
    OUT.mkdir(parents=True, exist_ok=True)
    path, db = OUT / "big.warc.gz", OUT / "big.db"
    try:
        if not path.exists() or not args.keep:
            t0 = time.perf_counter()
            records, written, blobs = build_big(pages, path, int(args.big_mb * 1e6), args.copies)
            print(f"wrote {path.relative_to(ROOT)}: {path.stat().st_size / 1e9:.2f} GB, {records} records "
                  f"({written} pages, {blobs} binary responses of 1-5 MB, a request record before each response, "
                  f"a metadata record after each page) in {time.perf_counter() - t0:.0f} s", flush=True)
        else:
            print(f"reusing {path.relative_to(ROOT)} ({path.stat().st_size / 1e9:.2f} GB)", flush=True)
        r = ingest(path, db, args.jobs, quiet=False, interval=args.interval)
        summary = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        m = re.search(r"read (\d+), added (\d+), updated (\d+), already present (\d+), failed (\d+)", summary)
        read = int(m.group(1)) if m else 0
        stored = sum(int(m.group(i)) for i in (2, 3, 4)) if m else 0
        size = path.stat().st_size
        print(f"summary: {summary}")
        print(f"{'WARC size':>10} {'wall':>8} {'records/s':>10} {'pages/s':>8} {'MB/s':>7} "
              f"{'peak RSS sum':>13} {'peak PSS sum':>13} {'largest proc':>13} {'procs':>6}")
        print(f"{size / 1e9:8.2f}GB {r.wall:7.1f}s {read / r.wall:10.1f} {stored / r.wall:8.1f} {size / 1e6 / r.wall:7.1f} "
              f"{mb(r.peak_rss):>13} {mb(r.peak_pss):>13} {mb(r.peak_largest):>13} {r.peak_procs:>6}")
        print("(records: every record the summary counts as read; pages: added + updated + already present; peak RSS/PSS "
              f"sum and largest proc: sampled every {args.interval:g} s over the process group)")
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            Path(str(path) + ".part").unlink(missing_ok=True)
            fresh(db)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.warc", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=PAGES, help=f"pages (Zyte first, then WCXB-dev; default {PAGES})")
    parser.add_argument("--jobs", type=int, default=2, help="newsdesk worker processes (default 2)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each first (default 1)")
    parser.add_argument("--big", action="store_true", help="ingest one ~1 GB WARC and report its peak memory")
    parser.add_argument("--big-mb", type=float, default=1000, help="size of the --big WARC in MB (default 1000)")
    parser.add_argument("--copies", type=int, default=2, help="--big: how many times the pages are in it (default 2)")
    parser.add_argument("--keep", action="store_true", help="--big: keep the big WARC (and reuse a kept one)")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between memory samples (default 0.2)")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.runs < 1 or args.jobs < 1:
        parser.error("--pages, --runs and --jobs must be at least 1")
    big(args) if args.big else compare(args)


if __name__ == "__main__":
    main()
