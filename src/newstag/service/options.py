"""The service's one options object, built at the edge (`newstag serve`, tests) and read by the app."""

from __future__ import annotations

from dataclasses import dataclass, field

from newstag.options import TagOptions

# 1 MiB per article: a long feature is 50 KB, and 1,000,000 characters is where tagging cuts a text
# anyway (TagOptions.max_chars), so a 1 MB article still fits with its markup.
DEFAULT_MAX_ARTICLE_BYTES = 1 << 20
DEFAULT_MAX_BATCH_BYTES = 64 << 20
# Articles waiting for a worker's tagging thread, per worker process (a single article counts one,
# a batch chunk its lines). One worker tags 400-900 articles/s of the bench mix, so a full queue
# is about a second of work: what keeps p99 latency under 2 s when more is asked of the server
# than it can do (the rest get 503 + Retry-After at once; at 1,000 the batch p99 was 2.3 s and at
# 600 2.2 s on the busy bench machine), while the benchmark's 200 one-article clients (100 per
# worker) never fill it. The byte bound keeps a queue of long articles from growing past 64 MiB.
DEFAULT_QUEUE_ARTICLES = 400
DEFAULT_QUEUE_BYTES = 64 << 20
# Articles per batch request chunk handed to the tagging thread, and single articles gathered
# from the queue into one Tagger.pipe call: the topic model predicts much faster per article in
# batches, so concurrent one-article requests are tagged together.
CHUNK_DOCS = 128
CHUNK_BYTES = 4 << 20
# What a 503 tells a client to wait before it tries again (seconds).
RETRY_AFTER_SECONDS = 1
# The page shows at most this many records of an uploaded JSON Lines file.
PAGE_MAX_RECORDS = 20


@dataclass(frozen=True, slots=True)
class ServiceOptions:
    tag: TagOptions = field(default_factory=TagOptions)
    api_key: str | None = None  # when set, every /v1/ call needs `Authorization: Bearer <key>`
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    max_batch_bytes: int = DEFAULT_MAX_BATCH_BYTES
    queue_articles: int = DEFAULT_QUEUE_ARTICLES
    queue_bytes: int = DEFAULT_QUEUE_BYTES
    retry_after: int = RETRY_AFTER_SECONDS
    archive: str | None = None  # an archive's URL (`newstag serve --archive DB`): its pages and /v1/articles
