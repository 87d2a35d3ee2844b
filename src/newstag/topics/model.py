"""A trained topic model on disk, and scoring with it (numpy/scipy only).

A model directory holds three files, none of them a pickle:

    model.npz      coef (features x classes), intercept, platt_a, platt_b (calibration of each
                   class's decision value into [0, 1]), thresholds (per class, on the calibrated
                   score), idf (per feature)
    model.json     format, labels [{code, label, level, parent}], vocabulary (feature names in
                   column order), features (how an article is read: FeatureConfig)
    manifest.json  what it was trained on (files, checksums, licences), library versions, figures

The shipped IPTC model lives in `newstag/data/topics/iptc/`; `newstag train` writes the same
layout anywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from newstag.errors import ArtifactError
from newstag.topics.features import FeatureConfig, Featurizer

MODEL_FORMAT = "newstag-topics/1"
SHIPPED_RESOURCE = ("data", "topics", "iptc")


@dataclass(frozen=True, slots=True)
class Label:
    code: str
    label: str
    level: int
    parent: str | None
    # Trained on seed-lexicon weak labels only (no gold): its score says "the lexicon's topic is
    # present" rather than "this is what the story is about", so it is listed after gold-trained
    # topics and never taken as the article's one guaranteed topic.
    weak: bool = False

    def to_json(self) -> dict:
        d = {"code": self.code, "label": self.label, "level": self.level, "parent": self.parent}
        return {**d, "weak": True} if self.weak else d


class TopicModel:
    def __init__(
        self,
        labels: list[Label],
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        platt_a: np.ndarray,
        platt_b: np.ndarray,
        thresholds: np.ndarray,
        config: FeatureConfig,
        manifest: dict | None = None,
    ) -> None:
        self.labels = labels
        self.featurizer = featurizer
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.platt_a = np.asarray(platt_a, dtype=np.float32)
        self.platt_b = np.asarray(platt_b, dtype=np.float32)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.config = config
        self.manifest = manifest or {}
        # The output order needs these per article; computed once here.
        top = min(lab.level for lab in labels)
        strong = [j for j, lab in enumerate(labels) if lab.level == top and not lab.weak]
        self.top_level = np.array(strong or [j for j, lab in enumerate(labels) if lab.level == top], dtype=np.int64)
        self.weak_top_level = np.array([j for j, lab in enumerate(labels) if lab.level == top and lab.weak and strong], dtype=np.int64)
        self.children: dict[str, list[int]] = {}
        for j, lab in enumerate(labels):
            if lab.parent:
                self.children.setdefault(lab.parent, []).append(j)

    # --- scoring -----------------------------------------------------------------------------

    def decision(self, x) -> np.ndarray:
        return np.asarray(x @ self.coef) + self.intercept

    def calibrate(self, decision: np.ndarray) -> np.ndarray:
        z = self.platt_a * decision + self.platt_b
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def score_articles(self, parts: list[tuple[str, str]], config: FeatureConfig | None = None) -> np.ndarray:
        """Calibrated scores, one row per (title, body) pair, one column per label."""
        x = self.featurizer.transform_articles(parts, config or self.config)
        return self.calibrate(self.decision(x))

    def score_texts(self, texts: list[str]) -> np.ndarray:
        return self.calibrate(self.decision(self.featurizer.transform_texts(texts)))

    # --- files -------------------------------------------------------------------------------

    def save(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        # float16 weights halve the artifact; the scores move by < 1e-3, far below any threshold step.
        np.savez_compressed(
            out_dir / "model.npz",
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            platt_a=self.platt_a,
            platt_b=self.platt_b,
            thresholds=self.thresholds,
            idf=self.featurizer.idf,
        )
        doc = {
            "format": MODEL_FORMAT,
            "labels": [lab.to_json() for lab in self.labels],
            "features": self.config.to_json(),
            "vocabulary": self.featurizer.vocabulary,
        }
        (out_dir / "model.json").write_text(json.dumps(doc, ensure_ascii=False) + "\n", encoding="utf-8")
        (out_dir / "manifest.json").write_text(json.dumps(self.manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, model_dir) -> TopicModel:
        """Load from a directory (a Path or an importlib.resources Traversable)."""
        where = str(model_dir)
        try:
            with model_dir.joinpath("model.npz").open("rb") as f:
                arrays = dict(np.load(f, allow_pickle=False))
            import orjson

            doc = orjson.loads(model_dir.joinpath("model.json").read_bytes())
            manifest_file = model_dir.joinpath("manifest.json")
            manifest = orjson.loads(manifest_file.read_bytes()) if manifest_file.is_file() else {}
        except (OSError, ValueError, KeyError) as exc:
            raise ArtifactError(
                f"topic model {where} is missing or broken ({type(exc).__name__}: {exc}); a model directory "
                "needs model.npz and model.json: train one with `newstag train`, or rebuild the shipped "
                "model with `newstag train --shipped`"
            ) from exc
        if doc.get("format") != MODEL_FORMAT:
            raise ArtifactError(f"topic model {where} has format {doc.get('format')!r}, expected {MODEL_FORMAT!r}; retrain it with `newstag train`")
        labels = [Label(d["code"], d["label"], int(d["level"]), d.get("parent"), bool(d.get("weak"))) for d in doc["labels"]]
        featurizer = Featurizer(doc["vocabulary"], arrays["idf"])
        coef = arrays["coef"].astype(np.float32)
        if coef.shape != (featurizer.n_features, len(labels)):
            raise ArtifactError(f"topic model {where}: coef has shape {coef.shape}, expected {(featurizer.n_features, len(labels))}; retrain it")
        return cls(
            labels,
            featurizer,
            coef,
            arrays["intercept"],
            arrays["platt_a"],
            arrays["platt_b"],
            arrays["thresholds"],
            FeatureConfig.from_json(doc["features"]),
            manifest,
        )


def shipped_model_dir():
    return resources.files("newstag").joinpath(*SHIPPED_RESOURCE)
