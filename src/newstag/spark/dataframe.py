"""The Spark wrapper: it numbers rows and moves Arrow batches through `tag_batch`, nothing more.

    tag_dataframe(df)   a DataFrame with a text column -> the same rows with the record's columns
    tag_lines(df)       JSON Lines read as text lines (spark.read.text) -> records, as `newstag tag`
    tag_table(df)       Parquet rows (text, id?, title?) -> records, as `newstag tag FILE.parquet`
    tag_files(df)       whole files (spark.read.text(wholetext=True)) -> one record per file

Row numbers. `newstag tag` gives a record without an id its 1-based line (or row) number in its
file. Spark has no line numbers: `number_rows` makes them from where each row stands. A row's
`monotonically_increasing_id()` is (partition << 33) + its position in the partition, and the rows
of one file split (`_metadata.file_block_start`) are consecutive in one partition; one small job
counts the rows of each split, and the driver turns the counts into each split's first line
number in its file (splits in file order), handed back to the plan as a literal map. That job runs
when the function is called (as `zipWithIndex` does), and reads the input once more, in the JVM:
cheap beside tagging. A DataFrame that is not a file scan is numbered in partition order, which
is stable only if the DataFrame is (give such rows ids).
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import partial
from typing import TYPE_CHECKING

import orjson

from newstag.options import TagOptions
from newstag.spark.batch import CONTENT, LINE, LOAD_LOG_ENV, NUMBER, PATH, BatchSpec, output_arrow_schema, tag_batches
from newstag.spark.schema import record_arrow_schema

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

_FILE, _BLOCK, _MID = "_newstag_file", "_newstag_block", "_newstag_mid"


def load_pyspark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql.pandas.types import to_arrow_schema  # noqa: F401 - needs pandas and pyarrow too
    except ImportError as exc:
        raise ImportError(f"Tagging on Spark needs pyspark, pandas and pyarrow ({exc}): pip install 'newstag[spark]'") from exc


def tag_dataframe(df: DataFrame, text_col: str = "text", id_col: str | None = "id", title_col: str | None = None,
                  options: TagOptions | None = None) -> DataFrame:
    """One output row per row of `df`: the record's fields as typed columns (`spark/schema.py`),
    then `df`'s other columns as they are (a column named like a record field is dropped: the
    record's wins, as in `newstag tag`). A row that cannot be tagged gets its `error`.

    id_col: ids of the articles; a row without one (or an absent column) gets its 1-based row
    number in `df` (see the module docstring). title_col: a headline given apart from the text.
    """
    load_pyspark()
    if text_col not in df.columns:
        raise ValueError(f"the DataFrame has no column {text_col!r} (columns: {', '.join(df.columns[:10])}): pass text_col=")
    if title_col is not None and title_col not in df.columns:
        raise ValueError(f"the DataFrame has no column {title_col!r} for title_col")
    if id_col is not None and id_col not in df.columns:
        id_col = None
    used = {text_col, id_col, title_col}
    passthrough = tuple(c for c in df.columns if c not in used and c not in record_arrow_schema().names and c != NUMBER)
    spec = _spec("rows", "columns", options, text_col=text_col, id_col=id_col, title_col=title_col, passthrough=passthrough)
    numbered = number_rows(df, per_file=False)
    return _map(numbered.select(*[c for c in (text_col, id_col, title_col) if c], NUMBER, *passthrough), spec)


def tag_lines(lines: DataFrame, output: str = "columns", options: TagOptions | None = None,
              partitions: int | None = None) -> DataFrame:
    """Records of JSON Lines read with `read_lines`, numbered by line within each file."""
    from pyspark.sql import functions as F

    numbered = number_rows(lines, per_file=True)
    numbered = numbered.select(F.col("value").cast("binary").alias(LINE), NUMBER, _FILE)
    return _map(_spread(numbered, partitions).drop(_FILE), _spec("lines", output, options))


def tag_table(rows: DataFrame, output: str = "columns", options: TagOptions | None = None,
              partitions: int | None = None) -> DataFrame:
    """Records of table rows (Parquet) with columns text, id?, title?, numbered by row within each
    file, as `newstag tag FILE.parquet` does."""
    if "text" not in rows.columns:
        raise ValueError(f"the input has no 'text' column (columns: {', '.join(rows.columns[:10])}); name the article column 'text'")
    id_col = "id" if "id" in rows.columns else None
    title_col = "title" if "title" in rows.columns else None
    numbered = number_rows(rows.select(*[c for c in ("text", id_col, title_col) if c]), per_file=True)
    spec = _spec("rows", output, options, id_col=id_col, title_col=title_col)
    return _map(_spread(numbered, partitions).drop(_FILE), spec)


def tag_files(files: DataFrame, output: str = "columns", options: TagOptions | None = None,
              partitions: int | None = None) -> DataFrame:
    """One record per file of `spark.read.text(path, wholetext=True)`: a raw article, id = its path."""
    from pyspark.sql import functions as F

    df = files.select(F.col("_metadata.file_path").alias(PATH), F.col("value").cast("binary").alias(CONTENT))
    if partitions:
        df = df.repartition(partitions)
    return _map(df, _spec("files", output, options))


def number_rows(df: DataFrame, per_file: bool) -> DataFrame:
    """`df` with NUMBER: each row's 1-based line in its file (per_file, a file scan: also _FILE),
    or its position in `df` in partition order. See the module docstring."""
    from pyspark.sql import functions as F

    if per_file:
        keyed = df.select("*", F.col("_metadata.file_path").alias(_FILE), F.col("_metadata.file_block_start").alias(_BLOCK))
    else:
        keyed = df.select("*", F.lit("").alias(_FILE), F.spark_partition_id().cast("long").alias(_BLOCK))
    keyed = keyed.withColumn(_MID, F.monotonically_increasing_id())
    counts = keyed.groupBy(_FILE, _BLOCK).agg(F.count(F.lit(1)).alias("rows"), F.min(_MID).alias("first")).collect()
    by_file = defaultdict(list)
    for row in counts:
        by_file[row[_FILE]].append((row[_BLOCK], row["rows"], row["first"]))
    # number = _MID + base, where base = (lines before this split in its file) - first + 1
    bases = {}
    for file, blocks in by_file.items():
        before = 0
        for block, rows, first in sorted(blocks):
            bases[f"{file}\n{block}"] = before - first + 1
            before += rows
    # The bases go into the plan as one literal map, folded once by the optimiser: no join (rows
    # keep their order), and no DataFrame made from Python data (that would run Python tasks).
    base = F.element_at(F.from_json(F.lit(orjson.dumps(bases).decode()), "map<string,bigint>"),
                        F.concat_ws("\n", F.col(_FILE), F.col(_BLOCK).cast("string")))
    return keyed.withColumn(NUMBER, F.col(_MID) + base).drop(_BLOCK, _MID)


def _spread(df: DataFrame, partitions: int | None) -> DataFrame:
    """`df` in `partitions` ranges of (file, line), each in line order; unchanged when None (the
    file splits as Spark made them, which keeps input order without a shuffle)."""
    if not partitions:
        return df
    return df.repartitionByRange(partitions, _FILE, NUMBER).sortWithinPartitions(_FILE, NUMBER)


def _spec(input_kind, output, options, **columns) -> BatchSpec:
    if output not in ("columns", "jsonl"):
        raise ValueError(f"unknown output {output!r}: columns or jsonl")
    return BatchSpec(input_kind=input_kind, output=output, options=options or TagOptions(),
                     load_log=os.environ.get(LOAD_LOG_ENV), **columns)


def _map(df: DataFrame, spec: BatchSpec) -> DataFrame:
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    schema = from_arrow_schema(output_arrow_schema(spec, to_arrow_schema(df.schema)))
    return df.mapInArrow(partial(tag_batches, spec=spec), schema)
