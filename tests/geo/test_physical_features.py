"""Mountain ranges and rivers whose names GeoNames also gives to small towns are not those towns."""

from newstag.geo import GeoTagger
from newstag.parse import parse_document
from newstag.types import RawDocument


def test_the_andes_is_not_a_colombian_town():
    article = parse_document(RawDocument(id="t", text="Chile plans a new tunnel under the Andes to carry gas to Argentina.", kind="jsonl"))
    resolutions, regions = GeoTagger().tag(article)
    assert "Andes" not in {r.mention.text for r in resolutions}
    assert {r.code for r in regions if r.kind == "country"} == {"CL", "AR"}
