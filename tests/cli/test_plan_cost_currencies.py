"""``smskit plan`` adds costs per currency and counts the rows it cannot price (user32).

A card may price a country in its own currency (Canada in CAD): the plan added 0.0200
CAD to 0.0100 USD and printed "0.0300 USD". A destination the card does not price (a
Puerto Rico number on a US-and-Canada card) was left out of the cost without a word.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from smskit.cli import main

RATES = """\
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA]
currency = "CAD"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
"""
CAMPAIGN = "name,phone\nAnn,+1 212 555 0123\nBob,+1 416 555 0199\nCy,+1 787 555 0123\n"


def _plan(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    code = main(["plan", str(tmp_path / "c.csv"), "--template-text", "Hi {name}",
                 "--rates", str(tmp_path / "rates.toml"), "--at", "2026-12-08T12:00:00-05:00",
                 *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_costs_add_up_per_currency_and_unpriced_rows_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _plan(tmp_path, capsys)
    assert "send now   3\n" in out
    assert "cost       0.0100 USD + 0.0200 CAD for the rows sent now or later" in out
    assert "0.0300" not in out
    assert "unpriced   1 row sent now or later with no price in the rate card" in out


def test_each_rows_cost_names_its_currency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(_plan(tmp_path, capsys, "--csv"))))
    assert [(r["cost"], r["currency"]) for r in rows] == [
        ("0.0100", "USD"), ("0.0200", "CAD"), ("", "")
    ]
    assert "cost.unpriced" in rows[2]["codes"]
