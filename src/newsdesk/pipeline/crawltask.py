"""One input of a crawl job: a WARC/WET/ARC file through the pipeline into Parquet parts.

This is what a Spark task runs (``pipeline.spark``), and nothing in it needs Spark: the
input is streamed through the same readers and stages as ``newsdesk ingest`` (extract,
select, enrich; one process, spaCy's pipeline loaded once per process and kept for the
next task), and the records are written with the export's Arrow schema
(``archive.export.parquet_schema``), split by the partition field, as
``OUT/<field>=<value>/part-<key>-<n>.parquet``. ``key`` names the input (a hash of it), so
a rerun of an input first removes what a killed attempt left. The input's completion
marker, ``OUT/_inputs/<key>.json``, is written last (to a temporary name, then renamed):
a marker with ``"status": "done"`` means every part of that input is complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..model import identify
from ..outcome import Status

PARTITIONS = ("crawl_date", "site")
# Rows per Parquet row group and per write: bounded memory for a 1 GB WARC.
ROWS_PER_WRITE = 1000
MARKERS = "_inputs"
# The first failure lines an input's marker keeps (the count is always whole).
KEEP_ERRORS = 20


@dataclass(frozen=True, slots=True)
class TaskOptions:
    enrich: bool = True
    sites: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    articles_only: bool = False
    partition_by: str = "crawl_date"


@dataclass(slots=True)
class InputResult:
    """What one input gave; also the content of its marker."""

    input: str
    key: str
    status: str = "done"  # "done", or "failed" (the input could not be read at all)
    records: int = 0
    skipped: int = 0
    failed: int = 0
    skips: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "key": self.key, "status": self.status, "records": self.records,
                "skipped": self.skipped, "failed": self.failed, "skips": self.skips, "errors": self.errors,
                "parts": self.parts, "seconds": round(self.seconds, 3)}


def input_key(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]


def marker_path(out: str | Path, name: str) -> Path:
    return Path(out) / MARKERS / f"{input_key(name)}.json"


def read_marker(out: str | Path, name: str) -> dict[str, Any] | None:
    path = marker_path(out, name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("input") == name else None


def partition_value(record: dict[str, Any], by: str) -> str:
    """The directory value of a record: its crawl date (``fetched``, else ``published``,
    as YYYY-MM-DD) or its site; ``unknown`` when it has none."""
    if by == "site":
        value = record.get("site") or "unknown"
    else:
        when = record.get("fetched") or record.get("published") or ""
        value = when[:10] if len(when) >= 10 else "unknown"
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in value)


def _local(name: str, tmp: Path) -> str:
    """A local path for ``name``: itself, a ``file://`` URL's path, or a download of an
    http(s) or filesystem URL (``s3://`` and the other schemes pyarrow's filesystems know)."""
    scheme = urlsplit(name).scheme.lower()
    if scheme in ("", "file") or (len(scheme) == 1 and os.name == "nt"):
        return urlsplit(name).path if scheme == "file" else name
    target = tmp / (Path(urlsplit(name).path).name or "input")
    if scheme in ("http", "https"):
        import httpx

        with httpx.stream("GET", name, follow_redirects=True, timeout=httpx.Timeout(30.0), trust_env=False) as r:
            r.raise_for_status()
            with target.open("wb") as fh:
                for chunk in r.iter_raw():
                    fh.write(chunk)
        return str(target)
    from pyarrow import fs

    filesystem, path = fs.FileSystem.from_uri(name)
    with filesystem.open_input_stream(path) as src, target.open("wb") as fh:
        shutil.copyfileobj(src, fh, 1 << 20)
    return str(target)


def run_input(name: str, out: str | Path, options: TaskOptions) -> InputResult:
    """Process one input into its Parquet parts and marker; never raises for a bad input
    (the result says what went wrong)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..archive.export import parquet_schema
    from .jobs import extract_pages
    from .stages import Select

    started = time.perf_counter()
    out = Path(out)
    key = input_key(name)
    result = InputResult(name, key)
    (out / MARKERS).mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"*/part-{key}-*.parquet*"):
        stale.unlink()  # a killed attempt's parts
    schema = parquet_schema()
    writers: dict[str, Any] = {}
    pending: dict[str, list[dict[str, Any]]] = {}
    skips: Counter[str] = Counter()

    def flush(value: str) -> None:
        rows = pending.pop(value, [])
        if not rows:
            return
        if value not in writers:
            folder = out / f"{options.partition_by}={value}"
            folder.mkdir(parents=True, exist_ok=True)
            writers[value] = pq.ParquetWriter(folder / f"part-{key}-0.parquet.tmp", schema)
        writers[value].write_table(pa.Table.from_pylist(rows, schema=schema))

    with tempfile.TemporaryDirectory(prefix="newsdesk-input-") as tmp:
        try:
            local = _local(name, Path(tmp))
        except Exception as exc:  # any transport's error: this input fails, the job goes on
            result.status = "failed"
            result.failed = 1
            result.errors = [f"{name}: cannot be read ({type(exc).__name__}: {exc})"]
        else:
            select = Select.build(sites=options.sites, languages=options.languages, articles_only=options.articles_only)
            for outcome in extract_pages([local], jobs=1, enrich=options.enrich, select=select):
                if outcome.status is Status.DONE and outcome.article is not None:
                    identify(outcome.article)
                    record = outcome.article.to_dict()
                    if local != name and record["source"].get("path") == local:
                        record["source"]["path"] = name  # the input as the user named it, not our download
                        record["source"]["locator"] = (record["source"]["locator"] or "").replace(local, name, 1)
                    value = partition_value(record, options.partition_by)
                    pending.setdefault(value, []).append(record)
                    result.records += 1
                    if len(pending[value]) >= ROWS_PER_WRITE:
                        flush(value)
                elif outcome.status is Status.SKIPPED:
                    result.skipped += 1
                    skips[outcome.reason or "skipped"] += 1
                else:
                    result.failed += 1
                    if len(result.errors) < KEEP_ERRORS:
                        result.errors.append((outcome.reason or f"{outcome.locator}: failed").replace(local, name))
            if result.records == 0 and result.failed and not result.skipped:
                result.status = "failed"  # nothing in it could be read: missing, not a crawl file, …
    for value in list(pending):
        flush(value)
    for value, writer in writers.items():
        writer.close()
        tmp_part = out / f"{options.partition_by}={value}" / f"part-{key}-0.parquet.tmp"
        final = tmp_part.with_suffix("")
        os.replace(tmp_part, final)
        result.parts.append(str(final.relative_to(out)))
    result.skips = dict(skips)
    result.seconds = time.perf_counter() - started
    marker = marker_path(out, name)
    tmp_marker = marker.with_suffix(".json.tmp")
    tmp_marker.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp_marker, marker)
    return result


__all__ = ["TaskOptions", "InputResult", "run_input", "input_key", "marker_path", "read_marker", "partition_value",
           "PARTITIONS", "MARKERS"]
