"""The Spark and Arrow column types come from the record contract (no Spark session needed)."""

from __future__ import annotations

from typing import Optional

import pyarrow as pa
import pytest

from newstag.emit.schema import RECORD_FIELDS, Record
from newstag.emit import arrow as arrow_schema
from newstag.spark import schema as spark_schema


def test_columns_are_the_contract_fields_in_record_order():
    assert arrow_schema.record_arrow_schema().names == list(RECORD_FIELDS)


def test_types_follow_the_models():
    arrow = arrow_schema.record_arrow_schema()
    place = arrow.field("places").type.value_type
    assert place.field("geonameid").type == pa.int64() and place.field("geonameid").nullable
    assert place.field("start").type == pa.int64() and not place.field("start").nullable
    assert place.field("lat").type == pa.float64()
    assert place.field("resolved").type == pa.bool_()
    assert place.field("field").type == pa.string()  # a Literal
    assert arrow.field("dateline").nullable and arrow.field("dateline").type.field("place").type == place
    assert arrow.field("versions").type == pa.map_(pa.string(), pa.string())
    assert arrow.field("agencies").type == pa.list_(pa.string())
    assert not arrow.field("id").nullable and arrow.field("error").nullable


def test_a_field_added_to_the_contract_becomes_a_column(monkeypatch):
    class Grown(Record):  # what a change to emit/schema.py would do (names no record has yet)
        byline_kind: str = "staff"
        desk: Optional[str]
        scores: dict[str, float] = {}

    def grown_schema():
        return Grown.model_json_schema()

    monkeypatch.setattr(arrow_schema, "record_json_schema", grown_schema)
    arrow_schema.record_arrow_schema.cache_clear()
    try:
        arrow = arrow_schema.record_arrow_schema()
    finally:
        arrow_schema.record_arrow_schema.cache_clear()
    assert arrow.names == [*RECORD_FIELDS, "byline_kind", "desk", "scores"]
    assert arrow.field("byline_kind").type == pa.string() and arrow.field("byline_kind").nullable  # has a default
    assert arrow.field("desk").nullable
    assert arrow.field("scores").type == pa.map_(pa.string(), pa.float64())


def test_a_field_with_no_single_type_is_refused():
    with pytest.raises(TypeError, match="no single column type"):
        arrow_schema._arrow_type({"anyOf": [{"type": "string"}, {"type": "integer"}]}, {})


def test_spark_schema_is_sparks_conversion_of_the_arrow_schema():
    pytest.importorskip("pyspark")
    spark = spark_schema.record_spark_schema()
    assert spark.fieldNames() == list(RECORD_FIELDS)
    assert spark["places"].dataType.elementType["geonameid"].dataType.typeName() == "long"
    assert spark["versions"].dataType.typeName() == "map"
