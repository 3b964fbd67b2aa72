"""Archive → files: JSON Lines, CSV or Parquet, with the record schema's field names."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ArchiveError, QueryError, UsageError
from ..model import Article
from .filters import Filters
from .search import fts_reason, match_seqs_sql

FORMATS = ("jsonl", "csv", "parquet")
FIELDS: tuple[str, ...] = tuple(Article.__dataclass_fields__)
# CSV cells cannot hold lists or objects; these go in as JSON text.
_JSON_FIELDS = ("authors", "related", "tags", "source", "warnings", "entities", "quotes", "stages")
# What a stored record is read from: its JSON, its text, and what the archive sets (the copy
# group's origin, the story), as ``store.record_to_article`` takes them.
RECORD_COLUMNS = "a.record, a.text, o.id, a.story"
RECORD_FROM = "articles AS a LEFT JOIN articles AS o ON o.seq = a.origin"
# Rows per Parquet row group: bounded memory for any archive size.
_PARQUET_ROWS = 2_000


def iter_records(
    conn: Any,
    query: str | None,
    *,
    filters: Filters,
    limit: int | None = None,
    newest: bool = False,
) -> Iterator[tuple[str, str, str | None, int | None]]:
    """``(record JSON, text, origin id, story)`` of matching articles, oldest-added first
    (or newest published)."""
    clauses, params = filters.where(conn.dialect)
    if query is not None and query.strip():
        clauses.insert(0, f"a.seq IN ({match_seqs_sql(conn.dialect)})")
        params.insert(0, query)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = "a.published IS NULL, a.published DESC, a.seq" if newest else "a.seq"
    sql = f"SELECT {RECORD_COLUMNS} FROM {RECORD_FROM} {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    try:
        cursor = conn.execute(sql, params)
        for row in cursor:
            yield row[0], row[1], row[2], row[3]
    except sqlite3.OperationalError as exc:
        raise QueryError(f"bad search query {query!r}: {fts_reason(exc)}") from None


def export(articles: Iterable[Article], path: str | Path, *, format: str) -> int:
    """Write ``articles`` (``Archive.iter_articles``) to ``path`` as jsonl, csv or parquet;
    return how many were written."""
    check_format(format)
    records = (a.to_dict() for a in articles)
    path = Path(path)
    try:
        if format == "jsonl":
            return _jsonl(records, path)
        if format == "csv":
            return _csv(records, path)
        return _parquet(records, path)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot write export ({(exc.strerror or str(exc)).lower()})") from None


def check_format(format: str) -> None:
    if format not in FORMATS:
        raise UsageError(f"export format must be one of {', '.join(FORMATS)}, not {format!r}")


def _jsonl(records: Iterator[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def _csv(records: Iterator[dict[str, Any]], path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for record in records:
            for name in _JSON_FIELDS:
                record[name] = json.dumps(record[name], ensure_ascii=False)
            writer.writerow(record)
            n += 1
    return n


def parquet_schema() -> Any:
    """The Arrow schema of the record (derived from the dataclasses: ``schema.arrow_schema``)."""
    from ..schema import arrow_schema

    return arrow_schema()


def _parquet(records: Iterator[dict[str, Any]], path: Path) -> int:
    # pyarrow is imported here, when a Parquet export is asked for, not at package import.
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) >= _PARQUET_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


__all__ = ["export", "iter_records", "FORMATS", "FIELDS", "parquet_schema"]
