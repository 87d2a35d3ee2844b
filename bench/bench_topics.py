"""Speed of the General stage alone: ms per article of `TopicTagger.predict` in batches.

    python bench/bench_topics.py --shared ../shared [--repeats 3] [--batch 256]

Articles of Reuters-21578 and BBC News dev are parsed beforehand (parse is not counted); the
model and the depth index are loaded before timing. Each repeat tags every article once in
batches of --batch; the fastest repeat is reported, wall clock and CPU time, with the load
average beside it (the machine is shared: figures move with what else runs). Target (issue 14): <= 0.3 ms per article.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

TARGET_MS = 0.3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()

    from newstag.parse import parse_document
    from newstag.topics import TopicTagger
    from newstag.topics.corpora import read_jsonl
    from newstag.types import RawDocument

    articles = []
    for corpus in ("reuters21578", "bbc_news"):
        for r in read_jsonl(args.shared / "data" / corpus / "dev.jsonl"):
            text = f"{r.get('title') or ''}\n\n{r.get('text') or ''}"
            articles.append(parse_document(RawDocument(id=r["id"], text=text)))
    tagger = TopicTagger()
    t0 = time.perf_counter()
    tagger.predict(articles[:1])
    load_s = time.perf_counter() - t0
    runs, cpu = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(articles), args.batch):
            tagger.predict(articles[i : i + args.batch])
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    ms = 1000.0 * min(runs) / len(articles)
    out = {
        "articles": len(articles),
        "batch": args.batch,
        "load_s": round(load_s, 3),
        "ms_per_article": round(ms, 4),
        # CPU time moves less than the wall clock when other work shares the cores.
        "cpu_ms_per_article": round(1000.0 * min(cpu) / len(articles), 4),
        "runs_s": [round(r, 3) for r in runs],
        "target_ms": TARGET_MS,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
