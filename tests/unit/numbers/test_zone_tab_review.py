"""Review rev21z of the zone.tab check of a number's zones (8c21f65)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from smskit.numbers.parse import parse_number

JULY = datetime(2026, 7, 15, 12, tzinfo=UTC)


def test_a_kaliningrad_number_keeps_a_nearby_clock_not_all_of_russia() -> None:
    # phonenumbers names Europe/Bucharest for Kaliningrad (+7 401x): UTC+2 in winter,
    # an hour ahead of Kaliningrad in summer. Replacing it with all 26 Russian zones
    # (UTC+2 to UTC+12) would put the number in eleven clocks; Kaliningrad's own and
    # those that keep Bucharest's clock part of the year (UTC+3) are what is known.
    zones = parse_number("+74012345678").time_zones
    assert "Europe/Kaliningrad" in zones
    offsets = {JULY.astimezone(zoneinfo.ZoneInfo(z)).utcoffset() for z in zones}
    assert len(offsets) <= 2, zones
    assert "Asia/Vladivostok" not in zones


def test_a_stand_in_that_differs_on_a_few_days_a_year_is_replaced() -> None:
    # Europe/Bucharest for Palestine: the same offset on the 15th of every month, but
    # Palestine's summer time starts and ends on other days (tzdata: Asia/Gaza, Hebron).
    assert parse_number("+97022234567").time_zones == ("Asia/Gaza", "Asia/Hebron")
