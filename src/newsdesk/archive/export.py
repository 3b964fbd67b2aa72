"""Archive → files: JSON Lines, CSV or Parquet, with the record schema's field names."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArchiveError, UsageError
from ..model import Article
from .search import Filters

if TYPE_CHECKING:
    from .store import Archive

FORMATS = ("jsonl", "csv", "parquet")
FIELDS: tuple[str, ...] = tuple(Article.__dataclass_fields__)
# CSV cells cannot hold lists or objects; these go in as JSON text.
_JSON_FIELDS = ("authors", "related", "tags", "source", "warnings", "entities", "quotes", "stages")
# Rows per Parquet row group: bounded memory for any archive size.
_PARQUET_ROWS = 2_000


def iter_records(
    conn: sqlite3.Connection,
    query: str | None,
    *,
    filters: Filters,
    limit: int | None = None,
    newest: bool = False,
) -> Iterator[tuple[str, str]]:
    """``(record JSON, text)`` of matching articles, oldest-added first (or newest published)."""
    from .search import _fts_reason, match_seqs_sql

    clauses, params = filters.where()
    if query is not None and query.strip():
        clauses.insert(0, f"a.seq IN ({match_seqs_sql()})")
        params.insert(0, query)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = "a.published IS NULL, a.published DESC, a.seq" if newest else "a.seq"
    sql = f"SELECT a.record, a.text FROM articles AS a {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    try:
        cursor = conn.execute(sql, params)
        for row in cursor:
            yield row[0], row[1]
    except sqlite3.OperationalError as exc:
        from ..errors import QueryError

        raise QueryError(f"bad search query {query!r}: {_fts_reason(exc)}") from None


def export(archive: Archive, path: str | Path, *, format: str, query: str | None = None, **filters: Any) -> int:
    """Write the matching articles to ``path``; return how many were written.

    ``filters`` are those of ``Archive.iter_articles``: site, since, until, person, org,
    place, limit, newest.
    """
    if format not in FORMATS:
        raise UsageError(f"export format must be one of {', '.join(FORMATS)}, not {format!r}")
    articles = (a.to_dict() for a in archive.iter_articles(query, **filters))
    path = Path(path)
    try:
        if format == "jsonl":
            return _jsonl(articles, path)
        if format == "csv":
            return _csv(articles, path)
        return _parquet(articles, path)
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot write export ({(exc.strerror or str(exc)).lower()})") from None


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
