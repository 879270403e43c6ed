"""The command line's totals are the library's to the last digit (review of rev30m).

A bundle of 3 segments for 1.00 makes one segment cost 1/3, which does not end: the
library works it out to 60 digits, its money context. The command line summed its
blocks in the caller's default context (28 digits), so `--json` printed a total,
base, cost per part and breakdown of 28 threes where `estimate()` gave 60.
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
[[bundles]]
name = "three"
segments = 3
price = "1.00"
"""
THIRD = "0." + "3" * 60  # 1.00 x 1 segment / 3, to 60 significant digits


def test_the_json_total_is_the_librarys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text("phone\n+1 415 555 0123\n", encoding="utf-8")
    library = estimate("hi", rates=RateCard.from_toml(RATES), to="+14155550123",
                       bundle="three")
    assert library.total == Decimal(THIRD)
    assert main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "hi", "--bundle", "three", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["base"], data["cost_per_part"]) == (THIRD, THIRD, THIRD)
    assert data["by_country"]["US"]["cost"] == THIRD
    assert data["rounded_total"] == "0.33"
