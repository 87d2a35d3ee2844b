"""The seed article: the issue's own acceptance example."""

from __future__ import annotations

from newstag.parse import parse_document
from newstag.types import RawDocument

# GeoNames ids of the places the seed names.
CUBA, RUSSIA, MOSCOW, VENEZUELA, USA = 3562981, 2017370, 524901, 3625428, 6252001


def test_seed_regions_and_places(geo, seed_text):
    article = parse_document(RawDocument(id="seed", text=seed_text))
    places, regions = geo.tag(article)
    by_code = {r.code: r for r in regions}
    assert by_code["RU"].relevance == "about"
    assert by_code["CU"].relevance == "about"
    assert "US" in by_code and "VE" in by_code
    assert by_code["029"].kind == "intermediate" and by_code["419"].kind == "subregion"
    scores = [r.score for r in regions]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)

    for r in places:
        assert seed_text[r.mention.start : r.mention.end] == r.mention.text
    ids = {}
    for r in places:
        ids.setdefault(r.mention.text, set()).add(r.place.geonameid if r.place else None)
    assert ids["Cuban"] == {CUBA}
    assert ids["Russian"] == {RUSSIA}
    assert ids["Moscow"] == {MOSCOW}
    assert ids["Venezuela"] == {VENEZUELA}
    assert ids["Soviet-era"] == {RUSSIA}
    assert ids["US"] == {USA}
    caribbean = [r for r in places if r.mention.text == "Caribbean"]
    assert caribbean and all(r.place is not None and r.place.m49 == "029" for r in caribbean)
    # GeoNames' own feature for the UN M49 Caribbean (its "un m49 region" parent of Cuba).
    assert {r.place.geonameid for r in caribbean} == {7729891}
    # "a visit ... to the Caribbean Island" is Cuba, the story's one Caribbean country.
    assert ids["Caribbean Island"] == {CUBA}
    latin = [r for r in places if r.mention.text == "Latin America"]
    assert latin and latin[0].place.m49 == "419"
    # "Russia Flag" before the dateline is scraping debris, not a mention.
    debris_end = article.dateline.start
    assert not any(article.body.start <= r.mention.start < debris_end for r in places if not r.mention.in_dateline)
