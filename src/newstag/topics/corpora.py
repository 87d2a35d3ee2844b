"""Readers for the corpora in ../shared/data and their IPTC mappings (training and evaluation).

Only this module knows the file layout of ../shared; see each corpus's README there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from newstag.errors import InputError
from newstag.topics.taxonomy import Taxonomy

# Licences decide use: the shipped model trains only on the first two; the rest only evaluate.
TRAINING_CORPORA = {
    "wikipedia_current_events": ("wikipedia_current_events_to_iptc_level1.json", "CC BY-SA 3.0/4.0 (Wikipedia contributors, Portal:Current events)"),
    "huffpost_news_category": ("huffpost_news_category_to_iptc_level1.json", "CC BY 4.0 (News Category Dataset, R. Misra)"),
}
EVALUATION_ONLY = ("bbc_news", "ag_news", "reuters21578")  # research-only licences
# Openly licensed full articles without labels: the shipped head's prior is estimated on them by
# EM (topics/adapt.py), no label involved. corpus -> (file, licence).
UNLABELLED_CORPORA = {
    "wikinews_2020": ("articles.jsonl", "CC BY 2.5 (Wikinews contributors; each article's url in the file)"),
}


@dataclass(frozen=True, slots=True)
class LabelMapping:
    """What one source label says about IPTC topics (codes)."""

    implied: tuple[str, ...]  # level-1 topics the label implies
    candidates: tuple[str, ...]  # at least one applies; the label does not say which
    also_possible: tuple[str, ...]  # often also apply; the label does not say
    detail: tuple[str, ...] = ()  # finer Media Topic codes (levels 2-4) typical of the label


def read_jsonl(path: Path) -> list[dict]:
    try:
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}; is ../shared/data present?") from exc


def load_mapping(shared: Path, corpus: str, tax: Taxonomy) -> dict[str, LabelMapping]:
    """Source label -> LabelMapping, from ../shared/data/mappings."""
    if corpus in TRAINING_CORPORA:
        path = shared / "data" / "mappings" / TRAINING_CORPORA[corpus][0]
        key = corpus
    else:
        path = shared / "data" / "mappings" / "to_iptc_level1.json"
        key = {"reuters21578": "reuters21578_topics"}.get(corpus, corpus)
    table = json.loads(path.read_text(encoding="utf-8"))[key]

    def codes(names: list[str]) -> tuple[str, ...]:
        out = []
        for name in names:
            t = tax.by_label(name)
            if t is None or t.level != 1:
                raise InputError(f"{path}: {name!r} is not a level-1 IPTC Media Topic label")
            out.append(t.code)
        return tuple(out)

    return {
        label: LabelMapping(
            tuple(v.get("iptc_level1_codes") or ()),
            tuple(v.get("candidates_codes") or codes(v.get("candidates", []))),
            codes(v.get("also_possible", [])),
            tuple(d["code"] for d in v.get("iptc_detail", [])),
        )
        for label, v in table.items()
    }
