"""A number whose area spans two zones: the finding says why "next allowed" is late.

+1 850 is the Florida panhandle: Tallahassee on Eastern time, Pensacola on Central.
At 20:30 Eastern the finding said "Tuesday 20:30 in America/New_York is outside the
allowed hours (Florida: ... 08:00-20:00); next allowed 2026-12-02T09:00:00-05:00":
09:00 where the rule it quotes opens at 08:00, with nothing saying that 09:00
Eastern is 08:00 in Chicago, the number's other zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from smskit.timing.quiet_hours import QuietHours

NEW_YORK = ZoneInfo("America/New_York")


def test_the_finding_names_every_zone_the_next_instant_waits_for() -> None:
    at = datetime(2026, 12, 1, 20, 30, tzinfo=NEW_YORK)
    decision = QuietHours().check("+1 850 555 0123", at, purpose="marketing")
    assert decision.next_allowed == datetime(2026, 12, 2, 9, 0, tzinfo=NEW_YORK)
    (finding,) = decision.findings
    assert finding.code == "quiet_hours.outside_window"
    assert finding.message.endswith(
        "next allowed 2026-12-02T09:00:00-05:00 (the recipient's zones, which must all "
        "allow: America/Chicago, America/New_York)"
    )


def test_a_number_of_one_zone_keeps_the_short_message() -> None:
    at = datetime(2026, 12, 1, 20, 30, tzinfo=NEW_YORK)
    decision = QuietHours().check("+1 305 555 0123", at, purpose="marketing")
    (finding,) = decision.findings
    assert finding.message.endswith("next allowed 2026-12-02T08:00:00-05:00")
