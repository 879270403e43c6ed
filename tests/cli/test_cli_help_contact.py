"""``smskit check``/``plan --sender`` warn on stderr when the profile's HELP answer gives
no phone number, e-mail or web address (fix29h); the decision on stdout is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit.cli import main

TWILIO_SHORT_CODE_RULES = (
    "https://support.twilio.com/hc/en-us/articles/223182208-US-Short-Code-Keyword-"
    "Requirements-HELP-STOP-and-Opt-In-Confirmation"
)
OWN_HELP = "Acme: help at 1-800-555-0100. Reply STOP to opt out."


@pytest.mark.parametrize(("help_line", "warned"), [("", True), (f'help_reply = "{OWN_HELP}"\n',
                                                                 False)])
def test_cli_check_warns_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                   help_line: str, warned: bool) -> None:
    sender = tmp_path / "sender.toml"
    sender.write_text('[sender]\nsender_id = "+14155550100"\nregistration = "approved"\n'
                      f'brand = "Acme"\n{help_line}', encoding="utf-8")
    code = main(["check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", str(sender), "--body", "Acme: hi. Reply STOP to opt out",
                 "--purpose", "informational"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert ("sender.help_no_contact" in err) is warned
    assert "sender.help_no_contact" not in out
    if warned:
        assert err.startswith(f"smskit: warning: {sender}: sender.help_no_contact: ")
        assert TWILIO_SHORT_CODE_RULES in err
        assert "4155550100" not in err


def test_cli_warning_escapes_the_file_name(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # Review of fix29h: the warning printed --sender's name raw, escape codes and all.
    sender = tmp_path / "x\x1b[31mred.toml"
    sender.write_text('[sender]\nsender_id = "+14155550100"\nregistration = "approved"\n',
                      encoding="utf-8")
    code = main(["check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", str(sender), "--body", "Acme: hi. Reply STOP to opt out",
                 "--purpose", "informational"])
    _, err = capsys.readouterr()
    assert code == 0
    assert "sender.help_no_contact" in err
    assert "\x1b" not in err
    assert "x\\x1b[31mred.toml" in err


@pytest.mark.parametrize("value", ['"no"', "1", "[]"])
def test_cli_refuses_a_switch_that_is_not_a_bool(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 value: str) -> None:
    sender = tmp_path / "sender.toml"
    sender.write_text(f"[sender]\nwarn_help_without_contact = {value}\n", encoding="utf-8")
    code = main(["check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", str(sender), "--body", "Acme: hi. Reply STOP to opt out"])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == f"smskit: error: {sender}: warn_help_without_contact must be true " \
                          "or false"
    assert out == ""
