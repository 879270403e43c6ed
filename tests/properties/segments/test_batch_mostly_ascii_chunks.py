"""Mostly ASCII lists against the reference: where ``chunk_counts`` sends the others.

A chunk where most texts are ASCII counts those in place and the others (found by
their indices, made once for a chunk of up to 1,024 texts, a range past that) apart,
their counts written back. These properties put a few distinct texts of every kind at
drawn places among ASCII ones, in lists of 1, 1,023, 1,024, 1,025 texts and more
(``chunk_counts`` itself past 1,024, where its indices are a range), and a lone
surrogate anywhere, whose error must name its index in the caller's list.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many
from smskit.segments._batch import chunk_counts

ASCII = ["", "ok", "Your code is 1234", "x" * 160, "y" * 161, "ref [42] at {x}", "a~b" * 60]
OTHERS = [
    "Olá João, see you",
    "€20 off",
    "€" * 81,
    "Здравствуйте, " + "a" * 70,
    "您好，" + "b" * 80,
    "Merhaba Ayşe, " + "c" * 60,
    "ok 😀 " * 20,
    "❤\ufe0f" + "d" * 69,
    "क्ष" * 30,
    "e\u0301" * 40,
]
SIZES = (1, 2, 255, 256, 257, 1023, 1024, 1025, 2049)


@cache
def _expected(text: str) -> int:
    return ref.count(text)


@st.composite
def mostly_ascii(draw: st.DrawFn) -> list[str]:
    """A list of a drawn size, ASCII texts taking turns, others put at drawn places."""
    size = draw(st.sampled_from(SIZES))
    start = draw(st.integers(0, len(ASCII) - 1))
    texts = [ASCII[(start + index) % len(ASCII)] for index in range(size)]
    places = draw(st.lists(st.integers(0, size - 1), max_size=min(size, 300)))
    for at in places:
        texts[at] = draw(st.sampled_from(OTHERS + ASCII))
    return texts


@given(mostly_ascii())
def test_mostly_ascii_lists_match_the_reference(texts: list[str]) -> None:
    assert count_many(texts) == [_expected(text) for text in texts]


@given(mostly_ascii())
def test_chunk_counts_of_any_length_are_exact_or_zero(texts: list[str]) -> None:
    # 0 sends a text the one-by-one way; any other count must be the reference's.
    counts = chunk_counts(texts)
    assert len(counts) == len(texts)
    for text, got in zip(texts, counts, strict=True):
        assert got in (0, _expected(text)), text


@given(st.sampled_from(SIZES), st.data())
def test_a_lone_surrogate_names_its_index(size: int, data: st.DataObject) -> None:
    texts = [ASCII[index % len(ASCII)] for index in range(size)]
    for at in data.draw(st.lists(st.integers(0, size - 1), max_size=20)):
        texts[at] = OTHERS[at % len(OTHERS)]
    bad = data.draw(st.integers(0, size - 1))
    texts[bad] = "ok \ud800 then"
    with pytest.raises(EncodingError) as caught:
        count_many(texts)
    assert caught.value.index == bad
