"""The slack bound by a table of half rooms, and chunks routed by a sample of their
texts (perf21e), held to the readable reference.

``_batch._astral_counts`` leaves a long UCS-2 text beyond the BMP to the cut screen
when its characters that may join outnumber half the room its last part has left
(``_HALF_ROOMS``, by units), over every text at once where all are UCS-2 for sure,
else over those the GSM-7 test left. ``chunk_counts`` screens a chunk whole, with no
ASCII test of each text, when none of every 17th text is ASCII: the ASCII texts
between them are then screened with the wide ones. Texts here put ZWJ sequences,
flags and skin tones over the cuts, GSM-7 and ASCII texts between them (at and off
the sampled places), texts past the UCS-2 table and past 255 parts, and lone
surrogates mid-batch.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

FAMILY = "👨\u200d👩\u200d👧"  # 8 units, two ZWJ
CLUSTERS = [
    "😀",
    "👍🏽",  # a skin tone
    "🇫🇷",
    "🇫🇷🇩🇪",
    FAMILY,
    "👩🏾\u200d💻",
    "❤\ufe0f",
    "1\ufe0f\u20e3",
    "\u200d",
    "e\u0301",
]
OTHERS = ["", "ok", "Olá €5", "Ж", "ΣΔ {x}", "a" * 200, "é" * 161, "x\r\ny"]


@st.composite
def emoji_over_cuts(draw: st.DrawFn) -> str:
    """ASCII of 0-300 units with a run of clusters (1-3) at or just before each cut,
    half the time lengthened to leave its last part 0-4 units of room (a tight bound)."""
    chars = list("a" * draw(st.integers(0, 300)))
    for cut in range(67, len(chars), 67):
        run = draw(st.lists(st.sampled_from(CLUSTERS), min_size=1, max_size=3))
        at = max(0, cut + draw(st.integers(-9, 1)))
        chars[at : at + 1] = run
    text = "".join(chars) or draw(st.sampled_from(CLUSTERS))
    if draw(st.booleans()):  # ASCII to a room of 0-4 units
        text += "a" * ((-ref.ucs2_units(text) - draw(st.integers(0, 4))) % 67)
    return text


texts_of_a_group = st.lists(emoji_over_cuts() | st.sampled_from(OTHERS), max_size=40)


def test_the_half_rooms_say_what_the_bound_says() -> None:
    # The bound written out: a text over 70 units with twice as many characters that
    # may join as the room its last part has left (67 a part) may move a cut.
    for units in range(batch._LIMIT_UNITS + 1):
        room = (67 - units % 67) % 67
        for joiners in range(min(units, 70) + 1):
            moves = units > 70 and 2 * joiners > room
            assert (joiners > batch._HALF_ROOMS[units]) == moves, (units, joiners)


@given(texts_of_a_group)
@example(["a" * 60 + FAMILY + "a" * 66])  # 134 units, room 0: the cut moves, 3 parts
@example(["a" * 66 + "😀" + "a" * 66])  # room 0, one character beyond the BMP: 3 parts
@example(["a" * 65 + "👍🏽" + "a" * 65, "hi 😀"])  # room 0, two: 3 parts
@example(["a" * 66 + "😀" + "a" * 66, "ok é"])  # the same beside a GSM-7 text
@example(["Olá", "a" * 65 + "👍🏽" + "a" * 64 + "é"])  # beside a Latin-1 UCS-2 text
@example(["a" * 66 + "😀" + "a" * 65 + "😀" + "a" * 66])  # room 0 after two cuts: 4 parts
@example(["a" * 60 + FAMILY + "a" * 66, "Olá €5"])  # the same beside a GSM-7 text
@example(["a" * 66 + "🇫🇷" + "a" * 62, "ok", "a" * 65 + "👍🏽" + "a" * 64])
def test_a_group_counts_as_the_reference(texts: list[str]) -> None:
    # Every text UCS-2 for sure (the zip over all), or GSM-7 ones among them (the bound
    # over the indices left): the screen's count is exact or 0, never wrong.
    joined = batch.SEP.join(texts)
    for text, got in zip(texts, batch._astral_counts(texts, joined), strict=True):
        assert got in (0, ref.count(text)), text
    assert count_many(texts) == ref.count_many(texts)


@pytest.mark.parametrize("gsm", ["a" * 20_000, "a{" * 9_000, "é" * 17_086])
def test_a_gsm7_text_past_the_ucs2_table_beside_cuts_to_check(gsm: str) -> None:
    # Past the table, the bound's look-ups reach past it too: the texts that move a cut
    # are still walked. Hand-derived: 153 septets a part; "{" costs two.
    moving = "a" * 60 + FAMILY + "a" * 66  # 134 units, its cut moves: 60 | 67 | 7
    texts = [moving, gsm, "hi 👍🏽", moving]
    want = {"a" * 20_000: 131, "a{" * 9_000: 177, "é" * 17_086: 112}[gsm]
    assert ref.count(moving) == 3
    assert batch._astral_counts(texts, batch.SEP.join(texts)) == [3, want, 1, 3]
    assert count_many(texts * 300) == [3, want, 1, 3] * 300


def test_a_ucs2_text_past_255_parts_beside_cuts_to_check() -> None:
    moving = "a" * 60 + FAMILY + "a" * 66
    texts = [moving, "a" * 17_084 + "😀", moving]  # 17,086 units: 256 parts
    counts = batch._astral_counts(texts, batch.SEP.join(texts))
    assert counts[0] == counts[2] == 3
    assert counts[1] == 0  # left to the slow path, which raises naming it
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts[:1] * 40 + texts[1:2] + texts[:1] * 40)
    assert info.value.index == 40


def _sampled_away(texts: list[str], wide: str) -> list[str]:
    """``texts`` with ``wide`` at every 17th place of each chunk: the sample sees no
    ASCII text."""
    return [
        wide if index % _CHUNK % batch._SAMPLE == 0 else text for index, text in enumerate(texts)
    ]


@given(
    st.lists(emoji_over_cuts() | st.sampled_from(OTHERS), min_size=1, max_size=20),
    st.sampled_from(CLUSTERS),
    st.integers(1, 2 * _CHUNK + 40),
)
def test_a_chunk_routed_by_its_sample_counts_as_the_reference(
    texts: list[str], wide: str, size: int
) -> None:
    # Mostly ASCII between the sampled places (the ASCII test of each text skipped).
    many = _sampled_away(
        [(texts + ["plain ascii"] * 3)[i % (len(texts) + 3)] for i in range(size)], wide
    )
    expected = {text: ref.count(text) for text in set(many)}
    assert count_many(many) == [expected[text] for text in many]
    chunk = many[:_CHUNK]
    for text, got in zip(chunk, batch.chunk_counts(chunk), strict=True):
        assert got in (0, expected[text]), text


@pytest.mark.parametrize("where", [1, 15, 17, _CHUNK + 1, _CHUNK + 31])
def test_a_lone_surrogate_off_the_sample_names_its_text(where: int) -> None:
    texts = _sampled_away(["plain ascii text"] * (_CHUNK + 40), "a" * 66 + "👍🏽" + "a" * 64)
    texts[where] = "ok " + "\udc00" + " ok"
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.char == "\udc00"


@pytest.mark.parametrize("where", [3, _CHUNK + 5])
def test_an_ascii_text_past_255_parts_off_the_sample_names_its_text(where: int) -> None:
    texts = _sampled_away(["plain ascii text"] * (_CHUNK + 40), FAMILY)
    texts[where] = "a" * (153 * 255 + 1)  # 256 parts of GSM-7
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == where
