"""Several sender windows: one window of each clock must allow (docs/quiet-hours.md).

The docstring said "a message must fall in one of them"; windows on different clocks
(the business's zone and the recipient's) must in fact all allow, and windows on one
clock add up. Expected instants worked out by hand from the zones' offsets.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from smskit.timing.quiet_hours import QuietHours
from smskit.timing.quiet_rules import SendWindow

TORONTO = ZoneInfo("America/Toronto")
BOTH = QuietHours(sender_windows=[
    SendWindow(time(8), time(20), clock="America/Toronto"),  # the business's hours
    SendWindow(time(9), time(19)),                           # the recipient's
])
LONDON_MOBILE = "+44 7400 123456"
MONTREAL = "+1 514 555 0123"


def test_windows_on_different_clocks_must_all_allow() -> None:
    # Saturday 7 March 2026, 18:00 in Toronto (EST) is 23:00 in London (GMT): the
    # business's window allows, the recipient's does not.
    at = datetime(2026, 3, 7, 18, 0, tzinfo=TORONTO)
    d = BOTH.check(LONDON_MOBILE, at, purpose="informational", recipient_zone="Europe/London")
    assert not d.allowed
    # Sunday 8 March: Toronto springs forward at 02:00 (EDT, UTC-4), London stays on
    # GMT. 09:00 London is 05:00 Toronto; 08:00 Toronto (EDT) is 12:00 UTC, 12:00 London.
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_windows_on_one_clock_add_up() -> None:
    # A Montreal customer reads Toronto's clock: 08:30 is in the business's window.
    at = datetime(2026, 3, 9, 8, 30, tzinfo=TORONTO)
    d = BOTH.check(MONTREAL, at, purpose="informational", recipient_zone="America/Toronto")
    assert d.allowed
