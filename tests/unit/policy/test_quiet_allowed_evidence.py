"""An allowed decision carries its quiet-hours evidence (user30, an auditor's question:
"which window, in the recipient's zone, allowed this text at 19:59:59?").

Windows and dates are typed from the statutes' summaries in docs/quiet-hours.md and
docs/engine.md ("Rule data"), not read from the code: Florida 08:00-20:00 (Fla. Stat.
501.616(6)), the TCPA 08:00-21:00, Oregon HB 3865 08:00-20:00 from 2026-01-01,
Mississippi 08:00-20:00 "Central Standard Time" (an unverified reading).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from smskit import CompliancePipeline, Decision, SenderProfile, SendRequest, Verdict
from smskit.policy.builtin import QuietHoursPolicy

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
CHI = ZoneInfo("America/Chicago")
SENDER = SenderProfile(sender_id="+14155550100")
ENGINE = CompliancePipeline((QuietHoursPolicy(),))
FLORIDA_LAW = "https://flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML"
TCPA = "https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/subpart-L/section-64.1200"


def _allowed(number: str, at: datetime, purpose: str = "marketing") -> Decision:
    decision = ENGINE.decide(SendRequest(number, body="Acme: hi", purpose=purpose), SENDER, at)
    assert decision.verdict is Verdict.ALLOW
    return decision


def test_a_miami_text_at_19_59_59_names_both_windows_and_the_local_time() -> None:
    decision = _allowed("+13055550123", datetime(2026, 11, 20, 19, 59, 59, tzinfo=NY))
    (finding,) = decision.findings
    assert finding.code == "quiet_hours.allowed"
    assert finding.message.startswith("Friday 19:59:59 in America/New_York: inside every "
                                      "window in force (US: ")
    assert "08:00-21:00" in finding.message
    assert "US-FL: Florida: commercial telephone solicitation only 08:00-20:00" in finding.message
    assert TCPA in finding.source
    assert FLORIDA_LAW in finding.source
    assert finding.status == "verified"
    assert finding.details["rules"] == ("us.tcpa.hours", "us-fl.hours")
    assert finding.details["local_times"] == ("2026-11-20T19:59:59-05:00",)
    # Kept in the saved audit record.
    assert Decision.from_json(decision.to_json()).findings == decision.findings


def test_the_day_before_a_law_takes_effect_it_is_named_as_not_yet_in_force() -> None:
    before = _allowed("+15035550123", datetime(2025, 12, 31, 20, 30, tzinfo=LA))
    (finding,) = before.findings
    assert finding.details["rules"] == ("us.tcpa.hours",)
    assert finding.details["not_yet_in_force"] == ("us-or.hours",)
    assert "not yet in force: US-OR us-or.hours (from 2026-01-01)" in finding.message
    # On the day it takes effect, at 19:59 (inside both windows), it is in force.
    on = _allowed("+15035550123", datetime(2026, 1, 1, 19, 59, tzinfo=LA))
    assert on.findings[0].details["rules"] == ("us.tcpa.hours", "us-or.hours")
    assert on.findings[0].details["not_yet_in_force"] == ()


def test_a_fixed_clock_is_shown_and_an_unverified_rule_labels_the_finding() -> None:
    # 09:00 CDT is 08:00 on Mississippi's fixed Central Standard Time (UTC-6).
    decision = _allowed("+16015550123", datetime(2026, 7, 6, 9, 0, tzinfo=CHI))
    (finding,) = decision.findings
    assert "Monday 09:00:00 in America/Chicago; Monday 08:00:00 in Etc/GMT+6" in finding.message
    assert finding.status == "unverified"
    assert finding.verified is False
    assert "[unverified: labelled default]" in decision.explain()


def test_an_informational_text_says_no_rule_governs_it() -> None:
    decision = _allowed("+13055550123", datetime(2026, 11, 20, 23, 30, tzinfo=NY),
                        purpose="informational")
    (finding,) = decision.findings
    assert finding.message == ("no quiet-hours rule in force governs informational "
                               "messages to US, US-FL")
    assert finding.details["rules"] == ()
