"""The astral slack bound attacked with the clusters that stretch its argument furthest.

``_batch._astral_counts`` counts a long UCS-2 text by its units, no cut checked, when
twice its characters that may join (BMP joiners by lead, CR, and every character
beyond the BMP once) fit in the room its last part has left. The argument: a cut
moves back at most to the start of the cluster it would split, and a cluster holds
at most one character that joins nothing more than those that may join. The texts
here hold what makes that tight or could break it: an astral prepend before an
ASCII letter before an astral modifier (five units, four of them that may join, a
cut moved back four), prepend chains, clusters longer than a part (a flag's tag
sequence, variation-selector runs: split between code points, a unit lost to a
surrogate pair each time), odd runs of regional indicators, Hangul L + LV + T, Indic
conjuncts beside an emoji, ZWJ chains of hearts, CR LF; each sits at and just
before the cuts of texts whose last part has 0-8 units of room. Every entry point is
held to the readable reference in ``tests/_reference.py``, alone and in chunks beside
texts of every other class (NUL, "|", the euro sign and other E2 characters).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import MessageTooLongError, count_many, count_segments, measure_many, segment
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from smskit.segments._cutting import JOINERS

FLAG = "\U0001f3f4"  # black flag: its tag sequence (U+E0020-E007F, astral Extend) joins it
TAG, CANCEL = "\U000e0067", "\U000e007f"
KAITHI_SIGN = "\U000110bd"  # Kaithi number sign: an astral prepend
MODIFIER = "\U0001f3fb"  # emoji modifier: astral Extend
VS17 = "\U000e0100"  # variation selector supplement: astral Extend
RI = "\U0001f1e6"  # regional indicator A


def pieces(tags: int, selectors: int) -> list[str]:
    return [
        KAITHI_SIGN + "a" + MODIFIER,  # 5 units, 4 that may join: the bound is tight
        KAITHI_SIGN * 3 + "a" + VS17,
        "\u0600" + KAITHI_SIGN + "a" + MODIFIER,
        FLAG + TAG * tags + CANCEL,  # over a part when tags > 31: split by code point
        "a" + VS17 * selectors,
        RI, RI * 3, RI * 5,
        "\u1100\uac00\u11a8", "\uac01\u11a8\u11a8",  # Hangul L LV T, LVT T T
        "क्ष😀", "ক্ষ", "क्\u200dष",  # conjuncts (GB9c), one beside an emoji
        "❤\u200d❤\u200d❤",  # hearts: twice the ZWJs
        "\r\n", "\r", "👍🏽", "\ufe0f", "😀",
        "\u0d4ea",  # a BMP prepend
    ]


FILLERS = ["a", "Ж", "中", "€", "é", "α", "|"]


@st.composite
def near_full(draw: st.DrawFn) -> str:
    """One-unit filler with a few pieces at or just before its cuts, the whole a few
    units short of whole parts of 67 (or exactly whole)."""
    parts = draw(st.integers(min_value=2, max_value=4))
    room = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8]))
    options = pieces(draw(st.integers(0, 45)), draw(st.integers(1, 40)))
    chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3))
    size = max(0, parts * 67 - room - sum(ref.ucs2_units(piece) for piece in chosen))
    text = [draw(st.sampled_from(FILLERS))] * size
    for piece in chosen:
        cut = 67 * draw(st.integers(min_value=1, max_value=parts - 1))
        at = min(len(text), max(0, cut + draw(st.integers(min_value=-6, max_value=1))))
        text[at:at] = [piece]
    return "".join(text)


def the_batch_bound_holds(text: str) -> bool:
    """The bound as ``_astral_counts`` applies it, on characters rather than leads (each
    lead stands for every character sharing it, so it counts at least these)."""
    units = ref.ucs2_units(text)
    may_join = sum(1 for char in text if char in JOINERS or char > "\uffff")
    return 2 * may_join <= -units % 67


def assert_entry_points_agree(text: str) -> None:
    expected = ref.split(text)
    gsm = ref.is_gsm(text)  # a filler and CR LF alone, say
    units = ref.gsm_septets if gsm else ref.ucs2_units
    assert count_segments(text) == len(expected), text
    message = segment(text)
    assert [part.text for part in message.segments] == expected, text
    assert [part.units for part in message.segments] == [units(part) for part in expected]
    assert measure_many([text]) == ([len(expected)], [units(text)], [not gsm])


@given(near_full())
@example("a" * 63 + KAITHI_SIGN + "a" + MODIFIER + "a" * 62)
@example("a" * 63 + KAITHI_SIGN + "a" + MODIFIER + "a" * 63)
@example("a" * 60 + FLAG + TAG * 40 + CANCEL + "a" * 40)
@example("Ж" * 65 + RI * 5 + "Ж" * 60)
def test_the_bound_as_applied_holds_for_the_reference(text: str) -> None:
    # Astral characters count once here, not as their two units: the claim the batch
    # relies on, held to the reference on the texts that make it tightest.
    if ref.ucs2_units(text) > 70 and not ref.is_gsm(text) and the_batch_bound_holds(text):
        assert ref.count(text) == -(-ref.ucs2_units(text) // 67), text
    assert_entry_points_agree(text)


# Neighbours of every class: a NUL (the join separator), "|" and the euro sign (its
# stand-in), other E2 characters, Latin-1 with CR LF, Greek, GSM-7 with escapes.
NEIGHBOURS = [
    "a\x00b", "|" * 90, "€" * 90, "€|" * 40 + "😀", "\u2764\u2028" * 40, "é\r\n" * 30,
    "α" * 75, "Σ€" * 50, "plain", "", "\ue000" * 70 + "😀",
]


@given(st.lists(st.one_of(near_full(), st.sampled_from(NEIGHBOURS)), min_size=1, max_size=4))
@example([NEIGHBOURS[0], "a" * 63 + KAITHI_SIGN + "a" + MODIFIER + "a" * 63])
@example(["€" * 63 + KAITHI_SIGN + "a" + MODIFIER + "€" * 63, "|" * 160])
def test_astral_chunks_count_each_text_as_the_reference(texts: list[str]) -> None:
    chunk = [*texts, "tail 😀"]  # a character beyond the BMP: the astral screen
    expected = ref.count_many(chunk)
    screened = batch._astral_counts(chunk, batch.SEP.join(chunk))
    for text, count, exact in zip(chunk, screened, expected, strict=True):
        assert count in (0, exact), text  # exact, or left to the slow path
    assert count_many(chunk) == expected
    assert measure_many(chunk)[0] == expected


@pytest.mark.parametrize("place", [0, 255, 256, _CHUNK - 1, _CHUNK])
def test_tight_texts_wherever_they_sit_in_a_batch(place: int) -> None:
    # Hand-derived: 130 units (room 4) with the five-unit cluster at units 63-67: the
    # first cut moves back four units, two parts; one unit more (room 3), three.
    tight = "a" * 63 + KAITHI_SIGN + "a" + MODIFIER + "a" * 62
    over = tight + "a"
    texts = ["hi 👍", "é\r\n" * 30, "\x00"] * ((place + 8) // 3)
    texts[place : place + 2] = [tight, over]
    expected = ref.count_many(texts)
    assert expected[place : place + 2] == [2, 3]
    assert count_many(texts) == expected


def test_a_tag_sequence_at_the_255_part_limit() -> None:
    # Hand-derived: 255 parts of 67 units, a flag whose tags make one cluster of 70
    # units (over a part: split between code points, not moved) across the first cut.
    # At unit 61 the cut falls between two tags: 255 parts. At unit 60 it would split
    # a tag's surrogate pair and moves back one unit: 256, past the limit.
    flag = FLAG + TAG * 33 + CANCEL
    fits = "a" * 61 + flag + "a" * (67 * 255 - 131)
    over = "a" * 60 + flag + "a" * (67 * 255 - 130)
    assert ref.count(fits) == 255
    assert ref.count(over) == 256
    assert count_many(["x😀", fits]) == [1, 255] == [1, count_segments(fits)]
    assert segment(fits).segment_count == 255
    for call in (count_segments, segment, lambda text: count_many(["x😀", text])):
        with pytest.raises(MessageTooLongError):
            call(over)
