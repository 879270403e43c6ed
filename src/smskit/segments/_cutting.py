"""How a text is encoded and where its parts end: the machinery behind `segment`.

Private. A *plan* says how a text would be sent (alphabet, which characters cost two
units, national tables); the cut functions find where each part ends. The fast
counter and the full splitter both use these, so they cannot disagree.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import regex

from ..errors import EncodingError
from ._grapheme_data import JOINER_RANGES
from ._national import NationalAlphabet, national_alphabets
from .encoding import BASIC_CODES, EXTENSION_CODES, EXTENSION_RE, NON_GSM_RE, Encoding

USER_DATA_OCTETS = 140  # TS 23.040 9.2.3.24: TP-UD holds at most 140 octets
_USER_DATA_BITS = USER_DATA_OCTETS * 8
CONCAT8_IE_OCTETS = 5  # IEI 0x00, length 3, reference, total, sequence
CONCAT16_IE_OCTETS = 6  # IEI 0x08, length 4, reference (2), total, sequence
_SHIFT_IE_OCTETS = 3  # IEI 0x24 (single) / 0x25 (locking), length 1, language identifier
MAX_SEGMENTS = 255  # the "total" field of the concatenation element is one octet


def _septets(udh_octets: int) -> int:
    """Septets left in one SMS after a UDH of ``udh_octets`` (UDHL included), fill bits counted."""
    return (_USER_DATA_BITS - 8 * udh_octets) // 7


def _units(udh_octets: int) -> int:
    return (USER_DATA_OCTETS - udh_octets) // 2


GSM7_SINGLE_SEPTETS = _septets(0)  # 160
GSM7_CONCAT_SEPTETS = _septets(1 + CONCAT8_IE_OCTETS)  # 153
UCS2_SINGLE_UNITS = _units(0)  # 70
UCS2_CONCAT_UNITS = _units(1 + CONCAT8_IE_OCTETS)  # 67
_ASTRAL_RE = re.compile(r"[\U00010000-\U0010FFFF]")
# ASCII bytes that are GSM-7 basic characters, and the ASCII extension characters.
PLAIN_ASCII = bytes(
    code for code in range(128) if chr(code) in BASIC_CODES and chr(code) not in EXTENSION_CODES
)
EXTENSION_ASCII = bytes(ord(char) for char in EXTENSION_CODES if char.isascii())
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


def span_units(doubles: Sequence[int], start: int, end: int) -> int:
    if not doubles:
        return end - start
    return end - start + bisect_left(doubles, end) - bisect_left(doubles, start)


# -- plans: how a text would be encoded --------------------------------------------


class Plan(NamedTuple):
    # A NamedTuple, not a dataclass: one is made per message on the hot path.
    encoding: Encoding
    doubles: Sequence[int]  # indices of characters costing two units
    units: int
    locking: str | None = None
    single: str | None = None
    shift_octets: int = 0


def ucs2_plan(text: str, units: int = -1) -> Plan:
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
    return Plan(Encoding.UCS2, doubles, units)


def gsm_plan(text: str) -> Plan:
    doubles = [m.start() for m in EXTENSION_RE.finditer(text)]
    return Plan(Encoding.GSM7, doubles, len(text) + len(doubles))


@lru_cache(maxsize=64)
def alphabet_for(locking: str | None, single: str | None) -> NationalAlphabet:
    return NationalAlphabet(locking, single)


def plans_for(text: str, forced: Encoding | None, languages: tuple[str, ...]) -> list[Plan]:
    """Every way ``text`` can be sent, cheapest-preference first (ties go to the earlier)."""
    if forced is Encoding.UCS2:
        return [ucs2_plan(text)]
    bad = NON_GSM_RE.search(text)
    plans = [gsm_plan(text)] if bad is None else []
    if forced is None:
        plans.append(ucs2_plan(text))
    for locking, single in national_alphabets(languages):
        doubles = alphabet_for(locking, single).doubles(text)
        if doubles is not None:
            shift = _SHIFT_IE_OCTETS * ((locking is not None) + (single is not None))
            units = len(text) + len(doubles)
            plans.append(Plan(Encoding.GSM7, doubles, units, locking, single, shift))
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
    for concat in (CONCAT8_IE_OCTETS, CONCAT16_IE_OCTETS)
}


def capacities(plan: Plan, concat_octets: int) -> tuple[int, int]:
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


# Characters that can make a cluster of several code points (CR LF aside, which is
# only two units), from generated ranges. The BMP ones form a stdlib class (a C-level
# bitmap, far faster than `regex`'s property lookups); the astral ones are a set
# checked against the astral characters a plan has already located.
_BMP_JOINER = re.compile(
    "["
    + "".join(
        f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in JOINER_RANGES
        if high < 0x10000
    )
    + "]"
)
# Every character that may join a neighbour, and CR (CR LF). Precomposed Hangul
# syllables (LV, LVT) are left out: they join only a jamo, which is in the set, so
# checking both sides of a cut still catches them (and the set stays small). A cut
# with neither neighbour in the set is a grapheme boundary.
JOINERS = frozenset(
    chr(code)
    for low, high in JOINER_RANGES
    if (low, high) != (0xAC00, 0xD7A3)
    for code in range(low, high + 1)
) | {"\r"}
_ASTRAL_JOINERS = frozenset(
    chr(code) for low, high in JOINER_RANGES if low >= 0x10000 for code in range(low, high + 1)
)


def may_join(text: str) -> bool:
    """True if some grapheme cluster of ``text`` may span several code points."""
    if _BMP_JOINER.search(text):
        return True
    return any(char in _ASTRAL_JOINERS for char in _ASTRAL_RE.findall(text))


def bounded_count(units: int, multi: int) -> int | None:
    """The part count when every cluster is one character (or CR LF) of at most two
    units: a part then ends at most one unit short, so the count lies between these
    bounds, and when they agree no cut needs making. ``None`` when they differ."""
    fewest = -(-units // multi)
    return fewest if fewest == -(-units // (multi - 1)) else None


# Marks the first septet of an escape pair in ``escape_parts``: not GSM-7, so never in
# a text it counts.
_ESCAPE_MARK = "\x00"
_MARKED_ESCAPES = tuple((char, _ESCAPE_MARK + char) for char in EXTENSION_CODES)


def escape_parts(text: str, budget: int) -> int:
    """Parts of a text in the default GSM-7 alphabet, ``budget`` septets a part: what
    ``cuts`` finds with no cluster to keep (plain GSM-7 has only escape pairs), with
    no plan built. Each escape pair gets a mark before it, so the text is one
    character a septet, and a part ends ``budget`` septets on, one short where the
    mark is its last septet (the pair would straddle the cut)."""
    for char, marked in _MARKED_ESCAPES:
        if char in text:
            text = text.replace(char, marked)
    start, parts = 0, 1
    while len(text) - start > budget:
        start += budget - (text[start + budget - 1] == _ESCAPE_MARK)
        parts += 1
    return parts


def _cluster_cut(text: str, start: int, end: int, doubles: Sequence[int], budget: int) -> int:
    """Move ``end`` back to a grapheme boundary after ``start``, if that helps.

    A cluster that would straddle the cut moves whole to the next part, unless it
    is longer than a whole part: it would be split anyway, so it is split here
    between code points rather than cost an extra part.
    """
    # A cut between two characters that join nothing is a boundary: decided without
    # a regex (most cuts of most scripts).
    if text[end - 1] not in JOINERS and text[end] not in JOINERS:
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
    if boundary == start or span_units(doubles, boundary, match.end()) > budget:
        return end
    return boundary


def _keeps_clusters(plan: Plan, grapheme_safe: bool) -> bool:
    # UCS-2 text, and GSM-7 text under national tables (Indic scripts), is made of
    # clusters a handset must not see split; plain GSM-7 only has escape pairs.
    return grapheme_safe and (plan.encoding is Encoding.UCS2 or plan.shift_octets > 0)


def cuts(text: str, plan: Plan, budget: int, grapheme_safe: bool) -> list[int]:
    """End index of every part (multipart only), past the 255-part limit too: the exact
    count is what a too-long error reports. Callers cut only texts whose units fit 255
    full parts, so a text past the limit costs no more than one at it."""
    length = len(text)
    if not plan.doubles and _cuts_stay_put(text, plan, budget, grapheme_safe):
        return [*range(budget, length, budget), length]  # every part full: arithmetic
    clusters = _keeps_clusters(plan, grapheme_safe)
    ends: list[int] = []
    start = 0
    while start < length:
        end = _cut(start, length, plan.doubles, budget)
        if clusters and end < length:
            end = _cluster_cut(text, start, end, plan.doubles, budget)
        ends.append(end)
        start = end
    return ends


def count_parts(text: str, plan: Plan, concat_octets: int, grapheme_safe: bool) -> int:
    single, multi = capacities(plan, concat_octets)
    if plan.units <= single:
        return 1
    if plan.units > MAX_SEGMENTS * multi:
        # Over the limit whatever the cuts: the fewest parts the units fill (a lower
        # bound) is what every entry point reports, with no cut made.
        return -(-plan.units // multi)
    if not plan.doubles and _cuts_stay_put(text, plan, multi, grapheme_safe):
        return -(-len(text) // multi)
    if plan.doubles and not (_keeps_clusters(plan, grapheme_safe) and may_join(text)):
        bounded = bounded_count(plan.units, multi)
        if bounded is not None:
            return bounded
    return len(cuts(text, plan, multi, grapheme_safe))


def _cuts_stay_put(text: str, plan: Plan, multi: int, grapheme_safe: bool) -> bool:
    """True when every part is full and no cut can fall inside a grapheme cluster."""
    return not _keeps_clusters(plan, grapheme_safe) or full_cuts_keep_clusters(text, multi)


def full_cuts_keep_clusters(text: str, multi: int) -> bool:
    """True when no cut every ``multi`` characters can fall inside a grapheme cluster:
    no character on either side of a cut joins anything (two C-level slices and one
    set test)."""
    return JOINERS.isdisjoint(text[multi - 1 : len(text) - 1 : multi] + text[multi::multi])


def best_plan(
    text: str, plans: list[Plan], concat_octets: int, grapheme_safe: bool
) -> tuple[int, Plan]:
    """The plan sending the fewest parts. On a tie the earlier plan wins (the default
    alphabet, then UCS-2, which needs no handset support for a national table); between
    national tables, fewer header octets, then fewer septets (more room left)."""
    best: tuple[tuple[int, int, int], Plan] | None = None
    for plan in plans:
        count = count_parts(text, plan, concat_octets, grapheme_safe)
        national = (plan.shift_octets, plan.units) if plan.shift_octets else (0, 0)
        key = (count, *national)
        if best is None or key < best[0]:
            best = (key, plan)
    assert best is not None
    return best[0][0], best[1]
