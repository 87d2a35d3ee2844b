"""The pure batch function of the Spark job: an Arrow (or pandas) batch in, a batch of records out.

No Spark here: `tag_batch` runs the same in a test, in a Spark Python worker, or in Dask or Ray.
It goes the batch layer's way (`batch.parallel.ChunkTagger`: items -> RawDocument ->
`Tagger.pipe` -> the JSON Lines encoding, a failing article isolated to its own error record), so
every record is the one `newstag tag` writes for the same input:

    input kind  columns of the batch                 items, as the batch layer makes them
    lines       line (binary), NUMBER (1-based)      (number, line): `parse.readers.jsonl_record`
                                                     (bad JSON, no text, binary, too long -> error)
    rows        text, id?, title?, NUMBER            `parse.tables.table_record` (a missing id is
                                                     the row number)
    files       content (binary), path               one raw article per file, id = its path (a
                                                     local file: its plain path, as the CLI's)

    output      columns of the batch out
    columns     the record's contract fields, typed (`emit/arrow.py`); then, for lines, the
                input fields a line carried beside text/id/title as one JSON object
                (`input_fields`, null when none); then the input's `passthrough` columns as given
    jsonl       value: the JSON Lines line `newstag tag` writes (without its newline)

Each Python process keeps one ChunkTagger per TagOptions (`_chunk_tagger`): the artifacts load on
its first batch and stay loaded across batches and tasks, for as long as Spark reuses the worker
(`spark.python.worker.reuse`, on by default).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import orjson

from newstag.options import TagOptions
from newstag.parse.readers import read_bytes
from newstag.pipeline import raised_gc_threshold
from newstag.emit.arrow import INPUT_FIELDS, record_arrow_schema, record_columns
from newstag.types import RawDocument

InputKind = Literal["lines", "rows", "files"]
OutputKind = Literal["columns", "jsonl"]

# The column names the Spark side gives the pure function (spark/dataframe.py makes them).
LINE, NUMBER, CONTENT, PATH = "line", "_newstag_number", "content", "path"
JSONL_VALUE = "value"

# Rows tagged and converted to Arrow at a time: four topic-model batches (TagOptions.batch_size is
# 256 articles); on the bench mix about 1 MB of input and 3 MB of records, whatever size of Arrow
# batch Spark hands in, so that a worker's memory stays flat.
ROWS_PER_SLICE = 1024

# Set on the driver to a directory to count artifact loads: each Python process appends a line to
# PID.load when it builds its Tagger, and one to PID.batches per batch it tags ("rows start end
# cpu_s": wall clock and CPU time inside tag_batch). A diagnostic for the tests and the benchmark;
# a local path, so meant for local mode.
LOAD_LOG_ENV = "NEWSTAG_SPARK_LOAD_LOG"


@dataclass(frozen=True, slots=True)
class BatchSpec:
    """What the batches hold and what to make of them; pickled to the workers with the function."""

    input_kind: InputKind = "rows"
    output: OutputKind = "columns"
    text_col: str = "text"
    id_col: str | None = "id"
    title_col: str | None = None
    passthrough: tuple[str, ...] = ()  # input columns copied to the output as they are
    options: TagOptions = TagOptions()
    load_log: str | None = None  # see LOAD_LOG_ENV


def output_arrow_schema(spec: BatchSpec, input_schema=None):
    """The Arrow schema of `tag_batch`'s output for `spec` (passthrough types from `input_schema`)."""
    import pyarrow as pa

    if spec.output == "jsonl":
        return pa.schema([pa.field(JSONL_VALUE, pa.string(), nullable=False)])
    fields = list(record_arrow_schema())
    if spec.input_kind == "lines":
        fields.append(pa.field(INPUT_FIELDS, pa.string()))
    for name in spec.passthrough:
        fields.append(input_schema.field(name))
    return pa.schema(fields)


def tag_batch(batch, spec: BatchSpec = BatchSpec()):
    """The records of one batch: one output row per input row, in order. A pandas DataFrame in
    gives a pandas DataFrame out; an Arrow RecordBatch (or Table) gives a RecordBatch."""
    import pyarrow as pa

    if _is_pandas(batch):
        return tag_batch(pa.RecordBatch.from_pandas(batch, preserve_index=False), spec).to_pandas()
    if isinstance(batch, pa.Table):
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else pa.RecordBatch.from_pylist([], schema=batch.schema)
    started, cpu = time.time(), time.process_time()
    items = _items(batch, spec)
    # The JSON Lines lines `newstag tag` writes, made by the batch layer's own ChunkTagger.
    lines = _chunk_tagger(spec)(items).records if items else []
    if items and spec.options not in _frozen:
        # The first batch loaded the artifacts: move them out of the cyclic GC's reach, as the
        # batch layer does (batch/parallel.py, `_freeze_loaded`, says why).
        gc.collect()
        gc.freeze()
        _frozen.add(spec.options)
    schema = output_arrow_schema(spec, batch.schema)
    if spec.output == "jsonl":
        # orjson writes UTF-8: the bytes are viewed as strings as they are, not decoded.
        out = pa.RecordBatch.from_arrays([pa.array([line[:-1] for line in lines], pa.binary()).view(pa.string())], schema=schema)
    else:
        # Parsing the lines back (orjson: ~2 us a record) keeps one encoding path, the CLI's.
        out = _record_columns(batch, spec, [orjson.loads(line) for line in lines], schema)
    if spec.load_log:
        _log(spec.load_log, "batches", f"{len(items)} {started:.3f} {time.time():.3f} {time.process_time() - cpu:.3f}\n")
    return out


def _record_columns(batch, spec: BatchSpec, records: list[dict[str, Any]], schema):
    import pyarrow as pa

    columns = record_columns(records, with_input_fields=spec.input_kind == "lines")
    for name in spec.passthrough:
        columns.append(batch.column(name))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def tag_batches(batches: Iterable, spec: BatchSpec) -> Iterator:
    """`tag_batch` over each slice of ROWS_PER_SLICE rows of each batch: what runs in `mapInArrow`.
    The cyclic GC is held back for the whole partition (records and Arrow conversion included),
    as the batch layer does for a whole run."""
    with raised_gc_threshold():
        for batch in batches:
            for start in range(0, batch.num_rows, ROWS_PER_SLICE):
                yield tag_batch(batch.slice(start, ROWS_PER_SLICE), spec)


def _items(batch, spec: BatchSpec) -> list:
    """The batch layer's items (see batch/stream.py) for the rows of `batch`."""
    if spec.input_kind == "lines":
        # The text source strips each line's newline; the batch layer's lines keep it (it counts
        # in the size limit and its message), so it is put back.
        numbers = batch.column(NUMBER).to_pylist()
        return [(n, (line or b"") + b"\n") for n, line in zip(numbers, batch.column(LINE).to_pylist())]
    if spec.input_kind == "files":
        return [_file_document(path, content) for path, content in zip(batch.column(PATH).to_pylist(), batch.column(CONTENT).to_pylist())]
    from newstag.parse.tables import table_record

    n = batch.num_rows
    texts = batch.column(spec.text_col).to_pylist()
    ids = batch.column(spec.id_col).to_pylist() if spec.id_col else [None] * n
    titles = batch.column(spec.title_col).to_pylist() if spec.title_col else [None] * n
    numbers = batch.column(NUMBER).to_pylist()
    return [
        table_record({"id": i, "text": text, "title": title}, number)
        for text, i, title, number in zip(texts, ids, titles, numbers)
    ]


def _file_document(uri: str, content: bytes | None) -> RawDocument:
    # Decoded exactly as `newstag tag FILE` decodes a file (parse.readers.read_bytes: BOMs,
    # detection with a warning, size cap); bytes that are no text give the file an error record.
    path = _local_path(uri)
    return read_bytes(content or b"", path, "raw")


def _local_path(uri: str) -> str:
    """A local file's path as `newstag tag` names it (Spark gives file:///a%20b.txt); other URIs as they are."""
    if uri.startswith("file:"):
        from urllib.parse import unquote, urlparse

        return unquote(urlparse(uri).path)
    return uri


# One ChunkTagger per TagOptions in this process (it always encodes JSON Lines): see the module docstring.
_taggers: dict[TagOptions, Any] = {}
_frozen: set[TagOptions] = set()


def _chunk_tagger(spec: BatchSpec):
    tagger = _taggers.get(spec.options)
    if tagger is None:
        from newstag.batch.parallel import ChunkTagger

        tagger = _taggers[spec.options] = ChunkTagger(spec.options, "jsonl")
        if spec.load_log:
            _log(spec.load_log, "load", "loaded\n")
    return tagger


def _log(directory: str, kind: str, line: str) -> None:
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, f"{os.getpid()}.{kind}"), "a") as f:
        f.write(line)


def _is_pandas(batch) -> bool:
    return type(batch).__module__.startswith("pandas")
