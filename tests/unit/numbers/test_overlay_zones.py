"""An overlay area code covers the same territory as the codes it overlays, so it spans
their time zones too (rev30e).

phonenumbers 9.0.43 places 448 (the Florida panhandle's overlay of 850) in Eastern time
only and 364 (western Kentucky's overlay of 270, Kentucky's share of the Central zone) in
Eastern time only: a Pensacola or Paducah mobile was judged an hour ahead of its own
clock, so a marketing text at 07:30 there (08:30 Eastern) passed the TCPA's 08:00.
The zones expected below are worked by hand from the reference's split area codes
(§2a: 850 CT/ET, 270 CT/ET, 236/250 PT/MT, 306/639 MT/CT, 418/450/579/581 ET/AT, 709
AT/NT) and the overlays' territories (each source in the test's comment).
"""

from __future__ import annotations

from datetime import datetime
from importlib.metadata import version
from zoneinfo import ZoneInfo

import phonenumbers
import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.numbers import parse_number
from smskit.timing.quiet_hours import QuietHours

pytestmark = pytest.mark.upstream_data("phonenumbers", "9.0.43")

CENTRAL = ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    ("overlay", "must_include"),
    [
        # https://en.wikipedia.org/wiki/Area_codes_850_and_448: same area as 850
        ("448", {"America/Chicago", "America/New_York"}),
        # https://en.wikipedia.org/wiki/Area_codes_270_and_364: 270 is Kentucky's
        # share of the Central zone; 364 overlays it
        ("364", {"America/Chicago"}),
        # https://en.wikipedia.org/wiki/Area_codes_778,_236,_672,_and_257: the whole
        # province, as 236 and 250 (PT/MT)
        ("778", {"America/Vancouver", "America/Edmonton"}),
        ("672", {"America/Vancouver", "America/Edmonton"}),
        ("257", {"America/Vancouver", "America/Edmonton"}),
        # https://en.wikipedia.org/wiki/Area_codes_306,_639,_and_474: all of
        # Saskatchewan, as 306/639 (Regina's clock, and Lloydminster's Alberta time)
        ("474", {"America/Regina", "America/Edmonton"}),
        # https://en.wikipedia.org/wiki/Area_codes_418,_581,_and_367 (ET/AT as 418)
        ("367", {"America/Toronto", "America/Halifax"}),
        # https://en.wikipedia.org/wiki/Area_codes_450,_579,_and_354 (ET/AT as 450)
        ("354", {"America/Toronto", "America/Halifax"}),
        # https://en.wikipedia.org/wiki/Area_codes_709_and_879 (AT/NT as 709)
        ("879", {"America/Halifax", "America/St_Johns"}),
    ],
)
def test_overlay_spans_the_zones_of_the_codes_it_overlays(
    overlay: str, must_include: set[str]
) -> None:
    number = f"+1 {overlay} 555 0123"
    if not phonenumbers.is_valid_number(phonenumbers.parse(number)):
        pytest.skip(f"phonenumbers {version('phonenumbers')} predates area code {overlay}")
    zones = set(parse_number(number).time_zones)
    assert must_include <= zones, f"{overlay}: {sorted(zones)}"


def test_pensacola_448_number_waits_for_0800_on_its_own_clock() -> None:
    # Tuesday 10 March 2026, 07:30 CDT = 08:30 EDT. The TCPA (verified) allows 08:00-21:00
    # at the called party's location; in Pensacola (Central) that is 08:00 CDT, i.e.
    # 13:00 UTC. Before the fix the number read as Eastern only and was allowed.
    at = datetime(2026, 3, 10, 7, 30, tzinfo=CENTRAL)
    decision = QuietHours(include_unverified=False).check(
        "+1 448 555 0123", at, purpose="marketing")
    assert not decision.allowed
    assert decision.next_allowed == datetime(2026, 3, 10, 8, 0, tzinfo=CENTRAL)


def test_paducah_364_number_waits_for_0800_on_its_own_clock() -> None:
    # Same instant, western Kentucky (Central): refused until 08:00 CDT.
    at = datetime(2026, 3, 10, 7, 30, tzinfo=CENTRAL)
    decision = QuietHours(include_unverified=False).check(
        "+1 364 555 0123", at, purpose="marketing")
    assert not decision.allowed
    assert decision.next_allowed == datetime(2026, 3, 10, 8, 0, tzinfo=CENTRAL)


def test_engine_defers_a_448_marketing_text_before_0800_central() -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    number = "+1 448 555 0123"
    ledger.grant(number, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")),
                 evidence=Evidence(consent_text="Yes, text me Acme offers",
                                   form_url="https://acme.example/join"))
    acme = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                         brand="Acme", consent_scope="acme")
    engine = CompliancePipeline(default_policies(store=store))
    request = SendRequest(number, body="Acme: 15% off this week. Reply STOP to opt out",
                          purpose=Purpose.MARKETING, first_message=False)
    decision = engine.decide(request, acme, datetime(2026, 3, 10, 7, 30, tzinfo=CENTRAL))
    assert decision.verdict is Verdict.DEFER
    # Florida (verified, 08:00-20:00) and the TCPA both open at 08:00 in Pensacola.
    assert decision.not_before == datetime(2026, 3, 10, 8, 0, tzinfo=CENTRAL)
