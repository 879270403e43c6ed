"""Whole lists against the reference: where chunk-level results go back to their texts.

``count_many`` screens a chunk (``_CHUNK`` texts) 256 at a time (``_batch._GROUP``); the
long texts beyond the BMP that the slack bound leaves in any group are screened at
their cuts once for the chunk (``_screen_groups``), a chunk of one group checks its
own, a group where every text holds a lead no GSM-7 character has is told so by three
finds, and a NUL inside a text is caught from the astral leads' split. These
properties build whole lists, not single texts: a few distinct texts (counted once by
the reference and by ``count_segments``) placed across group and chunk boundaries,
with texts that are almost all non-GSM (one GSM-7, one empty, one whose only
character beyond ASCII is the euro sign or an extension character, Latin-1 outside
GSM-7), NULs at either end and beside emoji, texts of astral characters only and
clusters straddling the cuts at 67 units; an error names the first bad text's index
and, past 255 parts, the number ``count_segments`` gives.
"""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, MessageTooLongError, count_many, count_segments
from smskit.segments._batch import _GROUP
from smskit.segments._batch import CHUNK as _CHUNK

# Clusters of several code points, some beyond the BMP, some of one unit.
CLUSTERS = [
    "😀",
    "👍🏽",
    "🇫🇷",
    "👨\u200d👩\u200d👧",
    "👩🏾\u200d💻",
    "❤\ufe0f",
    "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
    "\U0001f1eb",  # a lone regional indicator
    "\u200d",
    "क्ष",
    "e\u0301",
    "\r\n",
]
# Texts no GSM-7 lead byte tells from GSM-7: each may be GSM-7.
ALMOST = [
    "",
    "a",
    "€",
    "€" * 81,
    "{",
    "x{" * 60,
    "\u00a0",  # Latin-1, not GSM-7
    "¢ 5",
    "Olá" * 30,
    "ΣΔ" * 40,
    "α",  # a Greek small letter: the Greek capitals' lead, not GSM-7
    "a\r\nb" * 30,
    "\x0c",
]
NULS = ["\x00", "\x00😀", "😀\x00", "a\x00b", "😀\x00😀", "\x00" + "😀" * 40, "Ж\x00"]
LIMITS = (0, 1, 2, 3, 60, 64, 65, 66, 67, 68, 69, 70, 71, 130, 131, 133, 134, 135, 200, 201)


@st.composite
def astral_text(draw: st.DrawFn) -> str:
    """A filler of some units (near a cut or not) with clusters put anywhere in it."""
    filler = draw(st.sampled_from(["a", "ab c", "Ж", "中", "x{", "😀", "\U00020000"]))
    length = draw(st.sampled_from(LIMITS))
    text = list(filler * length)[:length]
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, len(text)))
        text[at:at] = [draw(st.sampled_from(CLUSTERS))]
    return "".join(text)


@st.composite
def straddling(draw: st.DrawFn) -> str:
    """A cluster across the cut at 67 (or 134) units, after ASCII or after emoji."""
    cluster = draw(st.sampled_from(CLUSTERS))
    before = draw(st.sampled_from(["a", "😀"]))
    units = draw(st.sampled_from([67, 134])) - draw(st.integers(0, 8))
    head = "a" * units if before == "a" else before * (units // 2) + "a" * (units % 2)
    tail = draw(st.sampled_from(["a" * 70, "😀" * 40, "", "b" * 3]))
    return head + cluster + tail


TEXTS = st.one_of(
    astral_text(),
    straddling(),
    st.sampled_from(ALMOST),
    st.sampled_from(NULS),
    st.sampled_from(["😀" * n for n in (1, 35, 36, 67, 68)] + ["\U00020000" * 36]),
)
SIZES = st.sampled_from(
    [1, 2, 3, 255, 256, 257, 511, 512, 513, 767, 768, 769, 1023, _CHUNK, _CHUNK + 1, 1281]
)


@cache
def _expected(text: str) -> int:
    alone = count_segments(text)
    assert alone == ref.count(text), text  # the single-text path holds too
    return alone


@st.composite
def whole_list(draw: st.DrawFn) -> list[str]:
    """A list of a boundary size: a background text, then a few distinct texts placed
    at drawn positions (near the group and chunk boundaries, or anywhere)."""
    size = draw(SIZES)
    texts = [draw(TEXTS)] * size
    places = st.one_of(
        st.integers(0, size - 1),
        st.sampled_from(
            [at for at in (0, 1, _GROUP - 1, _GROUP, _GROUP + 1, _CHUNK - 1, _CHUNK) if at < size]
            + [size - 1]
        ),
    )
    for _ in range(draw(st.integers(0, 8))):
        texts[draw(places)] = draw(TEXTS)
    return texts


@given(whole_list())
@example(["😀" * 36] * 255 + ["a" * 66 + "👨\u200d👩\u200d👧" + "a"])
@example(["😀" * 36] * 256 + ["a" * 66 + "👨\u200d👩\u200d👧" + "a"])
@example(["😀" * 36] * 257 + ["", "a" * 66 + "👨\u200d👩\u200d👧" + "a"])
@example(["é"] * 600 + ["a" * 66 + "🇫🇷" + "a"] + [""] * 400 + ["a" * 66 + "🇫🇷" + "a"])
def test_whole_lists_count_as_the_reference(texts: list[str]) -> None:
    counts = count_many(texts)
    assert len(counts) == len(texts)
    for index, (text, count) in enumerate(zip(texts, counts, strict=True)):
        assert count == _expected(text), (index, text)


def _bad(kind: int) -> str:
    return ["bad \ud83d here 😀", "a" * (255 * 67) + "😀", "😀" * (255 * 67 // 2 + 1)][kind]


@given(whole_list(), st.lists(st.tuples(st.integers(0, 1300), st.integers(0, 2)), max_size=2))
@example(["😀" * 36] * 257, [(256, 0)])
@example(["😀" * 36] * 513, [(512, 1), (300, 2)])
def test_first_bad_text_is_named(texts: list[str], bad: list[tuple[int, int]]) -> None:
    for at, kind in bad:
        texts[min(at, len(texts) - 1)] = _bad(kind)
    first = next((index for index, text in enumerate(texts) if text in map(_bad, range(3))), None)
    if first is None:
        assert count_many(texts) == list(map(_expected, texts))
        return
    with pytest.raises((EncodingError, MessageTooLongError)) as alone:
        count_segments(texts[first])
    with pytest.raises(type(alone.value)) as caught:
        count_many(texts)
    assert caught.value.index == first
    if isinstance(alone.value, MessageTooLongError):
        assert isinstance(caught.value, MessageTooLongError)
        assert caught.value.segments == alone.value.segments


@given(
    st.lists(TEXTS, min_size=1, max_size=10),
    st.lists(st.integers(0, 9), min_size=1, max_size=_CHUNK + 40),
)
@example(["😀" * 36, "a" * 66 + "🇫🇷" + "a" * 3, ""], [0, 2] * 130 + [1])
def test_mixed_groups_count_as_the_reference(palette: list[str], picks: list[int]) -> None:
    # Each text drawn from a few, so that every group mixes kinds (long emoji texts,
    # almost non-GSM ones, NULs) and the chunk's long texts come from many groups.
    texts = [palette[pick % len(palette)] for pick in picks]
    assert count_many(texts) == list(map(_expected, texts))
