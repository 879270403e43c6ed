"""Splitting a text into SMS segments (3GPP TS 23.038 / 23.040), and counting them fast.

One SMS carries 140 octets of user data: 160 GSM-7 septets or 70 UCS-2 units.
A longer text is concatenated: each part starts with a User Data Header (6
octets with an 8-bit reference, 7 with a 16-bit one), leaving 153 / 152 septets
or 67 / 66 units. National language shift tables add a 3-octet element each.

Parts never split an escape pair (GSM-7) or a surrogate pair (UCS-2). By default
UCS-2 parts also keep user-perceived characters (grapheme clusters, as
``regex``'s ``\\X`` finds them) whole, moving a cluster that would straddle a
boundary to the next part; a cluster longer than a whole part is split between
code points. ``grapheme_safe=False`` gives the standard's minimum.

:func:`count_segments` never builds segment strings; :func:`segment` does the full
job. Both use the same cut rule, so they always agree.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import regex

from ._national import NationalAlphabet, national_alphabets
from ._smart import Replacement, smart_candidates
from .encoding import (
    BASIC_CODES,
    EXTENSION_CODES,
    EXTENSION_RE,
    NON_GSM_RE,
    Encoding,
    NonGsmCharacter,
    gsm7_encode,
    non_gsm_characters,
    pack_septets,
)
from .errors import ConfigurationError, EncodingError, MessageTooLongError

__all__ = [
    "GSM7_CONCAT_SEPTETS",
    "GSM7_SINGLE_SEPTETS",
    "MAX_SEGMENTS",
    "UCS2_CONCAT_UNITS",
    "UCS2_SINGLE_UNITS",
    "Replacement",
    "Segment",
    "SegmentedMessage",
    "count_many",
    "count_segments",
    "segment",
]

USER_DATA_OCTETS = 140  # TS 23.040 9.2.3.24: TP-UD holds at most 140 octets
_USER_DATA_BITS = USER_DATA_OCTETS * 8
_CONCAT8_IE_OCTETS = 5  # IEI 0x00, length 3, reference, total, sequence
_CONCAT16_IE_OCTETS = 6  # IEI 0x08, length 4, reference (2), total, sequence
_SHIFT_IE_OCTETS = 3  # IEI 0x24 (single) / 0x25 (locking), length 1, language identifier
MAX_SEGMENTS = 255  # the "total" field of the concatenation element is one octet


def _septets(udh_octets: int) -> int:
    """Septets left in one SMS after a UDH of ``udh_octets`` (UDHL included), fill bits counted."""
    return (_USER_DATA_BITS - 8 * udh_octets) // 7


def _units(udh_octets: int) -> int:
    return (USER_DATA_OCTETS - udh_octets) // 2


GSM7_SINGLE_SEPTETS = _septets(0)  # 160
GSM7_CONCAT_SEPTETS = _septets(1 + _CONCAT8_IE_OCTETS)  # 153
UCS2_SINGLE_UNITS = _units(0)  # 70
UCS2_CONCAT_UNITS = _units(1 + _CONCAT8_IE_OCTETS)  # 67
_ASTRAL_RE = re.compile(r"[\U00010000-\U0010FFFF]")
# ASCII bytes that are GSM-7 basic characters, and the ASCII extension characters.
_PLAIN_ASCII = bytes(
    code for code in range(128) if chr(code) in BASIC_CODES and chr(code) not in EXTENSION_CODES
)
_EXTENSION_ASCII = bytes(ord(char) for char in EXTENSION_CODES if char.isascii())
# Grapheme boundaries: a boundary is certain between a character that never joins
# what follows and one that never joins what precedes (UAX #29 GB4-GB999). Elsewhere
# \X decides, started from such a certain boundary.
# Conjunct linkers (InCB=Linker) are excluded: a few have GCB=Other yet join the
# next consonant (UAX #29 GB9c).
_JOINS_NOTHING_AFTER = regex.compile(
    r"(?V1)[[\p{GCB=Other}\p{GCB=Control}\p{GCB=LF}\p{GCB=LV}\p{GCB=LVT}\p{GCB=T}\p{GCB=V}]"
    r"--\p{InCB=Linker}]"
)
_JOINS_BEFORE = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=V}\p{GCB=T}]")
_CLUSTER = regex.compile(r"\X")


@dataclass(frozen=True, slots=True)
class Segment:
    """One SMS of a message.

    Attributes:
        text: the characters this part carries.
        units: septets (GSM-7, escapes counted) or UTF-16 code units (UCS-2).
        udh: the User Data Header, UDHL included; ``b""`` for a single plain SMS.
        encoding: GSM-7 or UCS-2.
        locking_shift: national locking-shift table in use, if any.
        single_shift: national single-shift table in use, if any.
    """

    text: str
    units: int
    udh: bytes
    encoding: Encoding
    locking_shift: str | None = None
    single_shift: str | None = None

    @property
    def user_data(self) -> bytes:
        """The whole TP-User-Data: ``udh`` then the packed septets or UTF-16-BE units.

        Never longer than 140 octets. Computed on access, so counting and
        splitting do not pay for packing.
        """
        if self.encoding is Encoding.UCS2:
            return self.udh + self.text.encode("utf-16-be")
        if self.locking_shift is None and self.single_shift is None:
            septets = gsm7_encode(self.text)
        else:
            septets = _alphabet(self.locking_shift, self.single_shift).encode(self.text)
        fill = (7 - (len(self.udh) * 8) % 7) % 7
        return self.udh + pack_septets(septets, fill_bits=fill)


@dataclass(frozen=True, slots=True, repr=False)
class SegmentedMessage:
    """A text split into the SMS parts it will be sent as.

    Attributes:
        text: the text sent (after smart encoding, when it was asked for and helped).
        replacements: what smart encoding changed (positions in the original text).

    The other attributes (``encoding``, ``segments``, ``segment_count``, ``units``,
    ``remaining``, ``non_gsm``, ``locking_shift``, ``single_shift``) are read-only
    properties computed from the cuts :func:`segment` made.
    """

    text: str
    replacements: tuple[Replacement, ...]
    _layout: _Layout
    _parts: tuple[Segment, ...] | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        return (
            f"SegmentedMessage(encoding={self.encoding.value!r}, "
            f"segment_count={self.segment_count}, units={self.units}, "
            f"remaining={self.remaining}, text={self.text!r})"
        )

    @property
    def encoding(self) -> Encoding:
        """GSM-7 or UCS-2."""
        return self._layout.plan.encoding

    @property
    def units(self) -> int:
        """Septets (escapes counted) or UTF-16 units of the whole text, without headers."""
        return self._layout.plan.units

    @property
    def segment_count(self) -> int:
        """How many SMS are sent (and billed)."""
        return len(self._layout.ends)

    @property
    def remaining(self) -> int:
        """Units that can still be added before another part is needed (what a counter shows)."""
        layout = self._layout
        ends = layout.ends
        last_start = ends[-2] if len(ends) > 1 else 0
        return layout.capacity - _span_units(layout.plan.doubles, last_start, ends[-1])

    @property
    def locking_shift(self) -> str | None:
        """National locking-shift table used, if any."""
        return self._layout.plan.locking

    @property
    def single_shift(self) -> str | None:
        """National single-shift table used, if any."""
        return self._layout.plan.single

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The parts, in order. Every cut is computed by :func:`segment`; the
        :class:`Segment` objects are built on first access and kept."""
        if self._parts is None:
            # A frozen dataclass may still fill its own cache.
            object.__setattr__(self, "_parts", _build_segments(self))
        assert self._parts is not None
        return self._parts

    @property
    def non_gsm(self) -> tuple[NonGsmCharacter, ...]:
        """Characters outside the GSM-7 default alphabet, with their positions in ``text``.

        What forced UCS-2 (or a national table); what a counter UI highlights.
        """
        return non_gsm_characters(self.text)


def _span_units(doubles: Sequence[int], start: int, end: int) -> int:
    if not doubles:
        return end - start
    return end - start + bisect_left(doubles, end) - bisect_left(doubles, start)


def _build_segments(message: SegmentedMessage) -> tuple[Segment, ...]:
    layout = message._layout
    plan = layout.plan
    text, ends, total = message.text, layout.ends, len(layout.ends)
    starts = (0, *ends[:-1])
    ies = _shift_ies(plan)
    if total == 1:
        udhs = [bytes([len(ies)]) + ies if ies else b""]
    else:
        udhs = [
            _udh(layout.reference_bits, layout.reference, total, sequence, ies)
            for sequence in range(1, total + 1)
        ]
    return tuple(
        Segment(
            text[start:end],
            _span_units(plan.doubles, start, end),
            udh,
            plan.encoding,
            plan.locking,
            plan.single,
        )
        for start, end, udh in zip(starts, ends, udhs, strict=True)
    )


# -- plans: how a text would be encoded --------------------------------------------


class _Plan(NamedTuple):
    # A NamedTuple, not a dataclass: one is made per message on the hot path.
    encoding: Encoding
    doubles: Sequence[int]  # indices of characters costing two units
    units: int
    locking: str | None = None
    single: str | None = None
    shift_octets: int = 0


class _Layout(NamedTuple):
    """Everything needed to build the segments: the plan, where each part ends, headers."""

    plan: _Plan
    ends: tuple[int, ...]
    capacity: int  # units per part (single or multipart)
    reference_bits: int
    reference: int


def _ucs2_plan(text: str, units: int = -1) -> _Plan:
    try:
        if units < 0:
            units = len(text.encode("utf-16-le")) >> 1
    except UnicodeEncodeError as exc:
        raise EncodingError(
            f"lone surrogate U+{ord(text[exc.start]):04X} at position {exc.start}: the text is "
            "not valid Unicode (was it decoded from broken UTF-16?)",
            text=text,
            position=exc.start,
            char=text[exc.start],
        ) from None
    doubles = [m.start() for m in _ASTRAL_RE.finditer(text)] if units != len(text) else []
    return _Plan(Encoding.UCS2, doubles, units)


def _gsm_plan(text: str) -> _Plan:
    doubles = [m.start() for m in EXTENSION_RE.finditer(text)]
    return _Plan(Encoding.GSM7, doubles, len(text) + len(doubles))


@lru_cache(maxsize=64)
def _alphabet(locking: str | None, single: str | None) -> NationalAlphabet:
    return NationalAlphabet(locking, single)


def _plans(text: str, forced: Encoding | None, languages: tuple[str, ...]) -> list[_Plan]:
    """Every way ``text`` can be sent, cheapest-preference first (ties go to the earlier)."""
    if forced is Encoding.UCS2:
        return [_ucs2_plan(text)]
    bad = NON_GSM_RE.search(text)
    plans = [_gsm_plan(text)] if bad is None else []
    if forced is None:
        plans.append(_ucs2_plan(text))
    for locking, single in national_alphabets(languages):
        doubles = _alphabet(locking, single).doubles(text)
        if doubles is not None:
            shift = _SHIFT_IE_OCTETS * ((locking is not None) + (single is not None))
            units = len(text) + len(doubles)
            plans.append(_Plan(Encoding.GSM7, doubles, units, locking, single, shift))
    if not plans:
        assert bad is not None
        tables = " (nor with the national tables allowed)" if languages else ""
        raise EncodingError(
            f"character {bad.group()!r} (U+{ord(bad.group()):04X}) at position {bad.start()} "
            f"cannot be sent as GSM-7{tables}; send as UCS-2 or replace it",
            text=text,
            position=bad.start(),
            char=bad.group(),
        )
    return plans


def _capacities_of(encoding: Encoding, shift: int, concat_octets: int) -> tuple[int, int]:
    single_udh = 1 + shift if shift else 0
    multi_udh = 1 + concat_octets + shift
    if encoding is Encoding.GSM7:
        return _septets(single_udh), _septets(multi_udh)
    return _units(single_udh), _units(multi_udh)


# (single-part, per-part) capacity for every encoding, shift-table octets and
# concatenation element size: 2 x 3 x 2 entries, computed once.
_CAPACITIES = {
    (encoding, shift, concat): _capacities_of(encoding, shift, concat)
    for encoding in Encoding
    for shift in (0, _SHIFT_IE_OCTETS, 2 * _SHIFT_IE_OCTETS)
    for concat in (_CONCAT8_IE_OCTETS, _CONCAT16_IE_OCTETS)
}


def _capacities(plan: _Plan, concat_octets: int) -> tuple[int, int]:
    return _CAPACITIES[plan.encoding, plan.shift_octets, concat_octets]


# -- cutting -----------------------------------------------------------------------


def _cut(start: int, length: int, doubles: Sequence[int], budget: int) -> int:
    """The largest end such that text[start:end] costs at most ``budget`` units."""
    end = min(length, start + budget)
    if not doubles:
        return end
    first = bisect_left(doubles, start)
    while True:
        over = end - start + bisect_left(doubles, end) - first - budget
        if over <= 0:
            return end
        # Each character dropped saves one or two units, so dropping half the
        # overshoot (rounded up) never drops one too many.
        end -= (over + 1) // 2


def _never_joins(char: str) -> bool:
    return char < "\u0300" or "\u0400" <= char < "\u0483" or "\u4e00" <= char <= "\u9fff"


def _cluster_cut(text: str, start: int, end: int, doubles: Sequence[int], budget: int) -> int:
    """Move ``end`` back to a grapheme boundary after ``start``, if that helps.

    A cluster that would straddle the cut moves whole to the next part, unless it
    is longer than a whole part: it would be split anyway, so it is split here
    between code points rather than cost an extra part.
    """
    before, after = text[end - 1], text[end]
    # Latin below U+0300, basic Cyrillic and CJK ideographs never join a neighbour
    # (CR before LF aside): the common cases are decided without a regex.
    if before != "\r" and _never_joins(before) and _never_joins(after):
        return end
    anchor = end
    while anchor > start and not (
        _JOINS_NOTHING_AFTER.match(text, anchor - 1) and not _JOINS_BEFORE.match(text, anchor)
    ):
        anchor -= 1
    if anchor == end:
        return end
    boundary = anchor
    while True:
        match = _CLUSTER.match(text, boundary)
        assert match is not None  # \X matches at any position before the end
        if match.end() > end:
            break
        boundary = match.end()
        if boundary == end:
            return end
    if boundary == start or _span_units(doubles, boundary, match.end()) > budget:
        return end
    return boundary


def _keeps_clusters(plan: _Plan, grapheme_safe: bool) -> bool:
    # UCS-2 text, and GSM-7 text under national tables (Indic scripts), is made of
    # clusters a handset must not see split; plain GSM-7 only has escape pairs.
    return grapheme_safe and (plan.encoding is Encoding.UCS2 or plan.shift_octets > 0)


def _cuts(text: str, plan: _Plan, budget: int, grapheme_safe: bool) -> list[int]:
    """End index of every part (multipart only); stops once past the 255-part limit."""
    length = len(text)
    clusters = _keeps_clusters(plan, grapheme_safe)
    ends: list[int] = []
    start = 0
    while start < length and len(ends) <= MAX_SEGMENTS:
        end = _cut(start, length, plan.doubles, budget)
        if clusters and end < length:
            end = _cluster_cut(text, start, end, plan.doubles, budget)
        ends.append(end)
        start = end
    return ends


def _count(text: str, plan: _Plan, concat_octets: int, grapheme_safe: bool) -> int:
    single, multi = _capacities(plan, concat_octets)
    if plan.units <= single:
        return 1
    if plan.units > MAX_SEGMENTS * multi:
        return -(-plan.units // multi)  # over the limit whatever the cuts: no need to make them
    if not plan.doubles and _cuts_stay_put(text, plan, multi, grapheme_safe):
        return -(-len(text) // multi)
    return len(_cuts(text, plan, multi, grapheme_safe))


def _cuts_stay_put(text: str, plan: _Plan, multi: int, grapheme_safe: bool) -> bool:
    """True when every part is full and no cut can fall inside a grapheme cluster."""
    if not _keeps_clusters(plan, grapheme_safe):
        return True
    return all(
        text[cut - 1] != "\r" and _never_joins(text[cut - 1]) and _never_joins(text[cut])
        for cut in range(multi, len(text), multi)
    )


def _best(
    text: str, plans: list[_Plan], concat_octets: int, grapheme_safe: bool
) -> tuple[int, _Plan]:
    """The plan sending the fewest parts. On a tie the earlier plan wins (the default
    alphabet, then UCS-2, which needs no handset support for a national table); between
    national tables, fewer header octets, then fewer septets (more room left)."""
    best: tuple[tuple[int, int, int], _Plan] | None = None
    for plan in plans:
        count = _count(text, plan, concat_octets, grapheme_safe)
        national = (plan.shift_octets, plan.units) if plan.shift_octets else (0, 0)
        key = (count, *national)
        if best is None or key < best[0]:
            best = (key, plan)
    assert best is not None
    return best[0][0], best[1]


# -- public API --------------------------------------------------------------------


def _check_text(text: object, func: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{func}() takes a str, not {type(text).__name__}")
    return text


def _check_encoding(encoding: Encoding | str | None) -> Encoding | None:
    if encoding is None or isinstance(encoding, Encoding):
        return encoding
    try:
        return Encoding(encoding)
    except ValueError:
        raise ConfigurationError(
            f"encoding must be Encoding.GSM7, Encoding.UCS2 or None, not {encoding!r}",
            field="encoding",
        ) from None


def _check_options(
    reference_bits: int, reference: int, languages: Iterable[str]
) -> tuple[str, ...]:
    if type(reference_bits) is not int or reference_bits not in (8, 16):
        raise ConfigurationError(
            f"reference_bits must be 8 or 16, got {reference_bits!r}", field="reference_bits"
        )
    if type(reference) is not int or not 0 <= reference < (1 << reference_bits):
        raise ConfigurationError(
            f"reference must be 0-{(1 << reference_bits) - 1} for {reference_bits}-bit "
            f"references, got {reference!r}",
            field="reference",
        )
    if type(languages) is tuple:  # the common case, without an ABC isinstance check
        return languages
    if isinstance(languages, str) or not isinstance(languages, Iterable):
        raise ConfigurationError(
            f"languages must be a sequence of names such as ('turkish',), not {languages!r}",
            field="languages",
        )
    return tuple(languages)


def _too_long(count: int) -> MessageTooLongError:
    return MessageTooLongError(
        f"the text needs at least {count} segments; concatenation allows at most "
        f"{MAX_SEGMENTS}: shorten it or send it as several messages",
        segments=count,
    )


def _choose(
    text: str,
    forced: Encoding | None,
    smart: bool,
    languages: tuple[str, ...],
    concat_octets: int,
    grapheme_safe: bool,
) -> tuple[str, tuple[Replacement, ...], int, _Plan]:
    """The text to send (smart encoding applied only where it is cheaper) and its plan."""
    candidates = smart_candidates(text, prefer_gsm=forced is not Encoding.UCS2) if smart else [
        (text, ())
    ]
    best: tuple[str, tuple[Replacement, ...], int, _Plan] | None = None
    error: EncodingError | None = None
    for candidate, replacements in candidates:
        try:
            plans = _plans(candidate, forced, languages)
        except EncodingError as exc:
            error = error or exc
            continue
        count, plan = _best(candidate, plans, concat_octets, grapheme_safe)
        if best is None or count < best[2]:
            best = (candidate, replacements, count, plan)
    if best is None:
        assert error is not None
        raise error
    return best


def _default_plan(text: str) -> _Plan:
    """The plan when no option is set: GSM-7 if every character allows it, else UCS-2."""
    if text.isascii() and not text.encode("ascii").translate(None, _PLAIN_ASCII):
        return _Plan(Encoding.GSM7, (), len(text))
    if NON_GSM_RE.search(text) is None:
        return _gsm_plan(text)
    return _ucs2_plan(text)


def _count_gsm(text: str, septets: int | None, grapheme_safe: bool) -> int:
    if septets is None:
        septets = len(text) + len(EXTENSION_RE.findall(text))
    if septets <= GSM7_SINGLE_SEPTETS:
        return 1
    return _count(text, _gsm_plan(text), _CONCAT8_IE_OCTETS, grapheme_safe)


def _count_ucs2(text: str, grapheme_safe: bool) -> int:
    try:
        units = len(text.encode("utf-16-le")) >> 1
    except UnicodeEncodeError:
        units = -1  # _ucs2_plan raises the error that says where
    if 0 <= units <= UCS2_SINGLE_UNITS:
        return 1
    return _count(text, _ucs2_plan(text, units), _CONCAT8_IE_OCTETS, grapheme_safe)


def count_segments(text: str, *, smart: bool = False, grapheme_safe: bool = True) -> int:
    """How many SMS ``text`` is sent as: the fast path, equal to ``segment(text).segment_count``.

    >>> count_segments("x" * 160), count_segments("x" * 161), count_segments("€" * 81)
    (1, 2, 2)

    Raises:
        TypeError: ``text`` is not a ``str``.
        EncodingError: ``text`` holds a lone surrogate.
        MessageTooLongError: more than 255 segments would be needed.
    """
    if type(text) is not str or smart:
        _check_text(text, "count_segments")
        count = _choose(text, None, smart, (), _CONCAT8_IE_OCTETS, grapheme_safe)[2]
    elif text.isascii():
        # Deleting every plain GSM byte leaves only escapes and non-GSM characters;
        # bytes.translate does that in one C pass, faster than a regex search.
        specials = text.encode("ascii").translate(None, _PLAIN_ASCII)
        if not specials:
            length = len(text)
            if length <= GSM7_SINGLE_SEPTETS:
                return 1
            count = -(-length // GSM7_CONCAT_SEPTETS)
        elif specials.translate(None, _EXTENSION_ASCII):
            count = _count_ucs2(text, grapheme_safe)
        else:
            count = _count_gsm(text, len(text) + len(specials), grapheme_safe)
    elif NON_GSM_RE.search(text) is None:
        count = _count_gsm(text, None, grapheme_safe)
    else:
        count = _count_ucs2(text, grapheme_safe)
    if count > MAX_SEGMENTS:
        raise _too_long(count)
    return count


def count_many(
    texts: Iterable[str], *, smart: bool = False, grapheme_safe: bool = True
) -> list[int]:
    """:func:`count_segments` for each text, in order."""
    if isinstance(texts, str):
        raise TypeError("count_many() takes an iterable of texts, not one str")
    if not smart and grapheme_safe:
        return list(map(count_segments, texts))  # no keyword passing: measurably faster
    return [count_segments(t, smart=smart, grapheme_safe=grapheme_safe) for t in texts]


def segment(
    text: str,
    *,
    encoding: Encoding | str | None = None,
    smart: bool = False,
    reference_bits: int = 8,
    reference: int = 0,
    languages: Iterable[str] = (),
    grapheme_safe: bool = True,
) -> SegmentedMessage:
    """Split ``text`` into the SMS parts it is sent as.

    Args:
        text: the message.
        encoding: force GSM-7 (an :class:`EncodingError` if a character cannot be
            sent so) or UCS-2; by default the cheapest.
        smart: replace look-alike characters (curly quotes, dashes, odd spaces...)
            where that makes the message cheaper; see ``replacements``.
        reference_bits: 8 (6-octet UDH) or 16 (7-octet UDH) concatenation reference.
        reference: the concatenation reference number written into each UDH.
        languages: national language shift tables the recipients' handsets
            support (``"turkish"``, ``"spanish"``, ``"portuguese"``...); the
            cheapest combination is chosen automatically.
        grapheme_safe: keep grapheme clusters of UCS-2 text whole across parts.

    >>> message = segment("Hi Zoë! " * 10)
    >>> str(message.encoding), message.segment_count, message.units
    ('UCS-2', 2, 80)
    """
    _check_text(text, "segment")
    encoding = _check_encoding(encoding)
    langs = _check_options(reference_bits, reference, languages)
    concat = _CONCAT8_IE_OCTETS if reference_bits == 8 else _CONCAT16_IE_OCTETS
    replacements: tuple[Replacement, ...]
    if encoding is None and not smart and not langs:
        chosen, replacements, plan = text, (), _default_plan(text)
        count = _count(text, plan, concat, grapheme_safe)
    else:
        chosen, replacements, count, plan = _choose(
            text, encoding, smart, langs, concat, grapheme_safe
        )
    if count > MAX_SEGMENTS:
        raise _too_long(count)
    single, multi = _capacities(plan, concat)
    if count == 1:
        ends: tuple[int, ...] = (len(chosen),)
        capacity = single
    else:
        ends = tuple(_cuts(chosen, plan, multi, grapheme_safe))
        capacity = multi
    return SegmentedMessage(
        chosen, replacements, _Layout(plan, ends, capacity, reference_bits, reference)
    )


def _shift_ies(plan: _Plan) -> bytes:
    if not plan.shift_octets:
        return b""
    # TS 23.040 9.2.3.24.15 / 9.2.3.24.16: IEI 0x24 single shift, 0x25 locking shift.
    alphabet = _alphabet(plan.locking, plan.single)
    ies = b""
    if plan.single is not None:
        ies += bytes([0x24, 1, alphabet.single_id])
    if plan.locking is not None:
        ies += bytes([0x25, 1, alphabet.locking_id])
    return ies


def _udh(bits: int, reference: int, total: int, sequence: int, shift_ies: bytes) -> bytes:
    if bits == 8:
        concat = bytes([0x00, 3, reference, total, sequence])
    else:
        concat = bytes([0x08, 4, reference >> 8, reference & 0xFF, total, sequence])
    body = concat + shift_ies
    return bytes([len(body)]) + body

