"""End-to-end tests of the installed ``smskit`` command, run as a real process."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import sysconfig
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "data" / "cli"


def _entry_point() -> str:
    scripts = sysconfig.get_path("scripts")
    found = shutil.which("smskit", path=scripts) or shutil.which(
        "smskit", path=str(Path(sys.executable).parent)
    )
    assert found, f"the smskit entry point is not installed in {scripts}; pip install -e ."
    return found


SMSKIT = _entry_point()


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SMSKIT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        check=False,
    )


RATES = """
name = "cli test card"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = 0.0079
sms_carrier_fee_per_segment = 0.003
[countries.CA.10dlc]
sms_per_segment = 0.0075
"""


@pytest.fixture
def small_campaign(tmp_path: Path) -> tuple[Path, Path]:
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    campaign = tmp_path / "campaign.csv"
    campaign.write_text(
        "number,name\n"
        "+1 415 555 0123,Ann\n"  # GSM-7, 1 segment, US: 0.0109
        "+1 416 555 0199,Zoë\n"  # UCS-2, 1 segment, CA: 0.0075
        "+1 212 555 0147," + "x" * 161 + "\n",  # GSM-7, 161 septets: 2 segments, US: 0.0218
        encoding="utf-8",
    )
    return campaign, rates


@pytest.mark.parametrize(
    "command",
    [[], ["count"], ["explain"], ["estimate"], ["lint"], ["check"], ["plan"], ["classify"], ["mms"],
     ["ledger"], ["ledger", "verify"], ["ledger", "export"], ["ledger", "status"]],
)
def test_help_everywhere(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: smskit")


def test_lint_blocks_a_public_shortener() -> None:
    # Public shorteners are forbidden by US carriers (docs/content.md): a blocking finding.
    result = run("lint", "Big sale today! bit.ly/abc")
    assert result.returncode == 1
    assert "content.url_shortener" in result.stdout
    assert "content.opt_out_missing" in result.stdout  # marketing without opt-out language


def test_lint_passes_a_clean_informational_reply() -> None:
    result = run(
        "lint",
        "Acme Dental: your cleaning is confirmed. Reply STOP to opt out.",
        "--purpose",
        "informational",
        "--first",
        "--brand",
        "Acme Dental",
        "--json",
    )
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["blocked"] is False
    assert all(f["severity"] in ("info", "warning") for f in report["findings"])


def test_check_florida_evening_is_deferred_to_the_morning() -> None:
    # Fla. Stat. 501.616(6): 8:00-20:00 in the called person's time zone; 305 is a Miami
    # (Eastern) area code. Monday 23 Nov 2026 20:30 EST is too late; 08:00 next day is fine.
    # Exit 3: deferred (docs/cli.md).
    late = run("check", "+1 305 555 0123", "--at", "2026-11-23T20:30:00-05:00", "--json")
    assert late.returncode == 3
    answer = json.loads(late.stdout)
    assert answer["verdict"] == "defer"
    assert answer["not_before"] == "2026-11-24T08:00:00-05:00"
    assert answer["not_before_utc"] == "2026-11-24T13:00:00+00:00"
    assert "us-fl.hours" in {f["details"].get("rule") for f in answer["findings"]}
    assert "0123" not in late.stdout  # the number is masked
    ok = run("check", "+1 305 555 0123", "--at", "2026-11-24T10:00:00-05:00")
    assert ok.returncode == 0
    assert ok.stdout.startswith("ALLOW")


def test_check_refuses_a_time_without_offset() -> None:
    result = run("check", "+14155550123", "--at", "2026-11-23T09:00:00")
    assert result.returncode == 2
    assert "no UTC offset" in result.stderr


def test_no_command_is_a_usage_error() -> None:
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_count_marks_the_character_that_forces_ucs2() -> None:
    result = run("count", "Hi Zoë, see you")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "Encoding:   UCS-2" in lines
    assert "Segments:   1" in lines
    assert "Units:      15 UTF-16 units used, 55 left before another segment" in lines
    text_line = lines.index("    Hi Zoë, see you")
    assert lines[text_line + 1] == "         ^"


def test_count_json_and_smart_saving() -> None:
    result = run("count", "--json", "It’s " + "x" * 100)
    data = json.loads(result.stdout)
    # 105 UTF-16 units: 2 UCS-2 segments; with ’ -> ' it is 105 septets: 1 GSM-7 segment.
    assert (data["encoding"], data["segments"], data["units"]) == ("ucs2", 2, 105)
    assert data["non_gsm"] == [{"char": "’", "positions": [2]}]
    assert data["smart"]["encoding"] == "gsm7"
    assert data["smart"]["saved_segments"] == 1
    text = run("count", "It’s " + "x" * 100).stdout
    assert "Smart encoding: ’→' → GSM-7, 1 segment (saves 1 segment per message)" in text


def test_count_reads_stdin() -> None:
    result = run("count", "--json", "-", stdin="x" * 161 + "\n")
    data = json.loads(result.stdout)
    assert (data["encoding"], data["segments"], data["units"]) == ("gsm7", 2, 161)


def test_explain_shows_udh_units_and_text() -> None:
    result = run("explain", "x" * 161)
    assert result.returncode == 0
    assert result.stdout.startswith("GSM-7, 2 segments, 161 septets")
    assert "Segment 1/2: 153 septets, 140 octets of user data, UDH 05 00 03" in result.stdout
    assert "Segment 2/2: 8 septets" in result.stdout
    data = json.loads(run("explain", "--json", "x" * 161).stdout)
    assert [s["units"] for s in data["segments"]] == [153, 8]
    assert data["segments"][0]["udh"].startswith("050003")
    assert data["segments"][0]["udh"].endswith("0201")


def test_estimate_json_totals(small_campaign: tuple[Path, Path]) -> None:
    campaign, rates = small_campaign
    result = run(
        "estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates), "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["messages"], data["segments"]) == (3, 4)
    assert data["total"] == "0.0402"  # 0.0109 + 0.0075 + 0.0218
    assert data["rounded_total"] == "0.04"
    assert data["by_country"]["US"] == {"messages": 2, "segments": 3, "cost": "0.0327"}
    assert data["by_encoding"]["ucs2"]["messages"] == 1
    assert data["costliest"][0] == {
        "line": 4,
        "country": "US",
        "encoding": "gsm7",
        "segments": 2,
        "cost": "0.0218",
    }


def test_estimate_csv_output(small_campaign: tuple[Path, Path]) -> None:
    campaign, rates = small_campaign
    result = run(
        "estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates), "--csv"
    )
    assert result.stdout.splitlines() == [
        "line,country,encoding,segments,cost,currency,issue,landline",
        "2,US,gsm7,1,0.0109,USD,,",
        "3,CA,ucs2,1,0.0075,USD,ë in name forces UCS-2: 1 segment either way,",
        "4,US,gsm7,2,0.0218,USD,long value in name: 2 segments instead of 1,",
    ]


def test_estimate_bad_row_is_one_line_naming_line_and_column(
    small_campaign: tuple[Path, Path],
) -> None:
    campaign, rates = small_campaign
    campaign.write_text("number,name\n+1 415 555 0123,Ann\n+1 415 555,Bob\n", encoding="utf-8")
    result = run("estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"{campaign} line 3, column 'number': " in result.stderr
    assert "Traceback" not in result.stderr
    skipped = run(
        "estimate",
        str(campaign),
        "--template-text",
        "{name}",
        "--rates",
        str(rates),
        "--skip-invalid",
        "--json",
    )
    assert skipped.returncode == 0
    assert json.loads(skipped.stdout)["messages"] == 1
    assert "skipped" in skipped.stderr
    assert "line 3" in skipped.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"template": "{surname}"}, "template field 'surname' is not a column"),
        ({"template": "{name"}, "unclosed or malformed placeholder"),
        ({"rates": "missing.toml"}, "cannot read rate card"),
        ({"campaign": "missing.csv"}, "missing.csv: no such file"),
    ],
)
def test_estimate_input_mistakes_exit_2_in_one_line(
    small_campaign: tuple[Path, Path], change: dict[str, str], message: str
) -> None:
    campaign, rates = small_campaign
    args = {"campaign": str(campaign), "template": "{name}", "rates": str(rates)} | change
    result = run(
        "estimate", args["campaign"], "--template-text", args["template"], "--rates", args["rates"]
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("number,name\n+1 415 555 0123,Ann,extra\n", "line 2: 3 fields but the header has 2"),
        ("number,name,name\n+1 415 555 0123,Ann,Bo\n", "line 1: column 'name' appears twice"),
        ("number,name\n+1 415 555 0123\n", "line 2, column 'name': missing value"),
        ("", "empty file"),
    ],
)
def test_estimate_broken_csv_names_the_line(
    small_campaign: tuple[Path, Path], content: str, message: str
) -> None:
    campaign, rates = small_campaign
    campaign.write_text(content, encoding="utf-8")
    result = run("estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates))
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_estimate_template_from_file_and_stdin_campaign(
    small_campaign: tuple[Path, Path], tmp_path: Path
) -> None:
    campaign, rates = small_campaign
    template = tmp_path / "t.txt"
    template.write_text("Hi {name}\n", encoding="utf-8")  # the final newline is dropped
    result = run(
        "estimate",
        "-",
        "--template",
        str(template),
        "--rates",
        str(rates),
        "--json",
        stdin=campaign.read_text(encoding="utf-8"),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["segments"] == 4


def test_estimate_example_matches_golden_output() -> None:
    result = run(
        "estimate",
        "examples/campaign.csv",
        "--template",
        "examples/reminder.txt",
        "--rates",
        "examples/rates.toml",
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    expected = (GOLDEN / "estimate_example.txt").read_text(encoding="utf-8")
    assert result.stdout == expected


def test_example_totals_match_an_independent_count() -> None:
    """Recompute the example's totals with the reference splitter and hand-typed prices.

    Prices are copied from examples/rates.toml by hand; the country comes from the
    area code (the example uses 416/604/514/613 for Canada, +44 for Britain).
    """
    import _reference as ref

    prices = {"US": Decimal("0.0079") + Decimal("0.0030"), "CA": Decimal("0.0079")}
    prices["GB"] = Decimal("0.0460")  # international
    segments: dict[str, int] = {"US": 0, "CA": 0, "GB": 0}
    with (EXAMPLES / "campaign.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            day = date.fromisoformat(row["date"]).strftime("%a %b %d")
            text = (
                f"Hi {row['first_name'] or 'there'}, this is Brightside Family Dental of "
                f"Springfield. Your cleaning is on {day} at {row['time']}. "
                "Reply C to confirm, R to reschedule, STOP to opt out."
            )
            digits = "".join(c for c in row["number"] if c.isdigit())
            country = "GB" if digits.startswith("44") else "US"
            if digits[1:4] in {"416", "604", "514", "613"}:
                country = "CA"
            segments[country] += len(ref.split(text))
    result = run(
        "estimate",
        "examples/campaign.csv",
        "--template",
        "examples/reminder.txt",
        "--rates",
        "examples/rates.toml",
        "--json",
    )
    data = json.loads(result.stdout)
    assert data["segments"] == sum(segments.values())
    for country, count in segments.items():
        assert data["by_country"][country]["segments"] == count
        assert Decimal(data["by_country"][country]["cost"]) == prices[country] * count
    assert Decimal(data["total"]) == sum(prices[c] * n for c, n in segments.items())


def test_estimate_header_only_csv_prices_nothing(small_campaign: tuple[Path, Path]) -> None:
    campaign, rates = small_campaign
    campaign.write_text("number,name\n", encoding="utf-8")
    result = run("estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates))
    assert result.returncode == 0
    assert "  Messages            0\n" in result.stdout
    assert "  Total               0.0000 USD  (≈ 0.00 USD)\n" in result.stdout


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ('currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = "1e40"\n', "too large"),
        ("x = " + "[" * 50_000 + "]" * 50_000 + "\n", "line of 100,004 characters"),
    ],
)
def test_estimate_absurd_rate_card_is_one_line_not_a_traceback(
    small_campaign: tuple[Path, Path], card: str, message: str
) -> None:
    campaign, rates = small_campaign
    rates.write_text(card, encoding="utf-8")
    result = run("estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


def test_estimate_negative_top_is_a_usage_error(small_campaign: tuple[Path, Path]) -> None:
    campaign, rates = small_campaign
    result = run(
        "estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates), "--top", "-1"
    )
    assert result.returncode == 2
    assert "--top" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["count", "explain", "lint"])
def test_non_utf8_stdin_is_named_as_such(command: str) -> None:
    # Latin-1 "José" on stdin used to be reported as a "lone surrogate U+DCE9".
    result = subprocess.run(
        [SMSKIT, command, "-"], input=b"Jos\xe9\n", capture_output=True, timeout=60, check=False
    )
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert "stdin is not UTF-8 text" in stderr
    assert stderr.count("\n") == 1


def test_estimate_ignores_unnamed_trailing_columns(small_campaign: tuple[Path, Path]) -> None:
    # Spreadsheets export "number,name,," with empty trailing header cells; those used
    # to stop the estimate with "column '' appears twice".
    campaign, rates = small_campaign
    campaign.write_text("number,name,,\n+1 415 555 0123,Ann,,\n", encoding="utf-8")
    result = run(
        "estimate", str(campaign), "--template-text", "{name}", "--rates", str(rates), "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "0.0109"  # 0.0079 + 0.003, 1 segment


@pytest.mark.parametrize(
    "header", ["Phone Number", "Mobile Phone", "mobile-number", " Cell ", "CELL_PHONE"]
)
def test_estimate_finds_the_number_column_as_crms_export_it(
    small_campaign: tuple[Path, Path], header: str
) -> None:
    # A HubSpot or spreadsheet export names its column "Phone Number": the estimate
    # stopped with "no phone number column" until --number-column was given.
    campaign, rates = small_campaign
    campaign.write_text(f"Name,{header}\nAnn,+1 415 555 0123\n", encoding="utf-8")
    result = run(
        "estimate", str(campaign), "--template-text", "{Name}", "--rates", str(rates), "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "0.0109"  # 0.0079 + 0.003, US, 1 segment


def test_estimate_takes_the_first_of_two_columns_that_read_the_same(
    small_campaign: tuple[Path, Path],
) -> None:
    campaign, rates = small_campaign
    # The first is a Canadian number (0.0075), the second a US one (0.0109).
    campaign.write_text(
        "name,Phone Number,phone_number\nAnn,+1 416 555 0199,+1 415 555 0123\n",
        encoding="utf-8",
    )
    result = run(
        "estimate", str(campaign), "--template-text", "Zoë", "--rates", str(rates), "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "0.0075"
