"""A cheap "is this English?" check, so that articles the English models cannot tag are flagged.

newstag's gazetteer filters and topic model are built for English. A French or Russian article
still gets a record, but one that warns `not English? (...)` so the user knows its tags are weak.

The check needs positive evidence of another language and stays silent otherwise:
    1. script   most letters outside the Latin alphabet (Cyrillic, Arabic, CJK, ...)
    2. words    on the article's opening, the most common function words of French, German,
                Spanish, Italian, Portuguese or Dutch outnumber English ones
Earnings tables ("Shr 25 cts vs 30 cts"), headlines and other text with few function words of
any language pass: no evidence, no warning. Cost: a few microseconds per article.

    3. fallback when 1-2 find no English (fewer than ENGLISH_ENOUGH function words) and name no
                other language: py3langid, a general language identifier (141 languages; Nigerian Pidgin left out, as
                it takes plain English about Nigeria for its own), with a
                confidence floor. It catches Polish, Swedish, Turkish, Indonesian and short
                non-Latin texts, which 1-2 miss; it is ~26x slower and scores English earnings
                tables as other languages at low confidence, so it runs only here, and only on
                a sample with enough letters to judge.

`identify_language` gives the record's `language` (an ISO 639-1 code, or None when nothing is
confident) and the warning.
"""

from __future__ import annotations

import re

WARNING = "not English?"

# Only the opening is read: a language does not change mid-article, and the cost stays flat.
SAMPLE_CHARS = 800
# Calibrated together on Reuters-21578 and BBC (train + dev), AG News, Wikipedia Current Events
# dev and the seed (none flagged), and on short French / German / Spanish / Italian / Portuguese /
# Dutch / Russian / Chinese texts we wrote (all flagged). Counts are of distinct function words in
# the sample: an English news opening holds 10-25 of ours, another language's text 6-20 of its own.
ENGLISH_ENOUGH = 8  # this many distinct English function words: English, stop looking
MIN_OTHER_WORDS = 5  # another language needs this many of its own, and more than English has
MIN_SCRIPT_CHARS = 40  # below this many visible characters, too little to judge the script
MIN_LATIN_SHARE = 0.5

# A letter outside the Latin blocks (which, accents included, end at U+024F).
_NON_LATIN_RE = re.compile(r"[^\W\d_\x00-\u024f]")

# Very common function words; words that are also common in English ("a", "in", "an", "no", "die",
# "also", "on", "plus") are left out of the other languages' lists so that they count for English only.
# In order of frequency in news, so that the fast path below usually stops after about ten.
_ENGLISH_ORDERED = (
    "the of to and a in said for on that is was with by at it as from has its be will have are "
    "were would had his their which who not but or an been after over than also more about into "
    "up he she they we there her this says"
).split()
_ENGLISH = frozenset(_ENGLISH_ORDERED)
_ENGLISH_PROBES = tuple(f" {w} " for w in _ENGLISH_ORDERED)
_OTHERS = {
    "French": frozenset("le la les des du et est une dans pour que qui sur pas au aux avec ce cette sont été il elle ont être leur selon".split()),
    "German": frozenset("der das und ist nicht mit den dem von zu ein eine auf sich für auch es im wird bei nach sind wurde aus sie werden".split()),
    "Spanish": frozenset("el los las del y que por con para una es se lo al más su sus como pero fue según ha".split()),
    "Italian": frozenset("il di che della per non una sono con gli del nel alla è delle anche ha stato".split()),
    "Portuguese": frozenset("os do da dos das em que não com uma para por é na foi ao como mais ser".split()),
    "Dutch": frozenset("de het een van en niet dat met voor zijn ook aan er werd wordt naar bij heeft te om nog deze maar".split()),
}


# The fallback identifier's answer counts only at this probability or above (norm_probs=True).
# Calibrated with MIN_FALLBACK_LETTERS on our short Polish / Swedish / Turkish / Indonesian /
# Russian / Japanese texts (0.72-1.0) and the shared corpora's English (see MIN_FALLBACK_LETTERS).
FALLBACK_CONFIDENCE = 0.8
# ... and only when the sample holds at most this many distinct English function words: an English
# brief full of foreign names ("Nguyễn Phú Trọng is elected as ...") scores as Vietnamese.
MAX_FALLBACK_ENGLISH_WORDS = 2
MIN_SCRIPT_LETTERS = 4  # a short text in another script: this many letters (CJK: characters) suffice
# Below this many letters (a headline) the identifier is not asked: on 108k English texts of the
# shared corpora it named another language for 9, all headlines or briefs of under 40 letters
# but for four that really are French or Spanish wire items.
MIN_FALLBACK_LETTERS = 40
MIN_LETTER_SHARE = 0.75  # of visible characters, for the identifier to be asked

# Codes of the languages the fast check names, for the record.
_CODES = {"French": "fr", "German": "de", "Spanish": "es", "Italian": "it", "Portuguese": "pt", "Dutch": "nl"}


def identify_language(text: str) -> tuple[str | None, str | None]:
    """(language, reason): the language code of `text` ("en", "pl", ...; None when no guess is
    confident) and, when it is not English, the reason for the warning ("looks like Polish")."""
    fast, english_words = _fast_check(text)
    if fast == "en":
        return "en", None
    if fast is not None and fast in _CODES:
        return _CODES[fast], f"looks like {fast}"
    sample = text[:SAMPLE_CHARS]
    if fast == "script" or _mostly_non_latin_letters(sample):
        return _fallback(sample), "mostly non-Latin script"
    if english_words > MAX_FALLBACK_ENGLISH_WORDS or not _mostly_letters(sample):
        return None, None  # some English, or a table of figures: the identifier is not asked
    guess = _fallback(sample)
    if guess is None or guess == "en":
        return guess, None
    return guess, f"looks like {_language_name(guess)}"


def _mostly_letters(sample: str) -> bool:
    """Letters are most of the visible characters (not a table of figures: "Shr 25 cts vs 30")."""
    visible = len(sample) - sample.count(" ") - sample.count("\n")
    return sum(c.isalpha() for c in sample) >= MIN_LETTER_SHARE * visible


def guess_not_english(text: str) -> str | None:
    """None when `text` may well be English; otherwise the reason, e.g. "looks like French"."""
    return identify_language(text)[1]


_identifier = None
_NOT_ASKED = {"pcm"}  # Nigerian Pidgin: English news about Nigeria scores as it


def _fallback(sample: str) -> str | None:
    """py3langid's language for `sample` when confident, else None. Loaded on first use (0.4 s)."""
    global _identifier
    if sum(c.isalpha() for c in sample) < MIN_FALLBACK_LETTERS:
        return None
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages([code for code in identifier.nb_classes if code not in _NOT_ASKED])
        _identifier = identifier
    code, confidence = _identifier.classify(sample)
    return code if confidence >= FALLBACK_CONFIDENCE else None


def _mostly_non_latin_letters(sample: str) -> bool:
    """Most letters outside the Latin alphabet, however short the text (a headline in Cyrillic or
    Chinese: too short for the script check, but no English model reads it)."""
    if sample.isascii():
        return False
    letters = sum(c.isalpha() for c in sample)
    return letters >= MIN_SCRIPT_LETTERS and len(_NON_LATIN_RE.findall(sample)) > (1 - MIN_LATIN_SHARE) * letters


def _language_name(code: str) -> str:
    try:
        import pycountry  # a core dependency (the gazetteer's build reads it too)

        language = pycountry.languages.get(alpha_2=code)
    except (ImportError, KeyError, LookupError):
        language = None
    return language.name if language is not None else code


def _fast_check(text: str) -> tuple[str | None, int]:
    """The verdict, "en", a language name of _OTHERS, "script" (mostly non-Latin letters) or None
    (no evidence), and how many distinct English function words the sample holds (when counted)."""
    sample = text[:SAMPLE_CHARS]
    lowered = sample.lower()
    # Fast path for the common case, English news: substring tests run in C, a few microseconds.
    hits = 0
    for probe in _ENGLISH_PROBES:
        if probe in lowered:
            hits += 1
            if hits == ENGLISH_ENOUGH:
                return "en", hits
    if not sample.isascii():
        visible = len(sample) - sample.count(" ") - sample.count("\n")
        if visible >= MIN_SCRIPT_CHARS and len(_NON_LATIN_RE.findall(sample)) > (1 - MIN_LATIN_SHARE) * visible:
            return "script", 0
    # Whitespace tokens, not a word regex: 10x cheaper, and a function word glued to punctuation
    # ("the,") is rare enough not to matter. Distinct function words, not occurrences, are counted.
    tokens = set(lowered.split())
    english = len(_ENGLISH.intersection(tokens))
    if english >= ENGLISH_ENOUGH:
        return "en", english
    best_name, best = "", 0
    for name, vocabulary in _OTHERS.items():
        count = len(vocabulary.intersection(tokens))
        if count > best:
            best_name, best = name, count
    if best >= MIN_OTHER_WORDS and best > english:
        return best_name, english
    return None, english
