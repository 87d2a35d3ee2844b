"""General: IPTC Media Topics for an article, from a linear multi-label classifier."""

from __future__ import annotations

from pathlib import Path

from newstag.types import Article, TopicScore


class TopicTagger:
    """Predicts IPTC Media Topics for articles in batches. Loads the model lazily, once."""

    def __init__(self, model_dir: Path | None = None) -> None:
        self.model_dir = model_dir

    def predict(self, articles: list[Article], max_topics: int = 5) -> list[tuple[TopicScore, ...]]:
        # Placeholder until the topic model lands.
        return [() for _ in articles]

    def versions(self) -> dict[str, str]:
        return {}
