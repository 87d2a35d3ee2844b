"""The tagging engine of one worker process: one tagging thread fed through a bounded queue.

Tagging is CPU work; run on the event loop it would stall every other connection for the length
of an article. Each worker process therefore has one thread that tags and an event loop that
only moves bytes:

    request handler ─submit─▶ queue (at most `queue_articles` / `queue_bytes`) ──▶ thread
          ▲                                                                                 │
          └──────────────── future, settled through loop.call_soon_threadsafe ◀─────────────┘

Submitting refuses at once (`Saturated`, a 503 with Retry-After) when the queue is full, so
memory stays bounded however many clients connect; a batch request already streaming waits for
room instead, one chunk at a time. The thread takes the next job and the API jobs queued right
behind it (up to CHUNK_DOCS articles in all) and tags them in one Tagger.pipe call: the topic
model is much faster per article in batches, so concurrent one-article clients share batches.

API jobs go through the batch layer's ChunkTagger with the JSON Lines encoder, exactly as
`newstag tag` tags and encodes a chunk, so the service's record is the CLI's record.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newstag.batch.parallel import ChunkTagger, failed_chunk
from newstag.batch.stream import Item, item_document
from newstag.options import TagOptions
from newstag.service.options import CHUNK_DOCS
from newstag.types import RawDocument, TaggedArticle

# Tagged before the service accepts a request (and before `--workers N` forks), so that every
# artifact a request can need is loaded once and shared: the gazetteer and the topic model (any
# article), and the general language identifier (~100 MB, loaded on first use by the not-English
# check only for a text with no English in it: the second, Polish, article). Without it each worker
# loaded its own copy during its first minutes of traffic (worker RSS 260 -> 362 MB, p99 3.5 s).
WARM_UP = (
    RawDocument(id="warm-up", text="Officials in Paris and Berlin met on Monday to discuss trade."),
    RawDocument(id="warm-up-pl", text="Ministrowie spotkali się w Warszawie, aby omówić handel zbożem i bezpieczeństwo granic regionu."),
)


class Saturated(Exception):
    """The worker's queue is full: the client should try again after a short wait."""


@dataclass(slots=True)
class _Job:
    items: list[Any]  # the batch layer's Items
    size: int  # bytes held, for the queue bound
    api: bool  # True: encoded CLI records out; False: TaggedArticles out
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future = field(repr=False)


class TaggingEngine:
    def __init__(self, options: TagOptions, queue_articles: int, queue_bytes: int, tagger: ChunkTagger | None = None) -> None:
        self.options = options
        self.tagger = tagger  # loaded before the fork by `newstag serve --workers N`; else on the thread
        self.queue_articles = queue_articles
        self.queue_bytes = queue_bytes
        self._jobs: deque[_Job] = deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        # Owned by the event loop thread: what is admitted and not yet settled.
        self._pending_jobs = 0
        self._pending_articles = 0
        self._pending_bytes = 0
        self._waiters: deque[asyncio.Future] = deque()
        self.versions: dict[str, str] = {}
        self.labels: list[dict[str, Any]] = []

    # --- lifecycle (called from the event loop thread) ----------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="newstag-tagging", daemon=True)
        self._thread.start()

    async def wait_ready(self) -> None:
        """Returns once the artifacts are loaded; raises what stopped them loading."""
        await asyncio.get_running_loop().run_in_executor(None, self._ready.wait)
        if self._failure is not None:
            raise self._failure

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._failure is None and not self._stopping

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=30)

    # --- submitting work (event loop thread) ----------------------------------------------------

    async def tag_items(self, items: list[Item], size: int, *, wait: bool = False) -> list[bytes]:
        """The CLI's JSON Lines record (bytes, newline-terminated) of every item, in order."""
        return await self._submit(items, size, api=True, wait=wait)

    async def tag_documents(self, docs: list[Item], size: int) -> list[TaggedArticle]:
        """Tagged articles for the page, in order (items as for tag_items: documents, or bytes the
        thread decodes)."""
        return await self._submit(docs, size, api=False, wait=False)

    async def _submit(self, items: list, size: int, *, api: bool, wait: bool) -> list:
        while not self._has_room(len(items), size):
            if not wait:
                raise Saturated(f"{self._pending_articles} articles are queued for this worker's tagging thread")
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            await waiter
        self._pending_jobs += 1
        self._pending_articles += len(items)
        self._pending_bytes += size
        loop = asyncio.get_running_loop()
        job = _Job(items, size, api, loop, loop.create_future())
        with self._wake:
            self._jobs.append(job)
            self._wake.notify()
        return await job.future

    def _has_room(self, articles: int, size: int) -> bool:
        # A job bigger than the bounds still runs when it is alone.
        if self._pending_jobs == 0:
            return True
        return self._pending_articles + articles <= self.queue_articles and self._pending_bytes + size <= self.queue_bytes

    def _settle(self, job: _Job, result: list | None, error: BaseException | None) -> None:
        self._pending_jobs -= 1
        self._pending_articles -= len(job.items)
        self._pending_bytes -= job.size
        if not job.future.done():  # a cancelled request leaves a cancelled future
            if error is not None:
                job.future.set_exception(error)
            else:
                job.future.set_result(result)
        while self._waiters:  # each waiter checks for room again
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)

    # --- the tagging thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self.tagger is None:
                self.tagger = load_tagger(self.options)
            self.versions = self.tagger.tagger.versions()
            self.labels = self.tagger.tagger.topic_labels()
        except BaseException as exc:  # reported by wait_ready
            self._failure = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            with self._wake:
                while not self._jobs and not self._stopping:
                    self._wake.wait()
                if not self._jobs:
                    return
                group = [self._jobs.popleft()]
                if group[0].api:
                    count = len(group[0].items)
                    while self._jobs and self._jobs[0].api and count + len(self._jobs[0].items) <= CHUNK_DOCS:
                        count += len(self._jobs[0].items)
                        group.append(self._jobs.popleft())
            self._tag_group(group)

    def _tag_group(self, group: list[_Job]) -> None:
        try:
            if group[0].api:
                items = [item for job in group for item in job.items]
                records = self.tagger(items).records
                if len(records) != len(items):  # never answer with a lost or extra record
                    reason = f"tagging gave {len(records)} records for {len(items)} inputs"
                    records = failed_chunk(items, reason, "jsonl", self.tagger.tagger.versions()).records
                results, at = [], 0
                for job in group:
                    results.append(records[at : at + len(job.items)])
                    at += len(job.items)
            else:
                results = [list(self.tagger.tagger.pipe(item_document(i) for i in job.items)) for job in group]
        except BaseException as exc:  # a NewstagError (an artifact broke): every job of the group fails
            for job in group:
                self._call(job, self._settle, job, None, exc)
            return
        for job, result in zip(group, results):
            self._call(job, self._settle, job, result, None)

    @staticmethod
    def _call(job: _Job, fn: Callable, *args: Any) -> None:
        try:
            job.loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:
            pass  # the loop is closed: the server is shutting down


def load_tagger(options: TagOptions) -> ChunkTagger:
    """The batch layer's chunk tagger with every artifact loaded and the HTML extractor imported."""
    from newstag.parse.readers import read_html

    tagger = ChunkTagger(options, "jsonl")
    tagger(list(WARM_UP))
    read_html("<html><body><p>Warm-up.</p></body></html>", "warm-up")  # imports trafilatura (~0.3 s)
    return tagger
