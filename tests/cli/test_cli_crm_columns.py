"""Campaign files as CRMs export them: headers with capitals and spaces.

A loan CRM's export heads its columns "First Name", "Mobile Phone", "Closing Date".
A template field cannot hold a space, so ``{first_name}`` must find "First Name" the
way the number column is found (case ignored, spaces and hyphens read as ``_``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests._cli import run

RATES = """\
name = "Test card"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0079"
sms_carrier_fee_per_segment = "0.0030"
"""

EXPORT = (
    "Lead ID,First Name,Mobile Phone,Closing-Date\n"
    "1001,Maria,+1 415 555 0123,2026-12-03\n"
    "1002,Ann,+1 415 555 0124,2026-12-04\n"
)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    campaign = tmp_path / "leads.csv"
    campaign.write_text(EXPORT, encoding="utf-8")
    return campaign, rates


def test_estimate_fills_fields_from_headers_written_with_spaces(tmp_path: Path) -> None:
    campaign, rates = _files(tmp_path)
    result = run(
        "estimate", str(campaign), "--rates", str(rates), "--csv",
        "--template-text", "Hi {first_name}, closing {closing_date:%b %d}",
    )
    assert result.returncode == 0, result.stderr
    # "Hi Maria, closing Dec 03": 25 GSM-7 characters, one segment each.
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert [line.split(",")[3] for line in lines[1:]] == ["1", "1"]


def test_plan_renders_fields_from_headers_written_with_spaces(tmp_path: Path) -> None:
    campaign, _ = _files(tmp_path)
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T18:00:00Z", "--purpose", "transactional",
        "--template-text", "Hi {First_Name}", "--json",
    )
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["by_verdict"] == {"allow": 2}


def test_number_column_option_ignores_case_and_spaces(tmp_path: Path) -> None:
    campaign, rates = _files(tmp_path)
    result = run(
        "estimate", str(campaign), "--rates", str(rates), "--json",
        "--template-text", "Hi", "--number-column", "mobile_phone",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "0.0218"  # 2 x (0.0079 + 0.0030)


def test_a_field_matching_no_header_still_names_the_columns(tmp_path: Path) -> None:
    campaign, rates = _files(tmp_path)
    result = run(
        "estimate", str(campaign), "--rates", str(rates), "--template-text", "Hi {last_name}"
    )
    assert result.returncode == 2
    assert "template field 'last_name' is not a column" in result.stderr


def test_a_missing_rate_card_is_named_once_before_the_campaign_is_read(
    tmp_path: Path,
) -> None:
    # plan read (and decided) the whole file before opening --rates, so a typo in the
    # card's path was reported only after that, or a bad row was reported instead;
    # estimate named the path three times ("nope.toml: cannot read rate card
    # 'nope.toml': [Errno 2] No such file or directory: 'nope.toml'").
    campaign = tmp_path / "leads.csv"
    campaign.write_text("Phone,Name\n+14155550123,Ann\n+14155550124,Bob,extra\n",
                        encoding="utf-8")
    missing = tmp_path / "nope.toml"
    for command in (["plan", "--at", "2026-12-01T20:00:00Z"], ["estimate"]):
        result = run(command[0], str(campaign), *command[1:], "--template-text", "Hi {Name}",
                     "--rates", str(missing))
        assert result.returncode == 2
        assert result.stderr == f"smskit: error: {missing}: no such rate card file\n"


def test_plan_says_which_rows_repeat_a_number(tmp_path: Path) -> None:
    # Two leads of one household share a mobile number, written two ways: the plan
    # counted both as "send now" without a word, so the person would get two texts.
    campaign = tmp_path / "leads.csv"
    campaign.write_text(
        "Phone,Name\n+14155550123,Ann\n+14155550124,Cy\n(415) 555-0123,Bob\n",
        encoding="utf-8",
    )
    result = run("plan", str(campaign), "--at", "2026-12-01T20:00:00Z", "--purpose",
                 "transactional", "--template-text", "Hi {Name}")
    assert result.returncode == 0, result.stderr
    assert "  send now   3\n" in result.stdout
    assert ("  repeated   1 row sends to a number an earlier row sends to (line 4)"
            in result.stdout)


def test_count_names_several_characters_without_look_alikes_in_the_plural() -> None:
    # "no saving (ë Ł has no GSM-7 look-alike)": "have" for more than one.
    result = run("count", "Hi Zoë and Łukasz")
    assert "Smart encoding: no saving (ë Ł have no GSM-7 look-alike)" in result.stdout
    single = run("count", "Hi Zoë")
    assert "Smart encoding: no saving (ë has no GSM-7 look-alike)" in single.stdout


def test_a_short_line_without_its_number_cell_is_a_blank_number(tmp_path: Path) -> None:
    # "Ann" alone under "name,phone": the file has the column, the line lacks the cell.
    # The new "the recipient has no field 'phone' (its fields: name)" (meant for a
    # mapping keyed otherwise) read as if the file had no phone column.
    _, rates = _files(tmp_path)
    campaign = tmp_path / "short.csv"
    campaign.write_text("name,phone\nAnn\nBob,+14155550123\n", encoding="utf-8")
    result = run("estimate", str(campaign), "--template-text", "Hi {name}",
                 "--rates", str(rates))
    assert result.returncode == 2
    assert result.stderr == (f"smskit: error: {campaign} line 2, column 'phone': "
                             "no phone number in field 'phone'\n")


STATES = (
    "Name,Mobile Phone,State,Time Zone\n"
    "Ann,+1 212 555 0123,FL,\n"
    "Bob,+1 212 555 0124,new york,\n"
    "Cy,+1 212 555 0125,Flori,\n"
    "Dee,+1 212 555 0126,,Mars/Base\n"
    "Eve,+1 212 555 0127,Florida,\n"
)


def _plan_rows(tmp_path: Path, *options: str) -> list[dict[str, object]]:
    campaign = tmp_path / "states.csv"
    campaign.write_text(STATES, encoding="utf-8")
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T20:30:00-05:00", "--purpose", "marketing",
        "--template-text", "Hi {Name}", "--json", *options,
    )
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)["groups"]
    return sorted((row for rows in groups.values() for row in rows), key=lambda r: r["row"])


def test_plan_reads_the_recipients_state_from_a_state_column(tmp_path: Path) -> None:
    # 20:30 Eastern on a New York area code: the TCPA's 08:00-21:00 allows, but a
    # recipient living in Florida (08:00-20:00 for commercial solicitation, in both
    # of Florida's zones) must wait until 09:00 Eastern (08:00 in Pensacola).
    guessed = _plan_rows(tmp_path)
    assert [row["verdict"] for row in guessed] == ["allow"] * 5
    told = _plan_rows(tmp_path, "--state-column", "state", "--zone-column", "Time Zone")
    assert [row["verdict"] for row in told] == ["defer", "allow", "invalid", "invalid", "defer"]
    assert told[0]["not_before"] == "2026-12-02T09:00:00-05:00"
    assert told[0]["codes"] == ["quiet_hours.outside_window"]
    assert "column 'State' holds 'Flori'" in str(told[2]["reason"])
    assert "column 'Time Zone' holds 'Mars/Base'" in str(told[3]["reason"])


def test_plan_reads_a_time_zone_column(tmp_path: Path) -> None:
    # 23:30 Eastern is 20:30 in Los Angeles: a recipient known to live there may be
    # texted under the TCPA; the New York area code alone defers.
    campaign = tmp_path / "zones.csv"
    campaign.write_text(
        "Name,Phone,TZ\nAnn,+1 212 555 0123,America/Los_Angeles\nBob,+1 212 555 0124,\n",
        encoding="utf-8",
    )
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T23:30:00-05:00", "--purpose", "marketing",
        "--template-text", "Hi {Name}", "--csv", "--zone-column", "tz",
    )
    assert result.returncode == 0, result.stderr
    verdicts = [line.split(",")[2] for line in result.stdout.splitlines()[1:]]
    assert verdicts == ["allow", "defer"]


def test_plan_names_a_state_column_that_is_not_in_the_file(tmp_path: Path) -> None:
    campaign, _ = _files(tmp_path)
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T18:00:00Z", "--template-text", "Hi",
        "--state-column", "Province",
    )
    assert result.returncode == 2
    assert "no column 'Province'" in result.stderr
    assert result.stdout == ""


def test_a_zone_cell_that_names_a_folder_of_the_database_is_one_invalid_row(
    tmp_path: Path,
) -> None:
    # "US" and "Canada" are folders of the zone database (US/Eastern): the row is
    # invalid, as "Eastern" is; the plan goes on for the others.
    campaign = tmp_path / "zones.csv"
    campaign.write_text(
        "Name,Phone,TZ\nAnn,+1 212 555 0123,US\nBob,+1 212 555 0124,Canada\n"
        "Cy,+1 212 555 0125,Eastern\nDee,+1 212 555 0126,America/New_York\n",
        encoding="utf-8",
    )
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T12:00:00-05:00", "--purpose", "marketing",
        "--template-text", "Hi {Name}", "--csv", "--zone-column", "TZ",
    )
    assert result.returncode == 0, result.stderr
    verdicts = [line.split(",")[2] for line in result.stdout.splitlines()[1:]]
    assert verdicts == ["invalid", "invalid", "invalid", "allow"]
    assert "column 'TZ' holds 'US': not an IANA time zone" in result.stdout


def test_a_state_or_zone_cell_holding_a_phone_number_is_not_quoted_in_full(
    tmp_path: Path,
) -> None:
    # The state column given as the number column (or a row whose cells shifted):
    # every reason would print a recipient's whole number, which no output does.
    campaign = tmp_path / "shifted.csv"
    campaign.write_text(
        "Name,Phone,State,TZ\nAnn,+1 212 555 0123,+1 305 555 0188,\n"
        "Bob,+1 212 555 0124,,(305) 555-0177\n",
        encoding="utf-8",
    )
    for output in ("--csv", "--json"):
        for options in (("--state-column", "phone"), ("--state-column", "state"),
                        ("--zone-column", "tz")):
            result = run(
                "plan", str(campaign), "--at", "2026-12-01T12:00:00-05:00", "--purpose",
                "marketing", "--template-text", "Hi {Name}", output, *options,
            )
            assert result.returncode == 0, result.stderr
            digits = "".join(c for c in result.stdout if c.isdigit())
            for number in ("2125550123", "2125550124", "3055550188", "3055550177"):
                assert number not in digits, (output, options)
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T12:00:00-05:00", "--purpose", "marketing",
        "--template-text", "Hi {Name}", "--csv", "--state-column", "state",
    )
    assert "column 'State' holds '+* *** *** **88': not a US state" in result.stdout


def test_a_state_cell_with_control_characters_is_shown_escaped_once(tmp_path: Path) -> None:
    campaign = tmp_path / "odd.csv"
    campaign.write_text(
        "Name,Phone,State\nAnn,+1 212 555 0123,\x1b[31mFL\u202e\n", encoding="utf-8"
    )
    for output in ("--csv", "--json"):
        result = run(
            "plan", str(campaign), "--at", "2026-12-01T12:00:00-05:00", "--purpose",
            "marketing", "--template-text", "Hi {Name}", output, "--state-column", "State",
        )
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "\u202e" not in result.stdout
        if output == "--csv":
            reason = next(csv.DictReader(io.StringIO(result.stdout)))["reason"]
        else:
            reason = json.loads(result.stdout)["groups"]["invalid"][0]["reason"]
        # One escape, as the cell's characters: not "\\x1b", a backslash shown twice.
        assert "holds '\\x1b[31mFL\\u202e'" in reason, reason


def test_a_semicolon_or_tab_separated_export_is_named_as_such(tmp_path: Path) -> None:
    # Excel in many locales saves "CSV" with semicolons: the header became one column
    # "Lead ID;First Name;...", and the error said to name the number column, which
    # cannot help.
    rates = tmp_path / "rates.toml"
    rates.write_text(RATES, encoding="utf-8")
    for separator, name in ((";", "semicolon"), ("\t", "tab")):
        campaign = tmp_path / f"leads-{name}.csv"
        campaign.write_text(EXPORT.replace(",", separator), encoding="utf-8")
        for command in (
            ("estimate", str(campaign), "--template-text", "Hi {first_name}",
             "--rates", str(rates)),
            ("plan", str(campaign), "--template-text", "Hi {first_name}",
             "--at", "2026-12-08T11:00:00-05:00"),
        ):
            result = run(*command)
            assert result.returncode == 2, result.stderr
            assert f"separated by {name}s" in result.stderr, result.stderr
            assert "--number-column" not in result.stderr


def test_plan_takes_prior_consent_for_every_row(tmp_path: Path) -> None:
    # Washington bars *unsolicited* commercial texts (RCW 19.190.060): a borrower who
    # signed the web form may be texted. `check` had --prior-consent; `plan` had no way
    # to say it, so every Washington borrower of a consented list was "blocked", and the
    # finding did not say what would lift it.
    campaign = tmp_path / "wa.csv"
    campaign.write_text("Name,Phone\nAnn,+1 206 555 0123\n", encoding="utf-8")
    args = ("plan", str(campaign), "--at", "2026-12-01T10:00:00-08:00", "--purpose",
            "marketing", "--template-text", "Hi {Name}", "--csv")
    blocked = run(*args)
    assert blocked.returncode == 0, blocked.stderr
    line = blocked.stdout.splitlines()[1]
    assert ",block," in line
    assert "prior express consent waives it" in line
    consented = run(*args, "--prior-consent")
    assert consented.returncode == 0, consented.stderr
    assert consented.stdout.splitlines()[1].split(",")[2] == "allow"


def test_the_washington_finding_names_the_cli_option_on_the_command_line() -> None:
    # Reviewer finding, 2026-12-05: `check` and `plan` told the user to "pass
    # prior_consent=True", a Python argument; on the command line it is --prior-consent.
    result = run("check", "+1 206 555 0123", "--at", "2026-11-23T10:00:00-08:00")
    assert result.returncode == 1, result.stderr
    line = next(x for x in result.stdout.splitlines() if "quiet_hours.prohibited" in x)
    assert "prior express consent waives it" in line
    assert "--prior-consent" in line, line


def test_a_bare_abbreviation_in_a_state_cell_is_refused_with_its_pointed_form(
    tmp_path: Path,
) -> None:
    # fix26m: "Man" read as Manitoba; "Fla." was "not a state". A refused cell is one
    # invalid row that says what to write; a pointed one is read.
    campaign = tmp_path / "states.csv"
    campaign.write_text(
        "Name,Phone,State\nAnn,+1 212 555 0123,Man\nBob,+1 212 555 0124,Fla.\n"
        "Cy,+1 212 555 0125,Man.\nDee,+1 212 555 0126,Penn.\n",
        encoding="utf-8",
    )
    result = run(
        "plan", str(campaign), "--at", "2026-12-01T12:00:00-05:00", "--purpose", "marketing",
        "--template-text", "Hi {Name}", "--json", "--state-column", "State",
    )
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)["groups"]
    rows = sorted((row for rows in groups.values() for row in rows), key=lambda r: r["row"])
    assert [row["verdict"] for row in rows] == ["invalid", "allow", "allow", "invalid"]
    assert "only with its point, 'Man.' (CA-MB)" in str(rows[0]["reason"])
    assert "write 'Man.' or MB" in str(rows[0]["reason"])
    assert "not a US state or Canadian province" in str(rows[3]["reason"])
