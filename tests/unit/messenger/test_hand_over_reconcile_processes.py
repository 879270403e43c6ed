"""Two processes: a worker's hand-over raced by another host's ``reconcile`` (rev26o).

The worker's provider call holds until a second process has run
``reconcile(resend=False)`` with an ``in_flight`` lease of 0 (a hand-over that stalled
past the lease: reconcile judges the worker's reservation stale, finds nothing at the
provider yet and queues the key; with the default lease it leaves the row alone,
``test_reconcile_too_soon_processes``).
Then the provider takes the text (or takes it and times out: maybe sent). A third
process, as the next cron run, calls ``send_due`` and ``reconcile`` later. The text must
be at the provider once, and the outbox must say ``sent`` with its id. Real processes,
a PostgreSQL or SQLite outbox; the provider is a PostgreSQL table.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import _services
from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    Messenger,
    PostgresConsentStore,
    PostgresOutbox,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteOutbox,
    default_policies,
)
from smskit.messenger import Outbox
from smskit.providers import MemoryProvider

psycopg = _services.require_module("psycopg", "postgres")

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
ALICE = "+12125550123"

COMMON = """
import sys, time
from datetime import UTC, datetime, timedelta
import psycopg
from smskit import (CompliancePipeline, ConsentLedger, MemoryMessageHistory, Messenger,
                    PostgresConsentStore, PostgresOutbox, Registration, SenderProfile,
                    SQLiteOutbox, default_policies)
from smskit.errors import ProviderAmbiguousError
from smskit.providers import MemoryProvider
from smskit.providers.model import SendReceipt

dsn, schema, outbox_at, role, how = sys.argv[1:6]
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")
db = psycopg.connect(dsn, autocommit=True)

def signalled(name):
    return db.execute(f"SELECT count(*) FROM {schema}.signal WHERE name = %s",
                      (name,)).fetchone()[0]

def wait_for(name):
    guard = time.monotonic() + 60  # only against a hung test
    while not signalled(name) and time.monotonic() < guard:
        time.sleep(0.01)
    assert signalled(name), name

def signal(name):
    db.execute(f"INSERT INTO {schema}.signal (name) VALUES (%s)", (name,))

class TableProvider(MemoryProvider):
    def send(self, message):
        if role == "worker":
            signal("in flight")
            wait_for("reconciled")
        row = db.execute(f"INSERT INTO {schema}.provider (key) VALUES (%s) RETURNING id",
                         (message.idempotency_key,)).fetchone()
        if role == "worker" and how == "maybe":
            raise ProviderAmbiguousError("timed out after the request went out", provider="table",
                                         idempotency_key=message.idempotency_key)
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
                      ConsentLedger(store), MemoryMessageHistory(), outbox, senders=[ACME],
                      in_flight=timedelta(0) if role == "reconciler" else timedelta(minutes=2))
at = datetime(2026, 11, 20, 15, tzinfo=UTC)
if role == "worker":
    print(*[r.outcome.value for r in messenger.send_due(at)], flush=True)
elif role == "reconciler":
    wait_for("in flight")
    print(*[r.outcome.value for r in messenger.reconcile(at, resend=False)], flush=True)
    signal("reconciled")
else:  # the next cron run, an hour later
    later = at + timedelta(hours=1)
    print(len(messenger.reconcile(later, older_than=timedelta(minutes=5))),
          len(messenger.send_due(later)), flush=True)
outbox.close()
store.close()
"""

ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


def _queue(dsn: str, schema: str, outbox: Outbox) -> None:
    with PostgresConsentStore(dsn, schema=schema, chain="acme") as store:
        store.create_schema()
        ledger = ConsentLedger(store)
        ledger.grant(ALICE, scope="acme", purposes=["marketing"], kind="express_written",
                     source="web_form", at=NIGHT - timedelta(days=1),
                     evidence=Evidence(consent_text="Texts from Acme",
                                       form_url="https://acme.example/book"))
        messenger = Messenger(MemoryProvider(), CompliancePipeline(default_policies(store=store)),
                              ledger, MemoryMessageHistory(), outbox, senders=[ACME])
        request = SendRequest(recipient=ALICE, idempotency_key="promo-1",
                              body="Acme: 10% off a boiler check. Reply STOP to opt out")
        assert messenger.send(request, ACME, NIGHT, queue=True).queued
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {schema}.provider (id serial PRIMARY KEY, key text)")
        conn.execute(f"CREATE TABLE {schema}.signal (name text)")


def _run(dsn: str, schema: str, outbox_at: str, role: str, how: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", COMMON, dsn, schema, outbox_at, role, how],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("how", ["sent", "maybe"])
@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_a_hand_over_raced_by_another_hosts_reconcile_sends_once(
    kind: str, how: str, postgres_dsn: str, pg_schema: str, tmp_path: Path
) -> None:
    if kind == "postgres":
        outbox_at = "postgres"
        box: Outbox = PostgresOutbox(postgres_dsn, schema=pg_schema)
        box.create_schema()  # type: ignore[attr-defined]
    else:
        outbox_at = str(tmp_path / "outbox.db")
        box = SQLiteOutbox(outbox_at)
    with box:  # type: ignore[attr-defined]
        _queue(postgres_dsn, pg_schema, box)
    worker = _run(postgres_dsn, pg_schema, outbox_at, "worker", how)
    reconciler = _run(postgres_dsn, pg_schema, outbox_at, "reconciler", how)
    outputs = []
    try:
        for process in (reconciler, worker):
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            outputs.append(out.split())
    finally:
        for process in (worker, reconciler):
            if process.poll() is None:
                process.kill()
    assert outputs == [["deferred"], ["sent" if how == "sent" else "pending"]]
    cron = _run(postgres_dsn, pg_schema, outbox_at, "cron", how)
    out, err = cron.communicate(timeout=120)
    assert cron.returncode == 0, err
    # Maybe sent: the next reconcile looks it up and finds it; sent: nothing is left.
    assert out.split() == (["1", "0"] if how == "maybe" else ["0", "0"])
    with psycopg.connect(postgres_dsn) as conn:
        sent = conn.execute(f"SELECT key, id FROM {pg_schema}.provider").fetchall()
    assert [key for key, _ in sent] == ["promo-1"]  # once
    reopened: Outbox = (PostgresOutbox(postgres_dsn, schema=pg_schema) if kind == "postgres"
                        else SQLiteOutbox(outbox_at))
    with reopened:  # type: ignore[attr-defined]
        entry = reopened.get("promo-1")
    assert entry is not None
    assert (entry.state.value, entry.provider_id) == ("sent", f"SM{sent[0][1]}")
