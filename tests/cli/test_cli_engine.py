"""``smskit check`` with a sender profile and a ledger, and ``smskit plan``, as real processes."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.cli.test_cli import EXAMPLES, run

from smskit import ConsentLedger, Evidence, SQLiteStore

SENDER = str(EXAMPLES / "sender.toml")


def _ledger(path: Path) -> str:
    with SQLiteStore(path) as store:
        ledger = ConsentLedger(store)
        ledger.grant("+12125550123", scope="acme", purposes="marketing",
                     kind="express_written", source="web_form",
                     at=datetime(2026, 1, 2, tzinfo=UTC),
                     evidence=Evidence(consent_text="Texts from Acme", form_url="https://a.example"))
        ledger.handle_reply("+13055550123", "STOP", scope="acme",
                            at=datetime(2026, 1, 3, tzinfo=UTC))
    return str(path)


def test_check_blocks_a_landline_with_a_finding() -> None:
    # Issue 14: a London fixed line (+44 20 7946 ...) is a landline: blocked, exit 1.
    result = run("check", "+44 20 7946 0517", "--at", "2026-11-23T10:00:00Z", "--sender",
                 SENDER, "--body", "Acme Plumbing: hello", "--purpose", "informational")
    assert result.returncode == 1
    assert "number.landline" in result.stdout
    assert "https://www.twilio.com/docs/api/errors/21635" in result.stdout


def test_check_with_a_ledger_allows_consent_and_blocks_an_opt_out(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path / "ledger.db")
    at = "2026-03-03T12:00:00-05:00"
    ok = run("check", "+1 212 555 0123", "--at", at, "--sender", SENDER, "--ledger", ledger,
             "--body", "Spring tune-up: 15% off", "--json")
    assert ok.returncode == 0, ok.stdout
    record = json.loads(ok.stdout)
    assert record["verdict"] == "allow"
    assert record["body"].startswith("Acme Plumbing: Spring tune-up")
    assert record["body"].endswith("Reply STOP to opt out")
    stopped = run("check", "+1 305 555 0123", "--at", at, "--sender", SENDER, "--ledger",
                  ledger, "--body", "Spring tune-up")
    assert stopped.returncode == 1
    assert "opt_out.active" in stopped.stdout


def test_check_prints_the_consent_event_each_finding_cites(tmp_path: Path) -> None:
    # The ledger above: event 1 is the grant, event 2 the STOP (recorded in that order).
    ledger = _ledger(tmp_path / "ledger.db")
    at = "2026-03-03T12:00:00-05:00"
    ok = run("check", "+1 212 555 0123", "--at", at, "--sender", SENDER, "--ledger", ledger,
             "--body", "Spring tune-up")
    assert "evidence: ledger event 1 (granted 2026-01-02T00:00:00+00:00)" in ok.stdout
    stopped = run("check", "+1 305 555 0123", "--at", at, "--sender", SENDER, "--ledger",
                  ledger, "--body", "Spring tune-up", "--json")
    record = json.loads(stopped.stdout)
    (opt_out,) = [f for f in record["findings"] if f["code"] == "opt_out.active"]
    assert opt_out["details"]["event"] == 2
    assert opt_out["details"]["event_kind"] == "revoked"
    assert "3055550123" not in stopped.stdout


def test_check_escapes_control_characters_of_user_text() -> None:
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00", "--sender",
                 SENDER, "--template-text", "Hi {name}", "--values", "oops")
    assert result.returncode == 2
    bad = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00", "--sender",
              SENDER, "--template-text", "Hi {name}", "--values", "name=\x1b[31mred")
    assert "\x1b" not in bad.stdout


def test_plan_groups_rows_and_counts(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.csv"
    campaign.write_text(
        "number,name\n"
        "+1 305 555 0123,Ann\n"  # Florida: 20:30 is after 20:00 -> deferred to 08:00
        "+1 212 555 0147,Bob\n"  # New York: the TCPA allows until 21:00 -> now
        "+44 20 7946 0517,Cy\n"  # London landline -> blocked
        "+1 212 555 0148,\n",  # empty name: rendered as empty, still a row
        encoding="utf-8",
    )
    args = ("plan", str(campaign), "--template-text", "Hi {name}, winter tune-up 15% off",
            "--sender", SENDER, "--at", "2026-11-23T20:30:00-05:00")
    text = run(*args)
    assert text.returncode == 0, text.stderr
    assert "send now   2" in text.stdout
    assert "deferred   1" in text.stdout
    assert "blocked    1" in text.stdout
    assert "number.landline" in text.stdout
    plan = json.loads(run(*args, "--json").stdout)
    assert plan["by_verdict"] == {"allow": 2, "block": 1, "defer": 1}
    assert plan["groups"]["defer"][0]["not_before"] == "2026-11-24T08:00:00-05:00"
    assert plan["groups"]["block"][0]["line"] == 4
    rows = list(csv.DictReader(io.StringIO(run(*args, "--csv").stdout)))
    assert [r["verdict"] for r in rows] == ["defer", "allow", "block", "allow"]
    assert all("0123" not in r["recipient"] for r in rows)


def test_check_json_escapes_c1_and_bidi_controls_but_keeps_the_values() -> None:
    # U+009B is the C1 "CSI" a terminal acts on like ESC [; U+202E reverses the text
    # after it. JSON output must not carry them raw, yet must read back the same body.
    body = "hi \u009b2J \u202eevil"
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--body", body, "--json")
    assert result.returncode == 0
    assert "\u009b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert json.loads(result.stdout)["body"] == body


def test_plan_escapes_control_characters_of_the_file_name(tmp_path: Path) -> None:
    # A file name is user text too: ESC [ 31 m would recolour the terminal.
    campaign = tmp_path / "x\x1b[31m.csv"
    campaign.write_text("phone,name\n+12125550123,Bob\n", encoding="utf-8")
    result = run("plan", str(campaign), "--template-text", "Hi {name}",
                 "--at", "2026-05-01T10:00:00-04:00")
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert "x\\x1b[31m.csv" in result.stdout


@pytest.mark.parametrize(
    ("option", "what"), [("--ledger", "ledger"), ("--history", "send history")]
)
def test_check_with_a_mistyped_store_path_is_a_usage_error(
    tmp_path: Path, option: str, what: str
) -> None:
    # SQLiteStore and SQLiteSendHistory created the missing file: a typo made a fresh,
    # empty ledger or history on disk, and consent, the frequency caps and "first
    # message" answered from it. check only reads them.
    typo = tmp_path / "typo.db"
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", SENDER, option, str(typo), "--body", "Spring tune-up")
    assert result.returncode == 2, result.stdout
    assert f"no such {what} file" in result.stderr
    assert not typo.exists()


@pytest.mark.parametrize("command", ["check", "plan"])
@pytest.mark.parametrize("option", ["--ledger", "--history"])
def test_a_store_without_a_sender_is_a_usage_error(
    tmp_path: Path, command: str, option: str
) -> None:
    # Without --sender only the number and quiet hours are checked: a ledger given on
    # purpose was left unread and the answer was ALLOW (exit 0) with a note below it.
    ledger = _ledger(tmp_path / "consent.db")
    where = (
        ["+1 212 555 0123", "--body", "Spring tune-up"]
        if command == "check"
        else [str(EXAMPLES / "campaign.csv"), "--template", str(EXAMPLES / "reminder.txt")]
    )
    result = run(command, *where, "--at", "2026-03-03T12:00:00-05:00", option, ledger)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr == (
        f"smskit: error: {option} needs --sender: without a sender profile, consent and "
        "frequency caps are not checked (see examples/sender.toml)\n"
    )


def test_plan_with_a_mistyped_history_path_is_a_usage_error(tmp_path: Path) -> None:
    typo = tmp_path / "sneds.db"
    plan = run("plan", str(EXAMPLES / "campaign.csv"), "--template",
               str(EXAMPLES / "reminder.txt"), "--sender", SENDER,
               "--at", "2026-03-03T12:00:00-05:00", "--history", str(typo))
    assert plan.returncode == 2, plan.stdout
    assert "no such send history file" in plan.stderr
    assert not typo.exists()


def test_check_and_plan_say_segment_and_rows_in_words() -> None:
    # The "4 finding(s)" fix missed "1 segment(s)" and "320 row(s)".
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--body", "Spring tune-up")
    assert "Body   gsm7, 1 segment\n" in result.stdout, result.stdout
    assert "(s)" not in result.stdout


def test_check_with_a_sender_file_not_in_utf8_is_a_usage_error(tmp_path: Path) -> None:
    # A sender file saved as UTF-16 (a Windows editor's "Unicode"): exit 2 with one line
    # naming the problem, not a UnicodeDecodeError traceback.
    sender = tmp_path / "sender.toml"
    sender.write_bytes("[sender]\nbrand = 'Acme'\n".encode("utf-16"))
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", str(sender), "--body", "hi")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "UTF-8" in result.stderr


def test_plan_without_a_ledger_says_consent_was_not_checked(tmp_path: Path) -> None:
    # "send now 1" for a marketing blast must not read as "consented": without --ledger
    # no consent or opt-out was looked at, and check already says so; plan must too.
    campaign = tmp_path / "c.csv"
    campaign.write_text("phone\n+12125550123\n", encoding="utf-8")
    at = "2026-03-03T12:00:00-05:00"
    bare = run("plan", str(campaign), "--at", at, "--template-text", "Acme: sale")
    assert bare.returncode == 0
    assert "note: no --sender: registration, consent, content and length not checked" \
        in bare.stdout
    with_sender = run("plan", str(campaign), "--at", at, "--template-text", "Acme: sale",
                      "--sender", SENDER)
    assert "note: no --ledger: consent and opt-outs not checked" in with_sender.stdout


def test_check_with_values_but_no_template_is_a_usage_error() -> None:
    # The values were silently dropped: the body was checked as typed, placeholders
    # and all, while the user believed them filled.
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--body", "Hi {name}", "--values", "name=Ann")
    assert result.returncode == 2, result.stdout
    assert "--values fills a template" in result.stderr


def test_check_with_a_ledger_given_as_history_is_refused_and_leaves_it_intact(
    tmp_path: Path,
) -> None:
    # SQLiteSendHistory created its tables inside the consent ledger, which then failed
    # verification ("the stored schema ... was altered").
    ledger = _ledger(tmp_path / "consent.db")
    before = Path(ledger).read_bytes()
    result = run("check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", SENDER, "--history", ledger, "--body", "Spring tune-up")
    assert result.returncode == 2, result.stdout
    assert "is not a send history" in result.stderr
    assert Path(ledger).read_bytes() == before
    assert run("ledger", "verify", ledger).returncode == 0


def test_plan_with_a_template_field_that_is_no_column_is_an_input_error(tmp_path: Path) -> None:
    # Every row came out "invalid" with exit 0 (a misspelt field in the template), where
    # `smskit estimate` stops on the same file and template and says which field.
    campaign = tmp_path / "c.csv"
    campaign.write_text("phone,first_name\n+12125550123,Ann\n", encoding="utf-8")
    result = run("plan", str(campaign), "--template-text", "Hi {firstname}",
                 "--at", "2026-03-03T12:00:00-05:00")
    assert result.returncode == 2, result.stdout
    assert "template field 'firstname' is not a column of" in result.stderr
    # A field with a default, or one some rows leave empty, is still a per-row matter.
    fine = run("plan", str(campaign), "--template-text", "Hi {firstname|there}",
               "--at", "2026-03-03T12:00:00-05:00")
    assert fine.returncode == 0, fine.stderr


def test_plan_with_campaign_and_template_both_from_stdin_is_one_line() -> None:
    # A traceback ("I/O operation on closed file"): the rows had read stdin to its end.
    result = run("plan", "-", "--template", "-", "--at", "2026-03-03T12:00:00-05:00",
                 stdin="phone\n+12125550123\n")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot both be read from stdin" in result.stderr


def test_an_unknown_zone_is_named_by_its_option() -> None:
    # The error named the library's argument: "recipient_zone: unknown time zone 'PST'",
    # where the user typed --zone.
    result = run("check", "+1 415 555 0123", "--at", "2026-12-01T10:00:00-08:00",
                 "--zone", "PST")
    assert result.returncode == 2
    assert result.stderr.startswith("smskit: error: --zone: unknown time zone 'PST'")
    assert "recipient_zone" not in result.stderr


def test_a_mistake_in_the_sender_profile_names_the_file(tmp_path: Path) -> None:
    # "smskit: error: route must be one of [...], not '10DLC'" did not say which of the
    # files given (--sender, --rates, --template, the CSV) held it.
    profile = tmp_path / "acme.toml"
    profile.write_text('[sender]\nsender_id = "+14155550100"\nroute = "10DLC"\n',
                       encoding="utf-8")
    result = run("check", "+1 212 555 0123", "--at", "2026-11-20T15:10:00Z",
                 "--sender", str(profile), "--body", "hi")
    assert result.returncode == 2
    assert result.stderr.startswith(f"smskit: error: {profile}: route must be one of")


def test_check_masks_a_national_number_as_its_e164_form() -> None:
    # "(305) 555-0187" was masked as typed, "3*******87": the area code's first digit
    # shown where every other line shows the country code.
    result = run("check", "(305) 555-0187", "--at", "2026-12-07T12:00:00-05:00",
                 "--body", "Your technician is on the way", "--purpose", "informational")
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("ALLOW  +1********87 at ")


def test_plan_counts_read_with_separators_and_every_deferral_time_is_accounted_for(
    tmp_path: Path,
) -> None:
    # 20,000-row plans printed "send now   8583" beside "20,000 rows"; and the list of
    # deferral times stopped at ten without a word, so its counts did not add up.
    zones = ["America/St_Johns", "America/Halifax", "America/New_York", "America/Chicago",
             "America/Denver", "America/Los_Angeles", "America/Anchorage", "Pacific/Marquesas",
             "Pacific/Honolulu", "Pacific/Chatham", "Pacific/Pago_Pago"]
    campaign = tmp_path / "night.csv"
    lines = [f"+1 212 555 {100 + i:04d},{zone}" for i in range(100) for zone in zones]
    campaign.write_text("number,tz\n" + "\n".join(lines) + "\n", encoding="utf-8")
    result = run("plan", str(campaign), "--template-text", "Rates dropped. Reply STOP to opt out",
                 "--zone-column", "tz", "--at", "2026-12-08T11:00:00+00:00")
    assert result.returncode == 0, result.stderr
    assert "Plan for" in result.stdout
    assert ": 1,100 rows\n" in result.stdout
    assert "  send now   0\n" in result.stdout
    assert "  deferred   1,100 (until " in result.stdout
    shown = [line for line in result.stdout.splitlines() if " until 2026-" in line
             and line.startswith("             ")]
    assert len(shown) == 10
    assert all(line.split()[0] == "100" for line in shown)
    assert "             and 1 more time (100 rows)\n" in result.stdout
