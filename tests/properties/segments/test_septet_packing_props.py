"""pack_septets/unpack_septets (linear, one small accumulator) agree with the plain
one-big-integer reading of TS 23.038 6.1.2.1.1."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import _reference as ref
from smskit.segments import pack_septets, unpack_septets

SEPTETS = st.binary(max_size=300).map(lambda b: bytes(x & 0x7F for x in b))
FILL = st.integers(min_value=0, max_value=6)


@given(septets=SEPTETS, fill=FILL)
def test_pack_matches_the_reference_and_round_trips(septets: bytes, fill: int) -> None:
    packed = pack_septets(septets, fill_bits=fill)
    assert packed == ref.pack_septets(septets, fill)
    assert unpack_septets(packed, len(septets), fill_bits=fill) == septets


@given(data=st.binary(max_size=300), fill=FILL, cut=st.integers(min_value=0, max_value=400))
def test_unpack_matches_the_reference(data: bytes, fill: int, cut: int) -> None:
    available = max((len(data) * 8 - fill) // 7, 0)
    count = min(cut, available)
    assert unpack_septets(data, count, fill_bits=fill) == ref.unpack_septets(data, count, fill)
    assert unpack_septets(data, fill_bits=fill) == ref.unpack_septets(data, available, fill)
