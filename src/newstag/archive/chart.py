"""Articles per month as an SVG bar chart, drawn on the server (no script, no CDN).

`month_chart` turns (YYYY-MM, count) pairs into bar geometry; templates/archive_chart.html
draws it with SVG attributes only (the Content-Security-Policy allows no inline style). Months
with no article in between get an empty slot, so the time axis is even.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 720.0, 160.0
AXIS = 18.0  # room under the bars for year labels


@dataclass(frozen=True, slots=True)
class Bar:
    month: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class MonthChart:
    bars: list[Bar]
    years: list[tuple[float, str]]  # (x, "2024") at each January, or the first month
    peak: int
    width: float = WIDTH
    height: float = HEIGHT + AXIS

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_chart(months: list[tuple[str, int]]) -> MonthChart | None:
    """The chart of `months` (in order), or None when no article has a date."""
    if not months:
        return None
    counts = dict(months)
    slots = _month_range(months[0][0], months[-1][0])
    peak = max(counts.values())
    step = WIDTH / len(slots)
    gap = step * 0.15 if step > 4 else 0.0
    bars, years = [], []
    for i, month in enumerate(slots):
        n = counts.get(month, 0)
        h = HEIGHT * n / peak
        bars.append(Bar(month, n, round(i * step + gap / 2, 2), round(HEIGHT - h, 2), round(step - gap, 2), round(h, 2)))
        if month.endswith("-01") or i == 0:
            years.append((round(i * step, 2), month[:4]))
    # Too many years to label each: every n-th, so that labels do not overlap (about 36 px each).
    every = max(1, -(-len(years) * 36 // int(WIDTH)))
    return MonthChart(bars, years[::every], peak)
