"""``smskit estimate`` and +1 toll-free numbers (fix26m).

800, 833, 844, 855, 866, 877 and 888 are shared by the US and Canada: the estimate
priced such a number as US without saying so. It now says so (text and JSON), and
``--toll-free-country`` states the country. Amounts worked out by hand from RATES.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smskit.cli import _estimate as _cli_estimate
from smskit.cli import main

RATES = """\
name = "t"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
"""

CAMPAIGN = (
    "name,phone\nAnn,+1 415 555 0123\nBob,+1 800 555 0100\nCy,888-555-0106\n"
    "Dee,+1 416 555 0199\n"
)


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    code = main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "Hi {name}", *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def test_the_text_output_states_the_us_assumption(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(tmp_path, capsys)
    assert "Assumed: 2 toll-free +1 numbers priced as US (lines 3, 4)." in out
    assert "--toll-free-country CA prices them as Canada" in out
    assert "Total               0.0500 USD" in out  # 3 x 0.01 (US) + 0.02 (CA)


@pytest.mark.parametrize("chunk", [None, 1])
def test_json_lists_the_assumed_lines_and_a_stated_country_prices_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    chunk: int | None,
) -> None:
    if chunk is not None:  # one row per block: the lines still add up
        monkeypatch.setattr(_cli_estimate, "_CHUNK_ROWS", chunk)
    data: dict[str, Any] = json.loads(_run(tmp_path, capsys, "--json"))
    assert data["toll_free_as_us"] == {"count": 2, "lines": [3, 4]}
    assert data["total"] == "0.0500"
    stated = json.loads(_run(tmp_path, capsys, "--json", "--toll-free-country", "ca"))
    assert stated["toll_free_as_us"] == {"count": 0, "lines": []}
    assert stated["total"] == "0.0700"  # 0.01 (US) + 3 x 0.02 (CA)
    assert stated["by_country"]["CA"]["messages"] == 3


def test_no_note_without_toll_free_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text("name,phone\nAnn,+1 415 555 0123\n", encoding="utf-8")
    assert main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "Hi"]) == 0
    assert "Assumed" not in capsys.readouterr().out


def test_an_unknown_toll_free_country_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    code = main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "Hi", "--toll-free-country", "Canada"])
    assert code == 2
    assert "--toll-free-country 'Canada' is not a region code" in capsys.readouterr().err


def test_a_toll_free_country_outside_the_plus_one_countries_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rev26m: "CN" (China, a slip for Canada) priced +1 toll-free numbers at China's rate.
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    code = main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "Hi", "--toll-free-country", "CN"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--toll-free-country 'CN' is not a +1 country" in err
    assert "Traceback" not in err


def test_csv_output_states_the_us_assumption_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rev26m: --csv printed the toll-free rows with country US and said nothing (the
    # "Assumed:" line is the text view's). The rows stay exact; stderr says it.
    (tmp_path / "rates.toml").write_text(RATES, encoding="utf-8")
    (tmp_path / "c.csv").write_text(CAMPAIGN, encoding="utf-8")
    args = ["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
            "--template-text", "Hi {name}", "--csv"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[2].startswith("3,US,")  # the row itself as before
    assert "assumed: 2 toll-free +1 numbers priced as US (lines 3, 4)" in captured.err
    assert "--toll-free-country CA" in captured.err
    assert main([*args, "--toll-free-country", "CA"]) == 0
    assert "assumed" not in capsys.readouterr().err
