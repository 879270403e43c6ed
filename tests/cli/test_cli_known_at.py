"""``smskit check``/``plan --known-at``: replay a send with what the ledger knew then
(in process). A STOP that reached the carrier at 09:00 New York time was keyed into the
ledger at 15:00; a text sent at 12:00 was allowed on what was known then."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import ConsentLedger, Evidence, SQLiteStore
from smskit.cli import main
from smskit.testing import FixedClock

ROOT = Path(__file__).resolve().parents[2]
SENDER = str(ROOT / "examples" / "sender.toml")
NOON = "2026-06-02T12:00:00-04:00"


def _ledger(path: Path) -> str:
    clock = FixedClock(datetime(2026, 1, 2, tzinfo=UTC))
    with SQLiteStore(path) as store:
        ledger = ConsentLedger(store, clock=clock)
        ledger.grant("+12125550123", scope="acme", purposes="marketing",
                     kind="express_written", source="web_form",
                     at=datetime(2026, 1, 2, tzinfo=UTC),
                     evidence=Evidence(consent_text="Texts from Acme",
                                       form_url="https://a.example"))
        clock.set(datetime(2026, 6, 2, 19, 0, tzinfo=UTC))  # 15:00 New York: late
        ledger.handle_reply("+12125550123", "STOP", scope="acme",
                            at=datetime(2026, 6, 2, 13, 0, tzinfo=UTC))
    return str(path)


def test_check_known_at(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path / "ledger.db")
    common = ["check", "+1 212 555 0123", "--at", NOON, "--sender", SENDER, "--ledger",
              ledger, "--body", "Acme: sale. Reply STOP to opt out"]
    assert main(common) == 1  # blocked on what is known now
    assert "opt_out.active" in capsys.readouterr().out
    assert main([*common, "--known-at", NOON]) == 0
    out = capsys.readouterr().out
    assert "Known  at 2026-06-02T12:00:00-04:00: ledger events recorded later left out" in out
    assert main([*common, "--known-at", NOON, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["verdict"] == "allow"
    assert record["known_at"] == NOON


def test_plan_known_at(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = _ledger(tmp_path / "ledger.db")
    (tmp_path / "c.csv").write_text("phone\n+1 212 555 0123\n", encoding="utf-8")
    common = ["plan", str(tmp_path / "c.csv"), "--template-text",
              "Acme: sale. Reply STOP to opt out", "--at", NOON, "--sender", SENDER,
              "--ledger", ledger, "--json"]
    assert main(common) == 0
    assert json.loads(capsys.readouterr().out)["by_verdict"] == {"block": 1}
    assert main([*common, "--known-at", NOON]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["by_verdict"] == {"allow": 1}
    assert plan["known_at"] == NOON
