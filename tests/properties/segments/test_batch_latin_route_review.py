"""Adversarial review of ``wide_counts``' route to ``_named_counts`` (once
``_astral_counts``) for mostly Latin-1 groups with a GSM-7 text, and of
``_astral_counts``' "lengths are units when
no lead byte F0-F4" step. Every group drawn here is asserted to take the route (a spy
on ``_named_counts``), then held to the readable reference.

The texts are ASCII filler of lengths at and around the part bounds (70/71, 67 x k,
134/135, 160/161, 153 x k), with rare pieces placed at and around the cuts: marks,
ZWJ, Indic conjuncts, Hangul jamo and syllables, flags and emoji (beyond the BMP,
drawn only where ``wide_counts`` is called directly: ``screen`` routes those apart),
CR LF, NUL, U+E000, U+E0xx, U+0001, escapes and the euro sign, Greek, CJK, Cyrillic.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from batch_checks import assert_count_many, assert_screened
from smskit import EncodingError, MessageTooLongError, count_many, count_segments
from smskit.segments import _batch as batch

BMP_RARE = [
    "\u0301", "\u200d", "e\u0301", "क्ष", "क्", "\u093f", "\u1100\u1161\u11a8", "한", "\u11a8",
    "\r\n", "\r", "\n", "\ue000", "\ue005", "\ue042", "\x01", "€", "{", "}", "\x0c", "ΣΩ",
    "αβ", "ğ", "Иван", "王芳", "é", "`", "\u0e33", "\u0600", "\u034f", "\ufe0f", "\x00",
]  # fmt: skip
ASTRAL_RARE = ["🇫🇷", "👨\u200d👩", "\U0001f600", "\U0001f3fb", "\U00011000", "🇫"]
LENGTHS = st.one_of(
    st.sampled_from([0, 1, 66, 67, 68, 69, 70, 71, 133, 134, 135, 152, 153, 160, 161, 201, 268]),
    st.integers(0, 420),
)


@st.composite
def text(draw: st.DrawFn, rare: list[str]) -> str:
    """ASCII filler of a length near a part bound, with rare pieces at or near cuts."""
    length = draw(LENGTHS)
    body = "".join(draw(st.lists(st.sampled_from("ab x.,{"), min_size=1, max_size=4)))
    out = (body * (length // len(body) + 1))[:length]
    for _ in range(draw(st.integers(0, 3))):
        at = min(len(out), 67 * draw(st.integers(0, 5)) + draw(st.integers(-3, 2)))
        out = out[: max(at, 0)] + draw(st.sampled_from(rare)) + out[max(at, 0) :]
    if draw(st.booleans()):  # trim or pad back to the exact length drawn
        out = (out + "y" * length)[:length]
    return out


GSM_TEXT = st.text(st.sampled_from("ab{}€ΣΩé\x0c[]^~|"), max_size=400)


@st.composite
def routed_group(draw: st.DrawFn, rare: list[str]) -> list[str]:
    texts = draw(st.lists(text(rare), min_size=1, max_size=12))
    texts.insert(draw(st.integers(0, len(texts))), draw(GSM_TEXT))  # a GSM-7 text
    return texts


def _joined(texts: list[str]) -> str:
    return batch.SEP.join(texts).replace("€", "|")  # what ``screen`` hands ``wide_counts``


def _routed(texts: list[str], drawn: bool = True) -> list[int]:
    """``wide_counts``' counts, asserting the group took the route (``_named_counts``,
    which hands Greek and texts beyond the BMP on to ``_astral_counts``)."""
    joined = _joined(texts)
    if drawn:
        assume(batch._mostly_latin1(joined))
    calls: list[int] = []
    original = batch._named_counts

    def spy(*args: object) -> list[int]:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    batch._named_counts = spy  # type: ignore[assignment]
    try:
        counts = batch.wide_counts(texts, joined)
    finally:
        batch._named_counts = original  # type: ignore[assignment]
    assert calls, "the group did not take the Latin-1 route"
    return counts


@given(routed_group(BMP_RARE))
@example(["a" * 69 + "\u0301" + "b" * 70, "ab"])
@example(["x" * 66 + "\r\n" + "y" * 70, ""])
@example(["Ayşe " + "\ue000" * 70, "{}" * 40])
@example([*["a" + "王" * 62] * 20, "ok", "a" + "王" * 126])  # the sample sees "a"
def test_bmp_groups_on_the_route_count_as_the_reference(
    texts: list[str],
) -> None:
    assert_screened(texts, _routed(texts))


@given(routed_group(BMP_RARE + ASTRAL_RARE))
@example(["a" * 66 + "🇫🇷" + "b" * 70, "ab"])
@example(["a" * 66 + "\U0001f600" + "b" * 3, "ab"])  # 71 units, 70 characters
def test_groups_beyond_the_bmp_on_the_route_count_as_the_reference(
    texts: list[str],
) -> None:
    # ``screen`` sends such groups to ``_astral_counts`` itself on CPython; the route
    # must still count them exactly where it gets them (the BMP test is the lead bytes).
    assert_screened(texts, _routed(texts))


@given(routed_group(BMP_RARE))
def test_count_many_on_routed_groups(texts: list[str]) -> None:
    # Beyond Latin-1, long enough to be two bytes a char.
    assert_count_many([*texts, "Ayşe " + "x" * 60])


def test_the_part_limit_on_the_route() -> None:
    # 255 x 67 units: 255 parts; one more unit: 256, past the limit.
    at_limit = "Ayşe " + "x" * (255 * 67 - 5)
    texts = [at_limit, "ok", at_limit + "x"]
    with pytest.raises(IndexError):  # the caller counts the batch one by one
        _routed(texts, drawn=False)
    assert _routed(texts[:2], drawn=False) == [255, 1]
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == 2
    with pytest.raises(MessageTooLongError) as single:
        count_segments(texts[2])
    assert info.value.segments == single.value.segments


def test_a_cut_moved_past_the_part_limit_on_the_route() -> None:
    # 255 x 67 units, but the first cut falls between "e" and its mark: the cluster
    # moves to the second part and the text needs 256 parts (past the limit).
    moved = "Ayşe " + "x" * 61 + "e\u0301" + "x" * (254 * 67 - 1)
    assert len(moved) == 255 * 67
    texts = ["ok", moved, "Ayşe"]
    assert _routed(texts, drawn=False)[1] == 0  # left to ``count_segments``
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    with pytest.raises(MessageTooLongError) as single:
        count_segments(moved)
    assert (info.value.index, info.value.segments) == (1, single.value.segments)


@given(routed_group(BMP_RARE), st.data())
def test_a_lone_surrogate_in_a_routed_group_names_its_text(
    texts: list[str], data: st.DataObject
) -> None:
    where = data.draw(st.integers(0, len(texts) - 1))
    at = data.draw(st.integers(0, len(texts[where])))
    lone = data.draw(st.sampled_from(["\ud800", "\udfff", "\udc00"]))
    texts[where] = texts[where][:at] + lone + texts[where][at:]
    texts.append("Ayşe " + "x" * 60)
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert (info.value.index, info.value.char) == (where, lone)


@given(
    routed_group(BMP_RARE),
    st.sampled_from([0, 250, 255, 256, 500, 512, 1000, 1020, 1023, 1024, 1100]),
)
def test_routed_groups_across_group_and_chunk_bounds(texts: list[str], fill: int) -> None:
    # Fillers beyond Latin-1 (non-ASCII, so the chunk is screened in groups of 256)
    # move the drawn texts onto the bounds of the groups and of the 1,024-text chunks.
    assert_count_many(["Merhaba Ayşe, ok"] * fill + texts + ["ok €5", ""])


@given(st.lists(text(BMP_RARE), min_size=1, max_size=12), st.data())
def test_mostly_latin1_groups_without_a_gsm_text_skip_the_gsm_step(
    texts: list[str], data: st.DataObject
) -> None:
    # ``wide_counts`` skips its GSM-7 step when the sample said "Latin-1" and the search
    # found no GSM-7 text: each text here holds "ğ" (not GSM-7) somewhere.
    for index, one in enumerate(texts):
        at = data.draw(st.integers(0, len(one)))
        # (no NUL: the search reads one as a text's end, and may find a GSM-7 "text")
        texts[index] = (one[:at] + "ğ" + one[at:]).replace("\x00", "")
    joined = _joined(texts)
    assume(batch._mostly_latin1(joined))
    original = batch._named_counts
    batch._named_counts = None  # type: ignore[assignment]  # must not be called
    try:
        counts = batch.wide_counts(texts, joined)
    finally:
        batch._named_counts = original  # type: ignore[assignment]
    assert_screened(texts, counts)
