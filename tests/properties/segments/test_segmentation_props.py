"""Properties of encoding and segmentation that must hold for every input."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError
from smskit.errors import MessageTooLongError
from smskit.segments.encoding import (
    Encoding,
    detect_encoding,
    gsm7_decode,
    gsm7_encode,
    non_gsm_characters,
    pack_septets,
    unpack_septets,
)
from smskit.segments.segmentation import count_many, count_segments, measure_many, segment
from strategies import (
    any_text,
    astral_text,
    boundary_text,
    gsm7_ext_heavy_text,
    gsm7_text,
    ucs2_text,
    valid_text,
)

all_texts = st.one_of(valid_text, gsm7_text, gsm7_ext_heavy_text, ucs2_text, astral_text,
                      boundary_text())


@given(all_texts)
@example("")
@example("a" * 152 + "€" + "b")
@example("a" * 66 + "😀" + "a" * 5)
def test_fast_counter_equals_full_splitter(text: str) -> None:
    assert count_segments(text) == segment(text).segment_count
    minimum = segment(text, grapheme_safe=False)
    assert count_segments(text, grapheme_safe=False) == minimum.segment_count


@given(all_texts, st.sampled_from([8, 16]), st.booleans())
def test_splitter_matches_reference(text: str, bits: int, grapheme_safe: bool) -> None:
    message = segment(text, reference_bits=bits, grapheme_safe=grapheme_safe)
    expected = ref.split(text, reference_bits=bits, grapheme_safe=grapheme_safe)
    assert [s.text for s in message.segments] == expected


@given(all_texts, st.sampled_from([8, 16]), st.booleans(), st.booleans())
def test_segments_rejoin_and_fit(text: str, bits: int, smart: bool, grapheme_safe: bool) -> None:
    message = segment(text, reference_bits=bits, smart=smart, grapheme_safe=grapheme_safe)
    assert "".join(s.text for s in message.segments) == message.text
    assert all(s.text for s in message.segments) or message.text == ""
    for part in message.segments:
        assert len(part.user_data) <= 140
        assert part.units > 0 or message.text == ""
    if message.segment_count > 1:
        assert all(len(s.udh) == (6 if bits == 8 else 7) for s in message.segments)
        assert [s.udh[-1] for s in message.segments] == list(range(1, message.segment_count + 1))
    else:
        assert message.segments[0].udh == b""
    assert message.remaining >= 0
    assert sum(s.units for s in message.segments) == message.units


@given(all_texts)
def test_smart_never_costs_more(text: str) -> None:
    assert count_segments(text, smart=True) <= count_segments(text)
    assert count_segments(text, smart=True) == segment(text, smart=True).segment_count


@given(all_texts)
def test_smart_replacements_describe_the_change(text: str) -> None:
    message = segment(text, smart=True)
    rebuilt = list(text)
    for replacement in message.replacements:
        for position in replacement.positions:
            assert text[position] == replacement.char
            rebuilt[position] = replacement.replacement
    assert "".join(rebuilt) == message.text


@given(gsm7_text)
def test_gsm7_round_trips(text: str) -> None:
    septets = gsm7_encode(text)
    assert gsm7_decode(septets) == text
    assert text.encode("gsm03.38").decode("gsm03.38") == text
    assert unpack_septets(pack_septets(septets), len(septets)) == septets
    for fill in range(7):
        packed = pack_septets(septets, fill_bits=fill)
        assert len(packed) == (fill + 7 * len(septets) + 7) // 8
        assert unpack_septets(packed, len(septets), fill_bits=fill) == septets


@given(st.binary(max_size=300).map(lambda b: bytes(x & 0x7F for x in b)))
def test_septets_pack_round_trip(septets: bytes) -> None:
    assert unpack_septets(pack_septets(septets), len(septets)) == septets


@given(valid_text)
def test_non_gsm_characters_point_at_the_text(text: str) -> None:
    found = non_gsm_characters(text)
    positions = sorted(p for item in found for p in item.positions)
    assert positions == [i for i, c in enumerate(text) if not ref.char_cost_gsm(c)]
    for item in found:
        assert all(text[p] == item.char for p in item.positions)
    assert (detect_encoding(text) is Encoding.GSM7) == (not found)


@given(any_text)
def test_never_crashes_on_any_str(text: str) -> None:
    surrogates = [i for i, c in enumerate(text) if "\ud800" <= c <= "\udfff"]
    if surrogates:
        with pytest.raises(EncodingError) as info:
            count_segments(text)
        assert info.value.position in surrogates
        with pytest.raises(EncodingError):
            segment(text)
    else:
        assert count_segments(text) == segment(text).segment_count


@given(st.binary(max_size=200))
def test_decode_never_crashes_on_any_bytes(data: bytes) -> None:
    try:
        text = gsm7_decode(data)
    except EncodingError:
        assert any(b > 0x7F for b in data) or data.endswith(b"\x1b")
    else:
        assert isinstance(text, str)


@given(st.lists(all_texts, max_size=20))
def test_count_many_is_count_segments_each(texts: list[str]) -> None:
    assert count_many(texts) == [count_segments(t) for t in texts]


@given(st.lists(st.one_of(all_texts, any_text), max_size=20))
def test_measure_many_is_segment_each(texts: list[str]) -> None:
    """Every text measured alone by segment(): the same segments, units and encoding,
    or the same error."""
    expected: list[tuple[int, int, bool]] = []
    for text in texts:
        try:
            message = segment(text)
        except (EncodingError, MessageTooLongError) as exc:
            with pytest.raises(type(exc)):
                measure_many([text])
            return
        expected.append((message.segment_count, message.units, message.encoding is Encoding.UCS2))
    counts, units, ucs2 = measure_many(texts)
    assert list(zip(counts, units, ucs2, strict=True)) == expected


BOUNDARY_LENGTHS = [64, 65, 66, 67, 68, 69, 70, 71, 132, 133, 134, 135,
                    150, 151, 152, 153, 154, 159, 160, 161, 304, 305, 306, 307]
COSTLY = ["€", "{", "😀", "👍🏽", "🇫🇷", "é\u0301", "\r\n", "👨‍👩‍👧", "क्षि"]


@pytest.mark.parametrize("filler", ["a", "é", "Ж"])
@pytest.mark.parametrize("costly", COSTLY)
def test_every_boundary_matches_reference(filler: str, costly: str) -> None:
    """Exhaustive: a costly character placed across every boundary that matters."""
    for length in BOUNDARY_LENGTHS:
        for tail in (0, 1, 7):
            text = filler * length + costly + filler * tail
            for bits in (8, 16):
                for safe in (True, False):
                    message = segment(text, reference_bits=bits, grapheme_safe=safe)
                    parts = [s.text for s in message.segments]
                    assert parts == ref.split(text, reference_bits=bits, grapheme_safe=safe), (
                        length, tail, bits, safe)
                    assert count_segments(text, grapheme_safe=safe) == len(
                        ref.split(text, grapheme_safe=safe))
