"""The text format: the article as it came, with its `General:` and `Regions:` footer filled.

For raw input the input text is printed back unchanged up to its footer, then the footer with the
two fields filled (other footer fields kept). Articles given as JSON Lines or HTML are printed as
title, blank line, text, footer. Several articles are separated by a line holding only `---`.
"""

from __future__ import annotations

from newstag.types import TaggedArticle

SEPARATOR = "---"


# IPTC labels hold commas of their own ("economy, business and finance"), so topics are separated
# by semicolons; country and M49 region names hold none, so regions keep the newsroom's commas.
GENERAL_SEPARATOR = "; "
REGIONS_SEPARATOR = ", "


def general_line(tagged: TaggedArticle) -> str:
    return GENERAL_SEPARATOR.join(t.label for t in tagged.general)


def region_names(tagged: TaggedArticle) -> list[str]:
    """Countries the story is about, then countries mentioned, then the regions it is about."""
    about = [r.name for r in tagged.regions if r.kind == "country" and r.relevance == "about"]
    mentioned = [r.name for r in tagged.regions if r.kind == "country" and r.relevance == "mentioned"]
    regions = [r.name for r in tagged.regions if r.kind != "country" and r.relevance == "about"]
    return about + mentioned + regions


def regions_line(tagged: TaggedArticle) -> str:
    return REGIONS_SEPARATOR.join(region_names(tagged))


def to_text(tagged: TaggedArticle) -> str:
    a = tagged.article
    if a.title_span is not None or a.title is None:
        head = a.text[: a.body.end]
    else:
        head = (a.title + "\n\n" if a.title else "") + a.text[: a.body.end]
    fields = dict(a.footer)
    fields["General"] = general_line(tagged)
    fields["Regions"] = regions_line(tagged)
    footer = "\n".join(f"{name}: {value}".rstrip() for name, value in fields.items())
    out = head.rstrip() + "\n\n" + footer + "\n"
    if tagged.error:
        out += f"Error: {tagged.error_stage}: {tagged.error}\n"
    return out
