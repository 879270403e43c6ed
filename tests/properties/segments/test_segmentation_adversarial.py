"""Adversarial checks of the segmentation engine (a second reader's tests).

Expected cut positions are worked out by hand from TS 23.040 capacities (153 / 67
per part with an 8-bit reference) and UAX #29 cluster rules; each case says how.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit.errors import ConfigurationError, EncodingError, MessageTooLongError
from smskit.segments.encoding import Encoding, unpack_septets
from smskit.segments.segmentation import count_segments, segment

RI_U, RI_S = "\U0001f1fa", "\U0001f1f8"  # regional indicators U and S (2 UTF-16 units each)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 5 code points, 8 units, one cluster
KA, VIRAMA, SSA = "\u0915", "\u094d", "\u0937"  # Devanagari: KA + VIRAMA + SSA is one cluster
JIHVAMULIYA = "\u1cf5"  # VEDIC SIGN JIHVAMULIYA: GCB=Other but InCB=Linker
ZH = "\u0436"  # Cyrillic zhe: UCS-2, one unit, never joins

# Pieces chosen to hit every UAX #29 rule family near a part boundary.
PIECES = [
    "a",
    "\u00e9",
    "\u20ac",
    "\r",
    "\n",
    "\r\n",
    "\u0301",
    "\u200d",
    "\ufe0f",
    "\u2764",
    "\U0001f469",
    RI_U,
    RI_S,
    "\U0001f3fb",
    "\u1100",
    "\u1161",
    "\u11a8",
    "\uac00",
    "\uac01",
    KA,
    VIRAMA,
    SSA,
    "\u093f",
    "\u0903",
    "\u0600",
    "\u0d4e",
    JIHVAMULIYA,
    "\U00011a3a",
    ZH,
    "\u4e2d",
    "\u0e33",
    "\u00ad",
    "\u00a9",
    "\u200b",
    FAMILY,
    "x" * 20,
    ZH * 20,
]
adversarial_text = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


class Sub(str):
    """A str subclass: takes count_segments' slow path."""


def _parts(text: str, **options: object) -> list[str]:
    return [part.text for part in segment(text, **options).segments]  # type: ignore[arg-type]


# -- count_segments and segment agree, on every path --------------------------------


@given(adversarial_text, st.booleans(), st.booleans())
@example(ZH * 65 + KA + JIHVAMULIYA + KA + ZH * 10, True, False)
@example("x" * 66 + RI_U * 9, True, False)
def test_count_equals_segment_count_on_every_path(
    text: str, grapheme_safe: bool, smart: bool
) -> None:
    try:
        expected = segment(text, smart=smart, grapheme_safe=grapheme_safe).segment_count
    except MessageTooLongError:
        return
    assert count_segments(text, smart=smart, grapheme_safe=grapheme_safe) == expected
    assert count_segments(Sub(text), smart=smart, grapheme_safe=grapheme_safe) == expected


@given(adversarial_text, st.booleans())
@example(ZH * 65 + KA + JIHVAMULIYA + KA + ZH * 10, True)
def test_parts_match_the_slow_reference(text: str, grapheme_safe: bool) -> None:
    assert _parts(text, grapheme_safe=grapheme_safe) == ref.split(text, grapheme_safe=grapheme_safe)


# -- UAX #29 at the part boundary, worked by hand -------------------------------------

# These cuts depend on regex's Unicode grapheme data (\X), not only on smskit.
UNICODE_DATA = pytest.mark.upstream_data("regex", "2026.11.19")


@UNICODE_DATA
def test_linker_with_gcb_other_is_not_a_certain_boundary() -> None:
    # U+1CF5 has GCB=Other but InCB=Linker, so GB9c joins it to a following
    # consonant (regex's \X agrees: "\u1cf5\u0915" is one cluster). 65 + KA = 66
    # units; the cluster JIHVAMULIYA+KA would end at 68 > 67, so part 1 ends at 66.
    text = ZH * 65 + KA + JIHVAMULIYA + KA + ZH * 10
    assert len(regex.match(r"\X", text, pos=66).group()) == 2
    assert [len(p) for p in _parts(text)] == [66, 12]


@UNICODE_DATA
def test_odd_regional_indicator_run_keeps_flags_whole() -> None:
    # 64 + 5 RI (10) + 5 = 79 units. Flags pair from the start of the run (GB12/13):
    # the first flag would end at 68 > 67, so grapheme-safe part 1 is the 64 zhe;
    # the standard minimum cuts after one RI (66 units).
    text = ZH * 64 + RI_U * 5 + ZH * 5
    assert [len(p) for p in _parts(text)] == [64, 10]
    assert [len(p) for p in _parts(text, grapheme_safe=False)] == [65, 9]


@UNICODE_DATA
def test_zwj_family_moves_whole() -> None:
    # 63 + 8 + 5 = 76 units. The family would end at 71: it moves. Code-point cut:
    # MAN (2) + ZWJ (1) = 66, WOMAN would reach 68, so after 63 + 2 code points.
    text = ZH * 63 + FAMILY + ZH * 5
    assert [len(p) for p in _parts(text)] == [63, 10]
    assert [len(p) for p in _parts(text, grapheme_safe=False)] == [65, 8]


@UNICODE_DATA
def test_hangul_jamo_syllable_moves_whole() -> None:
    # L V T is one cluster (GB6, GB8); 65 + 3 = 68 > 67.
    text = ZH * 65 + "\u1100\u1161\u11a8" * 2
    assert [len(p) for p in _parts(text)] == [65, 6]
    assert [len(p) for p in _parts(text, grapheme_safe=False)] == [67, 4]


def test_variation_selector_and_mark_after_an_escape_character_stay_attached() -> None:
    # 66 + 2 + 3 = 71 units; both two-unit clusters would end at 68.
    for cluster in ("\u2764\ufe0f", "\u20ac\u0301", "{\u0301"):
        text = ZH * 66 + cluster + ZH * 3
        assert segment(text).encoding is Encoding.UCS2
        assert [len(p) for p in _parts(text)] == [66, 5], cluster


@UNICODE_DATA
def test_prepend_and_indic_conjunct_move_whole() -> None:
    # GB9b: ARABIC NUMBER SIGN x following digit. GB9c: KA VIRAMA x SSA.
    assert [len(p) for p in _parts(ZH * 66 + "\u0600\u0661" + ZH * 3)] == [66, 5]
    assert [len(p) for p in _parts(ZH * 65 + KA + VIRAMA + SSA + ZH * 3)] == [65, 6]


def test_crlf_is_one_cluster_in_ucs2_but_two_characters_in_gsm7() -> None:
    assert [len(p) for p in _parts(ZH * 66 + "\r\n" + ZH * 3)] == [66, 5]
    # GSM-7: 152 + CR = 153 septets, LF starts part 2.
    assert [len(p) for p in _parts("x" * 152 + "\r\n" + "x" * 10)] == [153, 11]


def test_one_huge_cluster_is_split_at_code_points_without_empty_parts() -> None:
    text = "e" + "\u0301" * 200  # 201 units, one cluster: 67 + 67 + 67
    assert [len(p) for p in _parts(text)] == [67, 67, 67]
    assert count_segments(text) == 3


def test_a_cluster_that_cannot_fit_any_part_is_not_moved() -> None:
    # "a" + one cluster of 133 units = 134 units = exactly two parts of 67. The
    # cluster is longer than a whole part, so it is split whatever we do; moving
    # it to part 2 first only bills a third SMS.
    text = "a" + "e" + "\u0301" * 132
    assert count_segments(text, grapheme_safe=False) == 2
    assert count_segments(text) == 2
    assert segment(text).segment_count == 2


def test_national_gsm7_text_keeps_indic_clusters_whole() -> None:
    # KA + VOWEL SIGN I is one cluster (GB9a). With the Hindi locking shift both
    # are one septet; 120 pairs = 240 septets, 149 per part: the plain cut at 149
    # would leave a vowel sign opening part 2 (its consonant in part 1).
    message = segment((KA + "\u093f") * 120, languages=("hindi",))
    assert message.encoding is Encoding.GSM7
    for part in message.segments[1:]:
        assert not regex.match(r"[\p{GCB=Extend}\p{GCB=SpacingMark}]", part.text), part.text[:2]


# -- exact limits and headers -----------------------------------------------------------


def test_exactly_255_parts_and_one_more() -> None:
    for text, extra in (
        ("x" * (153 * 255), "x"),
        ("\u20ac" * (76 * 255), "\u20ac"),  # 76 escape pairs = 152 septets per part
        (ZH * (67 * 255), ZH),
        ("\U0001f600" * (33 * 255), "\U0001f600"),  # 33 emoji = 66 units per part
    ):
        assert count_segments(text) == 255
        assert segment(text).segment_count == 255
        for func in (count_segments, lambda t: segment(t).segment_count):
            with pytest.raises(MessageTooLongError):
                func(text + extra)


def test_udh_bytes_are_the_specified_layout() -> None:
    message = segment("x" * 200, reference_bits=16, reference=0x1234)
    assert [p.udh for p in message.segments] == [
        bytes.fromhex("0608041234020" + str(n)) for n in (1, 2)
    ]
    # 16-bit reference: 7-octet UDH, no fill bits, 152 septets per part.
    assert [p.units for p in message.segments] == [152, 48]
    assert len(message.segments[0].user_data) == 7 + 133


def test_turkish_locking_shift_header_and_capacity() -> None:
    # TS 23.040 9.2.3.24.16: National Language Locking Shift is IEI 0x25 (0x24 is
    # the Single Shift, 9.2.3.24.15; Android's SmsHeader and oFono agree).
    # Locking shift + 8-bit concat: UDH 9 octets, floor((140 - 9) * 8 / 7) = 149.
    message = segment("\u015f" * 100 + "x" * 100, languages=("turkish",))
    assert message.locking_shift == "turkish"
    assert message.single_shift is None
    assert message.segments[0].udh == bytes.fromhex("080003000201250101")
    assert [p.units for p in message.segments] == [149, 51]
    assert message.remaining == 149 - 51


def test_spanish_single_shift_header_and_capacity() -> None:
    # 75 x o-acute: ESC + 0x6F each under the Spanish single shift (NLI 2) = 150
    # septets, one part (155 fit after a 4-octet UDH); UCS-2 would need 2 parts.
    message = segment("\u00f3" * 75, languages=("spanish",))
    assert (message.single_shift, message.locking_shift) == ("spanish", None)
    assert message.segment_count == 1
    assert message.segments[0].udh == bytes.fromhex("03240102")
    assert message.remaining == 155 - 150
    # UDH 4 octets -> 3 fill bits; 3 + 150 * 7 = 1053 bits -> 132 octets.
    assert len(message.segments[0].user_data) == 4 + 132


def _pack(septets: bytes, fill: int) -> bytes:
    """Bit by bit, least significant first (TS 23.038 6.1.2.1.1)."""
    bits = [0] * fill + [(code >> i) & 1 for code in septets for i in range(7)]
    bits += [0] * (-len(bits) % 8)
    return bytes(sum(bits[o + i] << i for i in range(8)) for o in range(0, len(bits), 8))


@given(st.text(alphabet="@£$abcXYZ{}[]~€\n\r ", max_size=400), st.sampled_from([8, 16]))
def test_user_data_is_udh_plus_packed_septets(text: str, bits: int) -> None:
    message = segment(text, reference_bits=bits)
    assert "".join(p.text for p in message.segments) == text
    for part in message.segments:
        body = part.user_data[len(part.udh) :]
        fill = (7 - len(part.udh) * 8 % 7) % 7
        septets = part.text.encode("gsm03.38")
        assert len(septets) == part.units
        assert body == _pack(septets, fill)
        assert unpack_septets(body, part.units, fill_bits=fill) == septets
        assert len(part.user_data) <= 140


def test_hello_vector() -> None:
    # Classic TS 23.038 packing example: "hellohello" -> E8 32 9B FD 46 97 D9 EC 37.
    assert segment("hellohello").segments[0].user_data == bytes.fromhex("e8329bfd4697d9ec37")


# -- options and errors -------------------------------------------------------------------


def test_encoding_given_as_its_string_value_is_honoured() -> None:
    # Encoding is a StrEnum: "ucs2" == Encoding.UCS2, so a caller passing the stored
    # value must get UCS-2, not a silent GSM-7.
    assert segment("h\u00e9llo", encoding="ucs2").encoding is Encoding.UCS2  # type: ignore[arg-type]


def test_unknown_encoding_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="encoding"):
        segment("hello", encoding="utf8")  # type: ignore[arg-type]


def test_float_reference_bits_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="reference_bits"):
        segment("x" * 200, reference_bits=8.0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda t: count_segments(t),
        lambda t: count_segments(Sub(t)),
        lambda t: count_segments(t, smart=True),
        lambda t: segment(t),
        lambda t: segment(t, languages=("turkish",)),
    ],
)
def test_lone_surrogate_is_reported_on_every_path(call: Callable[[str], object]) -> None:
    with pytest.raises(EncodingError) as info:
        call("ab\ud800c")
    assert info.value.position == 2


# -- smart encoding ---------------------------------------------------------------------


def test_smart_encoding_never_turns_a_mixed_number_into_another_number() -> None:
    # "1½" is one and a half; "11/2" reads as eleven halves.
    sent = segment("Take 1\u00bd tablets", smart=True).text
    assert "11/2" not in sent


@given(
    st.text(
        alphabet="ab \u2019\u201c\u2026\u00a0\u200b\u00bd\u2014\u0436\U0001f600\u0301", max_size=200
    )
)
def test_smart_never_costs_more_and_only_replaces_listed_characters(text: str) -> None:
    plain = count_segments(text)
    message = segment(text, smart=True)
    assert message.segment_count <= plain
    assert count_segments(text, smart=True) == message.segment_count
    rebuilt = list(text)
    for replacement in message.replacements:
        for position in replacement.positions:
            assert text[position] == replacement.char
            rebuilt[position] = replacement.replacement
    assert "".join(rebuilt) == message.text


def test_smart_makes_no_replacement_that_saves_nothing_under_forced_ucs2() -> None:
    # smart_candidates promises "a replacement that saves nothing is not made";
    # forced to UCS-2, curly quotes cost the same as straight ones.
    message = segment("\u2018hi\u2019", encoding=Encoding.UCS2, smart=True)
    assert message.text == "\u2018hi\u2019"
    assert message.replacements == ()
