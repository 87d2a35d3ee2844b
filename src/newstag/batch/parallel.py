"""Tagging chunks in order, in this process (`jobs=1`) or in worker processes (`jobs>1`).

    parent   loads the artifacts, forks `jobs` workers (each with its own pipe), reads items, cuts
             chunks, hands each free worker the next one, writes results in input order; at most
             IN_FLIGHT_PER_JOB * jobs chunks are out at once
    worker   builds one Tagger (the artifacts are the parent's, shared copy-on-write), then per
             chunk: items -> RawDocument -> Tagger.pipe -> encoded records

Every item gives exactly one encoded record. If an article breaks the pipeline, its chunk is
retagged one article at a time and the culprit alone gets an error record. If a worker process
dies (a crash in native code, the OOM killer), the chunk it held is tried once more in a fresh
worker; a chunk that kills its worker again gets one error record per item. Every error record is
made by the pipeline (`pipeline.failed_article`), with the run's versions. Workers die with the
parent however it ends (see `_worker_main`).
A NewstagError (a missing artifact, say) is not about one article: it ends the run.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newstag.batch.output import Encoded, encode
from newstag.batch.stream import Item, item_document, item_id
from newstag.errors import NewstagError
from newstag.options import TagOptions
from newstag.pipeline import raised_gc_threshold
from newstag.types import RawDocument, TaggedArticle

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

# Chunks out per worker (sent, or back and waiting for an earlier one to be written): a worker that
# finishes while an earlier chunk is still being tagged elsewhere goes on with the next ones.
IN_FLIGHT_PER_JOB = 4
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
        docs = [self._document(item) for item in items]
        try:
            tagged = list(self.tagger.pipe(docs))
        except NewstagError:
            raise
        except Exception:
            tagged = self._tag_one_by_one(docs)
        return ChunkResult([encode(t, self.fmt) for t in tagged], sum(t.error is not None for t in tagged))

    @staticmethod
    def _document(item: Item) -> RawDocument:
        # Readers give bad bytes an error document; this guards against a bug in one (or in
        # trafilatura on a page it cannot handle), which must not cost the chunk's other records.
        try:
            return item_document(item)
        except Exception as exc:  # noqa: BLE001
            return RawDocument(id=_item_id_or_number(item), text="", error=f"cannot read: {type(exc).__name__}: {exc}")

    def _tag_one_by_one(self, docs: list[RawDocument]) -> list[TaggedArticle]:
        # Tagger.pipe already isolates failing articles, so this is a bug in a stage. Find the
        # article that triggers it, so that only its record carries the error. When the same
        # failure repeats article after article it is not about articles (a stage that cannot
        # start, say): give the rest of the chunk that error instead of retrying each.
        tagged: list[TaggedArticle] = []
        last, repeats = None, 0
        for doc in docs:
            if repeats >= SAME_FAILURE_LIMIT:
                tagged.append(self.tagger.failed(doc, last, "batch"))
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
                tagged.append(self.tagger.failed(doc, reason, "batch"))
        return tagged


def _item_id_or_number(item: Item) -> str:
    try:
        return item_id(item)
    except Exception:  # noqa: BLE001 - the id of an item whose reading failed
        return str(item[0]) if isinstance(item, tuple) else "?"


def failed_chunk(items: list[Item], reason: str, fmt: str, versions: dict[str, str]) -> ChunkResult:
    """One error record per item (stage "batch"), made by the pipeline's `failed_article`, with
    the versions of the run; the items' ids are kept."""
    from newstag.pipeline import failed_article

    docs = [item if isinstance(item, RawDocument) else RawDocument(id=_item_id_or_number(item), text="") for item in items]
    records = [encode(failed_article(doc, reason, "batch", versions), fmt) for doc in docs]
    return ChunkResult(records, len(records))


def tag_chunks(
    chunks: Iterable[list[Item]], options: TagOptions, fmt: str, jobs: int = 1
) -> Iterator[tuple[list[Item], ChunkResult]]:
    """(chunk, its result) per chunk, in chunk order."""
    with raised_gc_threshold():
        if jobs <= 1:
            tagger = ChunkTagger(options, fmt)
            frozen = False
            for chunk in chunks:
                result = tagger(chunk)
                if not frozen:
                    _freeze_loaded()  # the first chunk loaded the artifacts
                    frozen = True
                yield chunk, result
            return
        yield from _Pool(options, fmt, jobs).run(chunks)


def _freeze_loaded() -> None:
    """Move every object alive now (modules, gazetteer, topic model) out of the cyclic GC's reach.

    They live as long as the process, so a full collection walking them again and again is wasted
    work; in a forked worker it would also write to every page that holds one (the GC marks the
    objects it walks) and so copy the parent's pages that copy-on-write would otherwise share.
    """
    gc.collect()
    gc.freeze()


# --- worker side -------------------------------------------------------------------------------


def _worker_main(inbox: Connection, outbox: Connection, options: TagOptions, fmt: str, parent: int,
                 inherited: list[Connection]) -> None:
    """A worker process: chunks in from `inbox`, (status, payload) out to `outbox`, until None or
    end of file.

    It dies with its parent, however the parent ends: the kernel sends it SIGKILL when the parent
    dies (Linux), and elsewhere its pipes reach end of file. For that, it closes its copies of the
    parent's ends of every pipe (`inherited`, the fork copied them): while a worker held another
    worker's pipe open, a worker whose parent was killed blocked on it forever.
    """
    die_with_parent(parent)
    for conn in inherited:
        conn.close()
    # Ctrl-C goes to the whole process group; the parent alone decides what to do about it. A
    # SIGTERM sent to the worker itself ends it (a forked worker inherits the parent's handler,
    # which would turn it into an interrupted run inside the worker).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # One worker per core: keep numerical libraries from starting threads of their own.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    # Forked workers inherit the parent's raised threshold; spawned ones set it here.
    with raised_gc_threshold():
        _serve_chunks(inbox, outbox, ChunkTagger(options, fmt))


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; if the parent died before the ask
    took effect, exit now. Elsewhere a no-op: the worker then exits when its pipes close."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)


def _serve_chunks(inbox: Connection, outbox: Connection, tagger: ChunkTagger) -> None:
    while True:
        try:
            chunk = inbox.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if chunk is None:
            return
        try:
            message = ("ok", tagger(chunk))
        except Exception as exc:  # a NewstagError (or a bug outside the stages): it ends the run
            message = ("raise", exc)
        try:
            outbox.send(message)
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # an exception that does not pickle
            outbox.send(("raise", RuntimeError(f"{type(exc).__name__} in a worker: {message[1]!r}")))


# --- parent side -------------------------------------------------------------------------------

# A pipe to or from a worker holds this much (Linux lets any process grow a pipe to 1 MB): a
# chunk's records (~0.7 MB for 256 articles) go into it at once, so a worker that finishes does
# not wait for the parent to read them, and the next chunk can wait there before the worker
# needs it (see _Pool).
PIPE_BYTES = 1 << 20


def _grow_pipe(conn: Connection) -> int:
    """Grow the pipe under `conn` towards PIPE_BYTES; return what it holds."""
    try:
        import fcntl

        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        return fcntl.fcntl(conn.fileno(), fcntl.F_GETPIPE_SZ)
    except (ImportError, AttributeError, OSError):
        return 1 << 16  # the usual size elsewhere


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    inbox: Connection  # chunks to the worker
    outbox: Connection  # results from it
    capacity: int  # bytes its inbox pipe holds
    sent: deque[tuple[int, int]]  # (chunk number, pickled bytes) sent and not answered, oldest first


class _Pool:
    """`jobs` worker processes, each with its own pipes; chunks go to whichever worker is free.

    A worker is sent its next chunk while it tags the current one, when the pipe can hold it
    without the parent waiting, so that it goes on at once when it finishes; not the last
    chunks, which wait for whichever worker frees up first. Results are written in chunk order: a
    result that comes early waits, and at most IN_FLIGHT_PER_JOB * jobs chunks are ever out (read
    and not yet written), so memory stays flat. Pipes per worker, not a shared queue: the parent
    runs no threads, and when a worker dies the parent knows the chunks it held. A worker that
    dies mid-message leaves a pipe at end of file, which the parent reads as a dead worker,
    never as a wait.
    """

    def __init__(self, options: TagOptions, fmt: str, jobs: int) -> None:
        import multiprocessing

        self.options, self.fmt, self.jobs = options, fmt, jobs
        # fork: workers inherit the modules and artifacts already loaded, so they start at once.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.context = multiprocessing.get_context(method)
        self.workers: list[_Worker] = []

    def _versions(self) -> dict[str, str]:
        from newstag.pipeline import Tagger

        return Tagger(self.options).versions()  # loaded before the fork already, or now

    def _load_before_fork(self) -> None:
        if self.context.get_start_method() != "fork":
            return
        # Load the artifacts once here, before forking: every worker then shares the parent's
        # gazetteer and model pages copy-on-write instead of loading its own (a second of CPU
        # and ~250 MB per worker saved; the workers start tagging at once).
        from newstag.pipeline import Tagger

        Tagger(self.options).versions()
        _freeze_loaded()

    def _start_worker(self) -> _Worker:
        # A forked child flushes the std streams it inherited when it exits: flush them first, so
        # that no output buffered here is written twice.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        inbox_end, inbox = self.context.Pipe(duplex=False)
        outbox, outbox_end = self.context.Pipe(duplex=False)
        capacity = _grow_pipe(inbox)
        _grow_pipe(outbox_end)
        # The parent's ends of every pipe, which a forked worker must not keep open (_worker_main).
        inherited = [inbox, outbox] + [c for w in self.workers for c in (w.inbox, w.outbox)]
        if self.context.get_start_method() != "fork":
            inherited = []  # a spawned worker inherits none of them
        process = self.context.Process(target=_worker_main,
                                       args=(inbox_end, outbox_end, self.options, self.fmt, os.getpid(), inherited),
                                       daemon=True)
        process.start()
        # The worker holds the only copies of its ends: its death is end of file here.
        inbox_end.close()
        outbox_end.close()
        worker = _Worker(process, inbox, outbox, capacity, deque())
        self.workers.append(worker)
        return worker

    def _stop(self, worker: _Worker, *, terminate: bool) -> None:
        """Stop `worker`: terminate it, or wait for it to exit after the None it was sent."""
        self.workers.remove(worker)
        if terminate:
            worker.process.terminate()
        worker.process.join(timeout=None if terminate else 10)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.inbox.close()
        worker.outbox.close()

    def run(self, chunks: Iterable[list[Item]]) -> Iterator[tuple[list[Item], ChunkResult]]:
        from multiprocessing.connection import wait
        from multiprocessing.reduction import ForkingPickler

        chunks = iter(chunks)
        limit = IN_FLIGHT_PER_JOB * self.jobs
        out: dict[int, list[Item]] = {}  # chunks read and not yet written, by number
        pickled: dict[int, bytes] = {}  # those read and not yet sent, pickled
        ready: deque[int] = deque()  # their numbers, to send in this order
        done: dict[int, ChunkResult] = {}  # results back and not yet written
        deaths: dict[int, int] = {}  # chunk number -> workers that died tagging it
        next_seq = next_out = 0
        exhausted = finished = False
        self._load_before_fork()
        for _ in range(self.jobs):
            self._start_worker()
        try:
            while True:
                # 1. Read ahead within the in-flight bound.
                while not exhausted and next_seq - next_out < limit:
                    chunk = next(chunks, None)
                    if chunk is None:
                        exhausted = True
                        break
                    out[next_seq] = chunk
                    ready.append(next_seq)
                    next_seq += 1
                # 2. A chunk to every worker without one; then, but for the last chunks, a next
                # one to every worker with one, when its pipe holds it as well.
                for depth in (0, 1):
                    for worker in self.workers:
                        if not ready or (depth == 1 and len(ready) < 2 and exhausted):
                            break
                        if len(worker.sent) != depth:
                            continue
                        seq = ready[0]
                        if seq not in pickled:
                            pickled[seq] = bytes(ForkingPickler.dumps(out[seq]))
                        size = len(pickled[seq])
                        if depth == 1 and worker.sent[0][1] + size + 16 > worker.capacity:
                            continue  # it would wait for the worker: sent when the worker is free
                        ready.popleft()
                        worker.sent.append((seq, size))
                        try:
                            worker.inbox.send_bytes(pickled.pop(seq))
                        except OSError:
                            pass  # dead already: found below, through its pipe
                # 3. Results in chunk order, while the workers tag.
                while next_out in done:
                    yield out.pop(next_out), done.pop(next_out)
                    next_out += 1
                busy = [w for w in self.workers if w.sent]
                if not busy:
                    if exhausted and not ready:
                        finished = True
                        return
                    continue
                # 4. Wait for a worker to answer or die.
                ready_conns = set(wait([w.outbox for w in busy] + [w.process.sentinel for w in busy]))
                for worker in busy:
                    if worker.outbox not in ready_conns and worker.process.sentinel not in ready_conns:
                        continue
                    try:
                        status, payload = worker.outbox.recv()
                    except (EOFError, OSError):
                        self._worker_died(worker, deaths, done, ready, out)
                        continue
                    if status == "raise":
                        raise payload
                    seq, _ = worker.sent.popleft()
                    done[seq] = payload
        finally:
            # Finished: the workers are told to stop, all before any is waited for (they exit side
            # by side). Interrupted (Ctrl-C, an error, the consumer gone): they are stopped now
            # rather than after their chunk; nothing they hold is written.
            if finished:
                for worker in self.workers:
                    try:
                        worker.inbox.send(None)
                    except OSError:
                        pass
            for worker in list(self.workers):
                self._stop(worker, terminate=not finished)

    def _worker_died(self, worker: _Worker, deaths: dict[int, int], done: dict[int, ChunkResult],
                     ready: deque[int], out: dict[int, list[Item]]) -> None:
        """A worker died mid-chunk (a crash in native code, the OOM killer). The chunk it was tagging
        is tried again in a fresh worker the first time, and gets one error record per item the
        second; a chunk it had not started yet goes back in line."""
        self._stop(worker, terminate=True)
        self._start_worker()
        if not worker.sent:
            return
        (current, _), *waiting = worker.sent
        ready.extendleft(seq for seq, _ in reversed(waiting))
        deaths[current] = deaths.get(current, 0) + 1
        if deaths[current] >= 2:
            done[current] = failed_chunk(out[current], "a worker process died while tagging this chunk", self.fmt,
                                         self._versions())
        else:
            ready.appendleft(current)
