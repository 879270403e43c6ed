"""Two hosts sending to one person at the same moment: the cap and a STOP hold.

A worker process decides a send to a person and its provider call holds. Meanwhile
a second process sends that person another campaign's text (a 1-a-day cap), or
handles the person's STOP webhook. Without a lock the second process read the cap
before the first send was recorded and sent a second text (user40: 14 of 20 people
got two texts under a 1-a-day cap from three workers), and the STOP was committed
while the first worker's text, decided before it, was still to be handed over: a
send after the STOP. With ``PostgresRecipientLock`` the second process waits for the
first send to be recorded: the cap defers the second text, and the STOP is committed
after the send it could not stop. Real processes, a real PostgreSQL server, the
provider a table; the test releases the held provider call once the second process
has finished or is seen waiting for the lock in ``pg_locks`` (no timing).
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

import _services
from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    PostgresConsentStore,
    PostgresMessageHistory,
    PostgresOutbox,
    PostgresRecipientLock,
    default_policies,
)
from smskit._postgres import advisory_key
from smskit.errors import ConfigurationError, StoreError

psycopg = _services.require_module("psycopg", "postgres")

PERSON = "+12125550123"
AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 10:00 in New York

SCRIPT = """
import sys, time
from datetime import UTC, datetime, timedelta
import psycopg
from smskit import (CapLimit, CompliancePipeline, ConsentLedger, FrequencyCap, Messenger,
                    PostgresConsentStore, PostgresMessageHistory, PostgresOutbox,
                    PostgresRecipientLock, Registration, SendRequest, SenderProfile,
                    default_policies)
from smskit.providers import MemoryProvider
from smskit.providers.model import SendReceipt

dsn, schema, role = sys.argv[1:4]
PERSON = "+12125550123"
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")
db = psycopg.connect(dsn, autocommit=True)

def signalled(name):
    return db.execute(f"SELECT count(*) FROM {schema}.signal WHERE name = %s",
                      (name,)).fetchone()[0]

def wait_for(name, guard=120.0):  # the guard is only against a hung test
    end = time.monotonic() + guard
    while not signalled(name) and time.monotonic() < end:
        time.sleep(0.01)
    assert signalled(name), name

def signal(name):
    db.execute(f"INSERT INTO {schema}.signal (name) VALUES (%s)", (name,))

def log(what):
    db.execute(f"INSERT INTO {schema}.log (what) VALUES (%s)", (what,))

class TableProvider(MemoryProvider):
    def send(self, message):
        if role == "first":
            signal("in provider")
            wait_for("go")
        log("sent " + message.idempotency_key)
        return SendReceipt("table", "SM" + message.idempotency_key, "queued", message.to,
                           datetime(2026, 11, 20, 15, tzinfo=UTC),
                           idempotency_key=message.idempotency_key)

store = PostgresConsentStore(dsn, schema=schema, chain="acme")
history = PostgresMessageHistory(dsn, schema=schema)
cap = FrequencyCap(history, limits=[CapLimit("daily", 1, timedelta(days=1))])
lock = PostgresRecipientLock(dsn, schema=schema)
provider = TableProvider()
messenger = Messenger(provider, CompliancePipeline(default_policies(store=store, cap=cap),
                                                   history=history),
                      ConsentLedger(store), history, PostgresOutbox(dsn, schema=schema),
                      senders=[ACME], recipient_lock=lock)
at = datetime(2026, 11, 20, 15, tzinfo=UTC)
if role == "first":
    result = messenger.send(SendRequest(PERSON, "Acme: 20% off today. Reply STOP to opt out",
                                        idempotency_key="promo-a"), ACME, at)
elif role == "second":
    wait_for("in provider")
    result = messenger.send(SendRequest(PERSON, "Acme: new arrivals. Reply STOP to opt out",
                                        idempotency_key="promo-b"), ACME, at)
else:  # "stop": the person's STOP reaches this host's webhook
    wait_for("in provider")
    result = messenger.handle_inbound(
        "https://sms.example.com/in", provider.inbound_params(PERSON, "+12125550199", "STOP"),
        {}, at)
    log("stop committed")
print(getattr(result, "outcome", None) and getattr(result.outcome, "value", "handled"),
      flush=True)
signal(role + " done")
"""


def _prepare(dsn: str, schema: str) -> None:
    with PostgresConsentStore(dsn, schema=schema, chain="acme") as store:
        store.create_schema()
        ConsentLedger(store).grant(
            PERSON, scope="acme", purposes=["marketing"], kind="express_written",
            source="web_form", at=AT - timedelta(days=1),
            evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example/j"),
        )
    with PostgresMessageHistory(dsn, schema=schema) as history:
        history.create_schema()
    with PostgresOutbox(dsn, schema=schema) as outbox:
        outbox.create_schema()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {schema}.signal (name text)")
        conn.execute(
            f"CREATE TABLE {schema}.log (id bigint GENERATED ALWAYS AS IDENTITY, what text)"
        )


def _run(dsn: str, schema: str, role: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SCRIPT, dsn, schema, role],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _release_when_second_is_done_or_waits(dsn: str, schema: str, second: str) -> None:
    """Let the first provider call go once the second process has finished (no lock
    held it back) or is seen waiting for the person's lock."""
    key = advisory_key("recipient", schema, PERSON)
    high, low = (key >> 32) & 0xFFFFFFFF, key & 0xFFFFFFFF
    with psycopg.connect(dsn, autocommit=True) as conn:
        end = time.monotonic() + 120  # only against a hung test
        while time.monotonic() < end:
            done = conn.execute(f"SELECT count(*) FROM {schema}.signal WHERE name = %s",
                                (second + " done",)).fetchone()[0]
            waiting = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND classid::bigint = %s AND objid::bigint = %s", (high, low)
            ).fetchone()[0]
            if done or waiting:
                break
            time.sleep(0.01)
        conn.execute(f"INSERT INTO {schema}.signal (name) VALUES ('go')")


def _race(dsn: str, schema: str, second: str) -> tuple[str, str, list[str]]:
    _prepare(dsn, schema)
    first = _run(dsn, schema, "first")
    other = _run(dsn, schema, second)
    try:
        _release_when_second_is_done_or_waits(dsn, schema, second)
        outs = []
        for process in (first, other):
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            outs.append(out.strip())
    finally:
        for process in (first, other):
            if process.poll() is None:
                process.kill()
    with psycopg.connect(dsn) as conn:
        logged = [row[0] for row in conn.execute(f"SELECT what FROM {schema}.log ORDER BY id")]
    return outs[0], outs[1], logged


def test_a_second_hosts_send_waits_and_the_cap_counts_the_first(
    postgres_dsn: str, pg_schema: str
) -> None:
    first, second, logged = _race(postgres_dsn, pg_schema, "second")
    assert first == "sent"
    assert second == "deferred"  # the 1-a-day cap counted the first host's send
    assert logged == ["sent promo-a"]  # before: promo-b went out too


def test_a_stop_on_another_host_is_committed_after_the_send_it_could_not_stop(
    postgres_dsn: str, pg_schema: str
) -> None:
    first, _, logged = _race(postgres_dsn, pg_schema, "stop")
    assert first == "sent"
    # The send decided before the STOP went out before the STOP was committed (then
    # the confirmation); before, the STOP was committed first and the text sent after.
    assert [what for what in logged if not what.startswith("sent reply:")] == [
        "sent promo-a", "stop committed",
    ]


def test_the_lock_is_released_when_the_block_ends_or_raises(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresRecipientLock(postgres_dsn, schema=pg_schema, timeout=5) as lock:
        with lock.hold(PERSON), lock.hold(PERSON):  # re-entrant in one thread
            pass
        with pytest.raises(RuntimeError), lock.hold(PERSON):
            raise RuntimeError("the send failed")
        with PostgresRecipientLock(postgres_dsn, schema=pg_schema, timeout=0.2) as other:
            with other.hold(PERSON):  # free again: taken at once by another connection
                pass
            with lock.hold(PERSON), pytest.raises(StoreError) as held, other.hold(PERSON):
                pass
    assert held.value.retryable
    assert "0123" not in str(held.value)  # no number in the message


def test_a_lock_without_hold_and_a_bad_timeout_are_refused() -> None:
    with pytest.raises(ConfigurationError) as bad:
        PostgresRecipientLock("postgresql://nobody@127.0.0.1:1/x", timeout=0)
    assert bad.value.field == "timeout"
    provider = MemoryProvider()
    store = MemoryStore()
    with pytest.raises(ConfigurationError) as wrong:
        Messenger(provider, CompliancePipeline(default_policies(store=store)),
                  ConsentLedger(store), MemoryMessageHistory(), MemoryOutbox(),
                  recipient_lock=object())  # type: ignore[arg-type]
    assert wrong.value.field == "recipient_lock"


def test_a_closed_pool_is_a_store_error_not_a_pool_traceback(
    postgres_dsn: str, pg_schema: str
) -> None:
    from psycopg_pool import ConnectionPool

    pool = ConnectionPool(postgres_dsn, min_size=1, open=False)
    lock = PostgresRecipientLock(pool, schema=pg_schema)
    with pytest.raises(StoreError) as closed, lock.hold(PERSON):
        pytest.fail("the block ran without the lock")
    assert "nothing was sent" in str(closed.value)


def test_a_lock_on_another_schema_than_the_outbox_is_refused(
    postgres_dsn: str, pg_schema: str
) -> None:
    # Hosts share the outbox's schema; a lock on another (a typo on one host) would
    # not exclude the others' sends: it was taken without a word.
    store = MemoryStore()
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as outbox, PostgresRecipientLock(
        postgres_dsn, schema=pg_schema + "_typo"
    ) as lock, pytest.raises(ConfigurationError) as wrong:
        Messenger(MemoryProvider(), CompliancePipeline(default_policies(store=store)),
                  ConsentLedger(store), MemoryMessageHistory(), outbox, recipient_lock=lock)
    assert wrong.value.field == "recipient_lock"
    assert pg_schema + "_typo" in str(wrong.value)


def test_a_worker_killed_holding_the_lock_leaves_it_free(
    postgres_dsn: str, pg_schema: str
) -> None:
    _prepare(postgres_dsn, pg_schema)
    first = _run(postgres_dsn, pg_schema, "first")  # holds the lock in its provider call
    try:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            end = time.monotonic() + 120  # only against a hung test
            while time.monotonic() < end and not conn.execute(
                f"SELECT count(*) FROM {pg_schema}.signal WHERE name = 'in provider'"
            ).fetchone()[0]:
                time.sleep(0.01)
        first.kill()  # SIGKILL: no rollback, no unlock from the client
        first.communicate(timeout=120)
        second = _run(postgres_dsn, pg_schema, "second")
        out, err = second.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 0, err
    assert out.strip() == "sent"  # the lock went with the killed session; nothing counted
    with psycopg.connect(postgres_dsn) as conn:
        logged = [row[0] for row in conn.execute(f"SELECT what FROM {pg_schema}.log ORDER BY id")]
    assert logged == ["sent promo-b"]
