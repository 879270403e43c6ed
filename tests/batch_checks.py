"""Checks shared by the batch counter's property tests: ``count_many`` and the screens
held to the readable reference (``tests/_reference.py``), never to the code under test."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import note
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many, count_segments

# Septet and unit bounds: single parts (160 / 70), the concatenated parts (153 / 67).
BOUNDS = (0, 1, 66, 67, 68, 69, 70, 71, 133, 134, 135, 152, 153, 154, 159, 160, 161, 305, 306)
LONE_SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")


@st.composite
def words_near_bounds(draw: st.DrawFn, pieces: list[str], longest: int) -> str:
    """ASCII words of a length at or near a bound (or up to ``longest``), with up to
    three ``pieces`` put at or near a bound."""
    length = draw(st.one_of(st.sampled_from(BOUNDS), st.integers(0, longest)))
    out = ("ok see you at 5 " * (length // 16 + 1))[:length]
    for _ in range(draw(st.integers(0, 3))):
        bound = draw(st.sampled_from(BOUNDS))
        at = min(len(out), max(0, bound + draw(st.integers(-2, 2))))
        out = out[:at] + draw(st.sampled_from(pieces)) + out[at:]
    return out


@cache
def expected(one: str) -> int:
    """The reference's count (``count_segments`` must agree), -1 past 255 parts."""
    try:
        alone = count_segments(one)
    except MessageTooLongError:
        return -1
    assert alone == ref.count(one), one
    return alone


def assert_count_many(texts: list[str]) -> None:
    """``count_many`` gives the reference's counts, or raises naming the first text
    past 255 parts."""
    want = [expected(one) for one in texts]
    if -1 in want:
        with pytest.raises(MessageTooLongError) as info:
            count_many(texts)
        assert info.value.index == want.index(-1)
    else:
        assert count_many(texts) == want


def assert_screened(texts: list[str], counts: list[int]) -> None:
    """A screen's counts: 0 sends a text the one-by-one way; any other is exact, and a
    text past 255 parts must be left (0)."""
    for index, (one, count) in enumerate(zip(texts, counts, strict=True)):
        want = ref.count(one)
        note(f"text {index}: {len(one)} chars, {count} vs {want}")
        assert count in (0, want) if want <= 255 else count == 0, index


def assert_lone_surrogate_named(texts: list[str], data: st.DataObject) -> None:
    """A lone surrogate put anywhere in ``texts`` raises ``EncodingError`` naming its
    text and the character (unless an earlier text is past 255 parts: that raises
    first)."""
    texts = list(texts)
    where = data.draw(st.integers(0, len(texts) - 1))
    at = data.draw(st.integers(0, len(texts[where])))
    lone = data.draw(st.sampled_from(LONE_SURROGATES))
    texts[where] = texts[where][:at] + lone + texts[where][at:]
    if any(expected(one) == -1 for one in texts[:where]):
        return
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert (info.value.index, info.value.char) == (where, lone)
