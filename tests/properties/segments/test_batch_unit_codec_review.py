"""Review of perf27n's UTF-32 units (rev27n, 5 December 2026): where the padded route
reads UTF-32 (CPython 3.11), its length cannot show a character beyond the BMP, and
only the size of the str the route itself joined proves there is none. These groups
put that proof where it could be fooled: one text beyond the BMP among many at any
place, texts of a ``str`` subclass whose own ``__sizeof__`` says "narrow", empty texts
and NULs. Both widths run on any Python; every count is held to the reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import _reference as ref
from batch_checks import assert_count_many, assert_screened
from smskit.segments import _batch as batch

CODECS = [(2, "utf-16-le"), (4, "utf-32-le")]


class NarrowSized(str):
    """A str that reports a size too small for four bytes a character."""

    def __sizeof__(self) -> int:
        return 0


@contextmanager
def units_as(width: int, codec: str) -> Iterator[None]:
    saved = batch._UNIT_BYTES, batch._UNIT_CODEC
    batch._UNIT_BYTES, batch._UNIT_CODEC = width, codec
    try:
        yield
    finally:
        batch._UNIT_BYTES, batch._UNIT_CODEC = saved


# Indic texts 0-300 units long (the first routes the group padded), and texts beyond
# the BMP of 35-140 characters: 70-280 units, where counting them by their length
# (35-140) would give fewer parts.
INDIC = st.integers(0, 300).map(lambda n: ("नमस्ते आपका " * 30)[:n])
ASTRAL = st.builds(
    lambda n, char, pad: (char * n)[: n - len(pad)] + pad,
    st.integers(35, 140),
    st.sampled_from(["😀", "𝐀", "𠀀", "🇫🇷"]),
    st.sampled_from(["", "क", "a", "\x00", "\ue000"]),
)


@pytest.mark.parametrize(("width", "codec"), CODECS)
@settings(max_examples=40)
@given(
    st.lists(INDIC, min_size=16, max_size=40),
    ASTRAL,
    st.integers(0, 40),
    st.booleans(),
)
def test_one_text_beyond_the_bmp_anywhere_in_a_padded_group(
    width: int, codec: str, texts: list[str], astral: str, at: int, narrow: bool
) -> None:
    texts = ["नमस्ते आपका " * 6, *texts]  # routed padded by its first text
    at = min(at, len(texts) - 1) or 1
    texts[at] = NarrowSized(astral) if narrow else astral
    assert ref.ucs2_units(astral) > len(astral)  # its length alone undercounts
    with units_as(width, codec):
        counts = batch.padded_counts(texts)
        assert counts is None  # a character beyond the BMP: screen's other way
        assert_screened(texts, batch.screen(texts))
        assert_count_many(texts)


@pytest.mark.parametrize(("width", "codec"), CODECS)
@settings(max_examples=40)
@given(
    st.lists(
        INDIC | ASTRAL.map(NarrowSized) | st.sampled_from(["", "\x00", "क\x00" * 40, "\x00" * 71]),
        max_size=14,
    )
)
def test_empty_texts_nuls_and_narrow_reporting_astral_texts_in_small_groups(
    width: int, codec: str, rest: list[str]
) -> None:
    # Under 16 texts the group is joined with NUL (``wide_counts``): a NUL inside a
    # text splits one piece too many, an empty text pads to one part, and a text
    # beyond the BMP whose class reports a narrow size must still go the astral way
    # (the joined str's own size is the proof, not the texts').
    texts = [NarrowSized("नमस्ते आपका " * 6), *rest]
    with units_as(width, codec):
        assert_screened(texts, batch.wide_counts(texts, batch.SEP.join(texts)))
        assert_count_many(texts)


def test_a_narrow_reporting_subclass_beyond_the_bmp_by_hand() -> None:
    # 40 emoji: 80 UCS-2 units, two parts (67 + 13), where 40 characters would be one.
    texts = ["नमस्ते आपका " * 6] * 20 + [NarrowSized("😀" * 40)]
    assert ref.count("😀" * 40) == 2
    for width, codec in CODECS:
        with units_as(width, codec):
            assert batch.padded_counts(texts) is None
            assert batch.screen(texts)[-1] in (0, 2)
