"""CSV oddities: a quote that is never closed no longer swallows the rows after it silently."""

from __future__ import annotations

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
