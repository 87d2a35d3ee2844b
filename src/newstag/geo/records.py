"""Makers for the frozen records the geo stage builds by the thousand: Mention, Detected,
Resolution and RegionScore (~30 per story).

A frozen dataclass's __init__ must set each field through object.__setattr__ (plain assignment is
what frozen forbids), about 0.3 µs a field on the reference machine, which made record building a
tenth of the stage. A maker here sets the same slots through their descriptors instead: the same
object (==, hash, repr), in half the time. Each takes every field, positionally, in field order.

A maker is used only when its class is exactly the plain frozen slotted dataclass it was written
for (these fields, in this order, no __post_init__); otherwise the class itself stands in, so a
change to newstag.types can make the stage slower, never wrong.
"""

from __future__ import annotations

import dataclasses

from newstag.types import Mention, RegionScore, Resolution

_new = object.__new__


def _slot_setters(cls: type, names: tuple[str, ...]):
    """The slot setters of `cls` in field order, or None if `cls` is not the expected record."""
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return None
    fields = dataclasses.fields(cls)
    if tuple(f.name for f in fields) != names or any(not f.init for f in fields):
        return None
    if tuple(cls.__dict__.get("__slots__", ())) != names or hasattr(cls, "__post_init__"):
        return None
    return tuple(cls.__dict__[name].__set__ for name in names)


_MENTION = _slot_setters(Mention, ("text", "start", "end", "kind", "field", "in_title", "in_dateline", "sentence"))
if _MENTION is None:
    make_mention = Mention
else:
    _m_text, _m_start, _m_end, _m_kind, _m_field, _m_in_title, _m_in_dateline, _m_sentence = _MENTION

    def make_mention(text, start, end, kind, field, in_title, in_dateline, sentence):
        m = _new(Mention)
        _m_text(m, text)
        _m_start(m, start)
        _m_end(m, end)
        _m_kind(m, kind)
        _m_field(m, field)
        _m_in_title(m, in_title)
        _m_in_dateline(m, in_dateline)
        _m_sentence(m, sentence)
        return m


_RESOLUTION = _slot_setters(Resolution, ("mention", "place", "score", "type", "reason"))
if _RESOLUTION is None:
    make_resolution = Resolution
else:
    _r_mention, _r_place, _r_score, _r_type, _r_reason = _RESOLUTION

    def make_resolution(mention, place, score, type, reason):  # noqa: A002 (the field's name)
        r = _new(Resolution)
        _r_mention(r, mention)
        _r_place(r, place)
        _r_score(r, score)
        _r_type(r, type)
        _r_reason(r, reason)
        return r


_REGION_SCORE = _slot_setters(RegionScore, ("code", "name", "kind", "relevance", "score"))
if _REGION_SCORE is None:
    make_region_score = RegionScore
else:
    _s_code, _s_name, _s_kind, _s_relevance, _s_score = _REGION_SCORE

    def make_region_score(code, name, kind, relevance, score):
        s = _new(RegionScore)
        _s_code(s, code)
        _s_name(s, name)
        _s_kind(s, kind)
        _s_relevance(s, relevance)
        _s_score(s, score)
        return s


def detected_maker(cls: type):
    """A maker for detect.Detected (defined there; passed in to keep the import order one way)."""
    setters = _slot_setters(cls, ("mention", "candidates", "qualifier", "alt", "placelike", "likely_place"))
    if setters is None:
        return cls
    d_mention, d_candidates, d_qualifier, d_alt, d_placelike, d_likely_place = setters

    def make_detected(mention, candidates, qualifier, alt, placelike, likely_place):
        d = _new(cls)
        d_mention(d, mention)
        d_candidates(d, candidates)
        d_qualifier(d, qualifier)
        d_alt(d, alt)
        d_placelike(d, placelike)
        d_likely_place(d, likely_place)
        return d

    return make_detected
