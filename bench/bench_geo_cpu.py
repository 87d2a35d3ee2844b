"""The geo stage's CPU time per article, best of N passes: a figure steady enough to compare two
checkouts on a shared machine (bench_geo.py's wall-clock figures move with the load).

    PYTHONPATH=CHECKOUT/src taskset -c 1 .venv/bin/python bench/bench_geo_cpu.py --shared ../shared

Run it alternately for the two checkouts (PYTHONPATH picks whose code and gazetteer are measured).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench_geo import load_articles


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--passes", type=int, default=25)
    args = ap.parse_args()
    from newstag.geo import GeoTagger

    articles = load_articles(args.shared, "reuters21578") + load_articles(args.shared, "bbc_news")
    tagger = GeoTagger()
    tagger.tag(articles[0])  # the gazetteer loads outside the timing
    best = float("inf")
    for _ in range(args.passes):
        t0 = time.process_time()
        for a in articles:
            tagger.tag(a)
        best = min(best, time.process_time() - t0)
    import newstag

    print(f"{Path(newstag.__file__).parents[2]}: {best / len(articles) * 1000:.4f} ms/article CPU "
          f"(best of {args.passes} passes over {len(articles)} Reuters + BBC dev articles)")


if __name__ == "__main__":
    main()
