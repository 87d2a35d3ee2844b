"""Load on `newstag serve --workers 2` from loopback, and `newstag tag --jobs 2` on the same articles.

    make bench-service   (= python bench/bench_service.py --shared ../shared)

The articles: the Reuters-21578 and BBC News dev articles of `make bench`'s mix (bench_pipeline.
build_mix), as JSON bodies. The load generator is this process: asyncio, 200 concurrent clients
(one keep-alive connection each) on 127.0.0.1 only, each sending its next request as soon as its last one is answered,
until a fixed number of requests has gone out (so it always ends). Measured, in order:

    0. start-up: from starting the server to the first answered /v1/tag (the target: 3 s)
    1. /v1/tag, one article per request: three rounds of --requests requests each; per round
       requests/s, p50/p95/p99 latency, the count of every status, connection errors, and the
       server's memory after it (RSS of each process, and their PSS sum: RSS counts the pages the
       forked workers share copy-on-write once per process)
    2. /v1/tag/batch, --batch-size articles per request, --batch-requests requests
    3. `newstag tag --jobs 2` on the same articles in one JSON Lines file, from a fresh process
Then the ratios of 1. and 2. to 3. in articles/s. The load generator shares the two cores with the
server, so its CPU time is printed beside the server's; so is the load average, since other work
on the machine moves every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import build_mix, run_cli  # noqa: E402 - the same mix and CLI runner as `make bench`

REPO = Path(__file__).resolve().parents[1]
NEWSTAG = Path(sys.executable).with_name("newstag")
MAX_ATTEMPTS = 30  # a request refused with 503 is sent again after Retry-After, this many times at most
RETRY_AFTER_S = 1.0
TARGETS = {"p99_s": 2.0, "rss_growth": 0.10, "tag_vs_cli": 0.5, "batch_vs_cli": 0.8, "first_answer_s": 3.0}


def load_average() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(c) for c in children.read_text().split()] if children.exists() else []
    return [pid] + [p for kid in kids for p in process_tree(kid)]


def memory(pid: int) -> dict:
    """RSS of every process of the server (MB) and the PSS sum (shared pages split between them)."""
    rss, pss = {}, 0.0
    for p in process_tree(pid):
        try:
            for line in open(f"/proc/{p}/smaps_rollup"):
                if line.startswith("Rss:"):
                    rss[p] = round(int(line.split()[1]) / 1024, 1)
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) / 1024
        except OSError:
            pass
    return {"rss_mb": rss, "pss_total_mb": round(pss, 1)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server's processes (clock ticks from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / ticks


class Connection:
    """One keep-alive HTTP/1.1 connection to the server: a request out, its whole answer in.

    Hand-written rather than httpx on purpose: at 200 connections httpx's pool costs ~5 ms of CPU
    per request here, more than the server spends tagging the article, so the load generator
    would measure itself. This speaks only what the bench needs (POST with Content-Length; answers
    with Content-Length or chunked) to 127.0.0.1.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 24)
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        self.writer.write(head + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            parts = []
            while (size := int((await self.reader.readline()).split(b";")[0], 16)) > 0:
                parts.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readline()
            payload = b"".join(parts)
        else:
            payload = await self.reader.readexactly(length or 0)
        if close:
            await self.close()
        return status, payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def drive(port: int, path: str, bodies: list[tuple[bytes, int]], content_type: str, clients: int) -> dict:
    """Send every body from `clients` concurrent connections (again after a 503, as a client that
    honours Retry-After does); latency of the answered requests, every status, connection errors."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    articles_ok = 0
    queue = iter(bodies)

    async def one_client() -> None:
        nonlocal articles_ok
        connection = Connection(port)
        for body, articles in queue:
            status = 0
            for _attempt in range(MAX_ATTEMPTS):
                t0 = time.perf_counter()
                try:
                    status, payload = await asyncio.wait_for(connection.post(path, body, content_type), 120)
                except (OSError, ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError) as exc:
                    errors[type(exc).__name__] += 1
                    await connection.close()
                    break
                if status == 200:
                    latencies.append(time.perf_counter() - t0)
                statuses[status] += 1
                if status != 503:
                    break
                await asyncio.sleep(RETRY_AFTER_S)  # as the answer's Retry-After asks, then the same request again
            if status == 200:
                articles_ok += articles if articles == 1 else payload.count(b"\n")
        await connection.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    wall = time.perf_counter() - t0
    latencies.sort()

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3) if latencies else float("nan")

    return {
        "requests": len(bodies),
        "wall_s": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1),  # answered with 200
        "articles_per_s": round(articles_ok / wall, 1),
        "p50_s": pct(0.50), "p95_s": pct(0.95), "p99_s": pct(0.99),
        "statuses": dict(sorted(statuses.items())),
        "connection_errors": dict(errors),
    }


def measured(fn, server_pid: int) -> dict:
    """Run a load round; add the CPU the server and this load generator used during it."""
    server0, client0, t0 = cpu_seconds(server_pid), time.process_time(), time.perf_counter()
    result = fn()
    wall = time.perf_counter() - t0
    result["server_cpu_s"] = round(cpu_seconds(server_pid) - server0, 2)
    result["loadgen_cpu_s"] = round(time.process_time() - client0, 2)
    result["loadgen_cpu_share"] = round(result["loadgen_cpu_s"] / max(result["server_cpu_s"] + result["loadgen_cpu_s"], 1e-9), 2)
    result["wall_with_setup_s"] = round(wall, 2)
    result["load_average"] = load_average()
    return result


def start_server(port: int, workers: int) -> tuple[subprocess.Popen, float]:
    """Start `newstag serve`; return it and the seconds to its first answered /v1/tag."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSTAG_API_KEY"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(NEWSTAG), "serve", "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = t0 + 60
    while True:
        try:
            r = httpx.post(f"http://127.0.0.1:{port}/v1/tag", content=b"Talks in Cairo.", headers={"Content-Type": "text/plain"}, timeout=10)
            if r.status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.perf_counter() > deadline:
            proc.kill()
            sys.exit(f"bench: the server did not start: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=4000, help="/v1/tag requests per round (3 rounds)")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--batch-requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "service_results.json")
    args = parser.parse_args()
    if args.clients > 1000 or args.requests > 100_000:
        sys.exit("bench: the load is bounded: at most 1,000 clients and 100,000 requests per round")

    n_articles = max(args.requests, args.batch_size * args.batch_requests)
    mix = build_mix(args.shared, n_articles)
    print(f"load average before: {load_average()}  (the machine is shared: other work moves these figures)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc, first_answer = start_server(port, args.workers)
    # The CPU the start-up took (all server processes) says what it costs on an idle machine; the
    # wall clock also holds the time other work on the machine took the cores.
    startup_cpu = cpu_seconds(proc.pid)
    results: dict = {"first_answer_s": round(first_answer, 2), "startup_cpu_s": round(startup_cpu, 2), "memory_at_start": memory(proc.pid)}
    print(f"start-up to the first answered /v1/tag: {first_answer:.2f} s wall, {startup_cpu:.2f} s CPU (load average {load_average()})"
          f"   memory at start: {results['memory_at_start']}")
    try:
        singles = [(orjson.dumps(a), 1) for a in mix[: args.requests]]
        results["tag_rounds"] = []
        for round_no in (1, 2, 3):
            r = measured(lambda: asyncio.run(drive(port, "/v1/tag", singles, "application/json", args.clients)), proc.pid)
            r["memory_after"] = memory(proc.pid)
            results["tag_rounds"].append(r)
            print(f"/v1/tag round {round_no}: {r}")
        batches = []
        for i in range(args.batch_requests):
            chunk = mix[i * args.batch_size : (i + 1) * args.batch_size]
            batches.append((b"".join(orjson.dumps(a) + b"\n" for a in chunk), len(chunk)))
        r = measured(lambda: asyncio.run(drive(port, "/v1/tag/batch", batches, "application/x-ndjson", min(args.clients, len(batches)))), proc.pid)
        r["memory_after"] = memory(proc.pid)
        results["batch"] = r
        print(f"/v1/tag/batch ({args.batch_size} articles per request): {r}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mix.jsonl"
        path.write_bytes(b"".join(orjson.dumps(a) + b"\n" for a in mix))
        cli = run_cli(["tag", "--jobs", "2", "--format", "jsonl", str(path)], len(mix), pin_one_core=False)
    cli["load_average"] = load_average()
    results["cli_jobs2"] = cli
    print(f"newstag tag --jobs 2 on the same {len(mix):,} articles: {cli}")

    best_tag = max(r["articles_per_s"] for r in results["tag_rounds"])
    rss = [sum(r["memory_after"]["rss_mb"].values()) for r in results["tag_rounds"]]
    summary = {
        "tag_vs_cli": round(best_tag / cli["docs_per_s"], 2),
        "tag_vs_cli_after_first": round(best_tag / cli["docs_per_s_after_first"], 2),
        "batch_vs_cli": round(results["batch"]["articles_per_s"] / cli["docs_per_s"], 2),
        "batch_vs_cli_after_first": round(results["batch"]["articles_per_s"] / cli["docs_per_s_after_first"], 2),
        "worst_p99_s": max(r["p99_s"] for r in [*results["tag_rounds"], results["batch"]]),
        "rss_round3_vs_round1": round(rss[2] / rss[0] - 1, 3),
        "server_errors": sum(n for r in [*results["tag_rounds"], results["batch"]] for s, n in r["statuses"].items() if s >= 500 and s != 503),
        "deliberate_503": sum(r["statuses"].get(503, 0) for r in [*results["tag_rounds"], results["batch"]]),
        "connection_errors": sum(sum(r["connection_errors"].values()) for r in [*results["tag_rounds"], results["batch"]]),
        "first_answer_s": results["first_answer_s"],
        "startup_cpu_s": results["startup_cpu_s"],
        "load_average_after": load_average(),
        "targets": TARGETS,
    }
    results["summary"] = summary
    print("summary:", orjson.dumps(summary).decode())
    args.out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
