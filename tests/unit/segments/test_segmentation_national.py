"""National language shift tables in the segmenter (TS 23.038 Annex A, TS 23.040 9.2.3.24.15-16).

Capacities by hand: 140 octets = 1120 bits; a UDH of u octets (UDHL included)
leaves floor((1120 - 8u) / 7) septets. One shift IE (3 octets) in a single SMS:
u = 4 -> 155; two IEs: u = 7 -> 152. Multipart with an 8-bit reference: one IE
u = 9 -> 149, two IEs u = 12 -> 146.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smskit.segments.encoding import Encoding, unpack_septets
from smskit.segments.segmentation import count_segments, segment

TURKISH = ("turkish",)


def test_turkish_locking_table_keeps_text_in_gsm7() -> None:
    # ş is outside the default alphabet but in the Turkish locking table.
    message = segment("ş" * 155, languages=TURKISH)
    assert message.encoding is Encoding.GSM7
    assert (message.locking_shift, message.single_shift) == ("turkish", None)
    assert message.segment_count == 1
    # UDHL 3, IEI 0x25 (locking shift, TS 23.040 9.2.3.24.16), length 1, identifier 1.
    assert message.segments[0].udh == bytes([3, 0x25, 1, 1])
    assert message.remaining == 0
    # Without the table the same text is UCS-2: 155 units -> 67 + 67 + 21.
    assert count_segments("ş" * 155) == 3


def test_turkish_multipart_capacity() -> None:
    message = segment("ş" * 156, languages=TURKISH)
    assert [s.units for s in message.segments] == [149, 7]
    assert message.segments[0].udh == bytes([8, 0x00, 3, 0, 2, 1, 0x25, 1, 1])


def test_cheapest_combination_uses_both_tables() -> None:
    # è is in the default alphabet but not in the Turkish locking table; ş is in the
    # locking table and the Turkish single shift table. "è" * 10 + "ş" * 140:
    #  - UCS-2: 150 units -> 3 parts;
    #  - default + Turkish single shift: 10 + 280 = 290 septets -> 2 parts of 149;
    #  - Turkish locking alone: è cannot be written -> impossible;
    #  - Turkish locking + single: è still absent from both -> impossible.
    message = segment("è" * 10 + "ş" * 140, languages=TURKISH)
    assert (message.locking_shift, message.single_shift) == (None, "turkish")
    assert message.units == 290
    assert message.segment_count == 2
    assert message.segments[0].udh[-3:] == bytes([0x24, 1, 1])  # single shift: 9.2.3.24.15


def test_short_text_prefers_ucs2_on_a_tie() -> None:
    # One part either way: UCS-2 needs no handset support for a national table.
    message = segment("Güle güle, Ayşe!", languages=TURKISH)
    assert message.encoding is Encoding.UCS2
    assert message.locking_shift is None


def test_spanish_single_shift() -> None:
    text = "Información: cita confirmada para el miércoles. " * 4
    # á/ó/é: é is default; ó and á need the Spanish single shift (2 septets each).
    # 48 chars per sentence with 1 ó: 49 septets x 4 = 196 -> multipart 149: 2 parts.
    # UCS-2 would be 192 units -> 3 parts.
    message = segment(text, languages=("spanish",))
    assert (message.locking_shift, message.single_shift) == (None, "spanish")
    assert message.units == 4 * 49
    assert message.segment_count == 2
    assert count_segments(text) == 3


def test_portuguese_user_data_uses_the_locking_table() -> None:
    message = segment("ã" * 200, languages=("portuguese",))
    assert message.locking_shift == "portuguese"
    # Portuguese locking table (A.3.3): ã at 0x7B, packed after a 9-octet UDH
    # (72 bits + 5 fill bits = 77 = 11 septets).
    first = message.segments[0]
    assert first.units == 149
    assert len(first.user_data) == 9 + (5 + 149 * 7 + 7) // 8 <= 140
    assert unpack_septets(first.user_data[9:], 149, fill_bits=5) == bytes([0x7B]) * 149


def test_unknown_or_empty_languages() -> None:
    assert segment("ş", languages=()).encoding is Encoding.UCS2


@given(st.text(alphabet="abcşğıİçéè€{ ", max_size=400))
def test_national_never_costs_more_and_parts_fit(text: str) -> None:
    message = segment(text, languages=("turkish", "spanish", "portuguese"))
    assert message.segment_count <= segment(text).segment_count
    assert "".join(s.text for s in message.segments) == text
    assert all(len(s.user_data) <= 140 for s in message.segments)
