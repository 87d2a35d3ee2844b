"""The text format: the article as it came, with its `General:` and `Regions:` footer filled.

For raw input the input text is printed back unchanged up to its footer, then the footer with the
two fields filled (other footer fields kept). Articles given as JSON Lines or HTML are printed as
title, blank line, text, footer. Several articles are separated by a line holding only `---`.
"""

from __future__ import annotations

from newstag.types import TaggedArticle

SEPARATOR = "---"


# The General line is the topic tree as a newsroom writes it: one path per branch, levels joined by
# " > ", sibling topics at a path's end by ", ", paths separated by "; " (IPTC labels hold commas of
# their own, "economy, business and finance", so paths never are):
#   politics and government > international relations > diplomacy, economic sanction; economy, business and finance
# Country and M49 region names hold no commas, so regions keep the newsroom's commas.
GENERAL_SEPARATOR = "; "
LEVEL_SEPARATOR = " > "
SIBLING_SEPARATOR = ", "
REGIONS_SEPARATOR = ", "


def general_line(tagged: TaggedArticle) -> str:
    return GENERAL_SEPARATOR.join(general_paths(tagged))


def general_paths(tagged: TaggedArticle) -> list[str]:
    """The given topics as paths from their top given topic, in the record's order: a topic whose
    given children are all leaves ends its path with them; one with deeper children repeats its
    path for each of those branches."""
    given = {t.code: t for t in tagged.general}
    children: dict[str, list[str]] = {}
    roots: list[str] = []
    for t in tagged.general:
        if t.parent in given:
            children.setdefault(t.parent, []).append(t.code)
        else:
            roots.append(t.code)

    def paths(code: str) -> list[str]:
        label, kids = given[code].label, children.get(code, [])
        if not kids:
            return [label]
        leaves = [given[k].label for k in kids if k not in children]
        out = [label + LEVEL_SEPARATOR + SIBLING_SEPARATOR.join(leaves)] if leaves else []
        for k in kids:
            if k in children:
                out += [label + LEVEL_SEPARATOR + p for p in paths(k)]
        return out

    return [p for root in roots for p in paths(root)]


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
