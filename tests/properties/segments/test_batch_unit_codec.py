"""The padded route's units as bytes (perf27n, 5 December 2026), held to the readable
reference under both codecs whatever the interpreter.

``_batch.padded_counts`` encodes the padded texts to UTF-16-LE, or on CPython 3.11 to
UTF-32-LE (``_UNIT_CODEC``, ``_UNIT_BYTES``): four bytes a unit, where every strided
slice (the GSM-7 pair gate, the high bytes of the GSM-7 screen, the separators that
end texts) steps twice as far, and the length no longer shows a character beyond the
BMP (the padded str's size does). Each test runs both ways, so a stride or an offset
wrong for either width fails on any Python.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import _reference as ref
from batch_checks import assert_count_many, assert_lone_surrogate_named, assert_screened
from smskit import count_many
from smskit.segments import _batch as batch

CODECS = [(2, "utf-16-le"), (4, "utf-32-le")]


@contextmanager
def units_as(width: int, codec: str) -> Iterator[None]:
    """``_batch`` reading the padded texts' units at ``width`` bytes each."""
    saved = batch._UNIT_BYTES, batch._UNIT_CODEC
    batch._UNIT_BYTES, batch._UNIT_CODEC = width, codec
    try:
        yield
    finally:
        batch._UNIT_BYTES, batch._UNIT_CODEC = saved


# An Indic first text routes the group padded; what follows may be anything.
FIRST = st.sampled_from(["नमस्ते आपका ", "中文短信", "வணக்கம் "]).flatmap(
    lambda word: st.integers(1, 6).map(lambda n: word * n)
)
# GSM-7 texts at and near the part bounds (70/71, 134/135 units; 160/161 septets),
# with Greek capitals and euro signs that keep them GSM-7, or one letter that does not.
GSM_NEAR_BOUNDS = st.builds(
    lambda length, extra, at: ("see you at 5 " * 30)[:length][:at]
    + extra
    + ("see you at 5 " * 30)[:length][at:],
    st.sampled_from([69, 70, 71, 72, 133, 134, 135, 136, 152, 153, 159, 160, 161]),
    st.sampled_from(["", "Δ", "ΣΩ", "€", "€5", "Ξ€", "é", "ş", "\r\n"]),
    st.integers(0, 170),
)
INDIC_OVER_CUTS = st.builds(
    lambda n, run, at: ("क" * n)[:at] + run + ("क" * n)[at:],
    st.sampled_from([66, 67, 70, 71, 133, 134, 135, 200]),
    st.sampled_from(["्", "ि", "\u200d", "\r\n", "Δ", "€", "\ue000", "\ue042", "😀", "\x00"]),
    st.sampled_from([65, 66, 67, 68, 132, 133, 134]),
)
OTHER = st.text(st.sampled_from([*"ab 1.€ΔΣ[]\r\n\x00çé", "\ue003", "\x01", "ि"]), max_size=150)


@pytest.mark.parametrize(("width", "codec"), CODECS)
@settings(max_examples=60)
@given(FIRST, st.lists(GSM_NEAR_BOUNDS | INDIC_OVER_CUTS | OTHER, max_size=30))
@example("नमस्ते ", ["a" * 71])  # a GSM-7 text over a part: the pair gate fires
@example("नमस्ते ", ["Δ" * 71, "€" * 80, "€" * 81])  # GSM-7 beyond Latin-1
@example("नमस्ते ", ["a" * 66 + "\r\n" + "a" * 3])  # CR LF at a UCS-2 cut? GSM-7 here
@example("नमस्ते ", ["ş" + "a" * 65 + "\r\n" + "a" * 10])  # CR LF over a UCS-2 cut
@example("नमस्ते ", ["क" * 66 + "\ue003" + "क" * 70])  # a separator's value at a part's end
@example("中文", ["😀" * 40])  # beyond the BMP: ``None``, screen's other way
def test_padded_counts_read_either_width_as_the_reference(
    width: int, codec: str, first: str, rest: list[str]
) -> None:
    texts = [first, *rest]
    with units_as(width, codec):
        counts = batch.padded_counts(texts)
        if counts is None:  # only where a text holds a character beyond the BMP
            assert any(char > "\uffff" for text in texts for char in text)
        else:
            assert_screened(texts, counts)
        assert_count_many(texts)


@pytest.mark.parametrize(("width", "codec"), CODECS)
def test_gsm_texts_beyond_latin1_keep_their_counts_in_a_routed_group(
    width: int, codec: str
) -> None:
    # By hand: Greek capitals are one septet, the euro sign two; 160 septets fill one
    # part, 161 need two (153 a part), 70 UCS-2 units one, 71 two (67 a part).
    first = "नमस्ते आपका " * 6
    texts = [first, "Δ" * 160, "Δ" * 161, "€" * 80, "€" * 81, "Ж" * 70, "Ж" * 71]
    texts += ["Ж" * 134, "Ж" * 135]
    texts *= 3  # 27 texts: the padded route is taken from 16
    want = [ref.count(first), 1, 2, 1, 2, 1, 2, 2, 3] * 3
    with units_as(width, codec):
        assert batch.padded_counts(texts) == want
        assert count_many(texts) == want


@pytest.mark.parametrize(("width", "codec"), CODECS)
def test_cr_lf_at_a_ucs2_cut_is_walked(width: int, codec: str) -> None:
    # CR is the 67th unit and LF the 68th: the cut after 67 units cannot split them,
    # so the first part ends at 66; 134 units then take three parts (66 + 67 + 1), not
    # the two their number alone would.
    text = "Ж" * 66 + "\r\n" + "Ж" * 66
    assert ref.count(text) == 3
    first = "नमस्ते आपका " * 6
    texts = [first, text] * 10
    with units_as(width, codec):
        assert count_many(texts) == [ref.count(first), 3] * 10


@pytest.mark.parametrize(("width", "codec"), CODECS)
@settings(max_examples=20)
@given(st.lists(INDIC_OVER_CUTS | GSM_NEAR_BOUNDS, min_size=1, max_size=60), st.data())
def test_a_lone_surrogate_mid_batch_names_its_text_either_width(
    width: int, codec: str, texts: list[str], data: st.DataObject
) -> None:
    texts = ["नमस्ते " * 3 + text for text in texts]  # every group routed padded
    with units_as(width, codec):
        assert_lone_surrogate_named(texts, data)


@pytest.mark.parametrize(("width", "codec"), CODECS)
@given(st.lists(INDIC_OVER_CUTS | GSM_NEAR_BOUNDS | OTHER, max_size=30))
@example(["a" * 71])
@example(["\x01\x01" * 40])  # the padding's own value is never read as GSM-7
def test_the_pair_gate_reads_the_same_at_either_width(
    width: int, codec: str, texts: list[str]
) -> None:
    texts = [text for text in texts if "😀" not in text]  # one unit a character
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    with units_as(width, codec):
        assert batch._gsm_pair_units(padded.encode(codec)) == batch._gsm_pair_starts(padded)


def test_utf32_where_cpython_311_encodes_utf16_erratically() -> None:
    cpython_311 = sys.implementation.name == "cpython" and sys.version_info < (3, 12)
    want = (4, "utf-32-le") if cpython_311 else (2, "utf-16-le")
    chosen = batch._UNIT_BYTES, batch._UNIT_CODEC
    assert chosen == want


@pytest.mark.parametrize(("width", "codec"), CODECS)
@given(st.lists(INDIC_OVER_CUTS | GSM_NEAR_BOUNDS | OTHER, max_size=30))
@example(["क" * 66 + "ि" * 7 + "क" * 70, "क" * 140, "ab" * 40])  # one flagged of three
def test_the_ends_read_from_bytes_flag_what_the_str_flags(
    width: int, codec: str, texts: list[str]
) -> None:
    # Where texts end, read off the bytes' high bytes at either width, must flag the
    # texts that the ends read off the str's own slice flag: a wrong offset reads no
    # separator and sends every text to be walked (exact, but the screen lost).
    texts = [text for text in texts if "😀" not in text]
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    with units_as(width, codec):
        from_bytes = batch._straddled_bmp(padded, len(texts), padded.encode(codec))
    assert from_bytes == batch._straddled_bmp(padded, len(texts))


@pytest.mark.parametrize(("width", "codec"), CODECS)
@settings(max_examples=60)
@given(FIRST, st.lists(GSM_NEAR_BOUNDS | INDIC_OVER_CUTS | OTHER, max_size=14))
@example("नमस्ते ", ["😀" + "क" * 70])  # beyond the BMP: only the size shows it in UTF-32
@example("नमस्ते ", ["Δ" * 161, "€" * 81, "Ж" * 66 + "\r\n" + "Ж" * 66])
def test_small_groups_joined_with_nul_read_either_width_as_the_reference(
    width: int, codec: str, first: str, rest: list[str]
) -> None:
    # Under 16 texts ``screen`` joins a group with NUL (``wide_counts``), whose
    # encoding proves no lone surrogate; called directly, a character beyond the BMP
    # must still send the group to ``_astral_counts``.
    texts = [first, *rest]
    with units_as(width, codec):
        assert_screened(texts, batch.wide_counts(texts, batch.SEP.join(texts)))
        assert_screened(texts, batch.screen(texts))
        assert_count_many(texts)


@pytest.mark.parametrize(("width", "codec"), CODECS)
@settings(max_examples=20)
@given(st.lists(INDIC_OVER_CUTS | GSM_NEAR_BOUNDS, min_size=1, max_size=14), st.data())
def test_a_lone_surrogate_in_a_small_list_names_its_text_either_width(
    width: int, codec: str, texts: list[str], data: st.DataObject
) -> None:
    texts = ["नमस्ते " * 3 + text for text in texts]
    with units_as(width, codec):
        assert_lone_surrogate_named(texts, data)
