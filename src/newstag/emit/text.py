"""The text format: the article as it came, with its `General:` and `Regions:` footer filled.

For raw input the input text is printed back unchanged up to its footer, then the footer with the
two fields filled (other footer fields kept). Articles given as JSON Lines or HTML are printed as
title, blank line, text, footer. Several articles are separated by a line holding only `---`.
"""

from __future__ import annotations

from newstag.types import TaggedArticle

SEPARATOR = "---"


def general_line(tagged: TaggedArticle) -> str:
    return ", ".join(t.label for t in tagged.general)


def regions_line(tagged: TaggedArticle) -> str:
    """Countries the story is about, then countries mentioned, then the regions it is about."""
    about = [r.name for r in tagged.regions if r.kind == "country" and r.relevance == "about"]
    mentioned = [r.name for r in tagged.regions if r.kind == "country" and r.relevance == "mentioned"]
    regions = [r.name for r in tagged.regions if r.kind != "country" and r.relevance == "about"]
    return ", ".join(about + mentioned + regions)


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
