"""The pipeline: the default running order of newstag's stages, listed once.

    1. parse   RawDocument -> Article          title, body, footer, dateline, agencies
    2. geo     Article -> Resolution*, RegionScore*
         2a. detect   place names, demonyms, seats of government, region names  (geo/detect.py)
         2b. resolve  each mention to a GeoNames place, or unresolved             (geo/resolve.py,
                      then "the Caribbean island" -> the story's country         geo/anaphora.py)
         2c. focus    countries and M49 regions, "about" vs "mentioned"          (geo/focus.py)
    3. topics  Article* -> TopicScore*          IPTC Media Topics, in batches
    4. assemble TaggedArticle                    (here, and only here)
    5. emit    TaggedArticle -> dict / text / CSV  (emit/, called by the CLI and the service)

Batch is the main path: `Tagger.pipe` takes documents in any number and yields one
`TaggedArticle` per document, in input order; `Tagger.tag` is a batch of one. Artifacts load
lazily, once per process, on first use, never at import.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from newstag import __version__
from newstag.options import TagOptions
from newstag.types import Article, RawDocument, TaggedArticle

PIPE_NAMES = ("parse", "geo", "topics")

# Tagging allocates and frees many small objects per article (mentions, candidates, scores) and
# makes no garbage cycles to speak of: at Python's default threshold (700) the cyclic GC ran ~40
# times per 1,000 articles and took ~5% of the CPU time, for nothing. While a batch is tagged the
# threshold is this (a few collections per 20,000 articles, the same peak memory on the bench mix),
# then put back as it was.
TAG_GC_THRESHOLD = 10_000


@contextmanager
def raised_gc_threshold() -> Iterator[None]:
    """The cyclic GC at TAG_GC_THRESHOLD (unless already higher) inside, as it was after. Used
    around each batch here, and by the batch layer around a whole run (record encoding too)."""
    before = gc.get_threshold()
    if before[0] < TAG_GC_THRESHOLD:
        gc.set_threshold(TAG_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class Tagger:
    def __init__(self, options: TagOptions | None = None) -> None:
        self.options = options or TagOptions()
        self._geo = None
        self._topics = None

    # Stages are created on first use so that `import newstag` and `newstag --help` stay fast.
    @property
    def geo(self):
        if self._geo is None:
            from newstag.geo import GeoTagger

            self._geo = GeoTagger()
        return self._geo

    @property
    def topics(self):
        if self._topics is None:
            from newstag.topics import TopicTagger

            self._topics = TopicTagger(self.options.topic_model)
        return self._topics

    def versions(self) -> dict[str, str]:
        versions = {"newstag": __version__}
        if self.options.geo:
            versions.update(self.geo.versions())
        if self.options.topics:
            versions.update(self.topics.versions())
        return versions

    def failed(self, doc: RawDocument, reason: str, stage: str) -> TaggedArticle:
        """The error record of `doc` (see `failed_article`), with this tagger's versions."""
        return failed_article(doc, reason, stage, self.versions())

    def topic_labels(self) -> list[dict[str, object]]:
        """The topics the loaded model can give ({code, label, level, parent}), in the model's
        order; empty with topics off. For edges that publish the taxonomy (the service)."""
        if not self.options.topics:
            return []
        return [
            {"code": label.code, "label": label.label, "level": label.level, "parent": label.parent}
            for label in self.topics.model.labels
        ]

    def tag(self, doc: RawDocument | str) -> TaggedArticle:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[RawDocument | str]) -> Iterator[TaggedArticle]:
        """Tag documents; exactly one result per document, in input order.

        A plain string is taken as raw scraped text with id "1", "2", ... by position.
        """
        numbered = (
            d if isinstance(d, RawDocument) else RawDocument(id=str(i), text=d)
            for i, d in enumerate(docs, start=1)
        )
        versions = None
        while batch := list(itertools.islice(numbered, self.options.batch_size)):
            if versions is None:
                versions = self.versions()
            yield from self._tag_batch(batch, versions)

    def _tag_batch(self, batch: list[RawDocument], versions: dict[str, str]) -> list[TaggedArticle]:
        with raised_gc_threshold():
            return self._tag_batch_stages(batch, versions)

    def _tag_batch_stages(self, batch: list[RawDocument], versions: dict[str, str]) -> list[TaggedArticle]:
        from newstag.parse import parse_document

        results: list[TaggedArticle | None] = [None] * len(batch)
        parsed: list[tuple[int, Article, tuple]] = []
        for i, raw in enumerate(batch):
            if raw.error is not None:
                results[i] = failed_article(raw, raw.error, "read", versions)
                continue
            try:
                article = parse_document(raw, max_chars=self.options.max_chars)
            except Exception as exc:  # one bad article must not end a batch
                results[i] = failed_article(raw, _reason(exc), "parse", versions)
                continue
            try:
                geo = self.geo.tag(article) if self.options.geo else ((), ())
            except Exception as exc:
                results[i] = failed_article(raw, _reason(exc), "geo", versions, article)
                continue
            parsed.append((i, article, geo))

        topic_scores: list[tuple] = [()] * len(parsed)
        if self.options.topics and parsed:
            articles = [a for _, a, _ in parsed]
            try:
                topic_scores = self.topics.predict(articles, max_topics=self.options.max_general)
            except Exception:
                # Find the article the model chokes on rather than failing the whole batch.
                topic_scores = []
                for a in articles:
                    try:
                        topic_scores.extend(self.topics.predict([a], max_topics=self.options.max_general))
                    except Exception as exc:
                        topic_scores.append(exc)

        for (i, article, (places, regions)), general in zip(parsed, topic_scores):
            if isinstance(general, Exception):
                results[i] = failed_article(batch[i], _reason(general), "topics", versions, article)
                continue
            warnings = article.warnings
            if self.options.topics and self.options.max_general and not general:
                from newstag.topics import NO_KNOWN_WORDS

                warnings = (*warnings, NO_KNOWN_WORDS)
            results[i] = TaggedArticle(
                article=article,
                places=tuple(places),
                regions=tuple(regions),
                general=tuple(general),
                warnings=warnings,
                versions=versions,
            )
        return results  # type: ignore[return-value]


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def failed_article(
    raw: RawDocument, reason: str, stage: str, versions: dict[str, str], article: Article | None = None
) -> TaggedArticle:
    """The record of a document that could not be tagged: its id, the stage, why, and the versions
    of what tried (every error record is made here, by the pipeline or by the batch around it).
    A reader's own reason (`raw.error`) wins: it says more than a later stage's."""
    from newstag.parse import empty_article

    if raw.error is not None:
        reason, stage = raw.error, "read"
    return TaggedArticle(
        article=article or empty_article(raw),
        warnings=raw.warnings,
        versions=versions,
        error=reason,
        error_stage=stage,
    )
