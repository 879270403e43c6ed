"""Review attacks on SQLite's decision projection: ways it could disagree with the chain."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.unit.consent._old_format import write_schema_2

from smskit.consent import (
    ConsentKind,
    ConsentLedger,
    Evidence,
    MemoryStore,
    SQLiteStore,
)
from smskit.consent._codec import GENESIS_HASH, canonical_bytes, seal
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
    if seq == "1.5":  # not an integer: the engine's read refuses the row itself
        with pytest.raises(LedgerIntegrityError, match="is corrupt"):
            ledger.store.facts_many([N])
    else:  # the engine reads it: three rows for a person with two events
        assert len(ledger.store.facts_many([N])[N]) == 3
    with pytest.raises(LedgerIntegrityError, match="chain does not have"):
        ledger.verify()


def _append_as_schema_1_code(path: Path, at: datetime) -> None:
    """What smskit before the projection does to append (a process started before the
    upgrade and still running): the event row only, sealed and chained correctly."""
    other = ConsentLedger(MemoryStore())
    other.handle_reply(N, "STOP", scope="acme", at=at)
    draft = replace(other.store.events(N)[-1], sequence=0, prev_hash="")
    conn = sqlite3.connect(path, isolation_level=None)
    head = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC").fetchone()
    seq, previous = head or (0, GENESIS_HASH)
    event = seal(draft, seq + 1, previous)
    body = canonical_bytes(event)
    try:
        conn.execute(
            "INSERT INTO events (seq, recipient, occurred_at, prev_hash, hash, body) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (seq + 1, event.recipient, event.occurred_at.isoformat(), event.prev_hash,
             hashlib.sha256(body).hexdigest(), body.decode()),
        )
    finally:
        conn.close()


def test_an_event_appended_without_its_projection_row_is_refused(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    # An older smskit (schema 1) still running while the file was upgraded appends the
    # event alone; the engine would never see that STOP. The file must refuse it.
    ledger.handle_reply(N, "START", scope="acme", at=T0 + timedelta(days=2))
    with pytest.raises(sqlite3.DatabaseError):
        _append_as_schema_1_code(tmp_path / "l.db", T0 + timedelta(days=3))
    assert [f.kind for f in ledger.store.facts_many([N])[N]] == [
        e.kind for e in ledger.store.events(N)]


def test_a_schema_2_file_written_before_the_guard_gets_it(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    write_schema_2(path, [], guard=False)  # as a schema-2 smskit first wrote it
    SQLiteStore(path, read_only=True).close()  # read as it is
    SQLiteStore(path).close()
    with pytest.raises(sqlite3.DatabaseError):
        _append_as_schema_1_code(path, T0)
    SQLiteStore(path, read_only=True).close()


def test_verify_finds_an_event_filed_under_sequence_0(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    # A grant forged below the chain (hash of its own body correct, link to the genesis):
    # events() and facts_many read it, so verify must not start its walk above it.
    other = ConsentLedger(MemoryStore())
    other.grant(N, scope="acme", purposes="marketing", kind="express", source="api",
                at=T0 + timedelta(days=3))
    event = replace(other.store.events(N)[-1], sequence=0, prev_hash=GENESIS_HASH)
    body = canonical_bytes(event)
    conn = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    conn.execute(
        "INSERT INTO facts (seq, recipient, kind, scope, channels, purposes, occurred_at, "
        "source, consent_kind) VALUES (0, ?, 'granted', 'acme', 'sms', 'marketing', ?, "
        "'api', 'express')", (N, event.occurred_at.isoformat()),
    )
    conn.execute(
        "INSERT INTO events (seq, recipient, occurred_at, prev_hash, hash, body) "
        "VALUES (0, ?, ?, ?, ?, ?)",
        (N, event.occurred_at.isoformat(), GENESIS_HASH, hashlib.sha256(body).hexdigest(),
         body.decode()),
    )
    conn.close()
    assert [e.sequence for e in ledger.store.events(N)] == [0, 1, 2]
    with pytest.raises(LedgerIntegrityError, match="found sequence 0"):
        ledger.verify()


_CRASH_MID_UPGRADE = """
import os, sys
from smskit.consent import sqlite as module
real, done = module._facts_row, [0]
def dying(event):
    done[0] += 1
    if done[0] == 2500:  # past the first batch written into the facts table
        os._exit(9)
    return real(event)
module._facts_row = dying
module.SQLiteStore(sys.argv[1])
"""


def test_a_process_killed_mid_upgrade_leaves_schema_1_and_the_next_open_upgrades(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    path = tmp_path / "l.db"
    with SQLiteStore(path, durable=False) as store:
        other = ConsentLedger(MemoryStore())
        for i in range(3000):
            other.grant(f"+1415555{i:04d}", scope="acme", purposes="marketing",
                        kind="express", source="api", at=T0 + timedelta(seconds=i))
        store.append_many(replace(e, sequence=0, prev_hash="") for e in other.store.scan())
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER events_need_facts")
    conn.execute("DROP TABLE facts")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    child = subprocess.run([sys.executable, "-c", _CRASH_MID_UPGRADE, str(path)], check=False)
    assert child.returncode == 9
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'facts'").fetchone()[0] == 0
    conn.close()
    with SQLiteStore(path) as store:
        ConsentLedger(store).verify()
        people = [f"+1415555{i:04d}" for i in range(0, 3000, 7)]
        assert store.facts_many(people) == store.facts_many(people, verify=True)


@pytest.mark.parametrize("edit", [
    # The same instant in another offset: the engine's findings quote the time as stored
    # ("consent was revoked ... on 2025-06-02T04:00:00-05:00"), so decisions differ.
    "UPDATE facts SET occurred_at = '2025-06-02T04:00:00-05:00' WHERE seq = 2",
    "UPDATE facts SET recorded_at = replace(recorded_at, '+00:00', '-00:00') WHERE seq = 2",
])
def test_verify_finds_an_edit_that_keeps_the_instant(
    ledger: ConsentLedger, tmp_path: Path, edit: str
) -> None:
    conn = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    conn.execute("DROP TRIGGER facts_no_update")
    before = conn.execute("SELECT occurred_at, recorded_at FROM facts WHERE seq = 2").fetchone()
    conn.execute(edit)
    assert conn.execute(
        "SELECT occurred_at, recorded_at FROM facts WHERE seq = 2").fetchone() != before
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="disagrees") as info:
        ledger.verify()
    assert info.value.sequence == 2
