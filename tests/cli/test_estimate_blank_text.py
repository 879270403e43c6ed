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
