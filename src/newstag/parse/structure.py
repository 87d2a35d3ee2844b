"""Article structure: title, body, footer, dateline, agencies. The text itself is never changed.

    raw text    1. footer   trailing `Name: value` lines holding General:/Regions:, kept out of the body
                2. title    the first non-empty line
                3. body     what lies between them
    JSON Lines  title from the `title` field, exactly as given; the whole `text` is body (footer
                still recognised); a record with a title and no text is its title alone
    HTML        the reader already extracted title and main text (parse/readers.py)
    all         4. not English? (a warning), 5. dateline at the body's opening, 6. agencies
"""

from __future__ import annotations

import re

from newstag.errors import InputError
from newstag.parse.agencies import find_agencies
from newstag.parse.datelines import find_dateline
from newstag.parse.language import WARNING as NOT_ENGLISH, identify_language
from newstag.types import Article, RawDocument, Span

# A footer field: "General:", "Regions: Russia, Cuba", "Keywords: ...". Short capitalised names only,
# so that an ordinary closing sentence with a colon is not taken for a field.
_FIELD_RE = re.compile(r"^[ \t]*([A-Z][A-Za-z][A-Za-z ]{0,28}):[ \t]*(.*?)[ \t]*$")
# A footer is only recognised when it holds one of the fields newstag fills.
FOOTER_FIELDS = ("General", "Regions")


def parse_document(raw: RawDocument, max_chars: int = 1_000_000) -> Article:
    """Parse one document. Raises InputError for text that holds no article at all."""
    text = raw.text
    warnings = list(raw.warnings)
    # A title given apart from the text is kept exactly as given (its mentions' offsets index it);
    # one that is only whitespace is no title.
    given_title = raw.title if raw.title is not None and raw.title.strip() else None
    if not text.strip() and given_title is None:
        raise InputError(f"document {raw.id!r} has no text: give the article text (a JSON Lines record needs a non-empty 'text')")
    if len(text) > max_chars:
        # Cut, don't refuse: the record still says what the first max_chars characters are about.
        # Offsets stay valid because only the tail is dropped.
        warnings.append(f"text is {len(text):,} characters; tagged only the first {max_chars:,}")
        text = text[:max_chars]

    footer_start, footer = _find_footer(text)
    if raw.title is not None or raw.kind != "raw":
        title = given_title
        title_span = None
        body = Span(_skip_space(text, 0, footer_start), footer_start)
    else:
        title, title_span, body_start = _find_title(text, footer_start)
        body = Span(_skip_space(text, body_start, footer_start), footer_start)
    body = Span(body.start, _trim_end(text, body.start, body.end))

    language, not_english = identify_language(text[body.start : body.end] or (title or ""))
    if not_english:
        warnings.append(f"{NOT_ENGLISH} ({not_english})")
    dateline, dateline_agency = find_dateline(text, body.start, body.end)
    agencies = find_agencies(text[body.start : body.end], dateline_agency)
    return Article(
        id=raw.id,
        text=text,
        title=title or None,
        title_span=title_span,
        body=body,
        dateline=dateline,
        agencies=agencies,
        footer=footer,
        warnings=tuple(warnings),
        extra=raw.extra,
        encoding=raw.encoding,
        language=language,
    )


def empty_article(raw: RawDocument) -> Article:
    """The article of a document that could not be parsed: its id and text, no structure."""
    return Article(
        id=raw.id,
        text=raw.text,
        title=raw.title,
        title_span=None,
        body=Span(0, len(raw.text)),
        dateline=None,
        agencies=(),
        footer=(),
        warnings=raw.warnings,
        extra=raw.extra,
        encoding=raw.encoding,
    )


def _find_footer(text: str) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Where the footer starts (len(text) if none) and its fields in order."""
    end = len(text.rstrip())
    pos = end
    fields: list[tuple[str, str]] = []
    while pos > 0:
        line_start = text.rfind("\n", 0, pos) + 1
        line = text[line_start:pos]
        if not line.strip():
            if fields:
                break  # a blank line closes the footer block
            pos = max(line_start - 1, 0)
            continue
        m = _FIELD_RE.match(line)
        if not m:
            break
        fields.append((m.group(1).strip(), m.group(2).strip()))
        pos = max(line_start - 1, 0)
        if line_start == 0:
            line_start = 0
            break
    if not any(name in FOOTER_FIELDS for name, _ in fields):
        return len(text), ()
    start = text.find(fields[-1][0] + ":", pos)
    start = text.rfind("\n", 0, start) + 1
    return start, tuple(reversed(fields))


def _find_title(text: str, limit: int) -> tuple[str | None, Span | None, int]:
    i = _skip_space(text, 0, limit)
    if i >= limit:
        return None, None, limit
    nl = text.find("\n", i, limit)
    end = limit if nl == -1 else nl
    title = text[i:end].rstrip()
    if nl == -1:
        # A one-line document is all body: a title with no story is the rarer reading.
        return None, None, i
    return title, Span(i, i + len(title)), end


def _skip_space(text: str, i: int, limit: int) -> int:
    while i < limit and text[i].isspace():
        i += 1
    return i


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
