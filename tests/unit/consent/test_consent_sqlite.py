"""SQLiteStore on real files: WAL, append-only, schema/corruption errors, tampering, concurrency."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import (
    ConsentKind,
    ConsentLedger,
    ConsentState,
    Evidence,
    Purpose,
    SQLiteStore,
)
from smskit.consent.sqlite import SCHEMA_VERSION
from smskit.errors import LedgerIntegrityError, StoreError

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
N = "+14155550123"
WRITERS, PER_WRITER = 4, 25


_OPENED: list[ConsentLedger] = []


@pytest.fixture(autouse=True)
def _close_ledgers() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()


def _fill(path: Path) -> ConsentLedger:
    """A filled ledger, closed after the test (closing twice is fine)."""
    ledger = ConsentLedger(SQLiteStore(path, durable=False))
    _OPENED.append(ledger)
    ledger.grant(N, scope="acme", purposes="marketing", kind=ConsentKind.EXPRESS_WRITTEN,
                 source="web_form", at=T0,
                 evidence=Evidence(form_url="https://acme.example/join",
                                   consent_text="I agree to marketing texts from Acme."))
    ledger.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(days=1))
    ledger.handle_reply(N, "START", scope="acme", at=T0 + timedelta(days=2))
    ledger.grant("+447911123456", scope="acme", purposes="informational", kind="express",
                 source="api", at=T0)
    return ledger


def _raw(path: Path) -> sqlite3.Connection:
    """A connection as an attacker with file access would use it: triggers dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("DROP TRIGGER events_no_delete")
    return conn


def test_file_is_wal_with_schema_version_and_index(tmp_path: Path) -> None:
    _fill(tmp_path / "l.db").store.close()
    conn = sqlite3.connect(tmp_path / "l.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT seq, hash, body FROM events WHERE recipient = ? ORDER BY seq",
        (N,)))
    assert "events_by_recipient" in plan
    conn.close()


def test_rows_cannot_be_updated_or_deleted(tmp_path: Path) -> None:
    _fill(tmp_path / "l.db").store.close()
    conn = sqlite3.connect(tmp_path / "l.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET body = '{}' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events WHERE seq = 1")
    conn.close()


def test_reopening_keeps_the_events(tmp_path: Path) -> None:
    head = _fill(tmp_path / "l.db").verify()
    with SQLiteStore(tmp_path / "l.db") as store:
        ledger = ConsentLedger(store)
        assert ledger.verify() == head
        assert ledger.status(N, "marketing", scope="acme", at=T0 + timedelta(days=3)).allows_send


def test_other_schema_version_is_refused(tmp_path: Path) -> None:
    _fill(tmp_path / "l.db").store.close()
    conn = sqlite3.connect(tmp_path / "l.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match=f"schema {SCHEMA_VERSION + 1}"):
        SQLiteStore(tmp_path / "l.db")


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(LedgerIntegrityError, match="not a readable consent ledger"):
        SQLiteStore(path)


def test_other_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="another application"):
        SQLiteStore(path)


def test_a_message_history_file_is_refused_naming_smskit_own_files(tmp_path: Path) -> None:
    # One "fixit.db" for everything: the history came first, and the ledger called
    # smskit's own file "a SQLite file of another application".
    from smskit import SQLiteMessageHistory

    path = tmp_path / "fixit.db"
    SQLiteMessageHistory(path).close()
    with pytest.raises(LedgerIntegrityError, match="a file of its own") as caught:
        SQLiteStore(path)
    assert "message history or outbox" in str(caught.value)


def test_corrupt_row_raises_instead_of_answering(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    ledger = _fill(path)
    conn = _raw(path)
    conn.execute("UPDATE events SET body = replace(body, '\"revoked\"', '\"granted\"') "
                 "WHERE seq = 2")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 2") as info:
        ledger.status(N, "marketing", scope="acme", at=T0 + timedelta(days=1, hours=1))
    assert info.value.sequence == 2


def test_verify_finds_an_edit_with_a_recomputed_row_hash(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "l.db"
    ledger = _fill(path)
    conn = _raw(path)
    body = conn.execute("SELECT body FROM events WHERE seq = 2").fetchone()[0]
    forged = body.replace("2025-06-02T09:00:00+00:00", "2025-06-09T09:00:00+00:00")
    assert forged != body
    conn.execute("UPDATE events SET body = ?, hash = ? WHERE seq = 2",
                 (forged, hashlib.sha256(forged.encode()).hexdigest()))
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="does not chain") as info:
        ledger.verify()
    assert info.value.sequence == 3


def test_forged_row_with_unknown_values_is_refused(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "l.db"
    ledger = _fill(path)
    conn = _raw(path)
    body = conn.execute("SELECT body FROM events WHERE seq = 1").fetchone()[0]
    forged = body.replace('"web_form"', '"billboard"')
    conn.execute("UPDATE events SET body = ?, hash = ? WHERE seq = 1",
                 (forged, hashlib.sha256(forged.encode()).hexdigest()))
    conn.close()
    # The row's own hash matches, so only the chain tells a forgery from a newer writer.
    with pytest.raises(LedgerIntegrityError,
                       match="'billboard' in source, a value this smskit") as info:
        ledger.history(N)
    assert info.value.sequence == 1
    with pytest.raises(LedgerIntegrityError) as broken:
        ledger.verify()
    assert broken.value.sequence == 1
    # This version's verify cannot read the row either, so it cannot be what tells a
    # forgery from a newer writer: the message must not send the user back to it
    # (rev26L); a smskit that knows the value reads the row and checks the chain.
    assert "'billboard'" in str(broken.value)
    assert "ConsentLedger.verify tells" not in str(broken.value)
    assert "verify of a smskit that knows" in str(broken.value)


def test_verify_finds_a_deleted_event(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    ledger = _fill(path)
    conn = _raw(path)
    conn.execute("DELETE FROM events WHERE seq = 2")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="missing or out of order") as info:
        ledger.verify()
    assert info.value.sequence == 2


def test_verify_finds_reordered_events(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    ledger = _fill(path)
    conn = _raw(path)
    conn.execute("UPDATE events SET seq = 100 WHERE seq = 2")
    conn.execute("UPDATE events SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE events SET seq = 3 WHERE seq = 100")
    conn.close()
    with pytest.raises(LedgerIntegrityError):
        ledger.verify()


def test_threads_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    shared = SQLiteStore(path, durable=False)
    other = SQLiteStore(path, durable=False)  # a second connection in the same process
    errors: list[BaseException] = []

    def work(store: SQLiteStore, writer: int) -> None:
        try:
            _append_many(store, writer)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(shared if i % 2 else other, i))
               for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _check_all_there(shared)
    shared.close()
    other.close()


def _append_many(store: SQLiteStore, writer: int) -> None:
    ledger = ConsentLedger(store)
    for i in range(PER_WRITER):
        ledger.grant(N, scope=f"acme/w{writer}", purposes="informational", kind="express",
                     source="api", at=T0 + timedelta(seconds=i),
                     evidence=Evidence(reference=f"w{writer}-{i}"))


# Each writer is a fresh interpreter (a real process with its own SQLite connection).
_WRITER_SCRIPT = """
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from smskit.consent import ConsentLedger, Evidence, SQLiteStore
path, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
start = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
with SQLiteStore(path, durable=False) as store:
    ledger = ConsentLedger(store)
    for i in range(count):
        ledger.grant("+14155550123", scope=f"acme/w{writer}", purposes="informational",
                     kind="express", source="api", at=start + timedelta(seconds=i),
                     evidence=Evidence(reference=f"w{writer}-{i}"))
"""


def _check_all_there(store: SQLiteStore) -> None:
    ledger = ConsentLedger(store)
    assert ledger.verify()[0] == WRITERS * PER_WRITER
    refs = [e.evidence.reference for e in store.scan()]
    expected = {f"w{w}-{i}" for w in range(WRITERS) for i in range(PER_WRITER)}
    assert len(refs) == len(expected)
    assert set(refs) == expected
    for w in range(WRITERS):
        status = ledger.status(N, "informational", scope=f"acme/w{w}", at=T0 + timedelta(hours=1))
        assert status.state is ConsentState.GRANTED


def test_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    SQLiteStore(path).close()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER_SCRIPT, str(path), str(w), str(PER_WRITER)],
            stderr=subprocess.PIPE,
        )
        for w in range(WRITERS)
    ]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else b"") for p in procs]
    for p in procs:
        if p.stderr:
            p.stderr.close()
    assert results == [(0, b"")] * WRITERS
    with SQLiteStore(path) as store:
        _check_all_there(store)


def test_purpose_is_checked_on_sqlite_like_memory(tmp_path: Path) -> None:
    ledger = _fill(tmp_path / "l.db")
    assert ledger.status("+447911123456", Purpose.MARKETING, scope="acme",
                         at=T0).state is ConsentState.NONE


# -- found in review -----------------------------------------------------------------------

def test_a_directory_is_refused_with_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        SQLiteStore(tmp_path)


def test_a_row_whose_body_became_a_blob_raises_instead_of_crashing(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    ledger = _fill(path)
    conn = _raw(path)
    conn.execute("UPDATE events SET body = CAST(body AS BLOB) WHERE seq = 2")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 2"):
        ledger.status(N, "marketing", scope="acme", at=T0 + timedelta(days=3))


def test_an_altered_schema_is_refused_on_open(tmp_path: Path) -> None:
    # A flipped bit in the stored schema text changes the column's type affinity, and
    # lookups by number then silently find nothing: answer NONE after a revocation.
    path = tmp_path / "l.db"
    _fill(path).store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'recipient TEXT', "
                 "'recipient BLOB') WHERE name = 'events'")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="schema"):
        SQLiteStore(path)


def test_verify_finds_a_corrupted_index(tmp_path: Path) -> None:
    # A changed byte in the (recipient, seq) index hides the revocation from lookups by
    # number; the chain (read by seq) is intact, so only a file check can see it.
    path = tmp_path / "l.db"
    _fill(path).store.close()
    conn = sqlite3.connect(path)
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'events_by_recipient'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    at = data.index(N.encode(), start, start + page_size)
    data[at + len(N) - 1] = ord("9")
    path.write_bytes(bytes(data))
    with ConsentLedger(SQLiteStore(path)) as ledger, pytest.raises(
        LedgerIntegrityError, match="integrity check"
    ):
        ledger.verify()


def test_the_batch_read_takes_a_scope_holding_the_column_separator(tmp_path: Path) -> None:
    # A unit separator (U+001F) is valid inside a scope part; the engine's batch read
    # joins columns with it and must not take the event for a corrupt one.
    ledger = ConsentLedger(SQLiteStore(tmp_path / "l.db", durable=False))
    _OPENED.append(ledger)
    ledger.grant(N, scope="acme/x\x1fy", purposes="marketing", kind="express",
                 source="api", at=T0)
    facts = ledger.store.facts_many([N])[N]
    assert [str(f.scope) for f in facts] == ["acme/x\x1fy"]
    assert facts == ledger.store.facts_many([N], verify=True)[N]


def test_decision_projection_holding_a_newer_value_says_upgrade_not_restore(
    tmp_path: Path,
) -> None:
    # What a newer smskit (one with a revocation method this one lacks) leaves in the
    # file: the event and its projection row both hold the value, the chain intact.
    # The engine reads the projection; it must not call that corrupt and advise
    # restoring an export, which would drop every event since (rev26L).
    import hashlib

    path = tmp_path / "l.db"
    ledger = ConsentLedger(SQLiteStore(path, durable=False))
    _OPENED.append(ledger)
    ledger.grant(N, scope="acme", purposes="marketing", kind=ConsentKind.EXPRESS_WRITTEN,
                 source="web_form", at=T0,
                 evidence=Evidence(form_url="https://acme.example/join",
                                   consent_text="I agree to marketing texts from Acme."))
    ledger.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(days=1))
    ledger.close()
    conn = sqlite3.connect(path, isolation_level=None)
    triggers = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    for name in ("events_no_update", "facts_no_update", "events_need_facts"):
        conn.execute(f"DROP TRIGGER {name}")
    body = conn.execute("SELECT body FROM events WHERE seq = 2").fetchone()[0]
    newer = body.replace('"revocation_method":"keyword"',
                         '"revocation_method":"carrier_deactivation"')
    assert newer != body
    conn.execute("UPDATE events SET body = ?, hash = ? WHERE seq = 2",
                 (newer, hashlib.sha256(newer.encode()).hexdigest()))
    conn.execute("UPDATE facts SET revocation_method = 'carrier_deactivation' WHERE seq = 2")
    for statement in triggers:
        if "events_no_delete" not in statement and "facts_no_delete" not in statement:
            conn.execute(statement)
    conn.close()
    store = SQLiteStore(path, durable=False)
    _OPENED.append(ConsentLedger(store))
    with pytest.raises(LedgerIntegrityError) as caught:
        store.facts_many([N])
    message = str(caught.value)
    assert "'carrier_deactivation' in revocation_method" in message
    assert "newer smskit" in message
    assert "restore the" not in message
    assert "restore from" not in message
    assert caught.value.sequence == 2
    # A projection value edited while its event reads stays corrupt: see
    # test_consent_projection (channels 'pigeon', kind 'maybe').
