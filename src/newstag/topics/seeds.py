"""Seed lexicons for IPTC topics that the licensed training corpora barely label.

Wikipedia's portal files strikes and jobs news under "Business and economy" and storms under
"Disasters and accidents"; HuffPost has no labour or weather section. So `labour` and `weather`
get weak labels: a training text that contains one of these phrases counts as a positive for the
topic (in addition to its own label). The phrases were written for newstag from the IPTC labels
and definitions of each topic's subtopics (labour: employment, employment legislation, labour
market, labour relations, retirement, unemployment, unions; weather: weather forecast, weather
phenomena, weather statistic, weather warning), choosing wordings that are unambiguous in news
("air strike" is war, so "strike" alone is not used; "employees", "pensions", "storm" and
"drought" were dropped because business, finance and politics stories use them as often). They are matched on whole tokens of the
same normalizer the classifier uses.
"""

from __future__ import annotations

from newstag.topics.features import tokens

SEED_LEXICONS: dict[str, tuple[str, ...]] = {
    # labour
    "medtop:09000000": (
        "trade union", "trade unions", "labour union", "labor union", "labour unions", "labor unions",
        "union members", "union leaders", "teachers union", "workers union",
        "general strike", "went on strike", "go on strike", "on strike", "strike action", "workers strike",
        "walkout", "walkouts", "picket", "pickets", "collective bargaining", "labour dispute", "labor dispute",
        "industrial action", "unemployment", "unemployment rate", "jobless", "jobless rate", "jobless claims",
        "minimum wage", "wage increase", "pay rise", "wages", "layoffs", "laid off", "job cuts", "job losses",
        "labour market", "labor market", "nonfarm payrolls", "retirement age", "labour law", "labor law",
        "labour minister", "labor minister", "labour ministry", "labor ministry", "employment law",
    ),
    # weather
    "medtop:17000000": (
        "weather", "weather forecast", "forecasters", "meteorologist", "meteorologists", "meteorological",
        "met office", "national weather service", "rainfall", "heavy rain", "heavy rains", "torrential rain",
        "heat wave", "heatwave", "cold wave", "cold snap", "snowstorm", "snowfall", "heavy snow", "blizzard",
        "hurricane", "typhoon", "cyclone", "tropical storm", "winter storm", "tornado", "tornadoes",
        "monsoon", "hailstorm", "record temperature", "record temperatures", "wind speeds",
    ),
}


def seed_matches(text: str) -> set[str]:
    """Codes whose seed phrases occur in `text` (whole tokens)."""
    padded = f" {' '.join(tokens(text))} "
    return {code for code, phrases in SEED_LEXICONS.items() if any(f" {p} " in padded for p in phrases)}
