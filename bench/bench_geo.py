"""Speed of the Regions stage alone: gazetteer load time and documents/s on Reuters and BBC dev.

    python bench/bench_geo.py --shared ../shared [--repeats 3] [--profile]

Measured, in this order, in one process pinned to one core:
    1. load: wall clock of the first `GeoTagger().tag(...)` (gazetteer load included), in a fresh
       subprocess so that nothing is cached; also the whole process start to that point
    2. ms per article and documents/s of `GeoTagger.tag` on Reuters-21578 dev, BBC News dev and
       their mix, articles parsed beforehand (parse is not counted)
--profile prints the top of a cProfile of the mix instead of timing it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"load_s": 0.45, "ms_per_article_mix": 0.35}  # issue 3: geo alone, one core

_LOAD_PROBE = """
import time
t0 = time.perf_counter()
from newstag.geo import GeoTagger
from newstag.parse import parse_document
from newstag.types import RawDocument
a = parse_document(RawDocument(id="x", text="MOSCOW, April 8 - Officials in Moscow and Havana met.", kind="raw"))
t1 = time.perf_counter()
GeoTagger().tag(a)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def load_articles(shared: Path, corpus: str):
    from newstag.parse import parse_document
    from newstag.types import RawDocument

    path = shared / "data" / corpus / "dev.jsonl"
    if not path.is_file():
        sys.exit(f"bench_geo: {path} is missing; give --shared DIR (the folder holding data/{corpus}/dev.jsonl)")
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = (r.get("text") or "").strip()
            if r.get("dateline"):
                text = f"{r['dateline']} {text}"
            raw = RawDocument(id=str(r["id"]), text=text or r.get("title") or "", title=(r.get("title") or "").strip(), kind="jsonl")
            out.append(parse_document(raw))
    return out


def measure_load(repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", _LOAD_PROBE], capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
        imports, first_tag = map(float, res.stdout.split())
        runs.append({"process_s": round(wall, 3), "imports_s": round(imports, 3), "first_tag_s": round(first_tag, 3)})
    runs.sort(key=lambda r: r["first_tag_s"])
    return {"median": runs[len(runs) // 2], "runs": runs}


def time_tag(geo, articles, repeats: int) -> dict:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for a in articles:
            geo.tag(a)
        best = min(best, time.perf_counter() - t0)
    kb = sum(len(a.text) for a in articles) / len(articles) / 1000
    return {"docs": len(articles), "mean_kb": round(kb, 2), "ms_per_article": round(1000 * best / len(articles), 3),
            "docs_per_s": round(len(articles) / best, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass

    from newstag.geo import GeoTagger

    reuters = load_articles(args.shared, "reuters21578")
    bbc = load_articles(args.shared, "bbc_news")
    geo = GeoTagger()
    geo.versions()
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for a in reuters + bbc:
            geo.tag(a)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return
    figures = {
        "load": measure_load(args.repeats),
        "reuters": time_tag(geo, reuters, args.repeats),
        "bbc": time_tag(geo, bbc, args.repeats),
        "mix": time_tag(geo, reuters + bbc, args.repeats),
        "targets": TARGETS,
    }
    load = figures["load"]["median"]
    print(f"load: first tag {load['first_tag_s']} s (imports {load['imports_s']} s, process {load['process_s']} s)"
          f"   target <= {TARGETS['load_s']} s")
    for name in ("reuters", "bbc", "mix"):
        f = figures[name]
        print(f"{name:<8} {f['docs']:>5} docs  {f['mean_kb']:>5} KB  {f['ms_per_article']:>7} ms/article  "
              f"{f['docs_per_s']:>8} docs/s")
    print(f"target: <= {TARGETS['ms_per_article_mix']} ms/article on the mix")
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
