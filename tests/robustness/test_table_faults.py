"""Table oddities: a CSV quote that is never closed no longer swallows the rows after it
silently, a CSV saved in another encoding is read (with a warning), and a damaged Parquet row
group still gives one record per row."""

from __future__ import annotations

import pytest

from newstag.parse.tables import read_table


def test_an_unterminated_quote_is_an_error_record_and_the_rows_after_it_are_kept(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text\nr1,"Chile and Argentina agreed\nr2,Brazil and Peru signed a deal\nr3,Rain in Lima\n')
    docs = list(read_table(str(source), "csv"))
    assert [d.id for d in docs] == ["1", "r2", "r3"]
    assert "never closed" in docs[0].error and "line 2" in docs[0].error
    assert [d.text for d in docs[1:]] == ["Brazil and Peru signed a deal", "Rain in Lima"]


def test_quoted_fields_with_newlines_and_doubled_quotes_are_still_one_row(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text\nr1,"Chile said ""yes""\nto Peru"\nr2,"Brazil, too"\n')
    docs = list(read_table(str(source), "csv"))
    assert [(d.id, d.text, d.error) for d in docs] == [("r1", 'Chile said "yes"\nto Peru', None), ("r2", "Brazil, too", None)]


def test_an_unterminated_quote_on_the_last_line(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text('id,text\nr1,Fine\nr2,"Never closed')
    docs = list(read_table(str(source), "csv"))
    assert [d.id for d in docs] == ["r1", "2"] and "never closed" in docs[1].error


def test_a_csv_saved_in_windows_1252_is_read_with_a_warning(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes("id,text\nr1,Café owners in Paris and Lyon protest against the new tax on terraces\nr2,Rain in Lima\n".encode("cp1252"))
    docs = list(read_table(str(source), "csv"))
    assert [(d.id, d.error) for d in docs] == [("r1", None), ("r2", None)]
    assert docs[0].text.startswith("Café owners")
    assert all(d.encoding == docs[0].encoding != "utf-8" for d in docs)
    assert all("not UTF-8: decoded as" in d.warnings[0] for d in docs)


def test_a_damaged_parquet_row_group_gives_one_error_record_per_row(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "in.parquet"
    rows = [{"id": f"p{i}", "text": f"Chile and Peru signed deal number {i} in Lima."} for i in range(300)]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=100, compression="none")
    data = bytearray(path.read_bytes())
    start = pq.ParquetFile(path).metadata.row_group(1).column(1).data_page_offset
    data[start : start + 200] = b"\xff" * 200  # the second row group's text column
    path.write_bytes(bytes(data))
    docs = list(read_table(str(path), "parquet"))
    assert len(docs) == 300
    assert [d.id for d in docs[:100]] == [f"p{i}" for i in range(100)] and all(d.error is None for d in docs[:100])
    assert all("row group 2" in d.error for d in docs[100:200])
    assert [d.id for d in docs[200:]] == [f"p{i}" for i in range(200, 300)]
