"""The IPTC Media Topics taxonomy, compiled into the package by `build_taxonomy`.

Input: `../shared/taxonomy/iptc_mediatopics.json` (active topics, `[{code, label, definition,
parent, level}]`). Output: `newstag/data/iptc/mediatopics.json` (the topics, with version and
attribution) and `newstag/data/iptc/manifest.json` (input, checksum). IPTC's licence requires the
credit line below wherever the vocabulary is shipped; it goes into the artifact, the model
manifests and `versions()` of every record.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from newstag.errors import ArtifactError, InputError

IPTC_VERSION = "2025-03-31"
IPTC_ATTRIBUTION = (
    "IPTC Media Topics NewsCodes © IPTC, International Press Telecommunications Council "
    "(https://iptc.org), licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). "
    "Normalised subset; changes: retired terms removed, hierarchy flattened to parent/level."
)
TAXONOMY_RESOURCE = ("iptc", "mediatopics.json")


@dataclass(frozen=True, slots=True)
class Topic:
    code: str
    label: str
    level: int
    parent: str | None
    definition: str = ""


class Taxonomy:
    """Topics by code, with the ancestor walk the classifier needs (level 1 / level 2 of a code)."""

    def __init__(self, topics: list[Topic], version: str = "", attribution: str = "") -> None:
        self.topics = {t.code: t for t in topics}
        self.version = version
        self.attribution = attribution
        self._by_label = {t.label.lower(): t for t in topics}

    def __contains__(self, code: str) -> bool:
        return code in self.topics

    def __getitem__(self, code: str) -> Topic:
        return self.topics[code]

    def by_label(self, label: str) -> Topic | None:
        return self._by_label.get(label.lower())

    def ancestor_at(self, code: str, level: int) -> Topic | None:
        t = self.topics.get(code)
        while t is not None and t.level > level:
            t = self.topics.get(t.parent) if t.parent else None
        return t if t is not None and t.level == level else None

    def children(self, code: str) -> list[Topic]:
        return [t for t in self.topics.values() if t.parent == code]

    def descendants(self, code: str) -> list[Topic]:
        out, todo = [], [code]
        while todo:
            kids = self.children(todo.pop())
            out.extend(kids)
            todo.extend(k.code for k in kids)
        return out


def build_taxonomy(source: Path, out_dir: Path) -> dict:
    """Compile IPTC's normalised JSON into `out_dir/mediatopics.json` + `manifest.json`."""
    try:
        raw_bytes = source.read_bytes()
        rows = json.loads(raw_bytes)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the IPTC taxonomy {source}: {exc}; pass ../shared/taxonomy/iptc_mediatopics.json") from exc
    topics = []
    for r in rows:
        topics.append(
            {
                "code": r["code"],
                "label": r["label"],
                "level": int(r["level"]),
                "parent": r.get("parent"),
                "definition": r.get("definition") or "",
            }
        )
    codes = {t["code"] for t in topics}
    orphans = [t["code"] for t in topics if t["parent"] and t["parent"] not in codes]
    if orphans or sum(t["level"] == 1 for t in topics) != 17:
        raise InputError(f"{source}: not a complete active IPTC Media Topics tree (orphans: {orphans[:5]})")
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = {"version": IPTC_VERSION, "attribution": IPTC_ATTRIBUTION, "topics": topics}
    (out_dir / "mediatopics.json").write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    manifest = {
        "artifact": "mediatopics.json",
        "built_by": "newstag.topics.taxonomy.build_taxonomy",
        "inputs": [{"path": source.name, "sha256": hashlib.sha256(raw_bytes).hexdigest(), "rows": len(rows)}],
        "iptc_version": IPTC_VERSION,
        "licence": "CC BY 4.0",
        "attribution": IPTC_ATTRIBUTION,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def taxonomy_from_json(doc: dict | list, version: str = "", attribution: str = "") -> Taxonomy:
    """Topics from the packaged document, or from a user's `--taxonomy FILE.json`.

    A user file is a list of `{"code": str, "label": str, "parent": str | null}` (or a dict with
    that list under "topics"); levels follow from the parent chain.
    """
    rows = doc["topics"] if isinstance(doc, dict) else doc
    parents = {r["code"]: r.get("parent") for r in rows}

    def level(code: str) -> int:
        n, seen = 1, {code}
        p = parents.get(code)
        while p:
            if p in seen or p not in parents:
                raise InputError(f"taxonomy: parent chain of {code!r} is broken at {p!r}; every parent must be a code in the file")
            seen.add(p)
            n += 1
            p = parents.get(p)
        return n

    topics = [
        Topic(str(r["code"]), str(r.get("label") or r["code"]), int(r.get("level") or level(r["code"])), r.get("parent"), r.get("definition") or "")
        for r in rows
    ]
    if isinstance(doc, dict):
        version = doc.get("version", version)
        attribution = doc.get("attribution", attribution)
    return Taxonomy(topics, version, attribution)


@functools.cache
def iptc() -> Taxonomy:
    """The packaged IPTC Media Topics, loaded once per process on first use."""
    try:
        ref = resources.files("newstag").joinpath("data", *TAXONOMY_RESOURCE)
        doc = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtifactError(
            "the IPTC taxonomy newstag/data/iptc/mediatopics.json is missing or broken; "
            "rebuild it with `newstag build-taxonomy` (reads ../shared/taxonomy/iptc_mediatopics.json)"
        ) from exc
    return taxonomy_from_json(doc)
