"""Hypothesis strategies for instants around clock changes, in zones that have them.

The transitions are found here from zoneinfo's offsets (a scan by the hour, then a
bisection to the second), not by smskit: tests compare smskit's answers with UTC
arithmetic done on these instants.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

# Forward and back, by an hour or (Lord Howe) half an hour, both hemispheres; Chatham's
# offset is not a whole hour either.
ZONES = tuple(ZoneInfo(name) for name in (
    "Pacific/Auckland", "America/New_York", "Europe/London", "Australia/Sydney",
    "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham", "Europe/Berlin",
))


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta | None:
    return instant.astimezone(zone).utcoffset()


def _transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """The UTC instants in ``year`` at which ``zone``'s offset changes."""
    found = []
    hour = timedelta(hours=1)
    low = datetime(year, 1, 1, tzinfo=UTC)
    while low.year == year:
        high = low + hour
        if _offset(zone, low) != _offset(zone, high):
            a, b = low, high  # offset(a) is the old one; find the first second of the new
            while b - a > timedelta(seconds=1):
                mid = a + (b - a) / 2
                mid = mid.replace(microsecond=0)
                if _offset(zone, mid) == _offset(zone, low):
                    a = mid
                else:
                    b = mid
            found.append(b)
        low = high
    return found


TRANSITIONS = tuple(
    (zone, moment) for zone in ZONES for year in (2026, 2027) for moment in _transitions(zone, year)
)


@st.composite
def near_a_clock_change(draw: st.DrawFn, spread: timedelta = timedelta(hours=3)) -> datetime:
    """An aware datetime in a zone with clock changes, within ``spread`` of one (either
    side, to the second; ``fold`` set as the zone reads that instant)."""
    zone, moment = draw(st.sampled_from(TRANSITIONS))
    seconds = draw(st.integers(-int(spread.total_seconds()), int(spread.total_seconds())))
    return (moment + timedelta(seconds=seconds)).astimezone(zone)


@st.composite
def around_one_clock_change(
    draw: st.DrawFn, min_size: int = 1, max_size: int = 6,
    spread: timedelta = timedelta(hours=2),
) -> list[datetime]:
    """Several instants within ``spread`` of one clock change, in its zone: in the hour
    a clock change repeats, a later one often reads as earlier."""
    zone, moment = draw(st.sampled_from(TRANSITIONS))
    limit = int(spread.total_seconds())
    seconds = draw(st.lists(st.integers(-limit, limit), min_size=min_size, max_size=max_size))
    return [(moment + timedelta(seconds=s)).astimezone(zone) for s in seconds]
