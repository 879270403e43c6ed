"""``smskit health`` over a real SQLite message history."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.cli import main
from smskit.messenger import MessageRecord, SQLiteMessageHistory
from smskit.pricing import Direction
from smskit.purpose import Purpose

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SENDER = "+18005550100"


def _history(path: Path, stops: int) -> None:
    with SQLiteMessageHistory(path) as history:
        for i in range(40):
            history.record_message(MessageRecord(
                Direction.OUTBOUND, SENDER, f"+1305555{i:04d}", T0, 1,
                purpose=Purpose.MARKETING,
            ))
        for i in range(stops):
            history.record_message(MessageRecord(
                Direction.INBOUND, SENDER, f"+1305555{i:04d}", T0 + timedelta(minutes=1), 1,
                reply="opt_out",
            ))


def test_health_reports_a_halt_with_exit_1_and_labels_the_heuristic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _history(tmp_path / "h.db", stops=2)  # 2/40 = 5.0%: the halt threshold
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at", "2026-11-20T13:00:00Z"])
    out = capsys.readouterr().out
    assert code == 1
    # The sending number masked like every number the command prints (a sole
    # proprietor's may be a personal phone); --json keeps it exact.
    assert "+1********00: HALT" in out
    assert SENDER not in out
    assert "opted out 2 (5.0%)" in out
    assert "health.opt_out_rate_halt" in out
    assert "[unverified heuristic]" in out
    assert "flowroute" in out


def test_health_json_and_a_healthy_sender_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _history(tmp_path / "h.db", stops=0)
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at",
                 "2026-11-20T13:00:00Z", "--json"])
    [report] = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["recipients"], report["opted_out"], report["halted"]) == (40, 0, False)


def test_health_without_the_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["health", "--history", str(tmp_path / "missing.db")]) == 2
    assert "no history file" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize("hours", ["100000000", "100000000000", "0"])
def test_health_with_an_impossible_window_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hours: str
) -> None:
    _history(tmp_path / "h.db", stops=0)
    argv = ["health", "--history", str(tmp_path / "h.db"), "--hours", hours]
    assert main([*argv, "--at", "2026-11-20T13:00:00Z"]) == 2
    assert "--hours" in capsys.readouterr().err


def test_health_findings_name_the_window_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _history(tmp_path / "h.db", stops=2)
    argv = ["health", "--history", str(tmp_path / "h.db"), "--hours", "6"]
    assert main([*argv, "--at", "2026-11-20T13:00:00Z"]) == 1
    out = capsys.readouterr().out
    assert "over 6 h" in out
    assert "24 h" not in out


def _ledger(path: Path) -> bytes:
    from smskit.consent import ConsentLedger, Evidence, SQLiteStore

    with ConsentLedger(SQLiteStore(path)) as ledger:
        ledger.grant("+13055550000", scope="acme", purposes="marketing",
                     kind="express_written", source="web_form", at=T0,
                     evidence=Evidence(consent_text="Texts from Acme", form_url="https://a.example"))
    return path.read_bytes()


def test_health_on_a_consent_ledger_is_refused_and_leaves_it_intact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The history tables were created inside the ledger (consent.db given for
    # history.db): the ledger then failed verification as "schema altered".
    ledger = tmp_path / "consent.db"
    before = _ledger(ledger)
    assert main(["health", "--history", str(ledger), "--at", "2026-11-20T13:00:00Z"]) == 2
    assert "is not a send history" in capsys.readouterr().err
    assert ledger.read_bytes() == before
    assert main(["ledger", "verify", str(ledger)]) == 0


def test_health_on_an_empty_file_is_refused_not_made_a_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert main(["health", "--history", str(empty)]) == 2
    assert "is not a send history" in capsys.readouterr().err
    assert empty.read_bytes() == b""


def test_health_on_a_file_of_sends_alone_is_refused_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLiteSendHistory (frequency caps) writes only smskit_sends: health added the
    # Messenger's message tables to it and reported no sender, as if all were well.
    from smskit.timing.caps import SQLiteSendHistory

    sends = tmp_path / "sends.db"
    SQLiteSendHistory(sends).close()
    before = sends.read_bytes()
    assert main(["health", "--history", str(sends), "--at", "2026-11-20T13:00:00Z"]) == 2
    err = capsys.readouterr().err
    assert "is not a send history (no smskit_messages table)" in err
    assert "the Messenger or SQLiteMessageHistory writes" in err
    assert sends.read_bytes() == before


def test_health_masks_the_sending_number_in_the_daily_cap_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The heading was masked but the cap finding's line named the number in full.
    from smskit.messenger import DeliveryRecord

    _history(tmp_path / "h.db", stops=0)
    with SQLiteMessageHistory(tmp_path / "h.db") as history:
        history.record_delivery(DeliveryRecord(
            "SM1", SENDER, "+13055550000", T0, "delivered", None, "30027"))
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at", "2026-11-20T13:00:00Z"])
    out = capsys.readouterr().out
    assert code == 1  # the cap reached halts marketing
    assert "health.daily_cap_reached" in out
    assert SENDER not in out


def test_a_sender_with_no_messages_in_the_window_gets_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A sender matched nothing and printed "ok" with zeros, as if the number were
    # healthy; the history keeps senders as recorded (E.164).
    _history(tmp_path / "h.db", stops=2)
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at",
                 "2026-11-20T13:00:00Z", "--sender", "+18005550177"])
    captured = capsys.readouterr()
    assert code == 0
    assert "note: no messages from +1********77 in the window" in captured.err
    assert "+1********00" in captured.err  # the senders it does hold, masked
    assert SENDER not in captured.err


def test_a_national_sender_is_refused_and_a_written_one_read_as_e164(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "8005550100" (no +1) can match no record: exit 2 saying so, with the senders held.
    _history(tmp_path / "h.db", stops=2)
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at",
                 "2026-11-20T13:00:00Z", "--sender", "8005550100"])
    captured = capsys.readouterr()
    assert code == 2
    assert "E.164" in captured.err
    assert "+1********00" in captured.err
    assert "8005550100" not in captured.err
    assert SENDER not in captured.err
    # With its country code, as people write it, it is the recorded sender.
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at",
                 "2026-11-20T13:00:00Z", "--sender", "+1 (800) 555-0100"])
    captured = capsys.readouterr()
    assert code == 1  # 2 of 40 opted out: the halt threshold
    assert "recipients 40, opted out 2" in captured.out
    assert captured.err == ""


def test_a_sender_with_an_extension_is_refused_not_reported_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # fix26o: "+1 (800) 555-0100 ext 5" matched no record and read "ok" with zeros.
    _history(tmp_path / "h.db", stops=2)
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at",
                 "2026-11-20T13:00:00Z", "--sender", "+1 (800) 555-0100 ext 5"])
    captured = capsys.readouterr()
    assert code == 2
    assert "extension" in captured.err
    assert "E.164" in captured.err
    assert "555-0100" not in captured.err
    assert SENDER not in captured.err
    assert captured.out == ""


def test_a_window_too_small_to_judge_is_not_called_ok(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 4 recipients, all of them opted out: rates are judged from 20 recipients, so no
    # finding, and the line read "ok" beside "opted out 4 (100.0%)".
    with SQLiteMessageHistory(tmp_path / "h.db") as history:
        for i in range(4):
            history.record_message(MessageRecord(
                Direction.OUTBOUND, SENDER, f"+1305555{i:04d}", T0, 1,
                purpose=Purpose.MARKETING,
            ))
            history.record_message(MessageRecord(
                Direction.INBOUND, SENDER, f"+1305555{i:04d}", T0 + timedelta(minutes=1), 1,
                reply="opt_out",
            ))
    code = main(["health", "--history", str(tmp_path / "h.db"), "--at", "2026-11-20T13:00:00Z"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(
        "+1********00: not judged: 4 recipients, rates are judged from 20 (last 24 h)\n"
    )
    assert "opted out 4 (100.0%)" in out
    main(["health", "--history", str(tmp_path / "h.db"), "--at", "2026-11-20T13:00:00Z",
          "--json"])
    [report] = json.loads(capsys.readouterr().out)
    assert report["judged"] is False


def test_two_numbers_shown_alike_are_pointed_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # user34: a salon's two numbers ending 01 printed two "+1********01" reports, one of
    # which could be a HALT, with nothing to tell which number it was.
    with SQLiteMessageHistory(tmp_path / "h.db") as history:
        for sender in ("+12125550101", "+13125559901", "+12125550177"):
            history.record_message(MessageRecord(
                Direction.OUTBOUND, sender, "+13055550123", T0, 1, purpose=Purpose.MARKETING))
    argv = ["health", "--history", str(tmp_path / "h.db"), "--at", "2026-11-20T13:00:00Z"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert captured.out.count("+1********01:") == 2
    assert "2 sending numbers are shown alike as +1********01" in captured.err
    assert "77" not in captured.err  # the number shown once is not named
    assert "2125550101" not in captured.out + captured.err
    assert main([*argv, "--sender", "+12125550101"]) == 0
    assert "alike" not in capsys.readouterr().err


def test_one_number_asked_for_twice_is_not_two_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Review rev29u: "--sender X --sender X" noted "2 sending numbers are shown alike".
    with SQLiteMessageHistory(tmp_path / "h.db") as history:
        history.record_message(MessageRecord(
            Direction.OUTBOUND, "+12125550101", "+13055550123", T0, 1,
            purpose=Purpose.MARKETING))
    argv = ["health", "--history", str(tmp_path / "h.db"), "--at", "2026-11-20T13:00:00Z",
            "--sender", "+12125550101", "--sender", "+12125550101"]
    assert main(argv) == 0
    assert "alike" not in capsys.readouterr().err
