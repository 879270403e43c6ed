"""smskit.testing: the fakes users put in their own tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _dst import near_a_clock_change
from smskit import ConfigurationError, ConsentLedger, Purpose
from smskit.testing import FixedClock, MemoryStore

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_fixed_clock_stamps_ledger_events() -> None:
    clock = FixedClock(T0)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    first = ledger.grant(
        "+14155550123", scope="acme", purposes=[Purpose.INFORMATIONAL], kind="express",
        source="verbal", at=T0,
    )
    clock.advance(timedelta(hours=2))
    second = ledger.revoke("+14155550123", scope="acme", at=T0 + timedelta(hours=1), method="api")
    assert first.recorded_at == T0
    assert second.recorded_at == T0 + timedelta(hours=2)


def test_fixed_clock_refuses_naive_times() -> None:
    with pytest.raises(ConfigurationError) as info:
        FixedClock(datetime(2026, 11, 23, 9, 0))
    assert info.value.field == "at"
    clock = FixedClock(T0)
    with pytest.raises(ConfigurationError):
        clock.set(datetime(2026, 1, 1))
    assert clock.now() == T0


def test_fixed_clock_advances_by_real_time_across_a_clock_change() -> None:
    new_york = ZoneInfo("America/New_York")
    # 01:58 EDT on 1 November 2026 is 05:58 UTC; clocks go back at 06:00 UTC.
    clock = FixedClock(datetime(2026, 11, 1, 1, 58, tzinfo=new_york))
    moved = clock.advance(timedelta(minutes=5))
    assert moved.astimezone(UTC) == datetime(2026, 11, 1, 6, 3, tzinfo=UTC)
    assert moved.tzinfo is new_york  # still shown in the zone it was set in
    assert clock.now() == moved


@given(near_a_clock_change(), st.integers(-6 * 3600, 6 * 3600))
def test_fixed_clock_advances_by_real_time_in_its_zone(at: datetime, seconds: int) -> None:
    # 30 minutes on from 02:40 NZDT, as Auckland's clocks go back, is 02:10 NZST: by
    # wall clock (plain at + delta) it would be 03:10 NZST, an hour and a half later.
    clock = FixedClock(at)
    moved = clock.advance(timedelta(seconds=seconds))
    assert moved.astimezone(UTC) == at.astimezone(UTC) + timedelta(seconds=seconds)
    assert moved.tzinfo is at.tzinfo
    assert clock.now() == moved


class _NoDst(tzinfo):
    """A custom zone that gives an offset but no DST information, as tzinfo allows."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(hours=-5)

    def dst(self, dt: datetime | None) -> None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "X"


NEW_YORK = ZoneInfo("America/New_York")
MINUS_5 = timezone(timedelta(hours=-5))
PLUS_5 = timezone(timedelta(hours=5))


@pytest.mark.parametrize(("at", "delta", "expected"), [
    # 23:00 at UTC-5 on the last day of 9999 is past year 9999 in UTC, not in its zone:
    # the clock was set there, so it stays there or moves within the calendar.
    (datetime(9999, 12, 31, 23, 0, tzinfo=MINUS_5), timedelta(0),
     datetime(9999, 12, 31, 23, 0, tzinfo=MINUS_5)),
    (datetime(9999, 12, 31, 23, 0, tzinfo=MINUS_5), timedelta(hours=-3),
     datetime(9999, 12, 31, 20, 0, tzinfo=MINUS_5)),
    (datetime(9999, 12, 31, 18, 0, tzinfo=MINUS_5), timedelta(minutes=90),
     datetime(9999, 12, 31, 19, 30, tzinfo=MINUS_5)),
    # 02:00 at UTC+5 on the first day of year 1 is 21:00 UTC the day before year 1.
    (datetime(1, 1, 1, 2, 0, tzinfo=PLUS_5), timedelta(minutes=5),
     datetime(1, 1, 1, 2, 5, tzinfo=PLUS_5)),
    (datetime(1, 1, 1, 9, 0, tzinfo=PLUS_5), timedelta(hours=-8),
     datetime(1, 1, 1, 1, 0, tzinfo=PLUS_5)),
    # 12:00 EDT (16:00 UTC) on 1 June 9999, 213 days and 10 hours on, is 02:00 UTC on
    # 1 January 10000: 21:00 EST, not the wall clock's 22:00 (November's change between).
    (datetime(9999, 6, 1, 12, 0, tzinfo=NEW_YORK), timedelta(days=213, hours=10),
     datetime(9999, 12, 31, 21, 0, tzinfo=NEW_YORK)),
])
def test_fixed_clock_moves_near_the_ends_of_the_calendar_where_its_zone_can_show_the_time(
    at: datetime, delta: timedelta, expected: datetime
) -> None:
    clock = FixedClock(at)
    moved = clock.advance(delta)
    assert (moved, moved.utcoffset()) == (expected, expected.utcoffset())
    assert clock.now() is moved


@pytest.mark.parametrize(("at", "delta"), [
    (datetime(9999, 12, 31, 23, 0, tzinfo=MINUS_5), timedelta(hours=1)),
    (datetime(1, 1, 1, 2, 0, tzinfo=PLUS_5), timedelta(hours=-3)),
    (datetime(9999, 12, 31, 12, 0, tzinfo=UTC), timedelta(days=1)),
    (datetime(1, 1, 1, 1, 0, tzinfo=UTC), timedelta(hours=-2)),
])
def test_fixed_clock_says_what_to_fix_at_the_ends_of_the_calendar(
    at: datetime, delta: timedelta
) -> None:
    clock = FixedClock(at)
    with pytest.raises(ConfigurationError, match="years 1 to 9999") as caught:
        clock.advance(delta)
    assert caught.value.field == "delta"
    assert clock.now() is at  # unchanged


def test_fixed_clock_says_what_to_fix_for_a_zone_without_dst() -> None:
    at = datetime(2026, 3, 1, 9, 0, tzinfo=_NoDst())
    clock = FixedClock(at)
    with pytest.raises(ConfigurationError, match="dst") as caught:
        clock.advance(timedelta(minutes=5))
    assert caught.value.field == "at"
    assert clock.now() is at
