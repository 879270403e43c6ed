"""``reconcile()`` run while another process hands the same key over sends it once.

A worker process takes a queued key (``send_due``) and its provider call holds; a second
process runs ``reconcile`` (``resend=True``, ``older_than`` left at its default) 30
seconds later. The provider does not hold the text yet, so a lookup finds nothing: the
reconcile used to queue the key and send it itself, then the worker's call went through
too, and the person got the text twice (the docs only warned to pass ``older_than``).
Now no row younger than the messenger's ``in_flight`` lease is looked up or resent. A
worker killed in its hand-over leaves a row that a reconcile after the lease sends once.
Real processes; a PostgreSQL or SQLite outbox; the provider is a PostgreSQL table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import _services
from smskit import PostgresOutbox, SQLiteOutbox
from smskit.messenger import Outbox

from .test_hand_over_reconcile_processes import _queue

psycopg = _services.require_module("psycopg", "postgres")

SCRIPT = """
import sys, time
from datetime import UTC, datetime, timedelta
import psycopg
from smskit import (CompliancePipeline, ConsentLedger, MemoryMessageHistory, Messenger,
                    PostgresConsentStore, PostgresOutbox, Registration, SenderProfile,
                    SQLiteOutbox, default_policies)
from smskit.providers import MemoryProvider
from smskit.providers.model import SendReceipt

dsn, schema, outbox_at, role = sys.argv[1:5]
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")
db = psycopg.connect(dsn, autocommit=True)

def signalled(name):
    return db.execute(f"SELECT count(*) FROM {schema}.signal WHERE name = %s",
                      (name,)).fetchone()[0]

def wait_for(name, guard=60.0):  # the guard is only against a hung test
    end = time.monotonic() + guard
    while not signalled(name) and time.monotonic() < end:
        time.sleep(0.01)
    assert signalled(name), name

def signal(name):
    db.execute(f"INSERT INTO {schema}.signal (name) VALUES (%s)", (name,))

class TableProvider(MemoryProvider):
    def send(self, message):
        if role in ("worker", "killed"):
            signal("in flight")
            wait_for("reconciled" if role == "worker" else "never", guard=600.0)
        row = db.execute(f"INSERT INTO {schema}.provider (key) VALUES (%s) RETURNING id",
                         (message.idempotency_key,)).fetchone()
        return receipt(message, row[0], False)

    def lookup(self, message, since, until=None):
        row = db.execute(f"SELECT min(id) FROM {schema}.provider WHERE key = %s",
                         (message.idempotency_key,)).fetchone()
        return None if row[0] is None else receipt(message, row[0], True)

def receipt(message, row_id, recovered):
    return SendReceipt("table", f"SM{row_id}", "queued", message.to,
                       datetime(2026, 11, 20, 15, tzinfo=UTC),
                       idempotency_key=message.idempotency_key, recovered=recovered)

store = PostgresConsentStore(dsn, schema=schema, chain="acme")
outbox = PostgresOutbox(dsn, schema=schema) if outbox_at == "postgres" else SQLiteOutbox(outbox_at)
messenger = Messenger(TableProvider(), CompliancePipeline(default_policies(store=store)),
                      ConsentLedger(store), MemoryMessageHistory(), outbox, senders=[ACME])
at = datetime(2026, 11, 20, 15, tzinfo=UTC)
if role in ("worker", "killed"):
    print(*[r.outcome.value for r in messenger.send_due(at)], flush=True)
elif role == "reconciler":  # half a minute into the worker's hand-over
    wait_for("in flight")
    found = messenger.reconcile(at + timedelta(seconds=30))
    print("reconciled:", *[r.outcome.value for r in found], flush=True)
    signal("reconciled")
else:  # "later": the next run, past the two-minute lease
    found = messenger.reconcile(at + timedelta(minutes=3))
    print("reconciled:", *[r.outcome.value for r in found], flush=True)
outbox.close()
store.close()
"""


def _outbox(kind: str, dsn: str, schema: str, tmp_path: Path) -> tuple[str, Outbox]:
    if kind == "postgres":
        box = PostgresOutbox(dsn, schema=schema)
        box.create_schema()
        return "postgres", box
    path = str(tmp_path / "outbox.db")
    return path, SQLiteOutbox(path)


def _run(dsn: str, schema: str, outbox_at: str, role: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SCRIPT, dsn, schema, outbox_at, role],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen[str]) -> list[str]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out.split()


def _at_provider(dsn: str, schema: str) -> list[tuple[str, int]]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(f"SELECT key, id FROM {schema}.provider ORDER BY id").fetchall()


def _entry(kind: str, outbox_at: str, dsn: str, schema: str) -> tuple[str, str | None]:
    box: Outbox = (PostgresOutbox(dsn, schema=schema) if kind == "postgres"
                   else SQLiteOutbox(outbox_at))
    with box:  # type: ignore[attr-defined]
        entry = box.get("promo-1")
    assert entry is not None
    return entry.state.value, entry.provider_id


@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_a_reconcile_during_another_processes_hand_over_does_not_send_it_again(
    kind: str, postgres_dsn: str, pg_schema: str, tmp_path: Path
) -> None:
    outbox_at, box = _outbox(kind, postgres_dsn, pg_schema, tmp_path)
    with box:  # type: ignore[attr-defined]
        _queue(postgres_dsn, pg_schema, box)
    worker = _run(postgres_dsn, pg_schema, outbox_at, "worker")
    reconciler = _run(postgres_dsn, pg_schema, outbox_at, "reconciler")
    try:
        assert _finish(reconciler) == ["reconciled:"]  # nothing looked up or resent
        assert _finish(worker) == ["sent"]
    finally:
        for process in (worker, reconciler):
            if process.poll() is None:
                process.kill()
    sent = _at_provider(postgres_dsn, pg_schema)
    assert [key for key, _ in sent] == ["promo-1"]  # once (twice before)
    assert _entry(kind, outbox_at, postgres_dsn, pg_schema) == ("sent", f"SM{sent[0][1]}")


@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_a_hand_over_killed_mid_call_is_sent_once_by_a_reconcile_after_the_lease(
    kind: str, postgres_dsn: str, pg_schema: str, tmp_path: Path
) -> None:
    outbox_at, box = _outbox(kind, postgres_dsn, pg_schema, tmp_path)
    with box:  # type: ignore[attr-defined]
        _queue(postgres_dsn, pg_schema, box)
    worker = _run(postgres_dsn, pg_schema, outbox_at, "killed")
    reconciler = _run(postgres_dsn, pg_schema, outbox_at, "reconciler")
    try:
        # Within the lease the row may still be in flight: left alone.
        assert _finish(reconciler) == ["reconciled:"]
        worker.kill()  # SIGKILL in the provider call, before the text reached it
        worker.communicate(timeout=120)
    finally:
        for process in (worker, reconciler):
            if process.poll() is None:
                process.kill()
    assert _at_provider(postgres_dsn, pg_schema) == []
    assert _entry(kind, outbox_at, postgres_dsn, pg_schema) == ("reserved", None)
    later = _run(postgres_dsn, pg_schema, outbox_at, "later")
    assert _finish(later) == ["reconciled:", "sent"]  # past the lease: looked up, sent
    sent = _at_provider(postgres_dsn, pg_schema)
    assert [key for key, _ in sent] == ["promo-1"]
    assert _entry(kind, outbox_at, postgres_dsn, pg_schema) == ("sent", f"SM{sent[0][1]}")
