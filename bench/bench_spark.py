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
    """One Spark run in this process (a fresh interpreter): the job twice in one session, timings
    as a dict. The first job pays the JVM's warm-up (class loading, JIT, code generation) and the
    Python workers' start and artifact loads; the second, on the same session, is what a long job
    runs at once started (the same workers, nothing loaded again)."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from newstag.spark.batch import LOAD_LOG_ENV
    from newstag.spark.job import run_job, spark_session

    load_log = Path(out).parent / f"loads-{Path(out).name}"
    os.environ[LOAD_LOG_ENV] = str(load_log)
    t_import = time.perf_counter() - T0
    spark = spark_session(master, app_name="newstag-bench")
    spark.sparkContext.setLogLevel("ERROR")
    jvm = spark.sparkContext._gateway.proc.pid
    t_session = time.perf_counter() - T0
    cpu_session = _spark_cpu_s(jvm)
    jobs = []
    for k in range(2):
        t = time.perf_counter()
        summary = run_job(spark, source, f"{out}-{k}", input_format="jsonl", output_format="jsonl", partitions=partitions)
        jobs.append((time.perf_counter() - t, summary, _spark_cpu_s(jvm)))
    spark.stop()
    loads = {p.stem: p.read_text().count("loaded") for p in load_log.glob("*.load")}
    workers = {p.stem for p in load_log.glob("*.batches")}
    (t_cold, cold, cpu_cold), (t_warm, warm, cpu_warm) = jobs
    return {
        "import_s": round(t_import, 3),
        "session_s": round(t_session, 3),
        "job_s": round(t_cold, 3),
        "warm_job_s": round(t_warm, 3),
        "records": cold.records,
        "warm_records": warm.records,
        "error_records": cold.errors + warm.errors,
        # CPU s of the JVM (driver and executor threads in local mode) and of its Python daemon and
        # workers, from /proc: session start-up, first job, second job
        "jvm_cpu_s": [cpu_session[0], round(cpu_cold[0] - cpu_session[0], 2), round(cpu_warm[0] - cpu_cold[0], 2)],
        "python_cpu_s": [cpu_session[1], round(cpu_cold[1] - cpu_session[1], 2), round(cpu_warm[1] - cpu_cold[1], 2)],
        "python_worker_peak_rss_mb": cpu_warm[2],
        # CPU s inside tag_batch (tagging and record conversion) over both jobs, artifact loads included
        "tag_batch_cpu_s": round(sum(float(line.split()[3]) for p in load_log.glob("*.batches") for line in p.read_text().splitlines()), 2),
        "artifact_loads": sum(loads.values()),
        "python_workers": len(workers),
        "workers_loaded_once": all(loads.get(w) == 1 for w in workers),
    }


def _peak_rss_mb(pids) -> float:
    """The largest peak RSS (VmHWM) of `pids`, in MB."""
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return round(peak / 1024, 1)


def _spark_cpu_s(jvm_pid: int) -> tuple[float, float, float]:
    """(CPU s of the JVM, CPU s of the processes under it, the largest peak RSS among those in MB):
    utime + stime and VmHWM from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    below, frontier, descendants = 0.0, [jvm_pid], []
    while frontier:
        children = [pid for pid, (ppid, _) in stats.items() if ppid in frontier]
        below += sum(stats[pid][1] for pid in children)
        descendants += children
        frontier = children
    return round(stats.get(jvm_pid, (0, 0.0))[1], 2), round(below, 2), _peak_rss_mb(descendants)


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
    if result["records"] != n_docs or result["warm_records"] != n_docs:
        sys.exit(f"bench: Spark {master} wrote {result['records']} records for {n_docs} inputs")
    result["process_wall_s"] = round(wall, 3)  # both jobs, the session's start and stop
    result["wall_s"] = round(result["session_s"] + result["job_s"], 3)  # one job with the session start
    result["docs_per_s"] = round(n_docs / result["wall_s"], 1)
    result["docs_per_s_job"] = round(n_docs / result["job_s"], 1)  # session start-up excluded
    result["docs_per_s_warm"] = round(n_docs / result["warm_job_s"], 1)  # all start-up excluded
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

    # The fastest run of each: by the whole run for the CLI, by the first job for Spark.
    best = {name: min(rs, key=lambda r: r.get("job_s", r["wall_s"])) for name, rs in runs.items()}
    jobs1, jobs2, local1, local2 = (best[n] for n in ("jobs1", "jobs2", "local1", "local2"))
    ratios = {
        "local2_with_startup_vs_jobs2": local2["docs_per_s"] / jobs2["docs_per_s"],
        "local2_job_vs_jobs2": local2["docs_per_s_job"] / jobs2["docs_per_s"],
        "local2_warm_vs_jobs2": max(r["docs_per_s_warm"] for r in runs["local2"]) / jobs2["docs_per_s"],
        "local2_warm_vs_jobs2_after_first": max(r["docs_per_s_warm"] for r in runs["local2"]) / jobs2["docs_per_s_after_first"],
        "local1_job_vs_jobs1": local1["docs_per_s_job"] / jobs1["docs_per_s"],
        "local1_warm_vs_jobs1": max(r["docs_per_s_warm"] for r in runs["local1"]) / jobs1["docs_per_s"],
        "local2_vs_local1_warm": max(r["docs_per_s_warm"] for r in runs["local2"]) / max(r["docs_per_s_warm"] for r in runs["local1"]),
        "jobs2_vs_jobs1": jobs2["docs_per_s"] / jobs1["docs_per_s"],
        # Articles per CPU second (all processes), which other work on the machine distorts far
        # less than wall clock: the CLI's whole run against Spark's first job and second job.
        "cpu_local2_job_vs_jobs2": jobs2["cpu_s"] / (local2["jvm_cpu_s"][1] + local2["python_cpu_s"][1]),
        "cpu_local2_warm_vs_jobs2": jobs2["cpu_s"] / (local2["jvm_cpu_s"][2] + local2["python_cpu_s"][2]),
        "cpu_local1_warm_vs_jobs1": jobs1["cpu_s"] / (local1["jvm_cpu_s"][2] + local1["python_cpu_s"][2]),
    }
    results = {
        "mix": {"docs": len(mix), "source": "bench_pipeline.build_mix (Reuters-21578 dev + BBC News dev)"},
        "partitions": args.partitions,
        "runs": runs,
        "best": best,
        "ratios": {k: round(v, 3) for k, v in ratios.items()},
        # per core, all start-up excluded: the figure the README's sizing table is built from
        "docs_per_s_per_core_spark_warm": max(r["docs_per_s_warm"] for r in runs["local1"]),
        "target_local2_vs_jobs2": TARGET_LOCAL2_VS_JOBS2,
        "load_average_after": round(os.getloadavg()[0], 2),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print()
    for name, r in (("jobs1", jobs1), ("jobs2", jobs2)):
        print(f"newstag tag --jobs {name[-1]}, whole run       {r['docs_per_s']:>7,.0f} docs/s  ({r['wall_s']:.1f} s, CPU {r['cpu_s']:.1f} s, load {r['load_average_before']:.2f})")
        print(f"newstag tag --jobs {name[-1]}, after 1st record {r['docs_per_s_after_first']:>7,.0f} docs/s")
    for name, r in (("local1", local1), ("local2", local2)):
        warm = max(x["docs_per_s_warm"] for x in runs[name])
        warm_runs = ", ".join(f"{x['warm_job_s']:.1f}" for x in runs[name])
        print(f"spark local[{name[-1]}], session + job     {r['docs_per_s']:>7,.0f} docs/s  ({r['wall_s']:.1f} s; session {r['session_s']:.1f} s, load {r['load_average_before']:.2f})")
        print(f"spark local[{name[-1]}], first job         {r['docs_per_s_job']:>7,.0f} docs/s  ({r['job_s']:.1f} s; CPU JVM {r['jvm_cpu_s'][1]:.1f} s + Python {r['python_cpu_s'][1]:.1f} s)")
        print(f"spark local[{name[-1]}], second job (warm) {warm:>7,.0f} docs/s  (runs {warm_runs} s; CPU JVM {r['jvm_cpu_s'][2]:.1f} s + Python {r['python_cpu_s'][2]:.1f} s)")
        print(f"  artifact loads {r['artifact_loads']}, Python workers {r['python_workers']}, each loaded once: {r['workers_loaded_once']}; "
              f"worker peak RSS {r['python_worker_peak_rss_mb']:.0f} MB")
    for key, value in ratios.items():
        print(f"{key:<36} {value:.2f}x")
    ok = max(ratios["local2_job_vs_jobs2"], ratios["local2_warm_vs_jobs2"]) >= TARGET_LOCAL2_VS_JOBS2
    print(f"target: local[2] start-up excluded >= {TARGET_LOCAL2_VS_JOBS2}x --jobs 2: {'ok' if ok else 'MISSED'}")
    print(f"load average after: {results['load_average_after']:.2f} (other engineers' work shares these 2 cores)")
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
