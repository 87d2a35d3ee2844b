"""The Spark job: `newstag spark tag INPUT OUTPUT`, or the same through `spark-submit`:

    spark-submit --master yarn "$(python -c 'import newstag.spark.job as j; print(j.__file__)')" \\
        s3a://bucket/archive/ s3a://bucket/tagged/ --output-format parquet

    1. session   the running one (spark-submit's) or a new one on --master; Arrow batches of
                 ROWS_PER_SLICE rows
    2. read      jsonl: text lines (only "\\n" ends a line, as for `newstag tag`); parquet: columns
                 text, id?, title?; text: one raw article per file
    3. tag       spark/dataframe.py: rows numbered per file, Arrow batches through `tag_batch`
    4. write     parquet: the record's typed columns; jsonl: the lines `newstag tag` writes,
                 one part file per partition (in input order without --partitions, and with it)
    5. count     records and errors, read back from the output

INPUT and OUTPUT are anything Spark reads and writes (local paths, file:, hdfs:, s3a:); OUTPUT is a
directory of part files and must not exist yet.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import PurePosixPath

from newstag.errors import InputError
from newstag.options import TagOptions
from newstag.spark.batch import ROWS_PER_SLICE

INPUT_FORMATS = ("jsonl", "parquet", "text")
OUTPUT_FORMATS = ("parquet", "jsonl")
LOCAL_JVM_OPTIONS = "-XX:TieredStopAtLevel=1"
SPLITS_PER_CORE = 4
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".jl": "jsonl", ".parquet": "parquet", ".txt": "text"}


@dataclass(frozen=True, slots=True)
class JobSummary:
    records: int
    errors: int


def spark_session(master: str | None = None, app_name: str = "newstag"):
    """The running SparkSession (spark-submit's), or a new one on `master`, set up for tagging."""
    from newstag.spark.dataframe import load_pyspark

    load_pyspark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    if (master or "").startswith("local"):
        # Local workers run this interpreter (it has newstag), not PySpark's default `python3` on
        # PATH; PySpark reads the choice from the environment when the session starts.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        # In local mode the JVM only moves bytes between files and the Python workers; its
        # optimising JIT (C2) took ~4 CPU s of a 20,000-article job from the two cores the workers
        # tag on, for no gain in a job this short. C1 alone halves the JVM's CPU time.
        builder = builder.config("spark.driver.extraJavaOptions", LOCAL_JVM_OPTIONS)
    # Arrow batches of one output slice each (tag_batch works in slices of this size anyway).
    builder = builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ROWS_PER_SLICE))
    spark = builder.getOrCreate()
    # Input splits: at least SPLITS_PER_CORE per core, so that an input smaller than
    # cores x 128 MB is not cut into one uneven split per core (the last task to end would set the
    # pace); large inputs keep Spark's 128 MB splits.
    parallelism = spark.sparkContext.defaultParallelism
    spark.conf.set("spark.sql.files.minPartitionNum", str(SPLITS_PER_CORE * parallelism))
    return spark


def default_input_format(path: str) -> str:
    return _SUFFIXES.get(PurePosixPath(path.rstrip("/")).suffix.lower(), "jsonl")


def default_output_format(path: str) -> str:
    return "jsonl" if default_input_format(path) == "jsonl" and PurePosixPath(path.rstrip("/")).suffix else "parquet"


def run_job(spark, input_path: str, output_path: str, *, input_format: str | None = None, output_format: str | None = None,
            partitions: int | None = None, options: TagOptions | None = None) -> JobSummary:
    """Tag INPUT into OUTPUT on `spark`; one record per input line (jsonl), row (parquet) or file (text)."""
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F

    from newstag.spark.dataframe import tag_files, tag_lines, tag_table

    input_format = input_format or default_input_format(input_path)
    output_format = output_format or default_output_format(output_path)
    if input_format not in INPUT_FORMATS:
        raise InputError(f"unknown input format {input_format!r}: choose one of {', '.join(INPUT_FORMATS)}")
    if output_format not in OUTPUT_FORMATS:
        raise InputError(f"unknown output format {output_format!r}: choose one of {', '.join(OUTPUT_FORMATS)}")
    output = "jsonl" if output_format == "jsonl" else "columns"
    try:
        if input_format == "jsonl":
            records = tag_lines(spark.read.option("lineSep", "\n").text(input_path), output, options, partitions)
        elif input_format == "parquet":
            records = tag_table(spark.read.parquet(input_path), output, options, partitions)
        else:
            records = tag_files(spark.read.text(input_path, wholetext=True), output, options, partitions)
        if output_format == "jsonl":
            records.write.mode("errorifexists").text(output_path)
            written = spark.read.text(output_path)
            # The record's top-level `"error":null,` (a quote inside a JSON string is escaped, so
            # the text can only be the record's own key): no JSON parsing of the whole output.
            has_error = ~F.col("value").contains('"error":null,')
        else:
            records.write.mode("errorifexists").parquet(output_path)
            written = spark.read.parquet(output_path)
            has_error = F.col("error").isNotNull()
    except AnalysisException as exc:
        raise InputError(_first_line(exc, input_path, output_path)) from exc
    row = written.agg(F.count(F.lit(1)).alias("records"), F.count(F.when(has_error, 1)).alias("errors")).first()
    return JobSummary(records=row["records"], errors=row["errors"])


def _first_line(exc: Exception, input_path: str, output_path: str) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "PATH_ALREADY_EXISTS" in message or "already exists" in message:
        return f"{output_path} already exists: give a new OUTPUT directory (Spark writes part files into it)"
    if "PATH_NOT_FOUND" in message or "does not exist" in message:
        return f"cannot read {input_path}: it does not exist"
    return f"Spark could not run the job on {input_path}: {message}"


def main(argv: list[str] | None = None) -> None:
    """The `spark-submit` entry point: the arguments of `newstag spark tag`."""
    from newstag.cli import app

    app(["spark", "tag", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
