"""NANP numbers of the US territories get the US federal quiet hours (TCPA).

The TCPA is a US federal statute; 47 U.S.C. 153 defines "State" to include the
territories and possessions. Which region a number belongs to is phonenumbers'
metadata (MP +1 670, GU +1 671, AS +1 684, PR +1 787/939, VI +1 340); the
numbers below are its own example numbers, not smskit's.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import parse_number
from smskit.timing import QuietHours

TERRITORIES = ("MP", "GU", "AS", "PR", "VI")


def _example(region: str) -> str:
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert number is not None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@pytest.mark.parametrize("region", TERRITORIES)
def test_a_territory_number_is_judged_under_the_us_rules(region: str) -> None:
    phone = parse_number(_example(region))
    assert phone.region == region
    assert phone.subdivisions == (f"US-{region}",)
    zone = ZoneInfo(phone.time_zones[0])
    night = QuietHours().check(phone, datetime(2026, 6, 3, 22, 30, tzinfo=zone),
                               purpose="marketing")
    assert not night.allowed
    assert "US" in night.jurisdictions
    assert "us.tcpa.hours" in {rule.code for rule in night.rules}


@given(st.sampled_from(TERRITORIES), st.integers(0, 23), st.integers(0, 59))
def test_territory_marketing_goes_only_between_8_and_21_local(
    region: str, hour: int, minute: int
) -> None:
    phone = parse_number(_example(region))
    zone = ZoneInfo(phone.time_zones[0])
    at = datetime(2026, 6, 3, hour, minute, tzinfo=zone)  # a Wednesday, no holiday
    # 47 CFR 64.1200(c)(1): not before 8 a.m. or after 9 p.m. local time.
    assert QuietHours().check(phone, at, purpose="marketing").allowed is (8 <= hour < 21)
