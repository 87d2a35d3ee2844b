"""Speed of `newstag spark tag` on local Spark beside `newstag tag --jobs N`, on the same articles.

    make bench-spark   (= python bench/bench_spark.py --shared ../shared)

The mix is `bench_pipeline.py`'s (its loader: Reuters-21578 dev + BBC News dev, repeated to --docs,
default 20,000), written once to a JSON Lines file. In one run, in alternation, --repeats times
each (default 2; the fastest of each kept, every run listed):

    newstag tag mix.jsonl --jobs 1 / --jobs 2       bench_pipeline.run_cli: a fresh process each
    Spark local[1] / local[2]                       a fresh process each (this file, --one-run):
        session   from process start to a running SparkSession (JVM, Spark context)
        job       `run_job`: rows numbered, tagged through mapInArrow, JSON Lines written, counted
                  (Python workers start and load the artifacts inside this time, as --jobs
                  workers do inside theirs)
        loads     artifact loads, and the Python processes that tagged (NEWSTAG_SPARK_LOAD_LOG)

docs/s with and without session start-up, Spark / CLI ratios, the load average before each run
(this machine is shared: figures under load are noisy and understate speed). Output records are
checked: as many as inputs, none with an error. Figures go to bench/results_spark.json (--out).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import REPO, build_mix, run_cli  # noqa: E402 - the same mix, the same CLI runs

T0 = time.perf_counter()  # this process's start (for --one-run: session start-up is counted from here)

TARGET_LOCAL2_VS_JOBS2 = 0.85


def one_run(master: str, source: str, out: str, partitions: int | None) -> dict:
    """One Spark run in this process (a fresh interpreter): timings as a dict."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from newstag.spark.batch import LOAD_LOG_ENV
    from newstag.spark.job import run_job, spark_session

    load_log = Path(out).parent / f"loads-{Path(out).name}"
    os.environ[LOAD_LOG_ENV] = str(load_log)
    t_import = time.perf_counter() - T0
    spark = spark_session(master, app_name="newstag-bench")
    spark.sparkContext.setLogLevel("ERROR")
    t_session = time.perf_counter() - T0
    summary = run_job(spark, source, out, input_format="jsonl", output_format="jsonl", partitions=partitions)
    t_job = time.perf_counter() - T0 - t_session
    jvm_cpu, python_cpu = _spark_cpu_s(spark.sparkContext._gateway.proc.pid)
    spark.stop()
    loads = {p.stem: p.read_text().count("loaded") for p in load_log.glob("*.load")}
    workers = {p.stem for p in load_log.glob("*.batches")}
    return {
        "import_s": round(t_import, 3),
        "session_s": round(t_session, 3),
        "job_s": round(t_job, 3),
        "records": summary.records,
        # CPU time so far of the JVM (driver and executor threads in local mode) and of its Python
        # daemon and workers (read from /proc before the session stops)
        "jvm_cpu_s": jvm_cpu,
        "python_workers_cpu_s": python_cpu,
        "error_records": summary.errors,
        "artifact_loads": sum(loads.values()),
        "python_workers": len(workers),
        "workers_loaded_once": all(loads.get(w) == 1 for w in workers),
    }


def _spark_cpu_s(jvm_pid: int) -> tuple[float, float]:
    """(CPU s of the JVM, CPU s of the processes under it): utime + stime from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    below, frontier = 0.0, [jvm_pid]
    while frontier:
        children = [pid for pid, (ppid, _) in stats.items() if ppid in frontier]
        below += sum(stats[pid][1] for pid in children)
        frontier = children
    return round(stats.get(jvm_pid, (0, 0.0))[1], 2), round(below, 2)


def run_spark(master: str, source: Path, tmp: Path, n_docs: int, partitions: int | None, k: int) -> dict:
    out = tmp / f"spark-{master.strip('local[]')}-{k}"
    cmd = [sys.executable, __file__, "--one-run", master, "--source", str(source), "--spark-out", str(out)]
    if partitions:
        cmd += ["--partitions", str(partitions)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{proc.stderr.decode(errors='replace')[-3000:]}")
    result = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    if result["records"] != n_docs:
        sys.exit(f"bench: Spark {master} wrote {result['records']} records for {n_docs} inputs")
    result["wall_s"] = round(wall, 3)
    result["docs_per_s"] = round(n_docs / wall, 1)  # with session start-up (and JVM exit)
    result["docs_per_s_job"] = round(n_docs / result["job_s"], 1)  # start-up excluded
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared data folder (default: ../shared)")
    parser.add_argument("--docs", type=int, default=20000, help="documents in the mix (default: 20000)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each configuration; the fastest is kept (default: 2)")
    parser.add_argument("--partitions", type=int, default=None, help="newstag spark tag --partitions (default: Spark's splits)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results_spark.json", help="where to write the figures")
    parser.add_argument("--one-run", metavar="MASTER", help=argparse.SUPPRESS)
    parser.add_argument("--source", help=argparse.SUPPRESS)
    parser.add_argument("--spark-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(one_run(args.one_run, args.source, args.spark_out, args.partitions)))
        return

    mix = build_mix(args.shared, args.docs)
    runs: dict[str, list[dict]] = {"jobs1": [], "jobs2": [], "local1": [], "local2": []}
    with tempfile.TemporaryDirectory(prefix="newstag-bench-spark-") as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "mix.jsonl"
        import orjson

        source.write_bytes(b"".join(orjson.dumps(a) + b"\n" for a in mix))
        print(f"mix: {len(mix):,} documents, {source.stat().st_size / 1e6:.1f} MB; load average {os.getloadavg()[0]:.2f}", flush=True)
        for k in range(args.repeats):
            for name in runs:
                load = round(os.getloadavg()[0], 2)
                if name.startswith("jobs"):
                    result = run_cli(["tag", str(source), "--format", "jsonl", "--jobs", name[-1]], len(mix), pin_one_core=False)
                else:
                    result = run_spark(f"local[{name[-1]}]", source, tmp, len(mix), args.partitions, k)
                result["load_average_before"] = load
                runs[name].append(result)
                print(f"  {name}: {result['wall_s']:.1f} s wall, load {load:.2f}", flush=True)

    best = {name: min(rs, key=lambda r: r.get("job_s", r["wall_s"])) for name, rs in runs.items()}
    ratio_job = best["local2"]["docs_per_s_job"] / best["jobs2"]["docs_per_s"]
    results = {
        "mix": {"docs": len(mix), "source": "bench_pipeline.build_mix (Reuters-21578 dev + BBC News dev)"},
        "partitions": args.partitions,
        "runs": runs,
        "best": best,
        "local2_job_vs_jobs2": round(ratio_job, 3),
        "local2_wall_vs_jobs2": round(best["local2"]["docs_per_s"] / best["jobs2"]["docs_per_s"], 3),
        "local1_job_vs_jobs1": round(best["local1"]["docs_per_s_job"] / best["jobs1"]["docs_per_s"], 3),
        "local2_vs_local1_job": round(best["local2"]["docs_per_s_job"] / best["local1"]["docs_per_s_job"], 3),
        "docs_per_s_per_core_spark": best["local1"]["docs_per_s_job"],
        "target_local2_job_vs_jobs2": TARGET_LOCAL2_VS_JOBS2,
        "load_average_after": round(os.getloadavg()[0], 2),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print()
    for name in ("jobs1", "jobs2"):
        r = best[name]
        print(f"newstag tag --jobs {name[-1]:<2}            {r['docs_per_s']:>7,.0f} docs/s  ({r['wall_s']:.1f} s, load {r['load_average_before']:.2f})")
    for name in ("local1", "local2"):
        r = best[name]
        print(f"spark local[{name[-1]}], job only      {r['docs_per_s_job']:>7,.0f} docs/s  ({r['job_s']:.1f} s, load {r['load_average_before']:.2f})")
        print(f"spark local[{name[-1]}], with start-up {r['docs_per_s']:>7,.0f} docs/s  ({r['wall_s']:.1f} s; session {r['session_s']:.1f} s)")
        print(f"  artifact loads {r['artifact_loads']}, Python workers {r['python_workers']}, each loaded once: {r['workers_loaded_once']}")
    mark = "ok" if ratio_job >= TARGET_LOCAL2_VS_JOBS2 else "MISSED"
    print(f"local[2] job / --jobs 2          {ratio_job:.2f}x  (target >= {TARGET_LOCAL2_VS_JOBS2}x: {mark})")
    print(f"local[2] with start-up / --jobs 2 {results['local2_wall_vs_jobs2']:.2f}x")
    print(f"local[1] job / --jobs 1          {results['local1_job_vs_jobs1']:.2f}x")
    print(f"local[2] / local[1], job         {results['local2_vs_local1_job']:.2f}x")
    print(f"load average after: {results['load_average_after']:.2f} (other engineers' work shares these 2 cores)")
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
