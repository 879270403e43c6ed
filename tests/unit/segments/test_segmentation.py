"""segment() / count_segments(): headers, packing, options, smart encoding, bad input."""

from __future__ import annotations

import pytest

from smskit import ConfigurationError, EncodingError, MessageTooLongError
from smskit.segments.encoding import Encoding
from smskit.segments.segmentation import (
    GSM7_CONCAT_SEPTETS,
    GSM7_SINGLE_SEPTETS,
    UCS2_CONCAT_UNITS,
    UCS2_SINGLE_UNITS,
    Replacement,
    count_many,
    count_segments,
    measure_many,
    segment,
)


def test_spec_constants() -> None:
    assert (GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS) == (160, 153)
    assert (UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS) == (70, 67)


def test_concatenation_headers_8_bit() -> None:
    message = segment("a" * 200, reference=0x42)
    # TS 23.040 9.2.3.24.1: UDHL 05, IEI 00, IEDL 03, reference, total, sequence.
    assert [s.udh for s in message.segments] == [
        bytes.fromhex("0500034202" "01"),
        bytes.fromhex("0500034202" "02"),
    ]


def test_concatenation_headers_16_bit() -> None:
    message = segment("a" * 200, reference_bits=16, reference=0x1234)
    # TS 23.040 9.2.3.24.8: UDHL 06, IEI 08, IEDL 04, reference (2 octets), total, sequence.
    assert message.segments[0].udh == bytes.fromhex("060804123402" "01")
    assert [s.units for s in message.segments] == [152, 48]


def test_user_data_of_a_gsm_part_starts_on_a_septet_boundary() -> None:
    message = segment("a" * 160 + "b")
    first = message.segments[0]
    # 6 UDH octets = 48 bits; 1 fill bit makes 49 = 7 x 7; then 153 septets = 1071 bits.
    assert first.user_data[:6] == first.udh
    assert len(first.user_data) == 6 + (1 + 153 * 7 + 7) // 8 == 140
    assert first.user_data[6] == 0xC2  # 'a' (0x61) shifted past the fill bit
    last = message.segments[1]
    assert last.text == "aaaaaaab"
    # 1 fill bit + 8 septets = 57 bits -> 8 octets after the UDH.
    assert len(last.user_data) == 6 + 8


def test_user_data_of_a_single_part() -> None:
    assert segment("hellohello").segments[0].user_data == bytes.fromhex("E8329BFD4697D9EC37")
    ucs2 = segment("Жé").segments[0]
    assert ucs2.user_data == "Жé".encode("utf-16-be") == b"\x04\x16\x00\xe9"


def test_remaining_is_what_a_counter_shows() -> None:
    assert segment("").remaining == 160
    assert segment("a" * 150).remaining == 10
    assert segment("a" * 161).remaining == 153 - 8
    assert segment("ж" * 10).remaining == 60
    assert segment("€").remaining == 158


def test_forcing_an_encoding() -> None:
    assert segment("hello", encoding=Encoding.UCS2).segments[0].units == 5
    assert segment("hello", encoding=Encoding.UCS2).encoding is Encoding.UCS2
    with pytest.raises(EncodingError, match="position 2"):
        segment("hé\u0301", encoding=Encoding.GSM7)


def test_smart_encoding_replaces_look_alikes_and_reports_them() -> None:
    text = "“Don’t miss it” — 50% off…\u00a0today"
    message = segment(text, smart=True)
    assert message.text == "\"Don't miss it\" - 50% off... today"
    assert message.encoding is Encoding.GSM7
    assert Replacement("…", "...", (25,)) in message.replacements
    assert Replacement("’", "'", (4,)) in message.replacements
    assert segment(text).encoding is Encoding.UCS2


def test_smart_encoding_table_breadth() -> None:
    cases = {
        "«a»": '"a"', "‹a›": "'a'", "a´s": "a's", "a`s": "a's", "‐–—•": "----", "‼": "!!",
        "½": "1/2", "6÷3": "6/3", "a\tb": "a b", "a\u2009b\u3000c": "a b c",
        "a\u200bb\ufeff": "ab", "ＡＢＣ１２３！": "ABC123!", "„a“": '"a"', "‚a‘": "'a'",
    }
    for original, expected in cases.items():
        assert segment(original, smart=True).text == expected, original


def test_smart_encoding_leaves_accented_letters_and_keeps_the_cheapest() -> None:
    assert segment("ça", smart=True).text == "ça"
    # The emoji keeps the text in UCS-2, where "..." would cost two more units.
    message = segment("Wait… 😀", smart=True)
    assert message.text == "Wait… 😀"
    assert message.replacements == ()
    # Curly quotes are swapped one for one even in UCS-2 text only if that is no dearer;
    # here nothing is saved, so the text is left alone.
    assert segment("“hi” 😀", smart=True).text == "“hi” 😀"


def test_smart_encoding_counts_match() -> None:
    text = "Your order “#123” — ready…" * 6
    # 26 UCS-2 units x 6 = 156 -> 67 + 67 + 22; smart: 28 septets x 6 = 168 -> 153 + 15.
    assert count_segments(text) == 3
    assert count_segments(text, smart=True) == segment(text, smart=True).segment_count == 2


def test_empty_text_is_one_segment_of_nothing() -> None:
    message = segment("")
    assert message.segment_count == 1
    assert message.segments[0].text == ""
    assert message.segments[0].user_data == b""
    assert count_segments("") == 1


def test_lone_surrogate_says_where() -> None:
    with pytest.raises(EncodingError, match="position 3") as info:
        count_segments("abc\ud800def")
    assert info.value.position == 3
    with pytest.raises(EncodingError, match="surrogate"):
        segment("x\udfff")


@pytest.mark.parametrize("bad", [None, b"hi", 3, ["a"]])
def test_non_str_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        count_segments(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        segment(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        count_many([bad])  # type: ignore[list-item]


def test_str_subclass_is_accepted() -> None:
    class Body(str):
        """A str subclass, as some ORMs and web frameworks hand out."""

    assert count_segments(Body("a" * 161)) == 2


def test_too_many_segments() -> None:
    assert count_segments("a" * 153 * 255) == 255
    with pytest.raises(MessageTooLongError, match="256 segments") as info:
        count_segments("a" * (153 * 255 + 1))
    assert info.value.segments == 256
    with pytest.raises(MessageTooLongError):
        segment("ж" * (67 * 255 + 1))


@pytest.mark.parametrize("text", ["a" * (153 * 255 + 1), "a{" * 19500, "ж" * (67 * 255 + 1)])
def test_measure_many_refuses_texts_past_255_segments(text: str) -> None:
    # As segment() and count_many() do, plain ASCII included (a 39,016-character text
    # needs 256 parts of 153).
    with pytest.raises(MessageTooLongError):
        measure_many(["hi", text])
    assert measure_many(["a" * (153 * 255)]) == ([255], [153 * 255], [False])


def test_bad_options_name_the_field() -> None:
    with pytest.raises(ConfigurationError) as info:
        segment("a", reference_bits=12)
    assert info.value.field == "reference_bits"
    with pytest.raises(ConfigurationError) as info:
        segment("a", reference=256)
    assert info.value.field == "reference"
    with pytest.raises(ConfigurationError) as info:
        segment("a", languages="turkish")
    assert info.value.field == "languages"
    with pytest.raises(ConfigurationError, match="klingon"):
        segment("a", languages=["klingon"])
