"""The pipeline on Spark: one task per input file, Parquet parts out, copy groups over the
whole crawl by a shuffle on LSH bands.

    newsdesk spark MANIFEST --out DIR [--master local[*]|spark://…|yarn] [--partitions N]

or, on a cluster, ``spark-submit`` of ``newsdesk/cli/spark_submit.py`` (see the README,
"Run on Spark").

1. The manifest's inputs that have a ``done`` marker in ``DIR/_inputs/`` are skipped (a
   killed job resumes where it stopped); the others become one Spark task each
   (``crawltask.run_input``: the readers and stages of ``newsdesk ingest``, Parquet parts
   with the export schema, the marker last).
2. The copy pass reads the dataset back (id, text, dates), maps each record to its LSH band
   keys, groups by band (the shuffle), pairs each bucket's members, joins the two texts of
   each pair and confirms it with the duplicate stage's rule; the confirmed links are few
   and are grouped on the driver (``links.crawl.groups``). ``DIR/_copies/`` gets one row per
   grouped record: ``id``, ``origin``, the earliest member of its group. It is rewritten
   each run, over every input done so far.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .crawltask import MARKERS, TaskOptions, read_marker, run_input

COPIES = "_copies"


@dataclass(slots=True)
class SparkReport:
    """The job's summary."""

    inputs: int = 0
    done: int = 0
    skipped: int = 0  # finished by an earlier run
    failed: int = 0
    records: int = 0
    record_skips: int = 0
    record_failures: int = 0
    copies: int = 0  # records in a copy group other than its origin
    groups: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        rate = self.records / self.seconds if self.seconds else 0.0
        return (f"inputs {self.inputs}: done {self.done}, skipped {self.skipped} (done before), failed {self.failed}; "
                f"records {self.records} ({self.record_skips} skipped, {self.record_failures} failed); "
                f"copies {self.copies} in {self.groups} groups; {self.seconds:.1f} s, {rate:.1f} records/s")


def read_manifest(path: str | Path) -> list[str]:
    """The inputs a manifest lists: one path or URL per line; blank lines and ``#``
    comments skipped; each input once, in order."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the manifest ({(exc.strerror or str(exc)).lower()})") from None
    seen: dict[str, None] = {}
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            seen.setdefault(line, None)
    return list(seen)


def _task(options: TaskOptions, out: str) -> Any:
    def run(items: Iterable[str]) -> Iterator[dict[str, Any]]:
        for name in items:
            yield run_input(name, out, options).to_dict()

    return run


def session(master: str | None, *, app: str = "newsdesk") -> Any:
    """A SparkSession (the one ``spark-submit`` made, when there is one)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("PySpark is not installed: pip install 'newsdesk[spark]' (and Java 17)") from None
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        # Local mode: the workers run this Python (its packages), not whatever "python3" is
        # first on PATH. PySpark reads the worker's interpreter from this variable when the
        # context starts; on a cluster, spark-submit's spark.pyspark.python says.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    # One Python worker per core, kept between tasks: spaCy's pipeline loads once per worker.
    builder = builder.config("spark.python.worker.reuse", "true").config("spark.ui.showConsoleProgress", "false")
    return builder.getOrCreate()


def run_spark(
    inputs: Sequence[str],
    out: str | Path,
    *,
    master: str | None = "local[*]",
    partitions: int | None = None,
    options: TaskOptions | None = None,
    copies: bool = True,
    spark: Any = None,
) -> SparkReport:
    """Run the job (see the module docstring) and return its summary."""
    started = time.perf_counter()
    options = options or TaskOptions()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKERS).mkdir(exist_ok=True)
    report = SparkReport(inputs=len(inputs))
    todo = []
    for name in inputs:
        marker = read_marker(out, name)
        if marker is not None and marker.get("status") == "done":
            report.skipped += 1
        else:
            todo.append(name)
    own = spark is None
    spark = spark or session(master)
    try:
        sc = spark.sparkContext
        if todo:
            # One input, one partition, one task: a crawl file is the unit of work and of retry.
            results = sc.parallelize(todo, len(todo)).mapPartitions(_task(options, str(out))).collect()
            for r in results:
                if r["status"] == "done":
                    report.done += 1
                else:
                    report.failed += 1
                report.errors += r["errors"]
        for name in inputs:
            marker = read_marker(out, name) or {}
            if marker.get("status") == "done":
                report.records += int(marker.get("records", 0))
                report.record_skips += int(marker.get("skipped", 0))
                report.record_failures += int(marker.get("failed", 0))
        if copies:
            report.groups, report.copies = copy_pass(spark, out, partitions=partitions)
    finally:
        if own:
            spark.stop()
    report.seconds = time.perf_counter() - started
    return report


def copy_pass(spark: Any, out: Path, *, partitions: int | None = None) -> tuple[int, int]:
    """Copy groups over every record in ``out`` (see the module docstring): ``(groups,
    copies)``, and ``out/_copies/part-0.parquet`` rewritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = out / COPIES
    target.mkdir(exist_ok=True)
    for old in target.glob("*.parquet"):
        old.unlink()
    origin_of = _origins(spark, out, partitions)
    schema = pa.schema([pa.field("id", pa.string(), nullable=False), pa.field("origin", pa.string(), nullable=False)])
    rows = [{"id": i, "origin": o} for i, o in sorted(origin_of.items())]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), target / "part-0.parquet")
    groups = len(set(origin_of.values()))
    return groups, len(rows) - groups


def _origins(spark: Any, out: Path, partitions: int | None) -> dict[str, str]:
    """``{id: origin}`` of every record in a copy group, over the dataset in ``out``."""
    from pyspark import StorageLevel

    from ..links import crawl

    parts = list(out.glob("*=*/part-*.parquet"))
    if not parts:
        return {}
    frame = spark.read.option("basePath", str(out)).parquet(*map(str, parts)).select("id", "text", "published", "fetched")
    n = partitions or max(2, spark.sparkContext.defaultParallelism)
    # Read once, used four times (bands, the two text joins, the dates of grouped records);
    # spilled to disk rather than read from Parquet again when it does not fit in memory.
    records = frame.rdd.map(lambda r: r.asDict()).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        texts = records.map(lambda r: (r["id"], r["text"] or ""))
        pairs = records.flatMap(crawl.band_rows).groupByKey(n).flatMap(lambda kv: crawl.bucket_pairs(kv[1])).distinct(n)
        # The two texts of each pair, by two joins; then the duplicate stage's rule.
        newer = pairs.join(texts, n).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        both = newer.join(texts, n).map(lambda kv: (kv[1][0][0], kv[0], kv[1][0][1], kv[1][1]))
        edges = both.filter(lambda x: crawl.confirm(x[2], x[3]) is not None).map(lambda x: (x[0], x[1])).collect()
        if not edges:
            return {}
        ids = {i for e in edges for i in e}
        times = dict(records.filter(lambda r: r["id"] in ids).map(lambda r: (r["id"], crawl.when(r))).collect())
        return crawl.groups(edges, times)
    finally:
        records.unpersist()

__all__ = ["run_spark", "copy_pass", "read_manifest", "SparkReport", "session", "COPIES"]
