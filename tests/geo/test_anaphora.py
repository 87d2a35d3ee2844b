"""Region anaphora on stories we wrote: "the Caribbean island" is the story's one Caribbean country."""

from newstag.geo import GeoTagger
from newstag.parse import parse_document
from newstag.types import RawDocument

GEO = GeoTagger()


def places(text):
    article = parse_document(RawDocument(id="t", text=text, kind="jsonl"))
    return {r.mention.text: r for r in GEO.tag(article)[0]}


def test_the_region_island_is_the_named_country():
    found = places("Jamaica's prime minister said tourism recovered. Visitors to the Caribbean island rose by a tenth.")
    r = found["Caribbean island"]
    assert r.place.country == "JM" and r.type == "country"


def test_two_candidates_leave_the_region_alone():
    found = places("Jamaica and Cuba signed a fisheries pact. The Caribbean nation talks will continue in May.")
    assert "Caribbean" in found and found["Caribbean"].type == "region"


def test_without_the_article_it_stays_a_region():
    found = places("Cuba hosted ministers from across the region. Caribbean island economies depend on tourism.")
    assert found["Caribbean"].type == "region"
