"""``smskit estimate`` leaves out rows whose text is blank, as ``plan`` blocks them (fix29k).

A template of one field (``{msg}``) with an empty or all-space cell priced a segment for
a message that has nothing to send; ``smskit plan --sender`` blocks the same row
(``content.empty``). In process: each case is one short ``main`` call.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smskit.cli import main

RATES = 'name = "t"\ncurrency = "USD"\n[countries.US.10dlc]\nsms_per_segment = "0.0100"\n'
CSV = "phone,msg\n+1 415 555 0123,Hello there\n+1 415 555 0124,\n+1 415 555 0125,   \n"


def _estimate(tmp_path: Path, *extra: str, template: str = "{msg}") -> list[str]:
    (tmp_path / "c.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    return ["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
            "--template-text", template, *extra]


def test_blank_rows_are_counted_and_not_priced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_estimate(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "1 recipient (2 with a blank text left out)" in out
    assert "Messages            1\n" in out
    assert "Total               0.0100 USD" in out
    assert "Not priced: 2 rows with a blank text (lines 3, 4)" in out
    assert "content.empty" in out


def test_json_lists_the_blank_rows_and_csv_names_them_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_estimate(tmp_path, "--json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["blank_text"] == {"count": 2, "lines": [3, 4]}
    assert data["messages"] == 1
    assert main(_estimate(tmp_path, "--csv")) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[1:] == ["2,US,gsm7,1,0.0100,USD,,"]
    assert "smskit: not priced: 2 rows with a blank text (lines 3, 4)" in captured.err


@pytest.mark.parametrize("extra", [["--mms"], []])
def test_text_of_the_template_or_an_mms_keeps_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    # "Hi {msg}" is never blank; an MMS may carry its media alone.
    template = "{msg}" if extra else "Hi {msg}"
    args = _estimate(tmp_path, "--json", *extra, template=template)
    (tmp_path / "rates.toml").write_text(RATES + 'mms_per_message = "0.0200"\n', encoding="utf-8")
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["blank_text"] == {"count": 0, "lines": []}
    assert data["messages"] == 3


def test_the_rows_left_out_are_the_rows_plan_blocks_as_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rev29k: blank by Unicode's spaces as content.empty judges them (tab, no-break and
    # ideographic spaces, line separator); zero-width-only texts are sent by plan, so
    # priced here too. Each command reads the same file.
    cells = ["hi", "", "\t", "\u00a0\u3000", "\u2028", "\u200b", "ok"]
    rows = "".join(f'+1 415 555 01{i:02d},"{cell}"\n' for i, cell in enumerate(cells))
    (tmp_path / "c.csv").write_text("phone,msg\n" + rows, encoding="utf-8")
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "s.toml").write_text('[sender]\nsender_id = "+14155550100"\n', encoding="utf-8")
    assert main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "{msg}", "--json"]) == 0
    estimate = json.loads(capsys.readouterr().out)
    assert main(["plan", str(tmp_path / "c.csv"), "--template-text", "{msg}", "--sender",
                 str(tmp_path / "s.toml"), "--at", "2026-11-30T14:30:00-05:00",
                 "--purpose", "transactional", "--json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert estimate["blank_text"] == {"count": 4, "lines": [3, 4, 5, 6]}
    assert plan["by_code"]["content.empty"] == 4
    assert estimate["messages"] == len(cells) - 4


def test_blank_rows_share_the_bracket_with_landlines_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_estimate(tmp_path, "--skip-landlines")) == 0
    assert "1 recipient (0 left out; 2 with a blank text left out)" in capsys.readouterr().out
