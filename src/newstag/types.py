"""The plain, frozen records that flow one way through the pipeline.

    RawDocument ──parse──▶ Article ──geo.detect──▶ Mention ──geo.resolve──▶ Resolution
                                                       │
                                     geo.focus ◀───────┘ ──▶ RegionScore
    Article ──topics──▶ TopicScore
    pipeline assembles ──▶ TaggedArticle ──emit──▶ dict / text / CSV row

A stage computes and returns these; only `pipeline.py` assembles a `TaggedArticle`.
Offsets (`start`, `end`) are always Python string offsets into `Article.text`, the input text
exactly as given (the file's text, or the `text` field of a JSON Lines object), except for
mentions found in a title that is not part of that text (`field == "title"`), whose offsets
are into `Article.title`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Field = Literal["text", "title"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document before parsing: what a reader yields."""

    id: str
    text: str
    title: str | None = None  # given separately (JSON Lines, HTML); None: read it from `text`
    kind: Literal["raw", "html", "jsonl"] = "raw"
    # A reader that could not make a document from its input says why here; the pipeline
    # then emits an error record with this id instead of tagging.
    error: str | None = None
    warnings: tuple[str, ...] = ()
    extra: tuple[tuple[str, object], ...] = ()  # input fields passed through untouched
    encoding: str | None = None  # how the input's bytes were decoded ("utf-8", "windows-1252", ...)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Dateline:
    text: str  # the place as written, e.g. "Moscow", "HONG KONG"
    start: int  # offsets of `text` in Article.text
    end: int
    date: str | None  # as written, e.g. "April 8"
    raw: str  # the whole dateline as written, e.g. "HONG KONG, April 8 -"
    debris: str | None = None  # scraping debris removed from in front of it, e.g. "Russia Flag"


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article: structure found, text untouched."""

    id: str
    text: str  # the input text exactly as given; every offset points into it
    title: str | None
    title_span: Span | None  # where the title stands in `text` (None when given separately)
    body: Span  # the body in `text`: after the title, without the footer
    dateline: Dateline | None
    agencies: tuple[str, ...]
    footer: tuple[tuple[str, str], ...]  # ("General", ""), ("Regions", ""), ...
    warnings: tuple[str, ...] = ()
    extra: tuple[tuple[str, object], ...] = ()
    encoding: str | None = None  # RawDocument.encoding
    language: str | None = None  # ISO 639-1 code ("en", "pl"); None when no guess is confident

    @property
    def body_text(self) -> str:
        return self.text[self.body.start : self.body.end]


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry."""

    geonameid: int | None
    name: str
    country: str | None  # ISO 3166-1 alpha-2
    lat: float | None
    lon: float | None
    type: str  # "country" | "admin1" | "city" | "region" | "continent" | ...
    population: int = 0
    admin1: str | None = None
    m49: str | None = None  # for region places: the UN M49 code


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name, demonym, seat of government or region name found in the text."""

    text: str
    start: int
    end: int
    kind: str  # "name" | "demonym" | "seat" | "region"
    field: Field = "text"
    in_title: bool = False
    in_dateline: bool = False
    sentence: int = 0  # 0-based sentence index in the body (lead = 0)


@dataclass(frozen=True, slots=True)
class Resolution:
    """A mention and the place it was resolved to; `place is None` means unresolved."""

    mention: Mention
    place: Place | None
    score: float  # confidence in [0, 1]
    type: str  # "country" | "admin1" | "city" | "demonym" | "region" | "seat" | ...
    reason: str = ""  # short evidence, e.g. "population prior", "dateline", "co-occurs with US"


@dataclass(frozen=True, slots=True)
class RegionScore:
    code: str  # ISO 3166-1 alpha-2 for countries, UN M49 (3 digits) for regions
    name: str
    kind: Literal["country", "subregion", "intermediate", "region"]
    relevance: Literal["about", "mentioned"]
    score: float


@dataclass(frozen=True, slots=True)
class TopicScore:
    code: str  # "medtop:11000000"
    label: str
    level: int
    score: float
    parent: str | None = None  # the code of the topic above it in the taxonomy; None at level 1


@dataclass(frozen=True, slots=True)
class TaggedArticle:
    article: Article
    places: tuple[Resolution, ...] = ()
    regions: tuple[RegionScore, ...] = ()
    general: tuple[TopicScore, ...] = ()
    warnings: tuple[str, ...] = ()
    versions: dict[str, str] = field(default_factory=dict)
    error: str | None = None  # set when the article could not be tagged; then lists are empty
    error_stage: str | None = None
