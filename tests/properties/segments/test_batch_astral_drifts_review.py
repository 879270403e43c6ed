"""Review of the unit screen of long texts beyond the BMP (``_batch._drifted``).

Every class the screen reads a unit by (two Latin-1 characters, high byte first) is
checked against the set it stands for over all 65,536 units, not only a sample of
the sets; and the 255-part limit is checked around the 0 ``_astral_counts`` now leaves
past the UCS-2 limit: a GSM-7 text past 17,085 characters among emoji texts, and a
UCS-2 text within 17,085 units whose first cut splits a pair (256 parts, found only
by the walk). Expected counts are hand-derived or from the readable reference.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import _reference as ref
from smskit import MessageTooLongError, count_many, count_segments
from smskit.segments import _batch as batch
from smskit.segments._walk import CONJUNCT_EXTEND, JOIN_NEXT, JOIN_PREVIOUS

_UNSURE = JOIN_NEXT | CONJUNCT_EXTEND | batch._SURROGATES
_JOINS_PREVIOUS = JOIN_PREVIOUS | batch._SURROGATES  # once, not a union a unit (18 s)


def _separator(char: str, room: int = 0) -> bool:
    """A separator saying room for ``room`` units or more: U+E000 + room, up to 66."""
    return chr(0xE000 + room) <= char <= "\ue042"


# Each field of the screen's units (drifts up to 9) and what it must hold, written
# here from the screen's rule rather than from ``_units``.
_FIELDS: dict[str, Callable[[str], bool]] = {
    "calm": lambda char: char not in _UNSURE,
    "calm_nor_sep": lambda char: char not in _UNSURE and not _separator(char),
    "only_extender": lambda char: char in CONJUNCT_EXTEND and char not in JOIN_NEXT,
    "not_previous": lambda char: char not in _JOINS_PREVIOUS,
    "not_sep": lambda char: not _separator(char),
}


@pytest.mark.parametrize("field", [*_FIELDS, *(f"rooms[{drift}]" for drift in range(10))])
def test_every_class_of_the_unit_screen_reads_each_unit_as_its_set(field: str) -> None:
    units = batch._units(batch._TWO_CHARS, 9)
    holds: Callable[[str], bool]
    if field.startswith("rooms"):
        drift = int(field[6:-1])
        pattern, holds = units.rooms[drift], lambda char: _separator(char, drift)
    else:
        pattern, holds = getattr(units, field), _FIELDS[field]
    reading = re.compile("(?s)" + pattern)
    for code in range(0x10000):
        unit = chr(code >> 8) + chr(code & 0xFF)
        assert (reading.fullmatch(unit) is not None) == holds(chr(code)), hex(code)
    for code in range(0x100):  # never half a unit
        assert reading.match(chr(code)) is None, hex(code)


EMOJI = ["hi 😀 " * 30, "ok 👍🏽", "a" * 64 + "👍🏽" + "a" * 70]


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("a" * 39_016, 256),  # 153 septets a part: one septet over 255 parts
        ("Δ" * 39_016, 256),  # a GSM-7 capital beyond Latin-1, the same
        ("王" * 17_086, 256),  # 67 units a part: one unit over
        ("😀" * 8_543, 256),  # 17,086 units
    ],
)
@pytest.mark.parametrize("where", [0, 7, 300])
def test_a_text_past_255_parts_among_emoji_texts_names_its_text(
    text: str, segments: int, where: int
) -> None:
    texts = (EMOJI * 120)[:320]
    texts[where] = text
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.segments == segments


def test_a_text_within_the_unit_limit_that_a_split_pair_takes_past_it() -> None:
    # 17,085 units, 255 parts of 67 were the pair not over the first cut: it moves to
    # the second part (66 | 67 ...), which leaves 17,085 - 66 units for 254 parts
    # of 67 (17,018): one part more, 256.
    text = "a" * 66 + "😀" + "a" * (17_085 - 68)
    assert ref.ucs2_units(text) == 17_085
    assert ref.count(text) == 256
    texts = (EMOJI * 40)[:100]
    texts[41] = text
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == 41
    with pytest.raises(MessageTooLongError):
        count_segments(text)
    texts[41] = text[:-1]  # 17,084 units: 66 | 67 x 254 (17,018) fits
    assert ref.count(texts[41]) == 255
    assert count_many(texts) == [ref.count(each) for each in texts]
