"""Tagging chunks in order, in this process (`jobs=1`) or in worker processes (`jobs>1`).

    parent   reads items, cuts chunks, keeps at most `2 * jobs` chunks in flight, writes results
             in input order
    worker   builds one Tagger when it starts (artifacts load once per worker, on first use),
             then per chunk: items -> RawDocument -> Tagger.pipe -> encoded records

Every item gives exactly one encoded record. If an article breaks the pipeline, its chunk is
retagged one article at a time and the culprit alone gets an error record. If a worker process
dies (a crash in native code, the OOM killer), the chunks that were in flight are retried one at
a time in a fresh pool; a chunk that kills its worker again gets one error record per item.
A NewstagError (a missing artifact, say) is not about one article: it ends the run.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newstag.batch.output import Encoded, encode
from newstag.batch.stream import Item, item_document
from newstag.errors import NewstagError
from newstag.options import TagOptions
from newstag.types import RawDocument, TaggedArticle

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# Chunks in flight per worker: one being tagged, one queued, so no worker waits on the parent.
IN_FLIGHT_PER_JOB = 2
# After this many articles in a row fail alike, the failure is taken to be the stage's, not theirs.
SAME_FAILURE_LIMIT = 8


@dataclass(frozen=True, slots=True)
class ChunkResult:
    records: list[Encoded]  # one per item, in item order
    errors: int  # how many of them carry an error


class ChunkTagger:
    """Tags one chunk of items into encoded records. One per process; holds that process's Tagger."""

    def __init__(self, options: TagOptions, fmt: str) -> None:
        from newstag.pipeline import Tagger

        self.tagger = Tagger(options)
        self.fmt = fmt

    def __call__(self, items: list[Item]) -> ChunkResult:
        docs = [item_document(item) for item in items]
        try:
            tagged = list(self.tagger.pipe(docs))
        except NewstagError:
            raise
        except Exception:
            tagged = self._tag_one_by_one(docs)
        return ChunkResult([encode(t, self.fmt) for t in tagged], sum(t.error is not None for t in tagged))

    def _tag_one_by_one(self, docs: list[RawDocument]) -> list[TaggedArticle]:
        # Tagger.pipe already isolates failing articles, so this is a bug in a stage. Find the
        # article that triggers it, so that only its record carries the error. When the same
        # failure repeats article after article it is not about articles (a stage that cannot
        # start, say): give the rest of the chunk that error instead of retrying each.
        tagged: list[TaggedArticle] = []
        last, repeats = None, 0
        for doc in docs:
            if repeats >= SAME_FAILURE_LIMIT:
                tagged.append(error_record(doc, last))
                continue
            try:
                tagged.append(self.tagger.tag(doc))
                last, repeats = None, 0
            except NewstagError:
                raise
            except Exception as exc:
                reason = f"{type(exc).__name__}: {exc}"
                repeats = repeats + 1 if reason == last else 1
                last = reason
                tagged.append(error_record(doc, reason))
        return tagged


def error_record(doc: RawDocument, reason: str) -> TaggedArticle:
    """The record of a document the batch could not tag: its id, the stage "batch" and why."""
    from newstag.parse import empty_article

    if doc.error is not None:  # the reader's reason is the more useful one
        return TaggedArticle(article=empty_article(doc), warnings=doc.warnings, error=doc.error, error_stage="read")
    return TaggedArticle(article=empty_article(doc), warnings=doc.warnings, error=reason, error_stage="batch")


def failed_chunk(items: list[Item], reason: str, fmt: str) -> ChunkResult:
    records = [encode(error_record(item_document(item), reason), fmt) for item in items]
    return ChunkResult(records, len(records))


def tag_chunks(
    chunks: Iterable[list[Item]], options: TagOptions, fmt: str, jobs: int = 1
) -> Iterator[tuple[list[Item], ChunkResult]]:
    """(chunk, its result) per chunk, in chunk order."""
    if jobs <= 1:
        tagger = ChunkTagger(options, fmt)
        for chunk in chunks:
            yield chunk, tagger(chunk)
        return
    yield from _Pool(options, fmt, jobs).run(chunks)


# --- worker side -------------------------------------------------------------------------------

_worker: ChunkTagger | None = None


def _start_worker(options: TagOptions, fmt: str) -> None:
    global _worker
    # Ctrl-C goes to the whole process group; the parent alone decides what to do about it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One worker per core: keep numerical libraries from starting threads of their own.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    _worker = ChunkTagger(options, fmt)


def _tag_in_worker(items: list[Item]) -> ChunkResult:
    assert _worker is not None, "worker not initialised"
    return _worker(items)


# --- parent side -------------------------------------------------------------------------------


class _Pool:
    def __init__(self, options: TagOptions, fmt: str, jobs: int) -> None:
        self.options, self.fmt, self.jobs = options, fmt, jobs
        self.executor: ProcessPoolExecutor | None = None

    def _new_executor(self) -> ProcessPoolExecutor:
        # Imported here: a run with one job (and `newstag tag article.txt`) never pays for them.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        # fork: workers inherit the modules already imported, so they start in milliseconds.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        if method == "fork":
            # Load the artifacts once here, before forking: every worker then shares the parent's
            # gazetteer and model pages copy-on-write instead of loading its own (a second of CPU
            # and ~250 MB per worker saved; the workers start tagging at once).
            from newstag.pipeline import Tagger

            Tagger(self.options).versions()
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_start_worker,
            initargs=(self.options, self.fmt),
        )

    def run(self, chunks: Iterable[list[Item]]) -> Iterator[tuple[list[Item], ChunkResult]]:
        self.executor = self._new_executor()
        pending: deque[tuple[list[Item], Future]] = deque()
        limit = IN_FLIGHT_PER_JOB * self.jobs
        try:
            for chunk in chunks:
                pending.append((chunk, self.executor.submit(_tag_in_worker, chunk)))
                while len(pending) >= limit:
                    yield from self._collect(pending)
            while pending:
                yield from self._collect(pending)
        finally:
            if pending:
                # Interrupted (Ctrl-C, an error in the parent): drop the queued chunks and stop the
                # workers now rather than after their current chunk; nothing they hold is written.
                for process in list(getattr(self.executor, "_processes", {}).values()):
                    process.terminate()
            self.executor.shutdown(wait=True, cancel_futures=True)

    def _collect(self, pending: deque[tuple[list[Item], Future]]) -> Iterator[tuple[list[Item], ChunkResult]]:
        from concurrent.futures.process import BrokenProcessPool

        chunk, future = pending.popleft()
        try:
            result = future.result()
        except BrokenProcessPool:
            pass
        else:
            yield chunk, result
            return
        # A worker died and took the pool with it: every chunk in flight is lost. Retry them one
        # at a time in a fresh pool, so that a chunk that kills a worker again is known for sure.
        suspects = [chunk] + [c for c, _ in pending]
        pending.clear()
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new_executor()
        for suspect in suspects:
            try:
                result = self.executor.submit(_tag_in_worker, suspect).result()
            except BrokenProcessPool:
                self.executor.shutdown(wait=True, cancel_futures=True)
                self.executor = self._new_executor()
                result = failed_chunk(suspect, "a worker process died while tagging this chunk", self.fmt)
            yield suspect, result
