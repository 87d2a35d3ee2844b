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


# Phrases for IPTC topics below level 1 (topics/depth.py), written for newstag from the IPTC
# labels and definitions; each topic's own label and its parts are added automatically. A phrase
# counts for its topic and every ancestor down to level 2, and only under a level-1 topic the
# article has, so "sanctions" in a sports story (a doping ban) never gives economic sanction.
DEPTH_LEXICONS: dict[str, tuple[str, ...]] = {
    # politics and government > international relations
    "medtop:20000639": (  # diplomacy
        "diplomatic", "diplomat", "diplomats", "foreign minister", "foreign ministers", "foreign secretary",
        "secretary of state", "foreign ministry", "foreign affairs", "foreign policy", "ambassador", "ambassadors",
        "embassy", "embassies", "envoy", "envoys", "official visit", "state visit", "bilateral relations",
        "bilateral ties", "diplomatic relations", "diplomatic ties", "counterpart",
    ),
    "medtop:20000642": (  # economic sanction
        "sanctions", "economic sanctions", "trade sanctions", "embargo", "trade embargo", "arms embargo", "blockade",
        "sanctions against", "lift sanctions", "impose sanctions", "imposed sanctions",
    ),
    "medtop:20000640": ("summit", "summits", "summit meeting", "g8 summit", "g7 summit", "g20 summit"),  # summit meeting
    "medtop:20000641": ("treaty", "treaties", "accord", "accords", "non proliferation"),  # treaty
    "medtop:20000643": ("foreign aid", "humanitarian aid", "aid package", "development aid", "aid donors"),
    "medtop:20000644": ("united nations", "un security council", "security council", "nato", "european union", "african union", "asean", "opec"),
    "medtop:20000645": ("refugee", "refugees", "asylum seekers", "displaced people", "refugee camp", "refugee camps"),
    "medtop:20001316": ("border dispute", "territorial dispute", "disputed territory", "disputed border"),
    # politics and government > election, government
    "medtop:20000579": ("general election", "presidential election", "parliamentary election", "national election"),
    "medtop:20000582": ("candidate", "candidates", "campaign trail", "election campaign"),
    "medtop:20000586": ("voters", "polling station", "polling day", "turnout", "ballot", "ballots"),
    "medtop:20000584": ("referendum", "referendums", "plebiscite"),
    "medtop:20001384": ("labour party", "conservative party", "liberal democrats", "democratic party", "republican party", "tories", "tory", "opposition party", "party leader"),
    "medtop:20000615": ("parliament", "parliamentary", "house of commons", "house of lords", "congress", "senate", "lawmakers", "mps", "legislature"),
    "medtop:20000613": ("minister", "ministers", "cabinet minister", "home secretary", "chancellor of the exchequer", "secretary of state for"),
    "medtop:20000610": ("president", "monarch", "head of state"),
    "medtop:20001261": ("prime minister", "prime ministers"),
    "medtop:20000607": ("budget", "pre budget report", "spending review", "public spending", "budget deficit"),
    "medtop:20000620": ("tax", "taxes", "taxation", "income tax", "council tax", "tax cuts", "tax rises", "vat"),
    "medtop:20000598": ("national security", "anti terror laws", "anti terrorism", "security services", "intelligence services"),
    "medtop:20000634": ("immigration policy", "asylum policy", "immigration rules", "migrants", "immigration"),
    "medtop:20000345": ("economic policy", "fiscal policy", "economic reforms"),
    "medtop:20000636": ("regulator", "regulators", "watchdog", "competition commission", "antitrust"),
    # economy, business and finance > economy
    "medtop:20000346": ("gdp", "gross domestic product", "gross national product", "economic growth", "inflation", "recession", "consumer prices", "unemployment rate", "economic indicators", "growth forecast", "trade deficit", "trade surplus", "current account"),
    "medtop:20000350": ("central bank", "bundesbank", "federal reserve", "bank of england", "bank of japan", "european central bank", "the fed"),
    "medtop:20000379": ("interest rate", "interest rates", "money supply", "rate cut", "rate rise", "discount rate", "monetary policy"),
    # Not the names of currencies: a price in dollars is in every money story.
    "medtop:20000355": ("currency", "currencies", "exchange rate", "exchange rates", "devaluation", "revaluation"),
    "medtop:20000373": ("exports", "imports", "exporters", "importers", "tariff", "tariffs", "trade deal", "trade talks", "trade agreement", "free trade", "trade dispute", "quotas", "gatt", "world trade organization", "wto"),
    "medtop:20000372": ("imf", "international monetary fund", "world bank", "wto", "oecd"),
    "medtop:20000364": ("emerging markets", "emerging economies"),
    # economy > market and exchange
    "medtop:20000386": ("commodity prices", "futures", "crude prices", "oil prices", "wheat", "corn", "soybeans", "sugar prices", "coffee prices", "cocoa", "gold prices", "copper prices"),
    "medtop:20000390": ("bonds", "bond market", "treasury bills", "treasury bonds", "bond yields", "gilts", "debt securities"),
    "medtop:20000391": ("foreign exchange", "currency markets", "forex", "dollar fell", "dollar rose"),
    "medtop:20000385": ("stock market", "stock exchange", "shares", "share price", "share prices", "stock prices", "ftse", "dow jones", "nasdaq", "nikkei", "wall street"),
    # economy > business information
    "medtop:20001365": ("profit", "profits", "pre tax profit", "net profit", "net income", "earnings", "revenues", "revenue", "sales rose", "sales fell", "quarterly results", "annual results", "qtr", "shr", "net loss", "operating profit", "dividend", "dividends"),
    "medtop:20001366": ("merger", "mergers", "acquisition", "acquisitions", "takeover", "takeover bid", "acquire", "acquired", "buyout", "tender offer", "stake", "job cuts", "restructuring", "bankruptcy", "chapter 11"),
    "medtop:20000183": ("financing", "credit line", "debt offering", "share offering", "rights issue", "flotation", "ipo", "initial public offering", "loan", "loans"),
    "medtop:20000199": ("chief executive", "board of directors", "chairman", "shareholders", "annual meeting", "corporate governance"),
    "medtop:20000192": ("marketing", "advertising campaign", "market share"),
    # economy > products and services
    "medtop:20000256": ("oil", "crude oil", "natural gas", "gas", "oil production", "refinery", "refineries", "barrels", "opec", "energy", "electricity", "power station", "nuclear power", "coal"),
    "medtop:20000210": ("agriculture", "agricultural", "farmers", "farm", "crops", "harvest", "grain", "wheat", "corn", "maize", "livestock", "cattle"),
    "medtop:20000316": ("mining", "miners", "nickel", "copper", "gold mine", "iron ore", "steel", "aluminium", "aluminum", "zinc"),
    "medtop:20000225": ("software", "computer", "computers", "internet", "broadband", "mobile phone", "mobile phones", "smartphone", "microsoft", "google", "semiconductor", "telecoms", "telecommunications"),
    "medtop:20000337": ("airline", "airlines", "airport", "aircraft", "car maker", "carmaker", "car makers", "automotive", "car sales", "railway", "rail", "shipping", "freight"),
    "medtop:20001370": ("bank", "banks", "banking", "insurance", "insurer", "insurers", "investment bank", "fund manager", "pension fund", "mortgage", "mortgages"),
    "medtop:20000304": ("media group", "broadcaster", "film industry", "music industry", "record label", "box office", "publisher", "publishing"),
    "medtop:20000331": ("tourism", "tourists", "hotel", "hotels", "travel industry"),
    "medtop:20000243": ("retailer", "retailers", "retail sales", "supermarket", "supermarkets", "consumer spending", "high street"),
    "medtop:20000235": ("house prices", "housing market", "property market", "construction", "builders", "housebuilders"),
    "medtop:20001354": ("drugmaker", "drug maker", "pharmaceutical", "pharmaceuticals", "drugs firm"),
}
