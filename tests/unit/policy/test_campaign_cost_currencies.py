"""``decide_many`` keeps costs in different currencies apart (user32).

A card may price a country in its own currency (Canada in CAD). ``total_cost`` added
0.0200 CAD to 0.0100 USD and ``currency`` named the first row's currency, so the
campaign's cost read 0.0300 in whichever currency its first row was priced.
"""

from __future__ import annotations

import pickle
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from smskit import (
    CompliancePipeline,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.errors import RateCardError
from smskit.policy import CampaignDecisions, Verdict
from smskit.pricing import RateCard

CARD = RateCard.from_toml("""
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA]
currency = "CAD"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
""")
NOON = datetime(2026, 12, 8, 12, 0, tzinfo=ZoneInfo("America/New_York"))


ACME = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED)


def _plan(numbers: list[str]) -> CampaignDecisions:
    engine = CompliancePipeline(default_policies(), rates=CARD)
    requests = [SendRequest(n, body="Your showing is confirmed", purpose=Purpose.INFORMATIONAL)
                for n in numbers]
    return engine.decide_many(requests, ACME, NOON)


def test_a_canadian_first_row_does_not_relabel_the_total() -> None:
    plan = _plan(["+1 416 555 0199", "+1 212 555 0123", "+1 305 555 0123"])
    assert [d.verdict for d in plan.decisions] == [Verdict.ALLOW] * 3
    assert plan.currency == "USD"
    assert plan.cost_by_verdict == {Verdict.ALLOW: Decimal("0.0200")}
    assert plan.cost_by_currency == {
        "CAD": Decimal("0.0200"), "USD": Decimal("0.0200")
    }


def test_the_amounts_per_currency_survive_pickling() -> None:
    plan = _plan(["+1 416 555 0199", "+1 212 555 0123"])
    again = pickle.loads(pickle.dumps(plan))
    assert again.cost_by_currency == {"CAD": Decimal("0.0200"), "USD": Decimal("0.0100")}
    assert again.cost_by_verdict == {Verdict.ALLOW: Decimal("0.0100")}


def test_a_campaign_all_in_the_other_currency_keeps_its_cost_and_currency() -> None:
    # rev28v: a Toronto-only campaign on this card read total_cost 0 USD (its CAD cost
    # dropped from the card's amounts); before user32 it was right: 0.0400 CAD.
    plan = _plan(["+1 416 555 0199", "+1 647 555 0123"])
    assert plan.currency == "CAD"
    assert plan.total_cost == Decimal("0.0400")
    assert plan.cost_by_verdict == {Verdict.ALLOW: Decimal("0.0400")}
    assert plan.cost_by_currency == {"CAD": Decimal("0.0400")}


def test_a_total_of_two_currencies_is_refused_not_left_partial() -> None:
    # rev28v: total_cost gave the USD rows' cost alone, read as the campaign's.
    plan = _plan(["+1 416 555 0199", "+1 212 555 0123"])
    with pytest.raises(RateCardError, match="CAD") as raised:
        _ = plan.total_cost
    assert "cost_by_currency" in str(raised.value)
