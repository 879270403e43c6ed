"""Chunks beyond the BMP where every text is UCS-2 for sure, found without a split.

``_astral_counts`` learns that each text holds a UTF-8 lead no GSM-7 character has
from three finds over the leads left after deleting the GSM-7 ones (no NUL at either
end, no two side by side) and splits them only when some text may be GSM-7. These
properties put texts with no such lead (plain or extension GSM-7, Latin-1, Greek
capitals, the euro sign, empty) first, last, side by side and between UCS-2 texts with
emoji, flags, skin tones and ZWJ sequences at every cut, and hold every count to the
readable reference in ``tests/_reference.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many, count_segments
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

EMOJI = [
    "😀",
    "👍🏽",
    "🇫🇷",
    "👨\u200d👩\u200d👧",
    "👩🏾\u200d💻",
    "❤\ufe0f",
    "✅",
    "🏴\U000e0067\U000e0062\U000e007f",
]
# Texts with no lead beyond GSM-7's: each may be GSM-7 (or is UCS-2 only by CR LF).
MAYBE_GSM = ["", "a", "plain text " * 20, "{x} " * 50, "€5", "Olá João", "ΣΔ" * 90, "a\r\nb"]


@st.composite
def emoji_text(draw: st.DrawFn) -> str:
    """ASCII of a length near a cut (64-70, 131-134 characters) or not, with one to
    four emoji or clusters put anywhere in it: some fall across a cut."""
    length = draw(st.sampled_from([0, 10, 64, 65, 66, 67, 68, 69, 70, 131, 133, 134, 200]))
    text = list(draw(st.sampled_from(["a", "ab c", "x{"])) * length)[:length]
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text[at:at] = [draw(st.sampled_from(EMOJI))]
    return "".join(text)


@given(
    st.lists(emoji_text(), min_size=1, max_size=16),
    st.lists(st.tuples(st.integers(0, 16), st.sampled_from(MAYBE_GSM)), max_size=4),
)
@example(["😀" * 36, "a" * 69 + "👍🏽"], [(0, "")])
@example(["😀" * 36, "a" * 69 + "👍🏽"], [(2, "")])
@example(["😀" * 36, "a" * 69 + "👍🏽"], [(1, ""), (1, "")])
@example(["a" * 66 + "👨\u200d👩\u200d👧" + "b" * 70], [])
def test_every_text_ucs2_or_some_maybe_gsm(
    texts: list[str], inserts: list[tuple[int, str]]
) -> None:
    group = list(texts)
    for at, text in inserts:
        group.insert(min(at, len(group)), text)
    joined = batch.SEP.join(group)
    for text, count in zip(group, batch._astral_counts(group, joined), strict=True):
        assert count in (0, ref.count(text)), text  # exact, or left to the slow path
    assert count_many(group) == ref.count_many(group)


@given(st.lists(emoji_text(), min_size=1, max_size=8), st.integers(0, _CHUNK + 8))
def test_emoji_groups_across_chunk_and_group_boundaries(texts: list[str], fill: int) -> None:
    fillers = ["hi 😀 " * (fill % 20), "✅ done", "", "🇫🇷" * (fill % 40)]
    batch_ = [fillers[index % 4] for index in range(fill)] + texts + ["tail 👍🏽"] * 3
    assert count_many(batch_) == ref.count_many(batch_)


@pytest.mark.parametrize("at", [0, 1, 300])
def test_lone_surrogate_names_the_batch_index(at: int) -> None:
    texts = ["hi 😀 there"] * 301
    texts[at] = "bad \ud83d here 😀"
    with pytest.raises(EncodingError) as caught:
        count_many(texts)
    assert caught.value.index == at


@pytest.mark.parametrize("emoji", ["😀", "👨\u200d👩\u200d👧"])
def test_past_255_parts_raises_as_count_segments(emoji: str) -> None:
    too_long = "a" * (255 * 67) + emoji
    with pytest.raises(MessageTooLongError) as alone:
        count_segments(too_long)
    texts = ["ok 😀"] * 5 + [too_long]
    with pytest.raises(MessageTooLongError) as caught:
        count_many(texts)
    assert caught.value.index == 5
    assert caught.value.segments == alone.value.segments


FAMILY = "👨\u200d👩\u200d👧"  # 8 units, one cluster
FILLER = "b" * 70 + "😀" * 10 + "b" * 40
FILLER_PARTS = ref.count(FILLER)  # the reference's, once: the list is long


@settings(max_examples=40)
@given(st.lists(st.integers(0, _CHUNK + 300), min_size=1, max_size=12))
def test_long_texts_of_every_group_checked_once_for_the_chunk(places: list[int]) -> None:
    # The long texts the slack bound leaves in each group of 256 are screened at their
    # cuts together: each must come back to its own place. A family straddling the
    # first cut of a 134-unit text moves it back: 3 parts, not the units' 2; the
    # fillers are long and flagged too, but their cuts fall between plain letters.
    moved = "a" * 66 + FAMILY + "a" * 60
    texts = [FILLER] * (_CHUNK + 301)
    for at in places:
        texts[at] = moved
    assert ref.count(moved) == 3
    expected = [3 if text is moved else FILLER_PARTS for text in texts]
    assert count_many(texts) == expected


@pytest.mark.parametrize(
    "texts",
    [
        ["a\x00b 😀", "hi 👍🏽"],  # a NUL inside a text beyond the BMP
        ["a\x00b", "hi 👍🏽"],
        ["Ж\x00Ж", "Иван 😀"],
        ["Ж\x00Ж", "Иван"],  # none beyond the BMP: the NULs' count tells
        ["😀\x00", "\x00😀", "\x00"],
    ],
)
def test_nul_inside_a_text_goes_the_slow_way(texts: list[str]) -> None:
    joined = batch.SEP.join(texts)
    for text, count in zip(texts, batch._astral_counts(texts, joined), strict=True):
        assert count in (0, ref.count(text)), text
    assert count_many(texts) == ref.count_many(texts)
