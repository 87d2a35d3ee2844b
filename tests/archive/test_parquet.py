"""`archive export --format parquet` and `archive add --tagged` of that file, on both backends."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner

from newstag.archive import commands
from newstag.archive.backends import open_archive
from newstag.cli import app
from newstag.emit.arrow import INPUT_FIELDS, record_arrow_schema
from newstag.errors import InputError

from .conftest import ARTICLES

pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the parquet extra: pip install 'newstag[parquet]'")


def _records_file(tmp_path, records) -> str:
    path = tmp_path / "tagged.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return str(path)


def test_parquet_round_trip_equals_the_input_records(archive_url, tagged_records, tmp_path):
    # One record carries a field beyond the contract (an input field passed through), nested.
    records = [dict(r) for r in tagged_records]
    records[0]["desk"] = {"name": "foreign", "shifts": [1, 2]}
    exported = tmp_path / "archive.parquet"
    with open_archive(archive_url) as backend:
        assert commands.add_tagged(backend, [_records_file(tmp_path, records)]).counts.added == 10
        assert commands.export(backend, exported, "parquet") == 10
        # The same records again, from Parquet: same content hash, nothing changes.
        again = commands.add_tagged(backend, [str(exported)])
        assert (again.counts.added, again.counts.unchanged, again.errors) == (0, 10, 0)

    table = pq.read_table(exported)
    assert table.schema.names == [*record_arrow_schema().names, INPUT_FIELDS]
    general = table.schema.field("general").type.value_type
    assert general.field("score").type.bit_width == 64 and str(general.field("level").type) == "int64"
    assert orjson.loads(table.column(INPUT_FIELDS)[0].as_py()) == {"desk": records[0]["desk"]}
    assert table.column(INPUT_FIELDS)[1].as_py() is None

    other = tmp_path / "other.db"
    with open_archive(str(other)) as backend:
        summary = commands.add_tagged(backend, [str(exported)])
        assert (summary.counts.added, summary.errors) == (10, 0)
        out = tmp_path / "export.jsonl"
        commands.export(backend, out, "jsonl")
    assert [orjson.loads(line) for line in out.read_bytes().splitlines()] == records


def test_the_command_line_exports_parquet_and_refuses_it_on_stdout(tagged_records, tmp_path):
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    added = runner.invoke(app, ["archive", "add", "--db", db, "--tagged", _records_file(tmp_path, tagged_records)])
    assert added.exit_code == 0, added.output
    out = tmp_path / "a.parquet"
    result = runner.invoke(app, ["archive", "export", "--db", db, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_metadata(out).num_rows == len(tagged_records)
    refused = runner.invoke(app, ["archive", "export", "--db", db, "--format", "parquet"])
    assert refused.exit_code != 0 and "-o FILE" in refused.output


def test_flat_parquet_rows_of_newstag_tag_are_refused_with_a_reason(tmp_path):
    from newstag.batch.runner import run_tag
    from newstag.options import TagOptions

    flat = tmp_path / "flat.parquet"
    run_tag([str(ARTICLES)], options=TagOptions(), output_format="parquet", output=flat)
    with open_archive(str(tmp_path / "a.db")) as backend:
        with pytest.raises(InputError, match="not an archive Parquet file"):
            commands.add_tagged(backend, [str(flat)])
        assert commands.export(backend, tmp_path / "none.jsonl", "jsonl") == 0


def test_an_unknown_export_format_is_refused(tmp_path):
    with open_archive(str(tmp_path / "a.db")) as backend, pytest.raises(InputError, match="jsonl or parquet"):
        commands.export(backend, tmp_path / "x", "csv")
