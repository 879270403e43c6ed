"""The opt-out confirmation deadline near the ends of the calendar.

``_later`` adds real time by way of UTC, but a time of 1 January of year 1 at a positive
offset (or of 31 December 9999 at a negative one) has no UTC form: the deadline must
still be five minutes on, not the end of the calendar; only a deadline past year 9999
(before year 1) is clamped to the calendar's last (first) time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.ledger import _later
from smskit.testing import FixedClock

PLUS_5 = timezone(timedelta(hours=5))
MINUS_5 = timezone(timedelta(hours=-5))
FIVE_MINUTES = timedelta(minutes=5)
MICROSECONDS_A_DAY = 86_400_000_000


def _microseconds(at: datetime) -> int:
    """The instant as microseconds from the calendar's start, counted by hand (no UTC
    datetime needed, so it exists at the calendar's ends too)."""
    offset = at.utcoffset()
    assert offset is not None
    wall = (at.toordinal() * MICROSECONDS_A_DAY + at.hour * 3_600_000_000
            + at.minute * 60_000_000 + at.second * 1_000_000 + at.microsecond)
    return wall - offset // timedelta(microseconds=1)


@pytest.mark.parametrize(("at", "expected"), [
    # 03:00 at UTC+5 on 1 January of year 1 is 22:00 UTC on the day before year 1.
    (datetime(1, 1, 1, 3, 0, tzinfo=PLUS_5), datetime(1, 1, 1, 3, 5, tzinfo=PLUS_5)),
    # 23:00 at UTC-5 on 31 December 9999 is 04:00 UTC in year 10000.
    (datetime(9999, 12, 31, 23, 0, tzinfo=MINUS_5),
     datetime(9999, 12, 31, 23, 5, tzinfo=MINUS_5)),
])
def test_a_time_without_a_utc_form_still_gets_five_minutes(
    at: datetime, expected: datetime
) -> None:
    later = _later(at, FIVE_MINUTES)
    assert (later.replace(tzinfo=None), later.utcoffset()) == (
        expected.replace(tzinfo=None), expected.utcoffset())


def test_a_named_zone_on_the_first_day_of_the_calendar() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # local mean time in year 1, about UTC+5:53
    at = datetime(1, 1, 1, 2, 0, tzinfo=kolkata)
    later = _later(at, FIVE_MINUTES)
    assert later.replace(tzinfo=None) == datetime(1, 1, 1, 2, 5)
    assert later.tzinfo is kolkata


def test_a_deadline_past_the_calendar_is_its_last_time_and_before_it_its_first() -> None:
    late = _later(datetime(9999, 12, 31, 23, 58, tzinfo=PLUS_5), FIVE_MINUTES)
    assert late == datetime.max.replace(tzinfo=PLUS_5)
    early = _later(datetime(1, 1, 1, 0, 2, tzinfo=MINUS_5), -FIVE_MINUTES)
    assert early == datetime.min.replace(tzinfo=MINUS_5)


def test_a_stop_on_the_first_day_of_the_calendar_is_confirmed_within_five_minutes() -> None:
    stop_at = datetime(1, 1, 1, 3, 0, tzinfo=PLUS_5)
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(datetime(2026, 1, 1, tzinfo=UTC)))
    outcome = ledger.handle_reply("+12125550142", "STOP", scope="acme", at=stop_at)
    assert outcome.reply is not None
    assert outcome.reply.send_by is not None
    assert outcome.reply.send_by.replace(tzinfo=None) == datetime(1, 1, 1, 3, 5)


@given(
    at=st.datetimes(timezones=st.integers(-14 * 60, 14 * 60).map(
        lambda minutes: timezone(timedelta(minutes=minutes)))),
    delta=st.timedeltas(-timedelta(days=2), timedelta(days=2)),
)
def test_later_is_real_time_or_the_calendar_s_end(at: datetime, delta: timedelta) -> None:
    later = _later(at, delta)
    assert later.tzinfo is at.tzinfo
    wall = _microseconds(at.replace(tzinfo=UTC)) + delta // timedelta(microseconds=1)
    if wall > _microseconds(datetime.max.replace(tzinfo=UTC)):
        assert later == datetime.max.replace(tzinfo=at.tzinfo)
    elif wall < _microseconds(datetime.min.replace(tzinfo=UTC)):
        assert later == datetime.min.replace(tzinfo=at.tzinfo)
    else:
        assert _microseconds(later) - _microseconds(at) == delta // timedelta(microseconds=1)


@given(st.datetimes(datetime(1, 1, 1), datetime(1, 1, 2)) | st.datetimes(
    datetime(9999, 12, 30), datetime(9999, 12, 31, 23, 54)))
def test_near_the_ends_five_minutes_are_five_minutes(naive: datetime) -> None:
    for zone in (PLUS_5, MINUS_5):
        at = naive.replace(tzinfo=zone)
        assert _microseconds(_later(at, FIVE_MINUTES)) - _microseconds(at) == 300_000_000
