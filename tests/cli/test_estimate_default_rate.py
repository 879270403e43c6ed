"""A destination priced by the card's ``"*"`` rate is named (review rev30m).

A card that forgot Canada priced a Toronto number at its ``"*"`` international rate
(0.0900 instead of 0.0079 a segment) and said nothing: the total read as the card's
prices. ``Estimate.priced_by_default`` and the command line name such countries.
Amounts worked out by hand from RATES.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from smskit.cli import main
from smskit.pricing import RateCard, estimate

RATES = """\
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0079"
[countries.GB.international]
sms_per_segment = "0.0460"
[countries."*".international]
sms_per_segment = "0.0900"
"""
CARD = RateCard.from_toml(RATES)
NUMBERS = ["+1 415 555 0123", "+1 416 555 0199", "+44 7400 123456", "+1 787 555 0123"]


def test_the_estimate_names_the_countries_priced_by_the_default_rate() -> None:
    result = estimate("hi", rates=CARD, recipients=[{"number": n} for n in NUMBERS])
    # US 0.0079 + CA 0.0900 + GB 0.0460 + PR 0.0900 = 0.2339
    assert result.total == Decimal("0.2339")
    assert result.priced_by_default == ("CA", "PR")  # GB and US have their own prices
    assert "priced_by_default=('CA', 'PR')" in repr(result)
    one = estimate("hi", rates=CARD, to=NUMBERS[0])
    assert one.priced_by_default == ()
    assert "priced_by_default" not in repr(one)


def test_the_command_line_names_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text("phone\n" + "\n".join(NUMBERS) + "\n", encoding="utf-8")
    args = ["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
            "--template-text", "hi"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert 'Default: CA, PR priced at the card\'s "*" rate (no price of their own)' in out
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["priced_by_default"]) == ("0.2339", ["CA", "PR"])
