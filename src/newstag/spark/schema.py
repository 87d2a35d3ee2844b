"""The record's Spark schema: Spark's own conversion of the record's Arrow schema (`emit/arrow.py`),
so the two cannot drift apart."""

from __future__ import annotations

from newstag.emit.arrow import record_arrow_schema

__all__ = ["record_arrow_schema", "record_spark_schema"]


def record_spark_schema():
    """The record's contract fields as a Spark StructType (needs pyspark)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(record_arrow_schema())
