"""The not-English check: real English news passes; other languages are flagged."""

from __future__ import annotations

import orjson
import pytest

from newstag.parse import parse_document
from newstag.parse.language import WARNING, guess_not_english
from newstag.types import RawDocument

# Written for these tests: the same short news item in several languages.
OTHER_LANGUAGES = {
    "French": "Le gouvernement a annoncé mardi une nouvelle série de mesures pour soutenir les agriculteurs, qui manifestent depuis plusieurs semaines dans le sud du pays. Selon le ministre, ces aides seront versées avant la fin du mois.",
    "German": "Die Regierung hat am Dienstag neue Maßnahmen angekündigt, mit denen die Landwirte unterstützt werden sollen. Nach Angaben des Ministers sind die Hilfen für kleine Betriebe gedacht und werden noch in diesem Monat ausgezahlt.",
    "Spanish": "El gobierno anunció el martes un nuevo paquete de medidas para apoyar a los agricultores, que protestan desde hace varias semanas en el sur del país. Según el ministro, las ayudas se pagarán antes de que termine el mes.",
    "Italian": "Il governo ha annunciato martedì un nuovo pacchetto di misure per sostenere gli agricoltori, che protestano da diverse settimane nel sud del paese. Secondo il ministro, gli aiuti saranno versati entro la fine del mese.",
    "Portuguese": "O governo anunciou na terça-feira um novo pacote de medidas para apoiar os agricultores, que protestam há várias semanas no sul do país. Segundo o ministro, os apoios serão pagos até ao fim do mês, como foi dito.",
    "Dutch": "De regering heeft dinsdag nieuwe maatregelen aangekondigd om de boeren te steunen, die al weken in het zuiden van het land actie voeren. Volgens de minister wordt de steun nog deze maand uitbetaald.",
}
NON_LATIN = {
    "Russian": "Правительство во вторник объявило о новых мерах поддержки фермеров, которые уже несколько недель протестуют на юге страны.",
    "Chinese": "政府周二宣布了一系列支持农民的新措施。农民们已经在该国南部抗议了数周。部长表示，这些援助将在月底前发放。",
}
ENGLISH = "The government announced on Tuesday a new package of measures to support farmers, who have been protesting for several weeks in the south of the country. According to the minister, the aid will be paid before the end of the month."


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_other_languages_are_named(language):
    assert guess_not_english(OTHER_LANGUAGES[language]) == f"looks like {language}"


@pytest.mark.parametrize("language", sorted(NON_LATIN))
def test_non_latin_scripts_are_flagged(language):
    assert guess_not_english(NON_LATIN[language]) == "mostly non-Latin script"


def test_english_and_too_little_to_judge_pass():
    assert guess_not_english(ENGLISH) is None
    assert guess_not_english("Shr 25 cts vs 30 cts Net 1,200,000 vs 1,500,000 Revs 12.4 mln vs 11.9 mln") is None
    assert guess_not_english("Le Monde") is None  # a headline is too short to judge


def test_parse_adds_a_warning_and_keeps_the_rest():
    doc = RawDocument(id="x", text=OTHER_LANGUAGES["German"], kind="jsonl", warnings=("earlier",))
    article = parse_document(doc)
    assert article.warnings == ("earlier", f"{WARNING} (looks like German)")
    assert (article.id, article.text) == (doc.id, doc.text)
    assert parse_document(RawDocument(id="y", text=ENGLISH, kind="jsonl")).warnings == ()


@pytest.mark.shared
def test_real_english_news_passes(shared_dir, seed_text):
    texts = [seed_text]
    for corpus in ("reuters21578", "bbc_news"):
        for split in ("dev", "train"):
            with open(shared_dir / "data" / corpus / f"{split}.jsonl", "rb") as f:
                for line in f:
                    record = orjson.loads(line)
                    texts.append(record["text"] or record["title"])
    flagged = [t[:80] for t in texts if guess_not_english(t)]
    assert len(texts) > 10_000
    assert flagged == []
