"""A campaign file with two number columns: the user names the one to text.

A field-service export heads its columns "Phone" (often the home or office line) and
"Mobile Phone". ``estimate`` and ``plan`` took the first by name, "Phone", and planned
and priced every reminder to a line that cannot receive texts, without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import run

EXPORT = (
    "Job ID,Customer,Phone,Mobile Phone\n"
    "1001,Alice,+1 512 555 0101,+1 512 555 0277\n"
)


@pytest.mark.parametrize("command", ["estimate", "plan"])
def test_two_number_columns_stop_and_name_both(tmp_path: Path, command: str) -> None:
    campaign = tmp_path / "jobs.csv"
    campaign.write_text(EXPORT, encoding="utf-8")
    extra = (["--at", "2026-11-18T17:00:00-06:00"] if command == "plan"
             else ["--rates", "examples/rates.toml"])
    result = run(command, str(campaign), "--template-text", "Hi {customer}", *extra)
    assert result.returncode == 2
    assert "'Phone', 'Mobile Phone'" in result.stderr
    assert "--number-column" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_column_named_is_the_one_texted(tmp_path: Path) -> None:
    campaign = tmp_path / "jobs.csv"
    campaign.write_text(EXPORT, encoding="utf-8")
    result = run(
        "plan", str(campaign), "--template-text", "Hi {customer}", "--json",
        "--at", "2026-11-18T17:00:00-06:00", "--number-column", "mobile phone",
    )
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)["groups"]["allow"]
    assert row["recipient"].endswith("77")  # the mobile's last digits, not the Phone's 01
