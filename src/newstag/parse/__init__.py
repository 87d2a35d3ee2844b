"""Parse: RawDocument -> Article (title, body, footer, dateline, agencies)."""

from newstag.parse.structure import empty_article, parse_document

__all__ = ["parse_document", "empty_article"]
