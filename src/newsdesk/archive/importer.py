"""A Parquet dataset of records (``newsdesk spark``'s output, or ``export --format parquet``
files) into the archive: ``newsdesk import DIR``.

Each row goes through ``Archive.add`` like a freshly extracted article, so the archive's
own duplicate and story stages run on it and importing twice changes nothing (a record
is one publication: the same id is "already present"). Rows are read a batch at a time,
never the whole dataset; Hive partition directories (``crawl_date=…``) are read, and
folders whose names start with ``_`` or ``.`` (markers, the copy pass) are not rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ArchiveError
from ..model import Article
from ..outcome import Outcome, Report, Status
from .store import BatchWriter

# Rows per read: bounded memory for any dataset size.
READ_ROWS = 1000


def _rows(folder: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.dataset as ds

    try:
        dataset = ds.dataset(str(folder), format="parquet", partitioning="hive",
                             exclude_invalid_files=True, ignore_prefixes=["_", "."])
    except (OSError, ValueError) as exc:
        raise ArchiveError(f"{folder}: not a Parquet dataset of records ({exc})") from None
    names = set(Article.__dataclass_fields__)
    for batch in dataset.to_batches(batch_size=READ_ROWS):
        for row in batch.to_pylist():
            record = {k: v for k, v in row.items() if k in names}
            stages = record.get("stages")
            if isinstance(stages, list):  # an Arrow map reads back as (key, value) pairs
                record["stages"] = dict(stages)
            yield record


def import_dataset(folder: str | Path, archive: Any, *, batch_size: int | None = None,
                   on_progress: Callable[[int], None] | None = None,
                   on_failure: Callable[[str], None] | None = None) -> Report:
    """Add every record under ``folder`` to ``archive`` (a path or an open ``Archive``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ArchiveError(f"{folder}: no such folder")
    report = Report()
    with BatchWriter(archive, batch_size=batch_size) as writer:
        for n, record in enumerate(_rows(folder)):
            where = f"{folder}: row {n} ({record.get('id') or 'no id'})"
            try:
                article = Article.from_dict(record)
                outcome = writer(Outcome(where, Status.DONE, article=article))
            except (TypeError, ValueError, KeyError) as exc:
                outcome = Outcome.failed(where, f"{where}: not a record ({exc})", "input")
                if on_failure is not None:
                    on_failure(outcome.reason or where)
            report.count(outcome)
            if on_progress is not None:
                on_progress(1)
    return report


__all__ = ["import_dataset"]
