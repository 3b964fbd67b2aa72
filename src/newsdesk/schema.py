"""The record's other shapes, derived from the dataclasses of ``newsdesk.model``.

The fields are declared once (``model.Article`` and its parts, each field with its
description and constraints); from them come the JSON Schema shipped with the package
(``record_json_schema``), the Arrow/Parquet schema of exports (``arrow_schema``) and the
web API's pydantic models (``newsdesk.web.schemas`` builds them with ``walk``). Adding a
field to the dataclass adds it everywhere.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, Union

from . import model

T = TypeVar("T")
_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean"}


@cache
def hints(cls: type) -> dict[str, Any]:
    """The resolved type of each field of a dataclass (annotations are strings in model)."""
    return typing.get_type_hints(cls, vars(model))


def _optional(tp: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); anything else → (tp, False)."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0], True
        raise TypeError(f"unsupported union {tp!r} in the record")
    return tp, False


def walk(tp: Any, *, leaf: Callable[[Any, bool], T], array: Callable[[T, bool, int | None], T],
         mapping: Callable[[T, bool], T], record: Callable[[type, list[tuple[dataclasses.Field[Any], T]], bool], T]) -> T:
    """Fold a field type into another type system: ``leaf`` for str/int/float/bool,
    ``array`` for list[X] and tuple[X, ...] (with the tuple's fixed length, if any),
    ``mapping`` for dict[str, X], ``record`` for a nested dataclass. Each receives whether
    the value may be null."""
    inner, nullable = _optional(tp)
    origin = typing.get_origin(inner)

    def again(t: Any) -> T:
        return walk(t, leaf=leaf, array=array, mapping=mapping, record=record)

    if inner in _JSON_TYPES:
        return leaf(inner, nullable)
    if origin is list:
        return array(again(typing.get_args(inner)[0]), nullable, None)
    if origin is tuple:
        args = typing.get_args(inner)
        if len(set(args)) != 1 or Ellipsis in args:
            raise TypeError(f"unsupported tuple {inner!r} in the record")
        return array(again(args[0]), nullable, len(args))
    if origin is dict:
        key, value = typing.get_args(inner)
        if key is not str:
            raise TypeError(f"record mappings have str keys, not {key!r}")
        return mapping(again(value), nullable)
    if dataclasses.is_dataclass(inner) and isinstance(inner, type):
        types_ = hints(inner)
        return record(inner, [(f, again(types_[f.name])) for f in dataclasses.fields(inner)], nullable)
    raise TypeError(f"unsupported type {inner!r} in the record")


# -- JSON Schema -------------------------------------------------------------------------


def _json_leaf(tp: Any, nullable: bool) -> dict[str, Any]:
    name = _JSON_TYPES[tp]
    return {"type": [name, "null"] if nullable else name}


def _json_array(items: dict[str, Any], nullable: bool, length: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": ["array", "null"] if nullable else "array", "items": items}
    if length is not None:
        out["minItems"] = out["maxItems"] = length
    return out


def _json_mapping(values: dict[str, Any], nullable: bool) -> dict[str, Any]:
    return {"type": ["object", "null"] if nullable else "object", "additionalProperties": values}


def _json_record(cls: type, fields: list[tuple[dataclasses.Field[Any], dict[str, Any]]], nullable: bool) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for f, sub in fields:
        meta = {k: v for k, v in f.metadata.items() if v is not None}
        description = meta.pop("description", None)
        prop = dict(sub)
        # Constraints on a list of numbers (minimum) apply to its items, as the offsets do.
        target = prop["items"] if "minimum" in meta and "items" in prop else prop
        target.update(meta)
        if description:
            prop["description"] = description
        props[f.name] = prop
    return {
        "type": ["object", "null"] if nullable else "object",
        "additionalProperties": False,
        "required": [f.name for f, _ in fields],
        "properties": props,
    }


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Article.to_dict()``."""
    body = walk(model.Article, leaf=_json_leaf, array=_json_array, mapping=_json_mapping, record=_json_record)
    head = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://newsdesk.invalid/schema/article-{model.SCHEMA_VERSION}.json",
        "title": "newsdesk article record",
        "description": "One extracted page. Every newsdesk output (extract, search --format jsonl, show, export) "
        "uses these field names.",
    }
    return {**head, **body}


# -- Arrow / Parquet -----------------------------------------------------------------------


def arrow_schema() -> Any:
    """The Arrow schema of the record: the same field names, nested types kept; a field is
    nullable exactly when the dataclass says ``| None``."""
    import pyarrow as pa  # imported when an export or a Spark job asks for it, not at package import

    leaves = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}

    def leaf(tp: Any, nullable: bool) -> tuple[Any, bool]:
        return leaves[tp], nullable

    def array(items: tuple[Any, bool], nullable: bool, length: int | None) -> tuple[Any, bool]:
        return pa.list_(items[0]), nullable

    def mapping(values: tuple[Any, bool], nullable: bool) -> tuple[Any, bool]:
        return pa.map_(pa.string(), values[0]), nullable

    def record(cls: type, fields: list[tuple[dataclasses.Field[Any], tuple[Any, bool]]], nullable: bool) -> tuple[Any, bool]:
        return pa.struct([pa.field(f.name, t, nullable=n) for f, (t, n) in fields]), nullable

    struct, _ = walk(model.Article, leaf=leaf, array=array, mapping=mapping, record=record)
    return pa.schema(list(struct))


__all__ = ["record_json_schema", "arrow_schema", "walk", "hints"]
