"""The output record as typed models: the contract of `emit/record.py`, written down once.

`to_record` builds the record as a plain dict (fast, no validation in the hot loop); these pydantic
models describe the same record for the edges that publish it:
    - the service's response model (`/openapi.json`) and request validation;
    - `newstag schema` (the record's JSON Schema);
    - the Spark job's column types (derived from `record_json_schema()`, not hand-copied);
    - tests, which validate real CLI records against `Record`.

When a field is added to `to_record`, add it here (fields are added, never renamed or dropped);
`tests/emit/test_schema.py` fails on a record field the model does not declare.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    # A record field the model does not know is a contract change: refuse it, so tests notice.
    model_config = ConfigDict(extra="forbid")


class PlaceRecord(_Strict):
    """One place mention and what it was resolved to (or `resolved: false`)."""

    text: str = Field(description="The mention as written.")
    start: int = Field(description="Offset of the mention in its field (Python string offset).")
    end: int
    geonameid: Optional[int] = Field(description="GeoNames id; null for unresolved mentions and areas GeoNames lacks.")
    name: str
    country: Optional[str] = Field(description="ISO 3166-1 alpha-2.")
    lat: Optional[float]
    lon: Optional[float]
    type: str = Field(description="country | admin1 | admin2 | city | demonym | seat | region | continent | ...")
    score: float = Field(ge=0, le=1)
    resolved: bool
    field: Literal["text", "title"] = Field(description="The field the offsets index: the article text or the title given separately.")
    mention_kind: str = Field(description="name | demonym | seat | region")
    m49: Optional[str] = Field(description="UN M49 code of a region place.")
    reason: str = Field(description="Short evidence for the reading, e.g. 'dateline', 'co-occurs with US'.")


class DatelineRecord(_Strict):
    text: str = Field(description="The dateline place as written.")
    place: Optional[PlaceRecord]
    date: Optional[str]
    start: int
    end: int
    raw: str = Field(description="The whole dateline as written.")
    debris: Optional[str] = Field(description="Scraping debris removed from in front of it, e.g. 'Russia Flag'.")


class TopicRecord(_Strict):
    code: str = Field(description="IPTC Media Topic code, e.g. medtop:11000000.")
    label: str
    level: int = Field(ge=1)
    score: float = Field(ge=0, le=1)
    parent: Optional[str] = Field(None, description="The code of the topic above it in the taxonomy; null at level 1.")


class RegionRecord(_Strict):
    code: str = Field(description="ISO 3166-1 alpha-2 for countries, UN M49 (3 digits) for regions.")
    name: str
    kind: Literal["country", "subregion", "intermediate", "region"]
    relevance: Literal["about", "mentioned"]
    score: float = Field(ge=0, le=1)


class SpanRecord(_Strict):
    start: int
    end: int


class Record(BaseModel):
    """The record `newstag tag --format json` writes for one article."""

    # Input fields a JSON Lines record carried beside text/id/title pass through untouched.
    model_config = ConfigDict(extra="allow")

    id: str
    title: Optional[str]
    dateline: Optional[DatelineRecord]
    agencies: list[str]
    general: list[TopicRecord] = Field(description="IPTC Media Topics, sorted by score.")
    regions: list[RegionRecord]
    places: list[PlaceRecord]
    warnings: list[str]
    versions: dict[str, str] = Field(description="What produced the record: newstag, gazetteer, topic model, taxonomy.")
    error: Optional[str] = Field(description="Why the article could not be tagged; then the tag lists are empty.")
    error_stage: Optional[str] = Field(description="read | parse | geo | topics | batch")
    body: SpanRecord = Field(description="Where the body stands in the text.")
    footer: dict[str, str] = Field(description="The footer fields found in the input (General, Regions), as given.")
    encoding: Optional[str] = Field(description="How the input's bytes were decoded (utf-8, cp1252, utf-16-le, ...); null for input given as text.")
    language: Optional[str] = Field(description="ISO 639-1 code of the article's language (en, pl, ...); null when no guess is confident.")


# The contract fields, in record order; anything else in a record is passed-through input.
RECORD_FIELDS: tuple[str, ...] = tuple(Record.model_fields)


def record_json_schema() -> dict[str, Any]:
    """The record's JSON Schema (draft 2020-12), as `newstag schema` prints it."""
    schema = Record.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "newstag record"
    return schema
