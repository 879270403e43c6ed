"""Fakes for your own tests: a clock you control, the in-memory stores and provider.

Everything here is complete, not a stub: the in-memory stores are the same classes
smskit's own tests run every contract test against.

>>> from datetime import UTC, datetime, timedelta
>>> clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
>>> clock.advance(timedelta(minutes=5)).isoformat()
'2026-11-23T09:05:00+00:00'
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .consent import MemoryStore
from .errors import ConfigurationError
from .providers import AsyncMemoryProvider, MemoryProvider
from .timing.caps import MemorySendHistory

__all__ = [
    "AsyncMemoryProvider",
    "FixedClock",
    "MemoryProvider",
    "MemorySendHistory",
    "MemoryStore",
]


class FixedClock:
    """A clock that says what you set (implements :class:`smskit.consent.Clock`).

    Args:
        at: the time it shows; must be timezone-aware.
    """

    def __init__(self, at: datetime) -> None:
        self._at = _aware(at)

    def now(self) -> datetime:
        """The time set, unchanged until :meth:`set` or :meth:`advance`."""
        return self._at

    def set(self, at: datetime) -> None:
        """Show ``at`` from now on."""
        self._at = _aware(at)

    def advance(self, delta: timedelta) -> datetime:
        """Move forward (or back, with a negative delta) by real time, in the same zone,
        and return the new time.

        Raises:
            ConfigurationError: the time would leave years 1 to 9999 in its zone,
                or the zone's tzinfo cannot convert from UTC (its ``dst()`` gives
                ``None``); the clock is left as it was.
        """
        # In UTC: at + delta in a zone's own tzinfo is wall-clock arithmetic, which drops
        # fold and lands up to an hour off beside a clock change.
        try:
            self._at = (self._at.astimezone(UTC) + delta).astimezone(self._at.tzinfo)
            return self._at
        except OverflowError:
            pass
        except ValueError as exc:  # tzinfo.fromutc() needs dst() to give a timedelta
            raise ConfigurationError(
                f"FixedClock cannot advance in the time zone {self._at.tzinfo!r}: its tzinfo "
                f"cannot convert from UTC ({exc}); make its dst() return a timedelta, or use "
                "a zoneinfo.ZoneInfo or a datetime.timezone",
                field="at",
            ) from None
        # The start or the end has no UTC form (within a day of the calendar's ends: year
        # 1 at a positive offset, 9999 at a negative one). Wall-clock arithmetic, then put
        # back the hour a clock change on the way (none near the ends) took or gave.
        try:
            moved = self._at + delta
            moved += _offset(moved) - _offset(self._at)
        except OverflowError:
            raise ConfigurationError(
                f"FixedClock cannot advance {self._at.isoformat()} by {delta}: the time "
                "falls outside years 1 to 9999 in its zone; start the clock further from "
                "the ends of the calendar",
                field="delta",
            ) from None
        self._at = moved
        return moved


def _offset(at: datetime) -> timedelta:
    return at.utcoffset() or timedelta(0)


def _aware(at: datetime) -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ConfigurationError(
            f"FixedClock needs a timezone-aware datetime, got {at!r}", field="at"
        )
    return at
