"""Emitters on hand-built records: the footer line order, CSV columns, the JSON array shape."""

from __future__ import annotations

import orjson

from newstag.emit.record import to_record
from newstag.emit.table import COLUMNS, to_row
from newstag.emit.text import to_text
from newstag.batch.output import Output
from newstag.emit.writers import encode
from newstag.parse import parse_document
from newstag.types import Mention, Place, RawDocument, RegionScore, Resolution, TaggedArticle, TopicScore

TEXT = "Ministers meet in Lima\n\nLima - Peru and Chile met. Brazil watched.\n\nGeneral:\nRegions:\n"


def tagged() -> TaggedArticle:
    article = parse_document(RawDocument(id="x", text=TEXT))
    lima = TEXT.index("Lima -")
    return TaggedArticle(
        article=article,
        places=(
            Resolution(
                Mention("Lima", lima, lima + 4, "name", in_dateline=True),
                Place(3936456, "Lima", "PE", -12.04, -77.03, "city", 7737002),
                0.9,
                "city",
            ),
        ),
        regions=(
            RegionScore("PE", "Peru", "country", "about", 0.9),
            RegionScore("419", "Latin America and the Caribbean", "subregion", "about", 0.8),
            RegionScore("CL", "Chile", "country", "about", 0.7),
            RegionScore("BR", "Brazil", "country", "mentioned", 0.3),
        ),
        general=(TopicScore("medtop:11000000", "politics and government", 1, 0.8),),
    )


def test_text_footer_lists_about_then_mentioned_then_regions():
    out = to_text(tagged())
    assert out.startswith("Ministers meet in Lima\n\nLima - Peru and Chile met. Brazil watched.\n\nGeneral:")
    assert "\nGeneral: politics and government\n" in out
    assert "\nRegions: Peru, Chile, Brazil, Latin America and the Caribbean\n" in out


def test_text_footer_separates_topics_whose_labels_hold_commas():
    import dataclasses

    two = dataclasses.replace(
        tagged(),
        general=(
            TopicScore("medtop:04000000", "economy, business and finance", 1, 0.9),
            TopicScore("medtop:11000000", "politics and government", 1, 0.8),
        ),
    )
    line = next(l for l in to_text(two).splitlines() if l.startswith("General:"))
    assert line.removeprefix("General: ").split("; ") == ["economy, business and finance", "politics and government"]
    row = to_row(two)
    assert row["general"].split("|") == ["economy, business and finance", "politics and government"]
    assert row["regions"].split("|") == ["Peru", "Chile", "Brazil", "Latin America and the Caribbean"]


def test_text_footer_writes_the_topic_tree_as_paths():
    import dataclasses

    def topic(code, label, level, parent=None):
        return TopicScore(f"medtop:{code}", label, level, 0.9, parent and f"medtop:{parent}")

    deep = dataclasses.replace(
        tagged(),
        general=(
            topic("11000000", "politics and government", 1),
            topic("20000638", "international relations", 2, "11000000"),
            topic("20000639", "diplomacy", 3, "20000638"),
            topic("20000642", "economic sanction", 3, "20000638"),
            topic("04000000", "economy, business and finance", 1),
            topic("20000344", "economy", 2, "04000000"),
            topic("20000373", "international trade", 3, "20000344"),
            topic("20000209", "products and services", 2, "04000000"),
            topic("20000256", "energy and resource", 3, "20000209"),
            topic("20000523", "labour market", 3, "20000521"),  # its parent was not given: a path of its own
        ),
    )
    line = next(l for l in to_text(deep).splitlines() if l.startswith("General:"))
    assert line.removeprefix("General: ").split("; ") == [
        "politics and government > international relations > diplomacy, economic sanction",
        "economy, business and finance > economy > international trade",
        "economy, business and finance > products and services > energy and resource",
        "labour market",
    ]


def test_record_dateline_place_comes_from_the_dateline_mention():
    record = to_record(tagged())
    assert record["dateline"]["text"] == "Lima"
    assert record["dateline"]["place"]["geonameid"] == 3936456
    assert TEXT[record["places"][0]["start"] : record["places"][0]["end"]] == "Lima"


def test_csv_row_has_every_column():
    row = to_row(tagged())
    assert tuple(row) == COLUMNS
    assert row["countries_about"] == "PE|CL" and row["countries_mentioned"] == "BR"


def test_json_output_gives_an_object_for_one_and_an_array_for_many(tmp_path):
    one = tmp_path / "one.json"
    out = Output(one, "json")
    out.write([encode(tagged(), "json")])
    out.close()
    assert isinstance(orjson.loads(one.read_bytes()), dict)
    many = tmp_path / "many.json"
    out = Output(many, "json")
    out.write([encode(tagged(), "json"), encode(tagged(), "json")])
    out.close()
    assert len(orjson.loads(many.read_bytes())) == 2
