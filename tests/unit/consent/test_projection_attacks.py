"""Review attacks on SQLite's decision projection: ways it could disagree with the chain."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import (
    ConsentKind,
    ConsentLedger,
    Evidence,
    SQLiteStore,
)
from smskit.errors import LedgerIntegrityError

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
N = "+14155550123"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[ConsentLedger]:
    made = ConsentLedger(SQLiteStore(tmp_path / "l.db", durable=False))
    made.grant(N, scope="acme", purposes="marketing", kind=ConsentKind.EXPRESS_WRITTEN,
               source="web_form", at=T0,
               evidence=Evidence(form_url="https://acme.example/join", consent_text="Yes."))
    made.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(days=1))
    yield made
    made.store.close()


@pytest.mark.parametrize("seq", ["0", "-3", "1.5"])
def test_verify_finds_a_projection_row_at_a_sequence_no_event_can_have(
    ledger: ConsentLedger, tmp_path: Path, seq: str
) -> None:
    # A forged grant after the STOP, filed under a sequence below or between the chain's:
    # the engine reads it (facts_many) and sends to someone who opted out.
    conn = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    conn.execute(
        "INSERT INTO facts (recipient, seq, kind, scope, channels, purposes, occurred_at, "
        "source, consent_kind) VALUES (?, ?, 'granted', 'acme', 'sms', 'marketing', "
        "'2025-06-05T09:00:00+00:00', 'api', 'express_written')", (N, float(seq)),
    )
    conn.close()
    # The engine reads it: three rows for a person with two events.
    assert len(ledger.store.facts_many([N])[N]) == 3
    with pytest.raises(LedgerIntegrityError, match="chain does not have"):
        ledger.verify()
