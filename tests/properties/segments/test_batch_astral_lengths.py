"""Emoji texts counted by their lengths (perf28e), held to the readable reference.

``_batch._by_lengths`` counts a group of texts that each hold a character that may
move a cut (a UTF-8 lead beyond the BMP or of a BMP joiner, no CR) by their lengths
where a text has no more such leads than ``_LENGTH_SLACK`` allows, and reads only
the others for their units. Texts here sit at and just past the part ends (70, 134,
201 units) by their lengths or by their units, with clusters over the cuts and rooms
of 0-4 units, beside texts that send the group the old way (GSM-7, CR, a NUL, one
text alone, past 255 parts).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import MessageTooLongError, count_many
from smskit.segments import _batch as batch
from smskit.segments.encoding import BASIC_CODES, EXTENSION_CODES

FAMILY = "👨\u200d👩\u200d👧"  # 8 units, 5 leads that may move a cut
TAGS = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # 14 units, leads F3
CLUSTERS = ["😀", "👍🏽", "🇫🇷", FAMILY, "❤\ufe0f", "✅", "1\ufe0f\u20e3", "e\u0301", TAGS]


def _parts(units: int) -> int:
    """UCS-2 parts by units, written out: 70 in one, else 67 a part."""
    return 1 if units <= 70 else -(-units // 67)


def test_the_slack_by_length_keeps_the_parts_and_the_bound() -> None:
    # A text of ``length`` characters with ``leads`` such leads, ``astral`` of them beyond
    # the BMP (each one unit more): within the slack, every such text has its length's
    # parts and, over one part, twice its leads within the room its units leave.
    lengths = [*range(700), *range(batch._LIMIT_UNITS - 140, batch._LIMIT_UNITS + 1)]
    for length in lengths:
        slack = batch._LENGTH_SLACK[length]
        assert slack >= 0
        for leads in range(slack + 1):
            for astral in range(leads + 1):
                units = length + astral
                assert _parts(units) == _parts(length), (length, leads, astral)
                room = _parts(units) * 67 - units
                assert units <= 70 or 2 * leads <= room, (length, leads, astral)


@pytest.mark.parametrize(
    ("texts", "want"),
    [
        # Hand-derived: 70 units in one part, then 67 a part, a cut moved back to the
        # start of the cluster it would split (a surrogate pair is one).
        (["a" * 68 + "😀", "ok 😀"], [1, 1]),  # 70 units
        (["a" * 69 + "😀", "ok 😀"], [2, 1]),  # 70 characters, 71 units
        (["a" * 132 + "😀", "ok 😀"], [2, 1]),  # 134 units, the pair in the second part
        (["a" * 100 + "😀", "ok ✅"], [2, 1]),  # 102 units, room to spare: by length
        (["a" * 66 + "😀" + "a" * 66, "ok 😀"], [3, 1]),  # 134 units, the pair over the cut
        (["a" * 60 + FAMILY + "a" * 66, "ok ✅"], [3, 1]),  # 134 units, the family moves
        (["a" * 60 + FAMILY + "a" * 65, "ok ✅"], [3, 1]),  # 133 units, 73 after the move
        (["a" * 60 + FAMILY + "a" * 58, "ok ✅"], [2, 1]),  # 126 units, 66 after the move
        # 132 units, 130 characters: the flag over the first cut moves it back 3 units,
        # past the room of 2 the units leave (the bound read at the units, not the length).
        (["a" * 64 + "🇫🇷" + "a" * 64, "ok ✅"], [3, 1]),
    ],
)
def test_texts_at_the_part_ends(texts: list[str], want: list[int]) -> None:
    assert [ref.count(text) for text in texts] == want
    assert batch._by_lengths(texts, _leads(texts)) is not None
    assert batch._astral_counts(texts, batch.SEP.join(texts)) == want
    assert count_many(texts * 300) == want * 300


def _leads(texts: list[str]) -> bytes:
    """The leads ``_astral_counts`` hands ``_by_lengths`` (the euro sign as "|")."""
    joined = batch.SEP.join(texts).replace("€", "|")
    return joined.encode().translate(None, batch._NOT_LEAD_OR_CR)


def test_no_gsm7_character_has_a_lead_that_may_move_a_cut_but_cr() -> None:
    # Why a text with one of those leads is UCS-2: none of a GSM-7 character's leads is
    # one of them, but CR's (the euro sign is "|" by then).
    leads = set(batch._NOT_JOINING_OR_ASTRAL_LEAD)
    for char in set(BASIC_CODES) | set(EXTENSION_CODES):
        if char in "\r€":
            continue
        assert char.encode()[0] in leads, char


@st.composite
def emoji_near_ends(draw: st.DrawFn) -> str:
    """ASCII of 0-280 characters with 1-4 clusters anywhere, often near a cut, half the
    time lengthened to end 0-4 characters or units short of a part's end."""
    chars = list("a" * draw(st.integers(0, 280)))
    for _ in range(draw(st.integers(1, 4))):
        near = draw(st.sampled_from([67, 134, 201, 70, len(chars)]))
        at = min(len(chars), max(0, near + draw(st.integers(-9, 2))))
        chars[at:at] = [draw(st.sampled_from(CLUSTERS))]
    text = "".join(chars)
    if draw(st.booleans()):
        size = len(text) if draw(st.booleans()) else ref.ucs2_units(text)
        end = 70 if size <= 70 else -(-size // 67) * 67
        text += "a" * max(0, end - size - draw(st.integers(0, 4)))
    return text


@given(texts_near_ends := st.lists(emoji_near_ends(), min_size=2, max_size=30))
@example(["a" * 69 + "😀", "a" * 133 + "✅", "a" * 200 + FAMILY])
@example(["❤\ufe0f" * 30, "a" * 64 + "🇫🇷🇫🇷" + "a" * 66])
def test_emoji_groups_count_as_the_reference(texts: list[str]) -> None:
    assert batch._by_lengths(texts, _leads(texts)) is not None
    want = [ref.count(text) for text in texts]
    assert batch._astral_counts(texts, batch.SEP.join(texts)) == want
    # Screened later with other groups' (``screen``'s ``later``), as a chunk does.
    later: list[tuple[int, int]] = []
    counts = [1, 1, *batch._astral_counts(texts, batch.SEP.join(texts), later, 2)]
    if later:
        batch._check_cuts(["ok", "ok", *texts], later, counts)
    assert counts[2:] == want
    assert count_many(texts) == want


@pytest.mark.parametrize("other", ["ok", "Olá €5", "x\r\ny 😀", "line\r\n" * 20])
@given(texts=texts_near_ends)
def test_a_text_that_may_be_gsm7_or_holds_cr_takes_the_old_way(
    texts: list[str], other: str
) -> None:
    group = [*texts, other]
    assert batch._by_lengths(group, _leads(group)) is None
    want = [ref.count(text) for text in group]
    assert batch._astral_counts(group, batch.SEP.join(group)) == want
    assert count_many(group) == want


def test_a_nul_inside_a_text_or_one_text_alone_takes_the_old_way() -> None:
    group = ["a" * 100 + "😀", "a\x00b 😀"]
    assert batch._by_lengths(group, _leads(group)) is None
    assert batch._astral_counts(group, batch.SEP.join(group)) == [0, 0]  # one by one
    assert count_many(group) == [2, 1]
    between = ["😀\x00😀", "ok 😀"]  # the NUL between two leads: one piece too many
    assert batch._by_lengths(between, _leads(between)) is None
    assert count_many(between) == [1, 1]
    alone = ["a" * 100 + "😀"]
    assert batch._by_lengths(alone, _leads(alone)) is None
    assert batch._astral_counts(alone, batch.SEP.join(alone)) == [2]


def test_a_text_past_the_limit_by_its_units_takes_the_old_way() -> None:
    # 8,543 characters, 17,086 units: one past 255 parts of 67, by its units only.
    group = ["ok 😀", "😀" * 8543]
    assert batch._by_lengths(group, _leads(group)) is None
    with pytest.raises(MessageTooLongError) as caught:
        count_many(group)
    assert caught.value.index == 1
