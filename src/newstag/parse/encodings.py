"""Bytes -> text: which encoding a document is in, in this order of trust.

    1. a byte order mark (UTF-8, UTF-16, UTF-32): it is removed from the text
    2. a charset declared by whoever sent the bytes (an HTTP Content-Type header)
    3. for HTML, a charset declared in the page (<meta charset> or <meta http-equiv>), in its head
    4. UTF-8, when the bytes are valid UTF-8 (most are); UTF-8 with the odd bad byte replaced by
       U+FFFD (warned), when valid multi-byte characters outnumber bad bytes
    5. a guess by charset-normalizer, and the document carries a warning naming the guess

A declaration that does not decode the bytes is passed over with a warning and the next step is
tried. Bytes that are no text in any encoding (binary data) raise `NotText`. Offsets into the
result are Python string offsets: the decoded text is what every later stage indexes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

# Longest BOM first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Browsers look for the declaration in the first 1,024 bytes; pages with long heads put it later,
# so a little more is read.
HTML_DECLARATION_BYTES = 4096
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
# Share of NUL bytes past which undeclared bytes are taken for binary data (text in UTF-16 or
# UTF-32 without a BOM has many too: charset-normalizer is asked first).
_BINARY_NUL_SHARE = 0.01


class NotText(ValueError):
    """The bytes are not text in any encoding we can find."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec's name as Python knows it ("utf-8", "cp1252", "utf-16-le")
    warnings: tuple[str, ...] = ()


def decode(data: bytes, *, declared: str | None = None, html: bool = False) -> Decoded:
    """The text of `data`; see the module docstring for the order. Raises NotText."""
    warnings: list[str] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(name), name)
            except UnicodeDecodeError as exc:
                warnings.append(f"the byte order mark says {name}, but byte {exc.start + len(bom):,} is not {name}")
                break
    declarations = [("declared", declared)] if declared else []
    if html:
        found = _META_CHARSET_RE.search(data[:HTML_DECLARATION_BYTES])
        if found:
            declarations.append(("the page declares", found.group(1).decode("ascii")))
    for who, charset in declarations:
        name = _codec_name(charset)
        if name is None:
            warnings.append(f"{who} charset {charset!r}, which is not an encoding Python knows")
            continue
        try:
            return Decoded(data.decode(name), name, tuple(warnings))
        except UnicodeDecodeError as exc:
            warnings.append(f"{who} charset {charset!r}, but byte {exc.start:,} is not {name}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", tuple(warnings))
    except UnicodeDecodeError as exc:
        bad = exc.start
    if _mostly_utf8(data):
        # UTF-8 with a stray bad byte or two (a copy-paste, a cut): guessing another encoding for
        # the whole text would garble every other accented letter in it.
        text = data.decode("utf-8", errors="replace")
        warnings.append(f"byte {data[bad]:#04x} at offset {bad:,} (and any like it) is not UTF-8: replaced with U+FFFD")
        return Decoded(text, "utf-8", tuple(warnings))
    return _guess(data, bad, warnings)


def _mostly_utf8(data: bytes) -> bool:
    """Valid multi-byte UTF-8 characters outnumber the bytes that are not UTF-8."""
    as_utf8 = data.decode("utf-8", errors="surrogateescape")
    bad = sum("\udc80" <= c <= "\udcff" for c in as_utf8)
    good = sum(c > "\x7f" for c in as_utf8) - bad
    return good > bad


def _guess(data: bytes, bad_at: int, warnings: list[str]) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    nul_share = data.count(0) / max(len(data), 1)
    if best is None or (nul_share > _BINARY_NUL_SHARE and not best.encoding.startswith("utf_")):
        raise NotText(
            f"not text: byte {data[bad_at]:#04x} at offset {bad_at:,} is not UTF-8 and no other encoding fits "
            "(binary data?)"
        )
    name = _codec_name(best.encoding) or best.encoding
    warnings.append(f"encoding not declared and not UTF-8: decoded as {name} (a guess by charset-normalizer)")
    return Decoded(str(best), name, tuple(warnings))


def _codec_name(charset: str) -> str | None:
    try:
        return codecs.lookup(charset.strip()).name
    except LookupError:
        return None


def stream_encoding(head: bytes) -> Decoded:
    """The encoding of a file read as a stream (CSV, TSV) from its first bytes: a BOM, else UTF-8
    when the head is UTF-8 (but for a character cut at its end), else a guess with a warning.
    `text` is the decoded head. Raises NotText."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return Decoded("", "utf-8-sig" if name == "utf-8" else name.replace("-le", "").replace("-be", ""))
    # A UTF-8 file with a bad byte or two stays UTF-8 (the rows holding them are flagged one by
    # one): only a head without one valid multi-byte UTF-8 character is another encoding's.
    # (A row is a small part of a file: one valid multi-byte character anywhere in the head is
    # evidence enough.)
    as_utf8 = head.decode("utf-8", errors="surrogateescape")
    bad = next((i for i, c in enumerate(as_utf8) if "\udc80" <= c <= "\udcff"), None)
    if bad is None or any(c > "\x7f" and not "\udc80" <= c <= "\udcff" for c in as_utf8):
        return Decoded("", "utf-8")
    return _guess(head, len(as_utf8[:bad].encode("utf-8", "surrogateescape")), [])
