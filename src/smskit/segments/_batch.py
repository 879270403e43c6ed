"""Counting many texts with a few C-level passes: the screen behind ``count_many``.

Private. :func:`screen` takes texts that are not plain GSM-7 ASCII (those are
counted by their length before it) and returns each one's segment count, or 0
where the text must be counted on its own by ``count_segments``. A count it
returns is exact: every shortcut holds only under a condition it checks, and
anything unchecked is left to the one-by-one path.

Texts whose characters all fit Latin-1 (``latin1_counts``): the texts are joined
with NUL between them and encoded to Latin-1 in one piece; ``bytes.translate``
deletes the plain GSM-7 characters, leaving escapes (extension characters),
characters outside GSM-7 and the NUL separators. Split back on NUL, each piece says
what its text holds: a text with a non-GSM byte is UCS-2 at one unit per
character (no Latin-1 character joins a grapheme cluster, CR LF aside: such texts
go the slow way); the others are GSM-7, their septets the length plus the escapes.
A NUL inside a text splits one piece too many: the whole list then goes the slow way.

Other texts (``wide_counts``): one ``NON_GSM_RE.search`` per text tells UCS-2 (a
GSM-7 text outside Latin-1, Greek capitals or the euro sign, goes the slow way).
With no astral character in the list (its UTF-16 length is twice its length) a
text is one unit per character; one holding an astral character goes the slow
way. A UCS-2 text over 70 units has its parts end every 67 characters when no
cut can fall inside a grapheme cluster: that holds when neither character beside
each cut can join a neighbour (:func:`cuts_stay`); otherwise the slow way.

Counts come from tables indexed by septets or units, up to the 255-part limit; an
``IndexError`` past it sends the caller the slow way, which raises naming the text.
The readable reference is ``tests/_reference.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate, compress, repeat
from operator import add, getitem, gt, is_, mul, rshift
from operator import not_ as _not

from ._cutting import (
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    MAX_SEGMENTS,
    PLAIN_ASCII,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
    bounded_count,
    cuts,
    may_join,
    ucs2_plan,
)
from ._grapheme_data import JOINER_RANGES
from .encoding import BASIC_CODES, EXTENSION_CODES, NON_GSM_RE

SEP = "\x00"  # never GSM-7; a text holding one makes the split miscount
_SEP_BYTE = b"\x00"


def _parts_table(single: int, multi: int, doubles: bool) -> tuple[int, ...]:
    """Count by units, up to the 255-part limit. With two-unit characters, 0 where
    the bounds of ``bounded_count`` differ (the cuts must then be made)."""
    counts = [1] * (single + 1)
    for units in range(single + 1, MAX_SEGMENTS * multi + 1):
        exact = bounded_count(units, multi) if doubles else -(-units // multi)
        counts.append(exact or 0)
    return tuple(counts)


_UCS2_PARTS = _parts_table(UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS, doubles=False)
PLAIN_PARTS = _parts_table(GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS, doubles=False)
_GSM_PARTS = _parts_table(GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS, doubles=True)
_BY_GSM = (_UCS2_PARTS, _GSM_PARTS)  # by "is GSM-7"

# Latin-1 bytes: the plain GSM-7 characters (one septet), the extension ones.
_PLAIN_LATIN1 = PLAIN_ASCII + bytes(
    code for code in range(128, 256) if chr(code) in BASIC_CODES
)
_ESCAPE_LATIN1 = bytes(ord(char) for char in EXTENSION_CODES if ord(char) < 256)

# Characters that may join a neighbour into one grapheme cluster (generated
# ranges), and CR (CR LF). Precomposed Hangul syllables (LV, LVT) are left out:
# they join only a jamo, which is in the class, so checking both sides of a cut
# still catches them.
_JOINS = re.compile(
    "[\r"
    + "".join(
        f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in JOINER_RANGES
        if high < 0x10000 and (low, high) != (0xAC00, 0xD7A3)
    )
    + "]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def screen(texts: Sequence[str]) -> list[int]:
    """Each text's count, or 0 where it must be counted on its own (see the module doc).

    Raises ``TypeError`` (a text is not a str), ``UnicodeEncodeError`` (a lone
    surrogate) or ``IndexError`` (past 255 parts) without saying which text: the
    caller finds it.
    """
    joined = SEP.join(texts)
    try:
        # The euro sign is the one GSM-7 character above Latin-1 that Latin texts
        # use; "|" stands in for it: also an extension character (two septets),
        # one UTF-16 unit, joining nothing.
        data = (joined.replace("€", "|") if "€" in joined else joined).encode("latin-1")
    except UnicodeEncodeError:
        return wide_counts(texts, joined)
    return latin1_counts(texts, data)


def latin1_counts(texts: Sequence[str], data: bytes) -> list[int]:
    """Counts of Latin-1 texts; ``data`` is the texts joined with NUL, in Latin-1."""
    size = len(texts)
    leftover = data.translate(None, _PLAIN_LATIN1)  # escapes, non-GSM bytes, NULs
    if len(leftover) == size - 1:
        return list(map(PLAIN_PARTS.__getitem__, map(len, texts)))  # all plain GSM-7
    pieces = leftover.split(_SEP_BYTE)
    if len(pieces) != size:
        return [0] * size  # a NUL inside a text
    specials = list(map(len, pieces))
    non_gsm = leftover.translate(None, _ESCAPE_LATIN1)
    if len(non_gsm) == size - 1:  # all GSM-7, their specials are escapes
        return list(map(_GSM_PARTS.__getitem__, map(add, map(len, texts), specials)))
    gsm = list(map(_not, map(len, non_gsm.split(_SEP_BYTE))))
    # One map of C callables per step: no Python frame per text.
    sizes = map(add, map(len, texts), map(mul, specials, gsm))  # septets, or units
    counts = list(map(getitem, map(_BY_GSM.__getitem__, gsm), sizes))
    if b"\r" in data:  # CR LF is one cluster: a UCS-2 text with CR goes the slow way
        for index in _texts_holding(texts, lambda start: data.find(b"\r", start)):
            if not gsm[index]:
                counts[index] = 0
    return counts


def wide_counts(texts: Sequence[str], joined: str) -> list[int]:
    """Counts of texts some of which hold characters beyond Latin-1 (``joined``:
    the texts with one character between each)."""
    gsm = list(map(is_, map(NON_GSM_RE.search, texts), repeat(None)))
    units = list(map(len, texts))
    if len(joined.encode("utf-16-le")) != 2 * len(joined):  # raises on a lone surrogate
        # Some text holds an astral character (two units): the units of each.
        units = list(map(rshift, map(len, map(str.encode, texts, repeat("utf-16-le"))), repeat(1)))
    counts = list(map(_UCS2_PARTS.__getitem__, units))
    for index in compress(range(len(texts)), gsm):
        counts[index] = 0  # GSM-7 beyond Latin-1 (Greek capitals): rare, the slow way
    for index in compress(range(len(texts)), map(gt, units, repeat(UCS2_SINGLE_UNITS))):
        if not gsm[index]:
            counts[index] = _long_ucs2(texts[index], units[index], counts[index])
    return counts


def _long_ucs2(text: str, units: int, parts: int) -> int:
    """The count of a UCS-2 text over one part; ``parts`` is units / 67 rounded up."""
    if units == len(text):
        if cuts_stay(text):
            return parts
    elif not may_join(text):  # two-unit characters, each its own cluster
        return bounded_count(units, UCS2_CONCAT_UNITS) or _count_cuts(text, units)
    return _count_cuts(text, units)


def _count_cuts(text: str, units: int) -> int:
    """The count from the cuts themselves; 0 past 255 parts (the slow way raises)."""
    count = len(cuts(text, ucs2_plan(text, units), UCS2_CONCAT_UNITS, grapheme_safe=True))
    return count if count <= MAX_SEGMENTS else 0


def cuts_stay(text: str) -> bool:
    """True when a cut every 67 characters never falls inside a grapheme cluster:
    no character on either side of a cut can join a neighbour."""
    before = text[UCS2_CONCAT_UNITS - 1 : -1 : UCS2_CONCAT_UNITS]
    after = text[UCS2_CONCAT_UNITS::UCS2_CONCAT_UNITS]
    return _JOINS.search(before) is None and _JOINS.search(after) is None


def _texts_holding(texts: Sequence[str], find: Callable[[int], int]) -> list[int]:
    """Indices of the texts holding what ``find(start)`` finds (its position in the
    texts joined with one character between each, or -1): after each hit, the search
    goes on from the next text."""
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    found = []
    hit = find(0)
    while hit >= 0:
        index = bisect_right(starts, hit) - 1
        found.append(index)
        hit = find(starts[index + 1])
    return found
