"""``smskit plan`` without ``--sender`` blocks a blank text, as ``estimate`` leaves it out (fix31c).

Before, only ``plan --sender`` checked content: without it a row whose filled template
was empty or all spaces was counted in "send now" and priced, while ``estimate``,
``estimate()`` and the data-frame adapters leave such rows out (``content.empty``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from smskit.cli import main

CAMPAIGN = (
    "phone,msg\n"
    "+1 212 555 0123,Your order shipped\n"
    "+1 212 555 0124,\n"
    "+1 212 555 0125,\"  \t \"\n"
)
RATES = 'currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.0100\n'
AT = "2026-12-07T12:00:00-05:00"


def _plan(tmp_path: Path, *extra: str) -> list[str]:
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "r.toml").write_text(RATES, encoding="utf-8")
    return ["plan", str(tmp_path / "c.csv"), "--template-text", "{msg}", "--at", AT,
            "--rates", str(tmp_path / "r.toml"), *extra]


def test_blank_rows_are_blocked_as_content_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_plan(tmp_path, "--csv")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["verdict"] for r in rows] == ["allow", "block", "block"]
    assert all("content.empty" in r["codes"].split() for r in rows[1:])
    assert "content.empty" not in rows[0]["codes"]


def test_the_cost_counts_only_the_row_sent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_plan(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "  send now   1\n" in out
    assert "  blocked    2\n" in out
    assert "2 content.empty" in out
    assert "cost       0.0100 USD for the rows sent now or later" in out
