"""Counting a UCS-2 text's parts without making them: the walk behind ``count_many``'s
flagged texts.

Private. A count needs only the number of parts. Each part ends 67 units after the
previous one (one unit earlier if that would split a surrogate pair, found from the
UTF-16 byte itself), and the cut stays there unless it falls inside a grapheme
cluster. Whether it does is decided from the two characters beside the cut: when
the one before cannot join what follows (``JOIN_NEXT``) and the one after cannot
join what precedes (``JOIN_PREVIOUS``), the cut is a boundary whatever comes before
(no UAX #29 rule joins such a pair), unless the one before is a conjunct extender
with a linker behind it (GB9c; ``certain_boundary``, which also stays unsure when what
is behind the extenders is any other character of ``JOIN_NEXT``, or the text's start).
Only otherwise is ``\\X`` run, from the nearest such certain boundary before the
cut, over the few characters up to it. Unit positions become character positions by
decoding each part's bytes (one C call), with no loop over characters.

The cut rule is ``_cutting.cuts``'s (and the slow splitter's in ``tests/_reference.py``,
the readable reference): a cluster that would straddle a cut moves whole to the next
part, unless it starts the part or is longer than a whole part, and is then split
between code points. The property tests hold this walk to both.
"""

from __future__ import annotations

from codecs import utf_16_le_decode

import regex

from ._cutting import JOINERS, MAX_SEGMENTS, UCS2_CONCAT_UNITS

# Of the joiners (``_cutting.JOINERS``), the characters that may join what follows
# them (UAX #29 GB3, GB9b, GB6, GB11-GB13, and the conjunct linkers of GB9c) and those
# that may join what precedes them (GB9-GB9a, GB7-GB8): a cut between a character of
# neither the first nor, after it, the second is a boundary, unless GB9c joins it: a
# conjunct extender (InCB=Extend) joins a following consonant when a linker precedes
# it among extenders.
JOIN_NEXT = frozenset(
    filter(
        regex.compile(
            r"(?V1)[\p{GCB=Prepend}\p{GCB=CR}\p{GCB=Regional_Indicator}\p{GCB=L}"
            r"\p{GCB=ZWJ}\p{InCB=Linker}]"
        ).match,
        JOINERS,
    )
)
CONJUNCT_EXTEND = frozenset(filter(regex.compile(r"(?V1)\p{InCB=Extend}").match, JOINERS))
JOIN_PREVIOUS = frozenset(
    filter(
        regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=V}\p{GCB=T}]").match,
        JOINERS,
    )
)
# What certain_boundary's first test reads before a cut: a character that may join
# what follows, or a conjunct extender (which may have a linker behind it).
UNSURE_BEFORE = JOIN_NEXT | CONJUNCT_EXTEND
_CLUSTER = regex.compile(r"\X")
_FITS = UCS2_CONCAT_UNITS // 2


def count_parts(text: str, data: bytes | None = None) -> int:
    """Parts of ``text`` sent as UCS-2, grapheme clusters kept whole; 0 past 255 parts.

    ``data`` is the text's UTF-16-LE when some character takes two units; ``None``
    when every character is one unit (unit and character positions then agree).
    The text is over one part (more than 70 units).
    """
    return slack_parts(text, data) or cut_parts(text, data)


def cut_parts(text: str, data: bytes | None = None) -> int:
    """``count_parts`` by making each cut, without trying the slack bound first: for a
    text whose bound a screen has already failed to prove (``_batch``)."""
    units = len(text) if data is None else len(data) >> 1
    start = start_unit = 0
    for parts in range(1, MAX_SEGMENTS + 1):
        end_unit = start_unit + UCS2_CONCAT_UNITS
        if end_unit >= units:
            return parts
        if data is None:
            end = end_unit
        else:
            if data[2 * end_unit + 1] & 0xFC == 0xDC:  # a low surrogate: keep the pair
                end_unit -= 1
            end = start + len(utf_16_le_decode(data[2 * start_unit : 2 * end_unit])[0])
        if not certain_boundary(text, end):
            moved = cluster_cut(text, start, end)
            if moved != end:
                end_unit -= end - moved if data is None else _units(text[moved:end])
                end = moved
        start, start_unit = end, end_unit
    return 0


def slack_parts(text: str, data: bytes | None = None) -> int:
    """Parts of ``text`` (over 70 units; ``data`` as for ``count_parts``) when no cut
    can move far enough to need one more part; 0 when that is not proven.

    A cut moves back at most to the last certain boundary before it (see
    ``cluster_cut``; first one unit if it splits a surrogate pair), and each part
    starts where the previous one ends. So the k-th cut lies no earlier than 67k
    units less a ``drift``: how far the certain boundary before the previous cut's
    earliest place lies behind its own 67k. While the drift stays within the room
    the last part has left (parts x 67 less the units), the count is the units',
    with no cluster matched.
    """
    units = len(text) if data is None else len(data) >> 1
    parts = -(-units // UCS2_CONCAT_UNITS)
    room = parts * UCS2_CONCAT_UNITS - units
    drift = 0
    for nominal in range(UCS2_CONCAT_UNITS, units, UCS2_CONCAT_UNITS):
        at_unit = nominal - drift
        if data is None:
            at = at_unit
        else:
            if data[2 * at_unit + 1] & 0xFC == 0xDC:  # a low surrogate: keep the pair
                at_unit -= 1
            at = len(utf_16_le_decode(data[: 2 * at_unit])[0])
        while at > 0 and not certain_boundary(text, at):
            at -= 1
            at_unit -= 1 if text[at] <= "\uffff" else 2
        drift = nominal - at_unit
        if drift > room:
            return 0
    return parts if parts <= MAX_SEGMENTS else 0


def cluster_cut(text: str, start: int, end: int) -> int:
    """``end``, or the start of the cluster straddling it when that cluster moves whole
    to the next part (it neither starts this part nor is longer than a whole part)."""
    anchor = end - 1
    while anchor > start and not certain_boundary(text, anchor):
        anchor -= 1
    boundary = anchor
    while True:
        match = _CLUSTER.match(text, boundary)
        assert match is not None  # \X matches at any position before the end
        if match.end() > end:
            break
        boundary = match.end()
        if boundary == end:
            return end
    cluster = match.group()
    # A cluster of 33 characters or fewer fits a part (at most two units each).
    if boundary == start or (len(cluster) > _FITS and _units(cluster) > UCS2_CONCAT_UNITS):
        return end
    return boundary


def certain_cuts(text: str, multi: int) -> bool:
    """True when every cut every ``multi`` characters is a certain boundary by
    ``certain_boundary``'s first test, read for all of them at once: no character
    before a cut in ``UNSURE_BEFORE``, none after one in ``JOIN_PREVIOUS`` (two C-level
    slices and two set tests). Finer than one set of every joiner for both sides."""
    return UNSURE_BEFORE.isdisjoint(
        text[multi - 1 : len(text) - 1 : multi]
    ) and JOIN_PREVIOUS.isdisjoint(text[multi::multi])


def certain_boundary(text: str, at: int) -> bool:
    """True when every grapheme cluster rule breaks ``text`` before ``at`` (0 < at <
    len(text)), whatever precedes; False when unsure."""
    before = text[at - 1]
    if before in JOIN_NEXT or text[at] in JOIN_PREVIOUS:
        return False
    while before in CONJUNCT_EXTEND and at > 1:  # GB9c: look for a linker behind
        at -= 1
        before = text[at - 1]
    return before not in CONJUNCT_EXTEND and before not in JOIN_NEXT


def _units(chars: str) -> int:
    return len(chars.encode("utf-16-le")) >> 1
