"""``newsdesk import DIR``: a Parquet dataset of records into the archive."""

from __future__ import annotations

import click

from .common import Progress, batch_size_option, db_option, finish


@click.command("import", short_help="Load a Parquet dataset of records (from `newsdesk spark`) into the archive.")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@db_option
@batch_size_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def command(folder: str, db: str, batch_size: int | None, quiet: bool) -> None:
    """Add every record of the Parquet dataset in FOLDER (`newsdesk spark --out`, or
    files of `newsdesk export --format parquet`) to the archive. The archive's duplicate
    and story stages run on each record as it arrives; importing again changes nothing
    (each record is "already present"). Exit code 3 when some rows were not records.
    """
    from ..archive.importer import import_dataset

    with Progress(None, "record", quiet=quiet) as progress:
        report = import_dataset(folder, db, batch_size=batch_size, on_progress=progress.update, on_failure=progress.failure)
    finish(report, quiet=quiet)
