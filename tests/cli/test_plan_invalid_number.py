"""``smskit plan`` says why a row's number is unusable (user29).

`estimate` named what a CRM export did to a number (a spreadsheet's ".0", an extension),
while `plan` said only "the recipient is not a valid phone number: check it", so the
person fixing the file had to run `estimate` to learn what to fix.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from smskit.cli import main

CAMPAIGN = (
    "name,phone\n"
    "Ann,+1 212 555 0123\n"
    "Bob,17875550199.0\n"
    "Cy,(787) 555-0111 ext. 2\n"
    "Dee,+1 212 555\n"
)


def _plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    code = main(["plan", str(tmp_path / "c.csv"), "--template-text", "Hi {name}",
                 "--at", "2026-12-07T12:00:00-05:00", "--csv"])
    out = capsys.readouterr().out
    assert code == 0, out
    return list(csv.DictReader(io.StringIO(out)))


def test_each_unusable_number_says_what_to_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _plan(tmp_path, capsys)
    assert [r["verdict"] for r in rows] == ["allow", "block", "block", "block"]
    assert [r["codes"] for r in rows[1:]] == ["number.invalid"] * 3
    assert "column 'phone'" in rows[1]["reason"]
    assert "ends in '.0'" in rows[1]["reason"]
    assert "spreadsheet" in rows[1]["reason"]
    assert "extension" in rows[2]["reason"]
    assert "too short" in rows[3]["reason"]


def test_the_reason_never_shows_the_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for row in _plan(tmp_path, capsys):
        for digits in ("7875550199", "5550111", "212 555"):
            assert digits not in row["reason"], row["reason"]
