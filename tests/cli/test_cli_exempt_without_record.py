"""``--exempt-without-record`` on ``check``, ``plan`` and ``ledger status`` (rough29): the
library's ``ConsentRules.exempt_needs_record=False``, one name and meaning on every
command that reads consent. ``ledger status`` had no way to give the answer a sender
with that setting gets from its engine (in process)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import ConsentLedger, SQLiteStore
from smskit.cli import main
from smskit.testing import FixedClock

ROOT = Path(__file__).resolve().parents[2]
SENDER = str(ROOT / "examples" / "sender.toml")
CANADA = "+1 604 555 0123"  # Vancouver: CASL, whose s.6(6) exempts transactional texts
REVOKED = "+1 604 555 0187"
US = "+1 212 555 0123"
NOON = "2026-06-02T12:00:00-07:00"
BODY = "Acme Plumbing: your visit is at 3pm. Reply STOP to opt out"


@pytest.fixture
def ledger(tmp_path: Path) -> str:
    """Nothing recorded for CANADA or US; REVOKED texted STOP."""
    path = tmp_path / "ledger.db"
    at = datetime(2026, 6, 1, tzinfo=UTC)
    with SQLiteStore(path) as store:
        ConsentLedger(store, clock=FixedClock(at)).handle_reply(REVOKED, "STOP", scope="acme",
                                                                at=at)
    return str(path)


def _status(ledger: str, number: str, purpose: str, *more: str) -> list[str]:
    return ["ledger", "status", ledger, number, "--scope", "acme", "--at", NOON,
            "--purpose", purpose, "--json", *more]


def test_ledger_status_allows_an_exempt_purpose_with_nothing_recorded(
    ledger: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_status(ledger, CANADA, "transactional")) == 1
    before = json.loads(capsys.readouterr().out)
    assert [f["code"] for f in before["findings"]] == ["consent.missing"]
    assert main(_status(ledger, CANADA, "transactional", "--exempt-without-record")) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["allows_send"] is True
    assert [f["code"] for f in after["findings"]] == ["consent.exempt"]


@pytest.mark.parametrize(("number", "purpose", "code"), [
    (CANADA, "marketing", "consent.missing"),  # no exemption covers marketing
    (US, "transactional", "consent.missing"),  # the US rules exempt nothing
    (REVOKED, "transactional", "consent.revoked"),  # a STOP still blocks
])
def test_ledger_status_still_refuses_what_the_exemption_does_not_cover(
    ledger: str, capsys: pytest.CaptureFixture[str], number: str, purpose: str, code: str
) -> None:
    assert main(_status(ledger, number, purpose, "--exempt-without-record")) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["allows_send"] is False
    assert code in [f["code"] for f in answer["findings"]]


def test_check_and_plan_take_the_same_option(
    ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    check = ["check", CANADA, "--at", NOON, "--sender", SENDER, "--ledger", ledger,
             "--purpose", "transactional", "--body", BODY, "--json"]
    assert main(check) == 1
    capsys.readouterr()
    assert main([*check, "--exempt-without-record"]) == 0
    decision = json.loads(capsys.readouterr().out)
    assert decision["verdict"] == "allow"
    assert "consent.exempt" in [f["code"] for f in decision["findings"]]
    campaign = tmp_path / "c.csv"
    campaign.write_text(f"phone\n{CANADA}\n{REVOKED}\n", encoding="utf-8")
    plan = ["plan", str(campaign), "--template-text", BODY, "--at", NOON, "--sender", SENDER,
            "--ledger", ledger, "--purpose", "transactional", "--json"]
    assert main(plan) == 0
    assert json.loads(capsys.readouterr().out)["by_verdict"] == {"block": 2}
    assert main([*plan, "--exempt-without-record"]) == 0
    assert json.loads(capsys.readouterr().out)["by_verdict"] == {"allow": 1, "block": 1}


@pytest.mark.parametrize(("given", "says"), [
    ([], "--exempt-without-record needs --sender"),
    (["--sender", SENDER], "give it with --ledger or --database"),
])
def test_check_refuses_the_option_where_no_ledger_is_read(
    capsys: pytest.CaptureFixture[str], given: list[str], says: str
) -> None:
    assert main(["check", CANADA, "--at", NOON, "--body", BODY, "--exempt-without-record",
                 *given]) == 2
    err = capsys.readouterr().err
    assert says in err
    assert "Traceback" not in err
