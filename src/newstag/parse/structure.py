"""Placeholder; being written."""
from newstag.types import Article, RawDocument, Span


def parse_document(raw: RawDocument, max_chars: int = 1_000_000) -> Article:
    return empty_article(raw)


def empty_article(raw: RawDocument) -> Article:
    return Article(id=raw.id, text=raw.text, title=raw.title, title_span=None, body=Span(0, len(raw.text)),
                   dateline=None, agencies=(), footer=(), warnings=raw.warnings, extra=raw.extra)
