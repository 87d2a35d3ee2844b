"""The record's column types, derived once from the record contract (`emit/schema.py`).

    record_json_schema()  --record_arrow_schema-->  pyarrow schema  --Spark's own converter-->  StructType

Here, beside the contract, because two edges use it: the Spark job (`spark/schema.py` adds the
Spark StructType) and the archive's Parquet export and import (`archive/parquet.py`).

The JSON Schema pydantic writes for `Record` is walked once into Arrow types; the Spark schema is
Spark's conversion of that Arrow schema (`pyspark.sql.pandas.types.from_arrow_schema`), so the two
cannot drift apart, and a field added to `Record` becomes a column with no change here.

    JSON Schema                                   Arrow
    string / enum of strings                      string
    integer / number / boolean                    int64 / float64 / bool
    anyOf [X, null]                               X, nullable
    array of X                                    list<X>
    object with properties ($ref to a model)      struct<...> (fields in declaration order)
    object with additionalProperties: X           map<string, X>

Fields the contract does not declare (JSON Lines input fields passed through, `Record`'s
extra="allow") have no fixed type: the Spark job and the archive's Parquet carry them apart, as one
JSON object (`input_fields`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson

from newstag.emit.schema import RECORD_FIELDS, record_json_schema

# The column that carries a record's fields beyond the contract, as one JSON object (null when none).
INPUT_FIELDS = "input_fields"
_CONTRACT = frozenset(RECORD_FIELDS)

_SCALARS = {"string": "string", "integer": "int64", "number": "float64", "boolean": "bool_"}


@lru_cache(maxsize=1)
def record_arrow_schema():
    """The record's contract fields as an Arrow schema, in record order."""
    import pyarrow as pa

    schema = record_json_schema()
    return pa.schema(_struct_fields(schema, schema))


def input_fields(record: dict[str, Any]) -> str | None:
    """The record's fields beyond the contract as one JSON object, or None when it has none."""
    extra = {k: v for k, v in record.items() if k not in _CONTRACT}
    return orjson.dumps(extra).decode() if extra else None


def record_columns(records: list[dict[str, Any]], with_input_fields: bool) -> list:
    """The Arrow columns of `records`: the contract's fields, then (with_input_fields) `input_fields`.

    One conversion of the list of record dicts into the struct type, in pyarrow's C++ (no Python
    loop over fields or columns); fields the contract does not declare go to `input_fields` only.
    """
    import pyarrow as pa

    contract = pa.struct(list(record_arrow_schema()))
    columns = pa.array(records, type=contract).flatten() if records else [pa.array([], f.type) for f in contract]
    if with_input_fields:
        columns.append(pa.array([input_fields(r) for r in records], pa.string()))
    return columns


def _struct_fields(node: dict[str, Any], root: dict[str, Any]) -> list:
    import pyarrow as pa

    required = set(node.get("required", ()))
    fields = []
    for name, prop in node.get("properties", {}).items():
        arrow_type, nullable = _arrow_type(prop, root)
        fields.append(pa.field(name, arrow_type, nullable=nullable or name not in required))
    return fields


def _arrow_type(node: dict[str, Any], root: dict[str, Any]) -> tuple[Any, bool]:
    """(Arrow type, may be null) of one JSON Schema node."""
    import pyarrow as pa

    if "$ref" in node:
        return _arrow_type(_resolve(node["$ref"], root), root)
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if len(options) != 1:
            raise TypeError(f"no single column type for a union of {options}: give the record field one type")
        arrow_type, _ = _arrow_type(options[0], root)
        return arrow_type, len(options) < len(node["anyOf"])
    kind = node.get("type")
    if kind is None and "enum" in node:  # a Literal of strings
        kind = "string"
    if isinstance(kind, list):  # ["string", "null"]
        non_null = [k for k in kind if k != "null"]
        if len(non_null) != 1:
            raise TypeError(f"no single column type for types {kind}")
        arrow_type, _ = _arrow_type({**node, "type": non_null[0]}, root)
        return arrow_type, len(non_null) < len(kind)
    if kind in _SCALARS:
        return getattr(pa, _SCALARS[kind])(), False
    if kind == "array":
        item_type, _ = _arrow_type(node.get("items", {"type": "string"}), root)
        return pa.list_(item_type), False
    if kind == "object":
        if node.get("properties"):
            return pa.struct(_struct_fields(node, root)), False
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            value_type, _ = _arrow_type(values, root)
            return pa.map_(pa.string(), value_type), False
    raise TypeError(f"no column type for the JSON Schema node {node}")


def _resolve(ref: str, root: dict[str, Any]) -> dict[str, Any]:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node
