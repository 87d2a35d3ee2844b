from newstag.parse import parse_document
from newstag.types import RawDocument


def parse(text: str, **kw):
    return parse_document(RawDocument(id="t", text=text, **kw))


def test_seed_article_structure(seed_text):
    a = parse(seed_text)
    assert a.title == "Cuban Foreign Minister extends Medvedev an invitation from Castro"
    assert a.dateline is not None and a.dateline.text == "Moscow"
    assert a.text[a.dateline.start : a.dateline.end] == "Moscow"
    assert a.dateline.debris == "Russia Flag"
    assert {"dpa", "Interfax"} <= set(a.agencies)
    body = a.body_text
    assert body.startswith("Russia FlagMoscow - Cuban Foreign Minsiter")
    assert body.endswith("(dpa)")
    assert "General:" not in body and "Regions:" not in body
    assert [name for name, _ in a.footer] == ["General", "Regions"]


def test_footer_keeps_other_fields_and_values():
    text = "A title\n\nBERLIN - Body text here.\n\nGeneral: sport\nRegions:\nKeywords: football, cup\n"
    a = parse(text)
    assert a.footer == (("General", "sport"), ("Regions", ""), ("Keywords", "football, cup"))
    assert a.body_text == "BERLIN - Body text here."


def test_no_footer_without_newstag_fields():
    # A closing line with a colon is body text, not a footer, unless the block names General/Regions.
    text = "A title\n\nParis - The minister said one thing.\nUpdate: he later denied it.\n"
    a = parse(text)
    assert a.footer == ()
    assert a.body_text.endswith("he later denied it.")


def test_jsonl_title_is_separate_and_text_is_all_body():
    a = parse("LONDON (Reuters) - Shares rose.", title="Markets", kind="jsonl")
    assert a.title == "Markets" and a.title_span is None
    assert a.body.start == 0
    assert a.dateline.text == "LONDON" and a.agencies == ("Reuters",)


def test_reuters_style_signoff_is_an_agency_credit():
    text = "Shr 42 cts vs 39 cts\n    Net 12.3 mln vs 9,382,000\n Reuter\n&#3;"
    a = parse(text, title="ACME CORP 4TH QTR NET", kind="jsonl")
    assert a.agencies == ("Reuters",)


def test_overlong_text_is_cut_with_a_warning():
    text = "Title\n\n" + "Word " * 1000
    a = parse_document(RawDocument(id="x", text=text), max_chars=500)
    assert len(a.text) == 500
    assert any("tagged only the first 500" in w for w in a.warnings)
