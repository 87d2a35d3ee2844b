"""One options object, built at the edge (CLI, service, batch job) and handed to the pipeline.

Library code never sees argparse, Typer or HTTP objects; it sees `TagOptions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# A single article beyond this many characters is cut for tagging and the record warns.
# 1 MB of text is a few hundred pages: no news story is longer, and it bounds the time and memory
# one hostile record can take in a batch or in the service.
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class TagOptions:
    geo: bool = True  # run the Regions stages
    topics: bool = True  # run the General stage
    topic_model: Path | None = None  # a model directory from `newstag train`; None = shipped model
    max_general: int = 8  # at most this many topics in `general` (level 1 with levels 2 and 3 beneath)
    max_chars: int = DEFAULT_MAX_CHARS
    batch_size: int = 256  # articles handed to the topic model at once
