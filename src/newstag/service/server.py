"""`newstag serve`: load the artifacts, bind, then serve in this process or in N forked workers.

With `workers > 1` the parent loads the gazetteer and the topic model once, freezes them out of
the cyclic GC (as the batch layer does before it forks), binds the socket and forks: every worker
shares the loaded artifacts copy-on-write and accepts from the same socket, and each starts its
own event loop and tagging thread after the fork. Connections that arrive while the workers
start wait in the socket's backlog. The parent only supervises: a worker that dies is replaced;
SIGINT / SIGTERM stop them all.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import time

from newstag.service.options import ServiceOptions

log = logging.getLogger("newstag.service")


def serve(options: ServiceOptions, host: str = "127.0.0.1", port: int = 8000, workers: int = 1, log_level: str = "info") -> None:
    import uvicorn

    from newstag.service.app import create_app
    from newstag.service.engine import load_tagger

    tagger = load_tagger(options.tag)  # before the server accepts anything (and before a fork)
    config = uvicorn.Config(
        create_app(options, tagger),
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,  # a line per request costs more than some requests; errors are logged
        timeout_graceful_shutdown=10,
        server_header=False,
    )
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    sock = config.bind_socket()
    gc.collect()
    gc.freeze()
    _Supervisor(config, sock, workers).run()


class _Supervisor:
    def __init__(self, config, sock, workers: int) -> None:
        self.config, self.sock, self.workers = config, sock, workers
        self.children: dict[int, float] = {}  # pid -> start time
        self.stopping = False

    def _fork(self) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            import uvicorn

            code = 0
            try:
                uvicorn.Server(self.config).run(sockets=[self.sock])
            except BaseException:
                log.exception("worker %d failed", os.getpid())
                code = 1
            os._exit(code)
        self.children[pid] = time.monotonic()

    def _stop(self, signum, frame) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for _ in range(self.workers):
            self._fork()
        log.info("newstag serve: %d workers (pids %s)", self.workers, ", ".join(map(str, self.children)))
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            started = self.children.pop(pid, None)
            if started is None or self.stopping:
                continue
            log.warning("worker %d exited (status %d); starting another", pid, status)
            if time.monotonic() - started < 5:
                time.sleep(1)  # a worker that dies at once would otherwise be restarted in a tight loop
            self._fork()
        self.sock.close()
