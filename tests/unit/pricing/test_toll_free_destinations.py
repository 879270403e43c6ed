"""+1 toll-free destinations (fix26m): the number does not say the country.

The toll-free codes 800, 833, 844, 855, 866, 877 and 888 are shared by the US and
Canada; ``phonenumbers`` reads such a number as US, and the estimate priced it at the
US rate as if that were known. A stated country now decides; otherwise the rows priced
as US are listed as an assumption. Amounts worked out by hand from the card below.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import ConfigurationError
from smskit.pricing import RateCard, estimate

CARD = RateCard.from_toml("""
name = "toll-free test"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
""")

TOLL_FREE = ["+1 800 555 0100", "+1 833 555 0101", "+1 844 555 0102", "+1 855 555 0103",
             "+1 866 555 0104", "+1 877 555 0105", "+1 888 555 0106"]


def test_a_toll_free_number_priced_as_us_is_said_to_be_assumed() -> None:
    rows = [{"number": "+1 415 555 0123"}, {"number": "+1 800 555 0100"},
            {"number": "+1 416 555 0199"}, {"number": "1-888-555-0106"}]
    result = estimate("hi", rates=CARD, recipients=rows)
    assert result.toll_free_as_us == (1, 3)
    assert [item.country for item in result.items] == ["US", "US", "CA", "US"]
    assert result.total == Decimal("0.0500")  # 3 x 0.01 + 0.02
    assert "toll_free_as_us=<2>" in repr(result)


@pytest.mark.parametrize("number", TOLL_FREE)
def test_a_stated_country_prices_a_toll_free_number(number: str) -> None:
    result = estimate("hi", rates=CARD, to=number, toll_free_country="ca")
    assert result.toll_free_as_us == ()
    assert result.items[0].country == "CA"
    assert result.total == Decimal("0.0200")


def test_the_stated_country_is_read_for_toll_free_numbers_only() -> None:
    rows = [{"number": "+1 415 555 0123"}, {"number": "+1 877 555 0105"}]
    result = estimate("hi", rates=CARD, recipients=rows, toll_free_country="CA")
    assert [item.country for item in result.items] == ["US", "CA"]


def test_a_toll_free_number_written_without_plus_one_takes_the_stated_region() -> None:
    national = estimate("hi", rates=CARD, to="800 555 0100", region="CA")
    assert national.items[0].country == "CA"
    assert national.toll_free_as_us == ()
    # Written with +1, the region (for numbers without a country code) says nothing.
    written = estimate("hi", rates=CARD, to="+1 800 555 0100", region="CA")
    assert written.items[0].country == "US"
    assert written.toll_free_as_us == (0,)


def test_country_of_states_every_country_itself() -> None:
    result = estimate("hi", rates=CARD, to="+1 800 555 0100", country_of=lambda n: "US")
    assert result.toll_free_as_us == ()


def test_ordinary_numbers_are_never_flagged() -> None:
    rows = [{"number": n} for n in ("+1 415 555 0123", "+1 212 555 0188", "+1 604 555 0142")]
    assert estimate("hi", rates=CARD, recipients=rows).toll_free_as_us == ()


@pytest.mark.parametrize("code", ["Canada", "ZZ", "", 7])
def test_an_unknown_toll_free_country_is_refused(code: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        estimate("hi", rates=CARD, to="+1 800 555 0100", toll_free_country=code)  # type: ignore[arg-type]
    assert info.value.field == "toll_free_country"


@given(
    code=st.sampled_from(["800", "833", "844", "855", "866", "877", "888"]),
    line=st.integers(2_000_000, 9_999_999),
)
def test_every_toll_free_code_is_flagged_or_priced_as_stated(code: str, line: int) -> None:
    number = f"+1{code}{line}"
    assert estimate("hi", rates=CARD, to=number).toll_free_as_us == (0,)
    stated = estimate("hi", rates=CARD, to=number, toll_free_country="CA")
    assert stated.items[0].country == "CA"
