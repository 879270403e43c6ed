"""A send history (or an outbox) never writes into a consent ledger's file.

SQLiteSendHistory (and SQLiteMessageHistory, which extends it) created its tables in
whatever file it opened: given the ledger's path by mistake, it altered the ledger's
schema, and the ledger then refused to open ("the stored schema ... was altered")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import (
    ConsentLedger,
    Evidence,
    SQLiteMessageHistory,
    SQLiteOutbox,
    SQLiteSendHistory,
    SQLiteStore,
)
from smskit.errors import StoreError

AT = datetime(2026, 11, 20, 15, tzinfo=UTC)


@pytest.mark.parametrize("history", [SQLiteSendHistory, SQLiteMessageHistory, SQLiteOutbox])
def test_a_history_refuses_a_consent_ledger_file(tmp_path: Path, history: type) -> None:
    path = tmp_path / "consent.db"
    with ConsentLedger(SQLiteStore(path)) as ledger:
        ledger.grant("+14155550123", scope="acme", purposes="marketing",
                     kind="express_written", source="web_form", at=AT,
                     evidence=Evidence(consent_text="Texts from Acme", form_url="https://a.example"))
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is a consent ledger"):
        history(path)
    assert path.read_bytes() == before
    with ConsentLedger(SQLiteStore(path)) as ledger:
        assert ledger.verify()[0] == 1
