"""A recipient zone that is a fixed offset, not the zone of a place, is refused.

CRM exports write a lead's zone as "EST": an IANA name, but a fixed UTC-05:00 with no
daylight saving. A Miami lead at 20:30 EDT in July (19:30 "EST") was allowed a marketing
text that Florida's 08:00-20:00 forbids, and a New York one at 21:30 EDT (20:30 "EST")
one the TCPA forbids; "UTC", a CRM's default for an unknown zone, put a Los Angeles lead's
night at noon. The place's zone (America/New_York) keeps its summer hour.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit.errors import ConfigurationError
from smskit.policy import SendRequest
from smskit.timing.quiet_hours import QuietHours

NY = ZoneInfo("America/New_York")
MIAMI = "+13055550128"
SUMMER_EVENING = datetime(2026, 7, 8, 20, 30, tzinfo=NY)  # Wednesday, EDT (UTC-4)


@pytest.mark.parametrize(
    "zone", ["EST", "MST", "HST", "UTC", "GMT", "Etc/GMT+5", "Etc/UTC", "Zulu", "Universal"]
)
def test_a_fixed_offset_zone_is_refused_naming_a_place(zone: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        SendRequest(MIAMI, body="Acme: hi. Reply STOP to opt out", recipient_zone=zone)
    assert caught.value.field == "recipient_zone"
    assert "America/New_York" in str(caught.value)  # what to write instead
    with pytest.raises(ConfigurationError):
        QuietHours().check(MIAMI, SUMMER_EVENING, purpose="marketing", recipient_zone=zone)


@pytest.mark.parametrize("zone", ["America/New_York", "US/Eastern", "EST5EDT"])
def test_a_zone_that_keeps_daylight_saving_defers_the_florida_evening(zone: str) -> None:
    # Florida: commercial texts 08:00-20:00 (Fla. Stat. 501.616); 20:30 EDT is outside.
    decision = QuietHours().check(
        MIAMI, SUMMER_EVENING, purpose="marketing", recipient_zone=zone, recipient_region="US-FL"
    )
    assert not decision.allowed


def test_the_cli_names_the_row_and_the_place_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from smskit.cli import main

    campaign = tmp_path / "leads.csv"
    campaign.write_text(f"number,state,tz\n{MIAMI},FL,EST\n", encoding="utf-8")
    code = main(["plan", str(campaign), "--template-text", "Acme: hi. Reply STOP to opt out",
                 "--at", "2026-07-08T20:30:00-04:00", "--state-column", "state",
                 "--zone-column", "tz", "--csv"])
    out = capsys.readouterr().out
    assert code == 0
    row = out.splitlines()[1]
    assert ",allow," not in row
    assert ",invalid," in row
    assert "fixed offset" in row
    code = main(["check", MIAMI, "--at", "2026-07-08T20:30:00-04:00", "--zone", "EST",
                 "--body", "Acme: hi. Reply STOP to opt out"])
    assert code == 2
