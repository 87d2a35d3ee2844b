"""Languages the fast check misses are flagged through the fallback identifier, and the record
carries the language code; English stays unflagged."""

from __future__ import annotations

import pytest

from newstag.emit.record import to_record
from newstag.parse.language import identify_language
from newstag.pipeline import Tagger
from newstag.types import RawDocument

# Written for these tests: one short news item per language.
MISSED_BEFORE = {
    "pl": ("Polish", "Rząd w Warszawie ogłosił w poniedziałek nowy plan pomocy dla rolników z południa kraju."),
    "sv": ("Swedish", "Regeringen i Stockholm meddelade på måndagen att skatten på bensin sänks från och med juli."),
    "tr": ("Turkish", "Hükümet pazartesi günü çiftçiler için yeni bir destek paketi açıkladı ve fiyatlar düştü."),
    "id": ("Indonesian", "Pemerintah mengatakan harga beras akan turun bulan depan setelah panen besar di Jawa Timur."),
}
SHORT_NON_LATIN = ["Москва объявила о мерах", "东京发生地震", "القاهرة تعلن خطة"]


@pytest.mark.parametrize("code", sorted(MISSED_BEFORE))
def test_languages_the_fast_check_misses_are_named(code):
    name, text = MISSED_BEFORE[code]
    assert identify_language(text) == (code, f"looks like {name}")


@pytest.mark.parametrize("text", SHORT_NON_LATIN)
def test_short_non_latin_texts_are_flagged(text):
    assert identify_language(text)[1] == "mostly non-Latin script"


def test_the_record_carries_the_language_and_the_warning():
    tagger = Tagger(options=None)
    polish = to_record(tagger.tag(RawDocument(id="pl", text=MISSED_BEFORE["pl"][1], kind="jsonl")))
    assert polish["language"] == "pl" and polish["warnings"] == ["not English? (looks like Polish)"]
    russian = to_record(tagger.tag(RawDocument(id="ru", text=SHORT_NON_LATIN[0], kind="jsonl")))
    # Issue 9: no word the topic model knows, so no General rather than a topic from its biases.
    from newstag.topics import NO_KNOWN_WORDS

    assert russian["warnings"] == ["not English? (mostly non-Latin script)", NO_KNOWN_WORDS] and russian["general"] == []
    english = to_record(tagger.tag(RawDocument(id="en", kind="jsonl", text=(
        "The government announced on Tuesday a new package of measures to support farmers, who have been "
        "protesting for several weeks in the south of the country."))))
    assert english["language"] == "en" and english["warnings"] == []


def test_english_tables_and_headlines_are_not_flagged():
    for text in ("Shr 25 cts vs 30 cts Net 1,200,000 vs 1,500,000 Revs 12.4 mln vs 11.9 mln Nine mths Shr 80 cts vs 1.10 dlrs",
                 "Nguyen Phu Trong is elected as General Secretary of the Communist Party of Vietnam",
                 "Chile gas deal"):
        assert identify_language(text)[1] is None, text
