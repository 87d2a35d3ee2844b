"""Wire agencies: who is credited or cited in an article.

Three places credit an agency:
  1. the dateline, `WASHINGTON (Reuters) -`;
  2. the end of the story, `... he said. (dpa)` or the 1980s Reuters sign-off line `Reuter`;
  3. the text, `news agency Interfax reported`, `the Associated Press said`.
Short acronyms (AP, PA, CP, AFP, EFE, ...) are ordinary words or initials elsewhere, so they count
only in credit positions (1, 2) or right beside the word "agency"; full names count anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Agency:
    name: str  # the canonical name we emit, as the agency credits itself
    names: tuple[str, ...]  # distinctive names, matched anywhere in the text (case-sensitive)
    credits: tuple[str, ...] = ()  # short forms, matched only in credit positions


# Written by us from the agencies' own public names. Order does not matter.
AGENCIES: tuple[Agency, ...] = (
    Agency("Reuters", ("Reuters", "REUTERS", "Thomson Reuters"), ("Reuter", "REUTER")),
    Agency("AP", ("Associated Press",), ("AP", "The Associated Press")),
    Agency("AFP", ("Agence France-Presse", "Agence France Presse", "Agence France-Press"), ("AFP",)),
    Agency("dpa", ("Deutsche Presse-Agentur", "Deutsche Presse Agentur"), ("dpa", "DPA")),
    Agency("Interfax", ("Interfax",)),
    Agency("TASS", ("ITAR-TASS", "Itar-Tass", "TASS", "Tass news agency"), ("Tass",)),
    Agency("RIA Novosti", ("RIA Novosti", "RIA-Novosti"), ("RIA",)),
    Agency("Xinhua", ("Xinhua",)),
    Agency("Kyodo", ("Kyodo",)),
    Agency("Jiji", ("Jiji Press",), ("Jiji",)),
    Agency("Yonhap", ("Yonhap",)),
    Agency("KCNA", ("Korean Central News Agency",), ("KCNA",)),
    Agency("UPI", ("United Press International",), ("UPI",)),
    Agency("ANSA", ("Agenzia Nazionale Stampa Associata",), ("ANSA",)),
    Agency("EFE", ("Agencia EFE",), ("EFE",)),
    Agency("Europa Press", ("Europa Press",)),
    Agency("Lusa", ("Agencia Lusa", "Agência Lusa"), ("Lusa",)),
    Agency("AAP", ("Australian Associated Press",), ("AAP",)),
    Agency("PA", ("Press Association", "PA Media"), ("PA",)),
    Agency("CP", ("Canadian Press",), ("CP",)),
    Agency("PTI", ("Press Trust of India",), ("PTI",)),
    Agency("IANS", ("Indo-Asian News Service",), ("IANS",)),
    Agency("ANI", ("Asian News International",), ("ANI",)),
    Agency("APP", ("Associated Press of Pakistan",), ("APP",)),
    Agency("Bernama", ("Bernama",)),
    Agency("Antara", ("Antara news agency",), ("Antara",)),
    Agency("Anadolu", ("Anadolu Agency", "Anadolu news agency"), ("AA",)),
    Agency("IRNA", ("Islamic Republic News Agency",), ("IRNA",)),
    Agency("ISNA", ("Iranian Students News Agency",), ("ISNA",)),
    Agency("Fars", ("Fars news agency", "Fars News Agency"), ("Fars",)),
    Agency("MENA", ("Middle East News Agency",), ("MENA",)),
    Agency("SPA", ("Saudi Press Agency",), ("SPA",)),
    Agency("WAM", ("Emirates News Agency",), ("WAM",)),
    Agency("KUNA", ("Kuwait News Agency",), ("KUNA",)),
    Agency("QNA", ("Qatar News Agency",), ("QNA",)),
    Agency("SANA", ("Syrian Arab News Agency",), ("SANA",)),
    Agency("Petra", ("Petra news agency",), ("Petra",)),
    Agency("APS", ("Algerie Presse Service", "Algérie Presse Service"), ("APS",)),
    Agency("MAP", ("Maghreb Arabe Presse",), ("MAP",)),
    Agency("Prensa Latina", ("Prensa Latina",)),
    Agency("Notimex", ("Notimex",)),
    Agency("Agencia Brasil", ("Agencia Brasil", "Agência Brasil")),
    Agency("Telam", ("Telam", "Télam")),
    Agency("ANP", ("Algemeen Nederlands Persbureau",), ("ANP",)),
    Agency("Belga", ("Belga news agency",), ("Belga",)),
    Agency("APA", ("Austria Presse Agentur",), ("APA",)),
    Agency("SDA", ("Schweizerische Depeschenagentur",), ("SDA", "ATS")),
    Agency("Ritzau", ("Ritzau",)),
    Agency("TT", ("Tidningarnas Telegrambyra", "Tidningarnas Telegrambyrå"), ("TT",)),
    Agency("NTB", ("Norsk Telegrambyra", "Norsk Telegrambyrå"), ("NTB",)),
    Agency("STT", ("Suomen Tietotoimisto",), ("STT",)),
    Agency("PAP", ("Polish Press Agency", "Polska Agencja Prasowa"), ("PAP",)),
    Agency("CTK", ("Czech News Agency",), ("CTK", "ČTK")),
    Agency("MTI", ("Hungarian News Agency",), ("MTI",)),
    Agency("Tanjug", ("Tanjug",)),
    Agency("BTA", ("Bulgarian News Agency",), ("BTA",)),
    Agency("ANA-MPA", ("Athens News Agency",), ("ANA-MPA", "ANA")),
    Agency("Ukrinform", ("Ukrinform",)),
    Agency("UNIAN", ("UNIAN",)),
    Agency("BelTA", ("Belarusian Telegraph Agency",), ("BelTA",)),
    Agency("Kazinform", ("Kazinform",)),
    Agency("CNA", ("Central News Agency",), ("CNA",)),
    Agency("Vietnam News Agency", ("Vietnam News Agency",), ("VNA",)),
    Agency("PNA", ("Philippine News Agency",), ("PNA",)),
    Agency("NAN", ("News Agency of Nigeria",), ("NAN",)),
    Agency("SAPA", ("South African Press Association",), ("SAPA", "Sapa")),
    Agency("APA-ANA", ("Agence Presse Africaine",), ()),
    Agency("Bloomberg", ("Bloomberg News",), ("Bloomberg",)),
    Agency("Dow Jones", ("Dow Jones Newswires",), ()),
)

_BY_CREDIT: dict[str, str] = {}
for _a in AGENCIES:
    for _n in (_a.name, *_a.names, *_a.credits):
        _BY_CREDIT.setdefault(_n.lower(), _a.name)


def agency_for_credit(token: str) -> str | None:
    """The canonical agency for a credit such as `dpa`, `(AP)`, `Reuters`; None if unknown."""
    return _BY_CREDIT.get(token.strip().strip("()").strip().lower())


# Full names anywhere, found from their first word: one pass over the capitalised words of the
# text with dictionary lookups costs a tenth of one regex alternation of every name tried at every
# position. Longest first, so "Thomson Reuters" wins over "Reuters".
_BY_FIRST_WORD: dict[str, list[tuple[str, str]]] = {}
for _a in AGENCIES:
    for _n in _a.names:
        _BY_FIRST_WORD.setdefault(_n.split()[0].split("-")[0], []).append((_n, _a.name))
for _group in _BY_FIRST_WORD.values():
    _group.sort(key=lambda pair: len(pair[0]), reverse=True)
# Short credits count only beside "agency" or a verb of saying: "news agency Interfax", "AFP reported".
_SHORT = frozenset(c for a in AGENCIES for c in (a.name, *a.credits) if " " not in c)
_CANDIDATE_RE = re.compile(r"(?<![\w-])(?:[A-Z][\w]*|dpa)")
# Every word _CANDIDATE_RE can find is one of these (it adds the look-behind and "dpa").
_CAPITALISED = re.compile(r"[A-Z]\w*")
# The words worth a look: those that begin a full name or are a short credit.
_WATCHED = frozenset(w for w in (*_BY_FIRST_WORD, *_SHORT) if _CAPITALISED.fullmatch(w))
_AFTER_RE = re.compile(r"\s+(?:news agency|press agency|agency|news service|reported|said)\b")
_BEFORE_RE = re.compile(r"(?:news agency|press agency|wire service|agency)\s+$")

# A trailing credit: "(dpa)", "(AP)", "- Reuters", or a sign-off line "Reuter" at the very end.
_TRAILING_RE = re.compile(
    r"(?:\(\s*([A-Za-z][\w .\-]{0,30}?)\s*\)|^\s*(Reuter|REUTER|Reuters|REUTERS)\b[^\n]*)\s*(?:&#3;)?\s*$",
    re.MULTILINE,
)


def find_agencies(body: str, dateline_agency: str | None = None) -> tuple[str, ...]:
    """Agencies credited or cited in `body`, in order of first appearance (dateline first)."""
    found: list[str] = []

    def add(name: str | None) -> None:
        if name and name not in found:
            found.append(name)

    if dateline_agency:
        add(agency_for_credit(dateline_agency))
    hits: list[tuple[int, str]] = []
    # Only the words that can start a name or be a credit are looked at: the text's capitalised
    # words (a superset of what _CANDIDATE_RE finds) met with those in one set operation, then
    # each of the few left found where _CANDIDATE_RE finds it. Hits are sorted below, so the
    # order in which they are found does not matter.
    words = _WATCHED.intersection(_CAPITALISED.findall(body))
    if "dpa" in body:
        words = words | {"dpa"}
    for word in words:
        pos = body.find(word)
        while pos >= 0:
            m = _CANDIDATE_RE.match(body, pos)
            if m is not None and m.group() == word:
                _add_hits(body, word, pos, m.end(), hits)
            pos = body.find(word, pos + 1)
    tail = body[-200:]
    for m in _TRAILING_RE.finditer(tail):
        hits.append((len(body) - len(tail) + m.start(), agency_for_credit(m.group(1) or m.group(2)) or ""))
    for _, name in sorted(hits):
        add(name or None)
    return tuple(found)


def _add_hits(body: str, word: str, pos: int, end: int, hits: list[tuple[int, str]]) -> None:
    """The agency hits of the candidate `word` at body[pos:end]."""
    for full, name in _BY_FIRST_WORD.get(word, ()):
        after = pos + len(full)
        if body.startswith(full, pos) and not (after < len(body) and (body[after].isalnum() or body[after] in "-_")):
            hits.append((pos, name))
            break
    if word in _SHORT:
        name = agency_for_credit(word)
        if _BEFORE_RE.search(body, max(0, pos - 16), pos):
            hits.append((pos, name))
        # After a bare acronym, the acronym must be all caps or the agency's own casing
        # ("dpa"): "The Ap said" is not a credit.
        elif (word.isupper() or word == name) and _AFTER_RE.match(body, end):
            hits.append((pos, name))
