"""Worker processes draining one PostgresOutbox, one killed with SIGKILL mid-batch.

Three processes, each its own interpreter and connections, as three hosts, run
``send_due`` over one queue of 40 messages. The provider is a table in the same
database (what it holds is what was sent); one worker kills itself with SIGKILL
right after the provider took its fifth message and before the outbox heard of it,
the worst moment. The other two each hold a message of their own meanwhile: their
first hand-over waits until the first worker has had its five (without that, under
load, they sometimes drained the queue before it reached its fifth). A fresh process
then runs ``reconcile`` and ``send_due``, as a restarted host does. Every message
must be at the provider exactly once, and the outbox must agree with it id by id.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

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
    TwilioWebhookParser,
    default_policies,
)
from smskit.providers import MemoryProvider

psycopg = _services.require_module("psycopg", "postgres")

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: marketing waits
PEOPLE = [f"+1212555{n:04d}" for n in range(100, 120)]
MESSAGES = 40

# The shared parts, for the parent and every worker: a pipeline over the PostgreSQL
# ledger, and a provider that is a table (lookup finds a message by its key).
COMMON = """
import os, signal, sys, time
from datetime import UTC, datetime, timedelta
import psycopg
from smskit import (CompliancePipeline, ConsentLedger, MemoryMessageHistory, Messenger,
                    PostgresConsentStore, PostgresOutbox, Registration, SenderProfile,
                    TwilioWebhookParser, default_policies)
from smskit.providers import MemoryProvider
from smskit.providers.model import SendReceipt

dsn, schema, name, kill_after = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
wait_for = int(sys.argv[5])  # hand nothing over before the first worker took this many
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")

class TableProvider(MemoryProvider):
    def __init__(self):
        super().__init__()
        self.db = psycopg.connect(dsn, autocommit=True)
        self.taken = 0

    def send(self, message):
        guard = time.monotonic() + 60  # only against a hung test
        while wait_for and time.monotonic() < guard and self.db.execute(
                f"SELECT count(*) FROM {schema}.provider WHERE worker = 'w0'"
        ).fetchone()[0] < wait_for:
            time.sleep(0.01)
        row = self.db.execute(
            f"INSERT INTO {schema}.provider (key, worker) VALUES (%s, %s) RETURNING id",
            (message.idempotency_key, name)).fetchone()
        self.taken += 1
        if self.taken == kill_after:  # taken by the provider, not yet in the outbox
            os.kill(os.getpid(), signal.SIGKILL)
        return receipt(message, row[0], False)

    def lookup(self, message, since, until=None):
        row = self.db.execute(f"SELECT min(id) FROM {schema}.provider WHERE key = %s",
                              (message.idempotency_key,)).fetchone()
        if row[0] is None:
            return None
        return receipt(message, row[0], True)

def receipt(message, row_id, recovered):
    return SendReceipt("table", f"SM{row_id}", "queued", message.to,
                       datetime(2026, 11, 20, 14, tzinfo=UTC),
                       idempotency_key=message.idempotency_key, recovered=recovered)

store = PostgresConsentStore(dsn, schema=schema, chain="acme")
outbox = PostgresOutbox(dsn, schema=schema)
messenger = Messenger(TableProvider(), CompliancePipeline(default_policies(store=store)),
                      ConsentLedger(store), MemoryMessageHistory(), outbox, senders=[ACME],
                      parser=TwilioWebhookParser())
"""

WORKER = COMMON + """
print("ready", flush=True)
sys.stdin.readline()
results = messenger.send_due(datetime(2026, 11, 20, 14, tzinfo=UTC))
print(sum(r.outcome.value == "sent" for r in results), flush=True)
"""

RESTART = COMMON + """
at = datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
found = messenger.reconcile(at, older_than=timedelta(minutes=5))
print(len(found), len(messenger.send_due(at)), flush=True)
"""

ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


def _queue(dsn: str, schema: str) -> None:
    with PostgresConsentStore(dsn, schema=schema, chain="acme") as store, \
            PostgresOutbox(dsn, schema=schema) as outbox:
        store.create_schema()
        outbox.create_schema()
        ledger = ConsentLedger(store)
        messenger = Messenger(MemoryProvider(), CompliancePipeline(default_policies(store=store)),
                              ledger, MemoryMessageHistory(), outbox, senders=[ACME],
                              parser=TwilioWebhookParser())
        for number in PEOPLE:
            ledger.grant(number, scope="acme", purposes=["marketing"], kind="express_written",
                         source="web_form", at=NIGHT - timedelta(days=1),
                         evidence=Evidence(consent_text="Texts from Acme",
                                           form_url="https://acme.example/book"))
        for n in range(MESSAGES):
            request = SendRequest(recipient=PEOPLE[n % len(PEOPLE)], idempotency_key=f"job-{n}",
                                  body=f"Acme: job {n}, how did we do? Reply STOP to opt out")
            assert messenger.send(request, ACME, NIGHT, queue=True).queued
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE {schema}.provider (id serial PRIMARY KEY, key text, worker text)")


def test_three_workers_one_killed_mid_batch_send_each_message_once(
    postgres_dsn: str, pg_schema: str
) -> None:
    _queue(postgres_dsn, pg_schema)
    kill_after = [5, 0, 0]  # the first worker dies after its fifth hand-over
    wait_for = [0, 5, 5]  # ... which the others' first hand-overs wait for
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, postgres_dsn, pg_schema, f"w{i}",
                          str(kill_after[i]), str(wait_for[i])],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for i in range(3)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        for worker in workers:
            worker.communicate(timeout=120)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert workers[0].returncode == -9
    assert [w.returncode for w in workers[1:]] == [0, 0]
    restart = subprocess.run(
        [sys.executable, "-c", RESTART, postgres_dsn, pg_schema, "r", "0", "0"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    # The killed worker's message, left reserved, was found at the provider; nothing
    # was left queued.
    assert restart.stdout.split() == ["1", "0"]
    with psycopg.connect(postgres_dsn) as conn:
        sent = conn.execute(
            f"SELECT key, count(*), min(id) FROM {pg_schema}.provider GROUP BY key").fetchall()
        outbox = dict(conn.execute(
            f"SELECT key, state || ':' || coalesce(provider_id, '') FROM {pg_schema}.outbox"
        ).fetchall())
    assert len(sent) == MESSAGES  # none lost
    assert [key for key, count, _ in sent if count > 1] == []  # none twice
    assert outbox == {key: f"sent:SM{first}" for key, _, first in sent}
