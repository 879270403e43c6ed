"""parse_number never crashes, round-trips through E.164 and never echoes a number."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import PhoneNumber, parse_number

REGIONS = ["US", "CA", "GB", "DE", "FR", "IN", "BR", "AU", "JP", "MX", "ZA", "NG", "PR"]
FORMATS = [
    phonenumbers.PhoneNumberFormat.E164,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.NATIONAL,
]
phone_like = st.text(alphabet="+0123456789 ()-.x#*", max_size=25)


def _parse(text: str, region: str) -> PhoneNumber | InvalidPhoneNumber:
    try:
        return parse_number(text, region=region)
    except InvalidPhoneNumber as err:
        return err


@given(st.one_of(st.text(max_size=40), phone_like), st.sampled_from([*REGIONS, "ZZ", "", "us"]))
def test_any_text_gives_a_number_or_invalid(text: str, region: str) -> None:
    outcome = _parse(text, region)
    if isinstance(outcome, InvalidPhoneNumber):
        digits = "".join(c for c in text if c.isdigit())
        if len(digits) >= 6:
            assert digits not in str(outcome)
        assert outcome.reason
    else:
        number = outcome
        assert isinstance(number, PhoneNumber)
        assert number.e164.startswith("+")
        assert number.e164[1:].isdigit()
        assert number.e164 not in repr(number)


@given(st.binary(max_size=20))
def test_bytes_are_a_type_error(data: bytes) -> None:
    with pytest.raises(TypeError):
        parse_number(data)  # type: ignore[arg-type]


@given(st.sampled_from(REGIONS), st.sampled_from(FORMATS), st.sampled_from(["mobile", "fixed"]))
def test_every_format_round_trips_to_the_same_e164(region: str, fmt: int, kind: str) -> None:
    kind_type = (
        phonenumbers.PhoneNumberType.MOBILE
        if kind == "mobile"
        else phonenumbers.PhoneNumberType.FIXED_LINE
    )
    example = phonenumbers.example_number_for_type(region, kind_type)
    if example is None:
        example = phonenumbers.example_number(region)
    expected = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    written = phonenumbers.format_number(example, fmt)
    number = parse_number(written, region=region)
    assert number.e164 == expected
    assert parse_number(number.e164) == number
