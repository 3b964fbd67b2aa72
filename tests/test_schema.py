"""One record schema: the JSON Schema shipped, the web API's models and the Parquet schema
all come from the dataclasses of newsdesk.model — and a test fails when one disagrees."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import jsonschema
import pyarrow as pa

import newsdesk
from newsdesk.model import Article, Entity, Quote, RelatedLink, Source
from newsdesk.schema import arrow_schema, record_json_schema
from newsdesk.web.schemas import ArticleRecord

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "rt-libya-2020-02-23.txt"


def test_shipped_json_schema_is_the_derived_one() -> None:
    assert newsdesk.json_schema() == record_json_schema()
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "write_schema.py"), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_json_schema_has_every_field_of_every_part() -> None:
    schema = record_json_schema()
    assert list(schema["properties"]) == schema["required"] == _names(Article)
    parts = {"related": RelatedLink, "entities": Entity, "quotes": Quote}
    for field, cls in parts.items():
        assert list(schema["properties"][field]["items"]["properties"]) == _names(cls)
    assert list(schema["properties"]["source"]["properties"]) == _names(Source)


def test_api_model_matches_the_dataclass() -> None:
    assert list(ArticleRecord.model_fields) == _names(Article)
    record = newsdesk.extract(SAMPLE.read_bytes(), url="https://www.rt.com/news/481397-libya-us-base/").to_dict()
    assert ArticleRecord.model_validate(record).model_dump(mode="json") == _json(record)
    nested = ArticleRecord.model_json_schema()["$defs"]
    assert list(nested["QuoteRecord"]["properties"]) == _names(Quote)
    assert list(nested["EntityRecord"]["properties"]) == _names(Entity)


def _json(value: object) -> object:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def test_parquet_schema_round_trips_a_record() -> None:
    schema = arrow_schema()
    assert schema.names == _names(Article)
    article = newsdesk.extract(SAMPLE.read_bytes())
    article.stages = {"extract": 1}
    table = pa.Table.from_pylist([article.to_dict()], schema=schema)
    back = table.to_pylist(maps_as_pydicts="strict")[0]
    assert _json(back) == _json(article.to_dict())


def test_every_record_validates(validate) -> None:  # type: ignore[no-untyped-def]
    article = newsdesk.extract(SAMPLE.read_bytes())
    validate(article.to_dict())
    jsonschema.Draft202012Validator.check_schema(record_json_schema())
