"""The repr of a campaign's estimate stays one short line whatever its size (user26:
printing a 20,000-row estimate in a notebook dumped every item)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from smskit.pricing import Estimate, RateCard, estimate
from smskit.pricing.templates import Template

CARD = RateCard.load(Path(__file__).parents[3] / "examples" / "rates.toml")


def _campaign(rows: int) -> Estimate:
    recipients = [{"number": f"+1 415 555 {i % 10000:04d}", "name": "Zoë"} for i in range(rows)]
    return estimate(Template("Hi {name}, rates dropped."), rates=CARD, recipients=recipients)


def test_a_large_estimate_prints_its_totals_in_one_short_line() -> None:
    campaign = _campaign(2000)
    text = repr(campaign)
    assert len(text) < 300
    assert "messages=2000" in text
    assert "items=<2000>" in text
    assert f"total={campaign.total!r}" in text
    assert "415" not in text  # no recipient, masked or not
    report = repr(campaign.report)
    assert report.startswith("CampaignReport(rows=2000, ")
    assert len(report) < 200


def test_the_repr_names_every_total_as_python_would() -> None:
    one = estimate("Your code is 123456", rates=CARD, to="+1 415 555 0123")
    assert repr(one) == (
        "Estimate(currency='USD', route='10dlc', direction='outbound', kind='sms', "
        "messages=1, segments=1, encoding='GSM-7', total=Decimal('0.0109'), items=<1>, "
        "skipped=<0>, bundle=None, bundles_needed=0, report=None)"
    )
    assert one.total == Decimal("0.0109")


def test_the_repr_says_what_was_priced() -> None:
    # Review rev25L: an outbound and an inbound MMS printed the same line but for the
    # total (and an MMS read as an SMS of 0 segments): the kind and direction matter.
    sms = estimate("Your code is 123456", rates=CARD, to="+1 415 555 0123")
    mms = estimate("Your code is 123456", rates=CARD, to="+1 415 555 0123", kind="mms")
    inbound = estimate("Your code is 123456", rates=CARD, to="+1 415 555 0123", kind="mms",
                       direction="inbound")
    assert "direction='outbound', kind='sms'" in repr(sms)
    assert "direction='outbound', kind='mms'" in repr(mms)
    assert "direction='inbound', kind='mms'" in repr(inbound)
    assert "bundle=None, bundles_needed=0" in repr(sms)
