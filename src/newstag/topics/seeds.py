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


# Classes that do have gold but whose gold misses part of the topic. Economy: Wikipedia files a
# trade agreement or an investment deal between two states under "International relations" and a
# sanctions-hit currency under politics, and its mapping says economy is only "also possible"
# there, so without help the economy scores learn "diplomacy means not economy" and a story about
# strengthening economic ties never gets it as a second topic. Science and technology: Wikipedia's "Science and
# technology" is mostly space and research, so news about computers, phones, the internet and
# games (IPTC: information technology and computer science, electronic engineering, under
# technology and engineering) is filed under business by both corpora. A training text with one
# of these phrases also counts for science and technology (beside its own label; the top head
# then shares its weight between the two). Written for newstag from those IPTC labels and
# definitions; words that business or health stories use in other senses ("virus", "chips",
# "network", "online") are left out or only used in an unambiguous phrase.
AUGMENT_LEXICONS: dict[str, tuple[str, ...]] = {
    # economy, business and finance (IPTC: economy, economic trends and indicators, international
    # economic institution, business information, market and exchange, macro economics)
    "medtop:04000000": (
        "economic ties", "economic cooperation", "economic relations", "economic growth", "economic crisis",
        "economic policy", "economic reforms", "economic recovery", "trade deal", "trade deals", "trade agreement",
        "trade agreements", "free trade", "bilateral trade", "trade surplus", "trade deficit", "exports", "imports",
        "tariff", "tariffs", "foreign investment", "investment deal", "investors", "stock market", "stock exchange",
        "share price", "shares fell", "shares rose", "profit", "profits", "revenue", "revenues", "earnings",
        "inflation", "gdp", "gross domestic product", "interest rate", "interest rates", "central bank",
        "recession", "budget deficit", "oil prices", "gas prices", "energy deal", "energy deals",
    ),
    "medtop:13000000": (
        "software", "computer", "computers", "computing", "laptop", "laptops", "smartphone", "smartphones",
        "mobile phone", "mobile phones", "handset", "handsets", "internet", "broadband", "wi fi", "wifi",
        "wireless", "website", "websites", "web site", "web sites", "web browser", "browser", "search engine",
        "search engines", "email", "e mail", "spam", "spammers", "spyware", "malware", "computer virus",
        "hacker", "hackers", "hacking", "cyber", "cyberattack", "microchip", "chipmaker", "semiconductor",
        "semiconductors", "processor", "processors", "operating system", "linux", "open source", "video game",
        "video games", "games console", "gaming", "digital music", "music downloads", "file sharing",
        "peer to peer", "gadget", "gadgets", "robot", "robots", "robotics", "artificial intelligence",
        "nanotechnology", "technology", "technologies", "tech", "telecommunications", "satellite", "app", "apps",
    ),
}


# Names of computer, software, internet and telecoms companies and their products, written for
# newstag. They steer only the top head (see shipped.HEAD_LEXICONS): a story about such a company
# reads as science and technology (the desk AG News and BBC file it under, and IPTC's information
# technology), while its one-vs-rest economy score still says whether the story is also business
# news (a takeover, quarterly results). Names that are also common words or non-tech firms
# ("apple" alone, "amazon", "windows", "sun") are only used in an unambiguous form.
HEAD_LEXICONS: dict[str, tuple[str, ...]] = {
    "medtop:13000000": (
        "microsoft", "intel", "ibm", "google", "yahoo", "oracle", "peoplesoft", "sun microsystems", "cisco",
        "dell", "hewlett packard", "amd", "nokia", "motorola", "ericsson", "ebay", "aol", "netscape", "red hat",
        "novell", "sap", "siebel", "symantec", "mcafee", "adobe", "nvidia", "qualcomm", "texas instruments",
        "tivo", "realnetworks", "napster", "itunes", "ipod", "iphone", "ipad", "xbox", "playstation", "nintendo",
        "blackberry", "research in motion", "palmone", "unix", "windows xp", "windows vista", "firefox", "mozilla",
        "skype", "vonage", "facebook", "twitter", "myspace", "youtube", "instagram", "snapchat", "whatsapp",
        "apple computer", "apple computers", "apple inc", "amazon com", "silicon valley", "dot com", "nasdaq listed",
        "sony ericsson", "verisign", "macromedia", "borland", "sco group", "infineon", "hynix", "tsmc", "lucent",
        "nortel", "alcatel", "sprint pcs", "verizon wireless", "cingular", "t mobile", "at t wireless", "broadcom",
        "nasa", "spacecraft", "astronomers", "scientists", "researchers",
    ),
}


# Pseudo-documents for the top head, written for newstag: the wording of business-wire copy that
# neither training corpus has (summaries and headlines carry no results tables). An earnings
# report ("4th qtr net, shr 35 cts vs 25 cts, revs 32 mln vs 23 mln") is otherwise read as a
# match report by the head: quarters, scores and "vs" are sports words in the training texts.
# Each line is one pseudo-document; terms recur across lines so the vocabulary keeps them.
HEAD_PSEUDO_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "medtop:04000000": (
        "4th qtr net shr cts vs cts net mln vs mln revs mln vs mln year shr dlrs vs dlrs",
        "3rd qtr loss shr loss cts vs profit cts net loss mln vs profit revs mln vs mln",
        "1st qtr net oper shr cts vs cts oper net mln vs mln sales mln vs mln avg shrs mln",
        "2nd qtr net shr profit cts vs loss cts net profit vs loss revs sales nine mths six mths",
        "year net shr dlrs vs dlrs net mln dlrs vs mln dlrs revs billion vs billion note extraordinary gain",
        "qtly div cts vs cts prior pay record regular dividend quarterly dividend payable to shareholders of record",
        "dividend raised stock split shareholders record date pay date qtly div semi annual div",
        "company said it agreed to acquire the shares for mln dlrs in cash tender offer merger takeover bid",
        "acquisition merger agreement shareholders approve takeover offer per share stake pct of the outstanding shares",
        "net income per share earnings revenues sales operating profit fiscal year quarter results",
        "tonnes of wheat corn sugar soybeans exported sold traders said export sales shipment",
        "crude oil prices barrels per day opec output refinery production petroleum prices",
        "treasury bills money supply interest rates central bank bond yields currency exchange rates dollar",
        "trade surplus trade deficit exports imports current account balance of payments mln dlrs billion dlrs",
        "prices rose pct inflation consumer prices gross national product economic growth forecast pct",
    ),
}


def head_matches(text: str) -> set[str]:
    """Codes whose head-only phrases occur in `text` (whole tokens)."""
    padded = f" {' '.join(tokens(text))} "
    return {code for code, phrases in HEAD_LEXICONS.items() if any(f" {p} " in padded for p in phrases)}


def seed_matches(text: str) -> set[str]:
    """Codes whose seed or augment phrases occur in `text` (whole tokens)."""
    padded = f" {' '.join(tokens(text))} "
    return {
        code
        for lexicons in (SEED_LEXICONS, AUGMENT_LEXICONS)
        for code, phrases in lexicons.items()
        if any(f" {p} " in padded for p in phrases)
    }
