"""SQLite's decision projection (the ``facts`` table): kept with every append, read by
the engine, checked by ``verify``, added to a schema-1 file on open."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import (
    ConsentKind,
    ConsentLedger,
    ConsentScope,
    EventKind,
    Evidence,
    SQLiteStore,
    facts_of,
)
from smskit.errors import LedgerIntegrityError

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
N = "+14155550123"
UK = "+447911123456"


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[ConsentLedger]:
    made = ConsentLedger(SQLiteStore(tmp_path / "l.db", durable=False))
    made.grant(N, scope="acme", purposes="marketing", kind=ConsentKind.EXPRESS_WRITTEN,
               source="web_form", at=T0,
               evidence=Evidence(form_url="https://acme.example/join", consent_text="Yes."))
    made.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(days=1))
    made.grant(UK, scope="acme/app", purposes="informational", kind="implied",
               implied_basis="purchase", source="api", at=T0)
    made.handle_reply(N, "START", scope="acme", at=T0 + timedelta(days=2))
    yield made
    made.store.close()


def test_scopes_filter_the_rows_in_sql_and_too_many_to_bind_keep_every_row(
    ledger: ConsentLedger,
) -> None:
    store = ledger.store
    assert isinstance(store, SQLiteStore)
    app = store.facts_many([N, UK], scopes=[ConsentScope.parse("acme/app")])
    assert [len(app[N]), len(app[UK])] == [3, 1]  # "acme" covers "acme/app"
    other = store.facts_many([N, UK], scopes=[ConsentScope.parse("acme/other")])
    assert [len(other[N]), len(other[UK])] == [3, 0]
    # 300 scopes need more parameters than one query binds: no filter, every row.
    many = [ConsentScope.parse(f"brand-{i}/x") for i in range(300)]
    assert store.facts_many([N, UK], scopes=many) == store.facts_many([N, UK])
    assert store.facts_many([N, UK], scopes=many[:10]) == {N: [], UK: []}


def test_facts_are_immutable_and_their_repr_masks_the_number_and_the_reply(
    ledger: ConsentLedger,
) -> None:
    stop = ledger.store.facts_many([N])[N][1]
    assert stop.reply_text == "STOP"
    shown = repr(stop)
    assert N not in shown
    assert "STOP" not in shown
    assert "kind=<EventKind.REVOKED" in shown
    with pytest.raises(AttributeError):
        stop.kind = EventKind.GRANTED  # type: ignore[misc]


def _attacker(path: Path) -> sqlite3.Connection:
    """Write access to the file, the projection's triggers dropped."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER facts_no_update")
    conn.execute("DROP TRIGGER facts_no_delete")
    return conn


def test_each_append_writes_the_facts_of_the_event(ledger: ConsentLedger) -> None:
    found = ledger.store.facts_many([N, UK])
    assert [f.kind for f in found[N]] == [EventKind.GRANTED, EventKind.REVOKED,
                                          EventKind.REGRANTED]
    assert [f.reply_text for f in found[N]] == [None, "STOP", "START"]
    assert found[UK][0].occurred_at == T0
    assert str(found[UK][0].scope) == "acme/app"
    for number in (N, UK):
        assert list(found[number]) == [facts_of(e) for e in ledger.store.events(number)]
    ledger.verify()


def test_projection_rows_are_append_only(ledger: ConsentLedger, tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "l.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE facts SET kind = 'granted' WHERE seq = 2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM facts WHERE seq = 2")
    conn.close()


@pytest.mark.parametrize(("edit", "message", "sequence"), [
    # A STOP turned into a grant would let the engine send to someone who opted out.
    ("UPDATE facts SET kind = 'granted' WHERE seq = 2", "disagrees with the event", 2),
    ("UPDATE facts SET occurred_at = '2025-06-09T09:00:00+00:00' WHERE seq = 2",
     "disagrees with the event", 2),
    ("UPDATE facts SET reply_text = NULL WHERE seq = 4", "disagrees with the event", 4),
    ("UPDATE facts SET kind = 'shouted' WHERE seq = 2", "projection of ledger event 2 is "
     "corrupt", 2),
    ("DELETE FROM facts WHERE seq = 2", "no row in the decision projection", 2),
    ("INSERT INTO facts (recipient, seq, kind, scope, channels, purposes, occurred_at, "
     "source) VALUES ('+14155550123', 9, 'granted', 'acme', 'sms', 'marketing', "
     "'2025-06-01T09:00:00+00:00', 'api')", "which the chain does not have", 9),
])
def test_verify_finds_an_edited_projection(
    ledger: ConsentLedger, tmp_path: Path, edit: str, message: str, sequence: int
) -> None:
    conn = _attacker(tmp_path / "l.db")
    conn.execute(edit)
    conn.close()
    with pytest.raises(LedgerIntegrityError, match=message) as info:
        ledger.verify()
    assert info.value.sequence == sequence


def test_a_corrupt_projection_value_raises_when_read(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    conn = _attacker(tmp_path / "l.db")
    conn.execute("UPDATE facts SET channels = 'pigeon' WHERE seq = 1")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 1 is corrupt"):
        ledger.store.facts_many([N])
    # The verified read does not use the projection.
    assert [f.sequence for f in ledger.store.facts_many([N], verify=True)[N]] == [1, 2, 4]


@pytest.mark.parametrize(("column", "value"), [
    ("consent_kind", "''"),  # empty: neither NULL nor a kind
    ("revocation_method", "'='"),
    ("implied_basis", "'=purchase'"),
    # The read's separator inside an enum column (inside a scope it is valid text).
    ("source", "'api' || char(31)"),
    ("revocation_method", "'=keyword' || char(31) || 'evil'"),
    ("implied_basis", "char(31)"),
    # A BLOB holding a valid value's bytes (concatenated, it would read as that text).
    ("scope", "CAST('acme' AS BLOB)"),
    ("kind", "CAST('granted' AS BLOB)"),
    ("purposes", "CAST('marketing' AS BLOB)"),
    ("consent_kind", "CAST('express_written' AS BLOB)"),
    ("scope", "'acme/'"),
    ("kind", "'granted' || char(31)"),
    ("source", "'WEB_FORM'"),
    ("occurred_at", "'2025-06-01T09:00:00'"),  # naive
    ("recorded_at", "'yesterday'"),
    # Columns read as they are stored: only their own type or NULL may pass.
    ("confirms", "'abc'"),
    ("confirms", "1.5"),
    ("confirms", "CAST('2' AS BLOB)"),
    ("reply_text", "CAST('STOP' AS BLOB)"),
])
def test_every_malformed_projection_value_raises_when_read(
    ledger: ConsentLedger, tmp_path: Path, column: str, value: str
) -> None:
    conn = _attacker(tmp_path / "l.db")
    conn.execute(f"UPDATE facts SET {column} = {value} WHERE seq = 1")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 1 is corrupt"):
        ledger.store.facts_many([N])


@pytest.mark.parametrize("column", ["kind", "scope", "channels", "purposes", "source",
                                    "consent_kind"])
def test_a_blob_of_a_valid_value_read_before_is_not_taken_from_the_memo(
    ledger: ConsentLedger, tmp_path: Path, column: str
) -> None:
    # The batch read converts each combination of the repeated columns once and keeps
    # it by the raw values: a BLOB holding the bytes of a value already read as text
    # must miss it and be refused, not served the text's conversion.
    store = ledger.store
    first = store.facts_many([N, UK])
    conn = _attacker(tmp_path / "l.db")
    conn.execute(f"UPDATE facts SET {column} = CAST({column} AS BLOB) WHERE seq = 1")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 1 is corrupt"):
        store.facts_many([N])
    assert store.facts_many([UK]) == {UK: first[UK]}


def test_a_sequence_that_is_not_an_integer_raises_when_read(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    conn = _attacker(tmp_path / "l.db")
    conn.execute("UPDATE facts SET seq = 'x' WHERE seq = 1")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="is corrupt") as info:
        ledger.store.facts_many([N])
    assert info.value.sequence is None


def test_a_corrupt_row_after_good_ones_is_named_by_its_sequence(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    conn = _attacker(tmp_path / "l.db")
    conn.execute("UPDATE facts SET kind = 'maybe' WHERE seq = 4")  # N's third event
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 4 is corrupt") as info:
        ledger.store.facts_many([UK, N])
    assert info.value.sequence == 4


def test_an_edited_event_is_found_by_verify_and_by_verified_reads(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    conn = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET body = replace(body, '\"revoked\"', '\"granted\"') "
                 "WHERE seq = 2")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 2"):
        ledger.store.facts_many([N], verify=True)
    with pytest.raises(LedgerIntegrityError, match="event 2"):
        ledger.verify()


def _as_schema_1(path: Path) -> None:
    """The file as smskit wrote it before the projection existed."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER events_need_facts")
    conn.execute("DROP TABLE facts")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_a_schema_1_file_gets_its_projection_when_opened_writable(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    path = tmp_path / "l.db"
    expected = {n: list(ledger.store.facts_many([n])[n]) for n in (N, UK)}
    ledger.store.close()
    _as_schema_1(path)
    with SQLiteStore(path) as store:
        assert {n: list(store.facts_many([n])[n]) for n in (N, UK)} == expected
        ConsentLedger(store).verify()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 4
    conn.close()


def test_a_schema_1_file_opened_read_only_is_read_through_its_events(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    path = tmp_path / "l.db"
    expected = list(ledger.store.facts_many([N])[N])
    ledger.store.close()
    _as_schema_1(path)
    copy = tmp_path / "audit.db"
    shutil.copy(path, copy)
    with SQLiteStore(copy, read_only=True) as store:
        assert list(store.facts_many([N])[N]) == expected
        ConsentLedger(store).verify()
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_a_schema_1_file_with_an_edited_event_is_not_upgraded(
    ledger: ConsentLedger, tmp_path: Path
) -> None:
    path = tmp_path / "l.db"
    ledger.store.close()
    _as_schema_1(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET body = replace(body, 'STOP', 'STAY') WHERE seq = 2")
    conn.execute("""CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""")
    conn.close()
    with pytest.raises(LedgerIntegrityError, match="event 2"):
        SQLiteStore(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
