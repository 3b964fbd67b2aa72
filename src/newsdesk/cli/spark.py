"""``newsdesk spark MANIFEST --out DIR``: the pipeline over many crawl files on Spark."""

from __future__ import annotations

import sys

import click

from .common import warn


@click.command("spark", short_help="Run the pipeline over many WARC/WET files on Spark, into Parquet (resumable).")
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="The Parquet dataset to write (or resume).")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master: local[N], spark://HOST:PORT, yarn, k8s://…; \"\" for the one spark-submit configured.")
@click.option("--partitions", type=click.IntRange(min=1), default=None,
              help="Partitions of the copy pass's shuffle [default: Spark's default parallelism].")
@click.option("--partition-by", type=click.Choice(["crawl_date", "site"]), default="crawl_date", show_default=True,
              help="The dataset's directory partitioning (crawl_date: the WARC-Date's day).")
@click.option("--no-enrich", is_flag=True, help="Skip entities and quotes.")
@click.option("--site", "sites", multiple=True, metavar="DOMAIN", help="Only pages of this site (repeatable).")
@click.option("--language", "languages", multiple=True, metavar="CODE", help="Only pages in this language (repeatable).")
@click.option("--articles-only", is_flag=True, help="Store article pages only.")
@click.option("--no-copies", is_flag=True, help="Skip the copy pass (copy groups over the whole crawl).")
@click.option("--quiet", "-q", is_flag=True, help="No summary (failures are still reported).")
def command(manifest: str, out: str, master: str, partitions: int | None, partition_by: str, no_enrich: bool,
            sites: tuple[str, ...], languages: tuple[str, ...], articles_only: bool, no_copies: bool, quiet: bool) -> None:
    """Run the ingest pipeline (read, extract, enrich) over every WARC/WET/ARC file listed
    in MANIFEST (one per line: a local path, file://, http(s)://, or a filesystem URL such
    as s3:// that pyarrow can open), one Spark task per file, into a Parquet dataset at
    --out with the export schema, partitioned by --partition-by.

    \b
    Each input writes its own parts and a marker, OUT/_inputs/<key>.json (input, status,
    records, skipped, failed, errors); a rerun skips the inputs already done, so a killed
    job resumes where it stopped. A missing or unreadable input is reported and counted;
    the job completes. Then the copy pass groups near-copies over the whole dataset (the
    duplicate stage's MinHash bands, shuffled by band) into OUT/_copies/ (id, origin).
    `newsdesk import OUT --db news.db` loads the records into an archive. Exit code 3 when
    some inputs failed.
    """
    from ..pipeline.crawltask import TaskOptions
    from ..pipeline.spark import read_manifest, run_spark

    inputs = read_manifest(manifest)
    options = TaskOptions(enrich=not no_enrich, sites=tuple(sites), languages=tuple(languages),
                          articles_only=articles_only, partition_by=partition_by)
    report = run_spark(inputs, out, master=master or None, partitions=partitions, options=options, copies=not no_copies)
    for line in report.errors:
        warn(line)
    if not quiet:
        warn(report.line())
    if report.failed:
        sys.exit(3)
