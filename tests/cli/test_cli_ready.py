"""Issue 14, command line: never a silently wrong answer, never raw control characters.

Every test runs the installed ``smskit`` entry point in a real process.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from _cli import ROOT, run

EXAMPLE = ("examples/campaign.csv", "--template", "examples/reminder.txt")
RATES = ("--rates", "examples/rates.toml")
RAW_CONTROLS = {"\x1b", "\x07", "\u202e", "\u2066"}


@pytest.fixture
def card(tmp_path: Path) -> Path:
    rates = tmp_path / "rates.toml"
    rates.write_text(
        'currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.0079\n'
        "[countries.GB.international]\nsms_per_segment = 0.046\n",
        encoding="utf-8",
    )
    return rates


def _campaign(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "campaign.csv"
    path.write_text(body, encoding="utf-8")
    return path


# --- 1. --template ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nope.txt", "templates/reminder", "{name}"])
def test_a_template_that_names_no_file_is_an_error(
    tmp_path: Path, card: Path, value: str
) -> None:
    # Before: "nope.txt" was priced as the 8-character text "nope.txt", exit 0.
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\n")
    result = run("estimate", str(campaign), "--template", value, "--rates", str(card))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f"template {value!r}: no such file" in result.stderr


def test_inline_template_text_has_its_own_option(tmp_path: Path, card: Path) -> None:
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\n")
    result = run(
        "estimate", str(campaign), "--template-text", "Hi {name}", "--rates", str(card), "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["template"] == "(inline template)"


def test_template_dash_reads_stdin(tmp_path: Path, card: Path) -> None:
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\n")
    result = run(
        "estimate", str(campaign), "--template", "-", "--rates", str(card), "--json",
        stdin="x" * 160 + "{name}\n",  # 163 septets: 2 segments (a literal "-": 1)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["segments"] == 2


@pytest.mark.parametrize("source", ["file", "text", "stdin"])
def test_an_empty_template_is_an_error(tmp_path: Path, card: Path, source: str) -> None:
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\n")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    option = {
        "file": ("--template", str(empty)),
        "text": ("--template-text", ""),
        "stdin": ("--template", "-"),
    }[source]
    result = run("estimate", str(campaign), *option, "--rates", str(card), stdin="")
    assert result.returncode == 2
    assert "is empty" in result.stderr
    assert result.stderr.count("\n") == 1


def test_campaign_and_template_cannot_both_come_from_stdin(card: Path) -> None:
    result = run("estimate", "-", "--template", "-", "--rates", str(card), stdin="")
    assert result.returncode == 2
    assert "cannot both be read from stdin" in result.stderr


# --- 2. landlines ------------------------------------------------------------------------


def _example_rows() -> list[tuple[int, dict[str, str]]]:
    with (ROOT / "examples" / "campaign.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [(reader.line_num, row) for row in reader]


def test_the_example_landlines_are_listed_and_priced_apart() -> None:
    # The example's British numbers are all London fixed lines (+44 20 7946 0xxx, the
    # range Ofcom keeps for drama); a fixed line cannot receive SMS.
    london = [line for line, row in _example_rows() if row["number"].startswith("+44")]
    assert len(london) == 20
    assert all(row["number"].startswith("+44 20 ") for _, row in _example_rows()
               if row["number"].startswith("+44"))
    data = json.loads(run("estimate", *EXAMPLE, *RATES, "--json").stdout)
    assert data["landlines"]["lines"] == london
    assert data["landlines"]["skipped"] is False
    assert Decimal(data["landlines"]["cost"]) == Decimal(data["by_country"]["GB"]["cost"])
    text = run("estimate", *EXAMPLE, *RATES).stdout
    assert "20 fixed-line numbers, 1.1500 USD of the total: lines 2, 10, 18," in text


def test_skip_landlines_leaves_them_out() -> None:
    full = json.loads(run("estimate", *EXAMPLE, *RATES, "--json").stdout)
    result = run("estimate", *EXAMPLE, *RATES, "--json", "--skip-landlines")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["recipients"], data["messages"]) == (300, 300)
    assert "GB" not in data["by_country"]
    assert Decimal(data["total"]) == Decimal(full["total"]) - Decimal(
        full["by_country"]["GB"]["cost"]
    )
    assert data["landlines"] == {"lines": full["landlines"]["lines"], "skipped": True,
                                 "cost": None}


def test_csv_output_marks_landlines() -> None:
    rows = list(csv.DictReader(run("estimate", *EXAMPLE, *RATES, "--csv").stdout.splitlines()))
    marked = [int(r["line"]) for r in rows if r["landline"] == "yes"]
    assert marked == [line for line, row in _example_rows() if row["number"].startswith("+44")]


# --- 3. over 255 segments ----------------------------------------------------------------


@pytest.mark.parametrize("command", ["count", "explain"])
def test_a_text_over_255_segments_is_reported_not_refused(command: str) -> None:
    # 40,000 GSM-7 characters: ceil(40000 / 153) = 262 parts; before, exit 2 "error".
    result = run(command, "-", stdin="x" * 40_000)
    assert result.returncode == 1
    assert "at least 262 needed: more than the 255" in result.stdout
    assert result.stderr == ""
    data = json.loads(run(command, "--json", "-", stdin="x" * 40_000).stdout)
    assert (data["segments"], data["too_long"], data["max_segments"]) == (262, True, 255)


@pytest.mark.parametrize("as_json", [False, True])
def test_count_smart_fits_a_text_too_long_without_it(as_json: bool) -> None:
    # 17,200 curly apostrophes: UCS-2, ceil(17200 / 67) = 257 parts, over the limit;
    # smart encoding makes them ASCII apostrophes, ceil(17200 / 153) = 113 GSM-7 parts.
    # Before, --smart died with an AssertionError traceback (exit 1).
    text = "\u2019" * 17_200
    result = run("count", "--smart", *(["--json"] if as_json else []), "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if as_json:
        data = json.loads(result.stdout)
        assert (data["encoding"], data["segments"], data["too_long"]) == ("gsm7", 113, False)
        assert data["smart_applied"] is True
        assert data["smart"]["segments"] == 113
        assert data["smart"]["too_long_without"] is True
    else:
        assert "Encoding:   GSM-7\nSegments:   113\n" in result.stdout
        assert "without it: UCS-2, at least 257 segments, over the 255" in result.stdout
    # Without --smart the text as it is cannot be sent: reported, with what --smart does.
    plain = run("count", "-", stdin=text)
    assert plain.returncode == 1
    assert "at least 257 needed: more than the 255" in plain.stdout
    assert "--smart sends it in 113 segments" in plain.stdout


@pytest.mark.parametrize("command", ["count", "explain"])
def test_a_smart_text_too_long_is_reported_in_the_encoding_it_was_counted_in(
    command: str,
) -> None:
    # 40,000 curly apostrophes: smart encoding sends them as GSM-7 apostrophes, at least
    # ceil(40000 / 153) = 262 parts (as UCS-2 they would need 598). The report gave the
    # 262 beside "UCS-2", the text's encoding before smart encoding.
    text = "\u2019" * 40_000
    result = run(command, "--smart", "-", stdin=text)
    assert result.returncode == 1
    assert "Encoding:   GSM-7\nSegments:   at least 262 needed" in result.stdout
    data = json.loads(run(command, "--smart", "--json", "-", stdin=text).stdout)
    assert (data["encoding"], data["segments"], data["too_long"]) == ("gsm7", 262, True)
    plain = json.loads(run(command, "--json", "-", stdin=text).stdout)
    assert (plain["encoding"], plain["segments"]) == ("ucs2", 598)


def test_count_smart_counts_after_smart_encoding() -> None:
    text = "Don’t miss it" + "!" * 60  # 73 characters: UCS-2 needs 2 segments, GSM-7 1
    result = run("count", "--smart", text)
    assert result.returncode == 0, result.stderr
    assert "Encoding:   GSM-7\nSegments:   1\n" in result.stdout
    assert "without it: UCS-2, 2 segments" in result.stdout
    data = json.loads(run("count", "--smart", "--json", text).stdout)
    assert (data["encoding"], data["segments"], data["smart_applied"]) == ("gsm7", 1, True)


# --- 4. --region ------------------------------------------------------------------------


def test_an_unknown_region_stops_before_any_row(tmp_path: Path, card: Path) -> None:
    # Every number has its +country code, so before the region was never looked at.
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\n")
    result = run(
        "estimate", str(campaign), "--template-text", "{name}", "--rates", str(card),
        "--region", "XX",
    )
    assert result.returncode == 2
    assert result.stderr == (
        "smskit: error: --region 'XX' is not a region code phonenumbers knows; give an "
        "ISO 3166-1 alpha-2 code such as US, CA or GB\n"
    )


def test_a_lower_case_region_is_fine(tmp_path: Path, card: Path) -> None:
    campaign = _campaign(tmp_path, "number,name\n415 555 0123,Ann\n")
    result = run(
        "estimate", str(campaign), "--template-text", "{name}", "--rates", str(card),
        "--region", "us", "--json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["by_country"]["US"]["messages"] == 1


# --- 5. the example rate card -------------------------------------------------------------


def test_the_example_bundle_is_cheaper_than_pay_as_you_go() -> None:
    # Hand-typed from examples/rates.toml: 150.00 / 25,000 = 0.006 a US segment
    # instead of 0.0079; the 0.0030 carrier fee is paid either way. 318 US segments
    # (the golden output's by-country table).
    plain = json.loads(run("estimate", *EXAMPLE, *RATES, "--json").stdout)
    bundled = json.loads(run("estimate", *EXAMPLE, *RATES, "--json", "--bundle", "us-25k").stdout)
    assert plain["by_country"]["US"]["segments"] == 318
    assert Decimal(bundled["by_country"]["US"]["cost"]) == 318 * (
        Decimal("0.006") + Decimal("0.0030")
    )
    assert Decimal(plain["total"]) - Decimal(bundled["total"]) == 318 * (
        Decimal("0.0079") - Decimal("0.006")
    )
    assert bundled["bundles_needed"] == 1


def test_the_example_card_prices_mms_to_britain() -> None:
    result = run("estimate", *EXAMPLE, *RATES, "--json", "--mms")
    assert result.returncode == 0, result.stderr  # before: no MMS price for GB, exit 2
    data = json.loads(result.stdout)
    assert Decimal(data["by_country"]["GB"]["cost"]) == 20 * Decimal("0.2000")


# --- 7. control and bidi characters ------------------------------------------------------


def test_count_never_echoes_raw_control_characters() -> None:
    result = run("count", "-", stdin="a\x1b]0;pwned\x07")
    assert result.returncode == 0
    assert not RAW_CONTROLS & set(result.stdout)
    assert "a\\x1b]0;pwned\\x07" in result.stdout
    data = json.loads(run("count", "--json", "-", stdin="a\x1b]0;pwned\x07").stdout)
    assert [c["char"] for c in data["non_gsm"]] == ["\x1b", "\x07"]  # JSON stays exact


@pytest.mark.parametrize(
    "command", [["count"], ["explain"], ["lint"], ["classify"], ["count", "--smart"]]
)
def test_every_text_command_escapes_bidi_and_control_characters(command: list[str]) -> None:
    text = "Sale \u202etxt.exe\u202c now \x1b[31mred\x07 {x}"
    result = run(*command, "-", stdin=text)
    assert not RAW_CONTROLS & set(result.stdout + result.stderr), result.stdout


def test_usage_errors_escape_the_words_they_repeat() -> None:
    result = run("count", "hi", "\x1b]0;pwned\x07")  # argparse: "unrecognized arguments"
    assert result.returncode == 2
    assert "unrecognized arguments: \\x1b]0;pwned\\x07" in result.stderr
    assert not RAW_CONTROLS & set(result.stderr)


def test_estimate_escapes_the_why_column_and_errors(tmp_path: Path, card: Path) -> None:
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\x1b]0;x\x07\n")
    result = run("estimate", str(campaign), "--template-text", "{name}", "--rates", str(card))
    assert result.returncode == 0, result.stderr
    assert "U+001B, U+0007 in name" in result.stdout  # named, not printed
    assert not RAW_CONTROLS & set(result.stdout)
    bad = run("estimate", str(campaign), "--template", "t\x1b.txt", "--rates", str(card))
    assert bad.returncode == 2
    assert not RAW_CONTROLS & set(bad.stderr)


# --- 9. small things --------------------------------------------------------------------


def test_one_recipient_is_singular(tmp_path: Path, card: Path) -> None:
    campaign = _campaign(tmp_path, "number,name\n+1 415 555 0123,Ann\n")
    result = run("estimate", str(campaign), "--template-text", "{name}", "--rates", str(card))
    assert f"{campaign}: 1 recipient\n" in result.stdout


def test_one_finding_is_singular_and_four_plural() -> None:
    one = run(
        "lint",
        "We’re open late tonight until 9pm. See you soon at the Main St. store!!",
        "--purpose",
        "conversational",
    )
    assert one.stdout.startswith("1 finding\n")
    four = run("lint", "Hi {first_name}! 20% off at bit.ly/acme", "--first", "--brand", "Acme")
    assert four.stdout.startswith("4 findings: BLOCKED\n")


def test_a_cyrillic_name_is_not_spaced_out() -> None:
    result = run("estimate", *EXAMPLE, *RATES)
    assert "О, л, ь, г, а in first_name forces UCS-2" in result.stdout
    assert "О л ь г а" not in result.stdout


def test_a_family_emoji_is_one_character() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
    result = run("count", f"Hi {family} all")
    assert f"Non-GSM:    {family} ×1 (force UCS-2" in result.stdout
    assert "ZERO WIDTH JOINER" not in result.stdout
    explained = run("explain", f"Hi {family} all")
    assert f"'Hi {family} all'" in explained.stdout  # not 'Hi 👨\u200d👩...'


def test_a_uk_number_keeps_its_country_code_visible() -> None:
    # Before: "+4*********17", half of the country code hidden.
    result = run("check", "+44 20 7946 0517", "--at", "2026-11-20T12:00:00Z")
    assert result.stdout.startswith("BLOCK  +44********17 at ")  # the engine's check


UNSAFE_IN_JSON = "\u202e\u2066\u200f\u2028\x9b\x85\x7f"  # bidi, line separator, C1, DEL


@pytest.mark.parametrize(
    "command", [["count", "--json"], ["explain", "--json"], ["classify", "--json"],
                ["lint", "--json"]]
)
def test_json_output_escapes_bidi_and_c1_controls_and_stays_exact(command: list[str]) -> None:
    # json.dump(ensure_ascii=False) escapes only U+0000-U+001F: a C1 CSI (U+009B) or
    # a right-to-left override went to the terminal raw. As \\u escapes the data is
    # unchanged for a JSON reader.
    text = f"stop {UNSAFE_IN_JSON} Zoë"
    result = run(*command, "-", stdin=text)
    assert not set(UNSAFE_IN_JSON) & set(result.stdout), result.stdout
    if command[0] == "explain":
        assert "Zoë" in result.stdout  # readable, not ASCII-escaped
    data = json.loads(result.stdout)
    if command[0] == "explain":
        assert "".join(s["text"] for s in data["segments"]) == text
    if command[0] == "count":
        assert {c["char"] for c in data["non_gsm"]} >= set(UNSAFE_IN_JSON) - {"\x7f"}
