"""`tag_batch`, the pure function the Spark job runs, without Spark: Arrow and pandas batches in,
records out, equal to `newstag tag`'s."""

from __future__ import annotations

import orjson
import pyarrow as pa
import pytest

from newstag.emit.schema import Record
from newstag.spark.batch import LINE, NUMBER, ROWS_PER_SLICE, BatchSpec, tag_batch, tag_batches

# Written for these tests.
TEXTS = [
    "HAVANA, May 5 - Cuba and Vietnam signed an agreement on rice production during a visit by Vietnam's prime minister.",
    "Wheat prices rose in Chicago after dry weather in Kansas and Nebraska cut estimates of the winter crop.",
    "NAIROBI (Reuters) - Kenya's central bank held its main lending rate, citing easing inflation.",
]
BAD_LINES = [b"not json", b"\xff\xfe{}", b'{"text": "a\x00b"}', b"", b'{"id": "no-text"}', b"[1, 2]"]


def _lines() -> list[bytes]:
    lines = [orjson.dumps({"id": f"n{i}", "text": t, "title": "Markets"}) for i, t in enumerate(TEXTS)]
    lines += [orjson.dumps({"text": t}) for t in TEXTS]  # no id: the line number
    return lines + BAD_LINES


def _line_batch(lines: list[bytes]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict(
        {LINE: lines, NUMBER: list(range(1, len(lines) + 1))},
        schema=pa.schema([(LINE, pa.binary()), (NUMBER, pa.int64())]),
    )


def test_lines_give_the_clis_records(tmp_path, cli_records, as_record):
    lines = _lines()
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    expected = cli_records(source, tmp_path)
    out = tag_batch(_line_batch(lines), BatchSpec(input_kind="lines"))
    assert [as_record(r) for r in out.to_pylist()] == expected
    assert [r["id"] for r in expected[:6]] == ["n0", "n1", "n2", "4", "5", "6"]
    assert sum(r["error"] is not None for r in expected) == len(BAD_LINES)
    for row in out.to_pylist():
        Record.model_validate(as_record(row))

    jsonl = tag_batch(_line_batch(lines), BatchSpec(input_kind="lines", output="jsonl"))
    assert [line.encode() + b"\n" for line in jsonl.column("value").to_pylist()] == (tmp_path / "cli.jsonl").read_bytes().splitlines(keepends=True)


def test_a_line_over_the_size_limit_is_an_error_row():
    from newstag.parse.readers import MAX_LINE_BYTES

    long_line = orjson.dumps({"text": "x" * MAX_LINE_BYTES})
    out = tag_batch(_line_batch([long_line, orjson.dumps({"text": TEXTS[0]})]), BatchSpec(input_kind="lines")).to_pylist()
    assert out[0]["error"].startswith(f"line 1 is {len(long_line) + 1:,} bytes") and out[0]["error_stage"] == "read"
    assert out[1]["error"] is None and out[1]["places"]


def test_rows_from_pandas_keep_their_other_columns():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "body": [TEXTS[0], None, "Talks in Oslo \x00 ended.", "Rain fell on Lima. " * 110_000],
        "key": ["a", None, "c", "d"],
        "shard": [7, 8, 9, 10],
        NUMBER: [1, 2, 3, 4],
    })
    out = tag_batch(frame, BatchSpec(text_col="body", id_col="key", passthrough=("shard",)))
    assert isinstance(out, pd.DataFrame) and len(out) == 4
    assert list(out["id"]) == ["a", "2", "c", "d"]  # no id: the row number
    assert list(out["shard"]) == [7, 8, 9, 10]
    assert out["error"][0] is None and {r["code"] for r in out["regions"][0]} >= {"CU", "VN"}
    assert out["error"][1] == "row 2 has no 'text'"
    assert "binary" in out["error"][2]
    # 2 MB of text: cut to the first 1,000,000 characters and tagged, with a warning, as the CLI does
    assert out["error"][3] is None and "tagged only the first 1,000,000" in out["warnings"][3][0]


def test_binary_text_column_is_an_error_row():
    batch = pa.RecordBatch.from_pydict({"text": [b"\x89PNG\r\n"], NUMBER: [1]})
    row = tag_batch(batch, BatchSpec(id_col=None)).to_pylist()[0]
    assert row["id"] == "1" and row["error"] == "row 1 has a 'text' that is a bytes"


def test_empty_batch_gives_an_empty_batch_with_the_schema():
    out = tag_batch(_line_batch([]), BatchSpec(input_kind="lines"))
    assert out.num_rows == 0 and out.schema.names[0] == "id"


def test_batches_are_tagged_in_slices_one_row_per_row():
    lines = [orjson.dumps({"text": TEXTS[i % 3]}) for i in range(ROWS_PER_SLICE + 5)]
    outs = list(tag_batches([_line_batch(lines)], BatchSpec(input_kind="lines", output="jsonl")))
    assert [b.num_rows for b in outs] == [ROWS_PER_SLICE, 5]
    ids = [orjson.loads(v)["id"] for b in outs for v in b.column("value").to_pylist()]
    assert ids == [str(i) for i in range(1, len(lines) + 1)]
