"""Instructions the geo stage executes per article, counted by valgrind's callgrind: a figure the
machine's load does not move (bench_geo_cpu.py's CPU time moves by a percent or two from run to
run), to compare two checkouts.

    PYTHONPATH=CHECKOUT/src .venv/bin/python bench/bench_geo_instructions.py --shared ../shared

Two runs under callgrind, each loading the gazetteer and tagging the Reuters + BBC dev mix once
(caches warm); the second then tags the mix `--passes` times more. The difference, divided by the
articles tagged, is the stage's count per article (load and warm-up cancel out). Needs valgrind
(apt-get install valgrind); takes a few minutes per checkout.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_PROBE = """
import sys
sys.path.insert(0, {bench!r})
from pathlib import Path
from bench_geo import load_articles
from newstag.geo import GeoTagger
articles = load_articles(Path({shared!r}), "reuters21578") + load_articles(Path({shared!r}), "bbc_news")
tagger = GeoTagger()
for a in articles:
    tagger.tag(a)
for _ in range({passes}):
    for a in articles:
        tagger.tag(a)
print(len(articles))
"""


def _instructions(shared: Path, passes: int) -> tuple[int, int]:
    """(instructions executed, articles in the mix) of one probe run under callgrind."""
    probe = _PROBE.format(bench=str(Path(__file__).resolve().parent), shared=str(shared.resolve()), passes=passes)
    with tempfile.TemporaryDirectory() as tmp:
        res = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, "-c", probe],
            capture_output=True, text=True, check=True, env=os.environ.copy(),
        )
    m = re.search(r"Collected : (\d+)", res.stderr)
    if m is None:
        sys.exit(f"bench_geo_instructions: no instruction count in valgrind's output:\n{res.stderr[-2000:]}")
    return int(m.group(1)), int(res.stdout.split()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--passes", type=int, default=1, help="passes over the mix counted (after the warm one)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("bench_geo_instructions: valgrind is not installed (apt-get install valgrind)")
    base, n = _instructions(args.shared, 0)
    more, _ = _instructions(args.shared, args.passes)
    import newstag

    print(f"{Path(newstag.__file__).parents[2]}: {(more - base) / (args.passes * n) / 1000:.1f} thousand instructions "
          f"per article (callgrind; {args.passes} pass(es) over {n} Reuters + BBC dev articles, caches warm)")


if __name__ == "__main__":
    main()
