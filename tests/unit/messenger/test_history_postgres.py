"""PostgresMessageHistory shared by several hosts (the real server, a schema of the
test's own): one webhook key is won by exactly one host, a webhook retried to another
host is a duplicate there, and suppression counts failures another host recorded.
(Its every-store behaviour runs in tests/contract/test_message_history_contract.py.)"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

import _services
from smskit import SendRequest
from smskit.consent import ConsentLedger, ConsentStore, SenderProfile
from smskit.errors import StoreError
from smskit.messenger import (
    DeliveryRecord,
    HealthPolicy,
    MemoryOutbox,
    MessageRecord,
    Messenger,
    PostgresMessageHistory,
    SendOutcome,
    SuppressionPolicy,
)
from smskit.policy import CompliancePipeline, default_policies
from smskit.pricing import Direction
from smskit.providers import MemoryProvider, MessageStatus
from smskit.testing import FixedClock
from smskit.timing import PostgresSendHistory, SendRecord

from .conftest import ALICE, OURS, T0, build_rig, consent

psycopg = _services.require_module("psycopg", "postgres")
H = timedelta(hours=1)


@pytest.fixture
def hosts(postgres_dsn: str, pg_schema: str) -> Iterator[tuple[PostgresMessageHistory, ...]]:
    """Two histories on one schema, each with its connection: two hosts."""
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as one, \
            PostgresMessageHistory(postgres_dsn, schema=pg_schema) as two:
        assert one.create_schema()
        assert not two.create_schema()  # the second host finds it made
        yield one, two


def test_two_hosts_marking_one_webhook_key_get_exactly_one_true(
    hosts: tuple[PostgresMessageHistory, ...],
) -> None:
    start = threading.Barrier(len(hosts))
    won: list[bool] = []

    def mark(history: PostgresMessageHistory) -> None:
        start.wait()
        won.append(history.mark_processed("SM1:delivered", T0))

    threads = [threading.Thread(target=mark, args=(h,)) for h in hosts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, True]
    assert all(h.processed("SM1:delivered") for h in hosts)
    assert not hosts[1].mark_processed("SM1:delivered", T0 + H)  # nor later
    assert not hosts[0].processed("SM2:delivered")


def test_messages_and_money_written_on_one_host_read_on_the_other(
    hosts: tuple[PostgresMessageHistory, ...],
) -> None:
    one, two = hosts
    sent = MessageRecord(Direction.OUTBOUND, OURS, ALICE, T0, 2, subject="sale",
                         cost=Decimal("1E+2"), currency="USD")
    one.record_message(sent)
    [read] = two.messages(since=T0 - H, until=T0)
    assert read == sent
    assert str(read.cost) == "1E+2"  # as written, not renormalised to 100
    # The same object serves caps: the send record went in with the message.
    assert two.sent_at(since=T0 - H, until=T0, recipient=ALICE, subject="sale") == (T0,)


def test_a_schema_of_a_send_history_keeps_its_sends_and_gains_the_message_tables(
    postgres_dsn: str, pg_schema: str,
) -> None:
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as sends, \
            PostgresMessageHistory(postgres_dsn, schema=pg_schema) as history:
        sends.create_schema()
        sends.record(SendRecord(ALICE, OURS, T0, None))
        with pytest.raises(StoreError, match="no message_history tables") as missing:
            history.processed("SM1")
        assert ALICE not in str(missing.value)
        assert history.create_schema()
        assert history.sent_at(since=T0 - H, until=T0, recipient=ALICE) == (T0,)
        assert not history.create_schema()
    # The send history's version is checked too: the message history writes its table.
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'UPDATE "{pg_schema}".smskit_schema SET version = 99 '
                     "WHERE component = 'send_history'")
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as later, \
            pytest.raises(StoreError, match="holds send_history version 99"):
        later.processed("SM1")


def _host(provider: MemoryProvider, store: ConsentStore, history: PostgresMessageHistory,
          outbox: MemoryOutbox, sender: SenderProfile) -> Messenger:
    """One host: its own history object (connection), pipeline and suppression; the
    provider, the consent store and the outbox are what every host reaches."""
    suppression = SuppressionPolicy(history, after=2)
    policies = (*default_policies(store=store, history=history), HealthPolicy(history),
                suppression)
    pipeline = CompliancePipeline(policies, history=history)
    return Messenger(provider, pipeline, ConsentLedger(store, clock=FixedClock(T0)), history,
                     outbox, senders=[sender], suppression=suppression)


def test_two_messengers_share_webhooks_and_suppression(
    hosts: tuple[PostgresMessageHistory, ...],
) -> None:
    rig = build_rig()  # for its consent grant and sender profile only
    consent(rig)
    provider = MemoryProvider(clock=FixedClock(T0))
    outbox = MemoryOutbox()
    a, b = (_host(provider, rig.ledger.store, h, outbox, rig.sender) for h in hosts)

    # An inbound text retried to the other host is a duplicate there.
    params = provider.inbound_params(ALICE, OURS, "Is my order on its way?", message_id="SMin1")
    assert not a.handle_inbound("u", params, {}, T0).duplicate
    assert b.handle_inbound("u", params, {}, T0 + timedelta(seconds=5)).duplicate
    inbound = hosts[1].messages(since=T0 - H, until=T0 + H, direction=Direction.INBOUND)
    assert len(inbound) == 1

    def code(key: str, host: Messenger, minutes: int) -> str:
        sent = host.send(SendRequest(recipient=ALICE, body=f"Acme code {key}",
                                     purpose="transactional", idempotency_key=key),
                         rig.sender, T0 + timedelta(minutes=minutes))
        assert sent.outcome is SendOutcome.SENT
        assert sent.receipt is not None
        return sent.receipt.message_id

    first, second = code("c1", a, 1), code("c2", b, 2)
    # The first failure, reported to host A, then retried to host B: counted once.
    failed = provider.status_params(first, MessageStatus.UNDELIVERED, error_code=30006)
    assert not a.handle_status("u", failed, {}, T0 + timedelta(minutes=3)).suppressed
    assert b.handle_status("u", failed, {}, T0 + timedelta(minutes=4)).duplicate
    assert len(hosts[0].deliveries(since=T0, until=T0 + H, contact=ALICE)) == 1
    # Host B's own failure is the second: with host A's, the number is suppressed.
    again = provider.status_params(second, MessageStatus.UNDELIVERED, error_code=30006)
    assert b.handle_status("u", again, {}, T0 + timedelta(minutes=5)).suppressed
    blocked = a.send(SendRequest(recipient=ALICE, body="Acme code c3", purpose="transactional",
                                 idempotency_key="c3"), rig.sender, T0 + timedelta(minutes=6))
    assert blocked.outcome is SendOutcome.BLOCKED
    assert blocked.decision is not None
    assert "delivery.suppressed" in blocked.decision.codes


@pytest.mark.parametrize("shared_outbox", [True, False])
def test_a_stop_reaching_two_hosts_at_once_is_confirmed_once_through_a_shared_outbox(
    hosts: tuple[PostgresMessageHistory, ...], monkeypatch: pytest.MonkeyPatch,
    shared_outbox: bool,
) -> None:
    # The gap the messenger leaves (review rev29p): host B asks processed() before host
    # A has marked the webhook, so both handle it. What is done twice, and what once.
    rig = build_rig()
    consent(rig)
    provider = MemoryProvider(clock=FixedClock(T0))
    outbox = MemoryOutbox()
    a = _host(provider, rig.ledger.store, hosts[0], outbox, rig.sender)
    b = _host(provider, rig.ledger.store, hosts[1], outbox if shared_outbox else MemoryOutbox(),
              rig.sender)
    before = len(rig.ledger.store.events(ALICE))
    params = provider.inbound_params(ALICE, OURS, "STOP", message_id="SMstop1")
    first = a.handle_inbound("u", params, {}, T0)
    assert first.reply is not None
    assert first.reply.outcome is SendOutcome.SENT
    monkeypatch.setattr(hosts[1], "processed", lambda key: False)  # read before A marked
    second = b.handle_inbound("u", params, {}, T0 + timedelta(seconds=1))
    assert not second.duplicate
    # The ledger knows the STOP by its message id: one revocation, whichever host.
    assert len(rig.ledger.store.events(ALICE)) == before + 1
    # The confirmation goes under the key made from the message id: once per outbox.
    assert second.reply is not None
    confirmations = [m for m in provider.messages if m.to == ALICE]
    if shared_outbox:
        assert second.reply.outcome is SendOutcome.DUPLICATE
        assert len(confirmations) == 1
    else:
        assert second.reply.outcome is SendOutcome.SENT  # why hosts must share the outbox
        assert len(confirmations) == 2
    # The inbound text is kept twice; usage and health count a provider id once.
    assert len(hosts[0].messages(since=T0 - H, until=T0 + H, direction=Direction.INBOUND)) == 2
    assert a.usage(OURS, since=T0 - H, until=T0 + H).messages_in == 1


def test_instants_read_back_in_utc_whatever_the_session_zone(
    postgres_dsn: str, pg_schema: str,
) -> None:
    # Read in a session zone, the last hour of 9999 (UTC) is year 10000 in Tokyo and
    # the first of year 1 is 1 BC in New York: psycopg cannot load either, and every
    # read over such a row failed. The memory and SQLite histories keep both.
    last = DeliveryRecord("SMlast", OURS, ALICE, datetime(9999, 12, 31, 23, tzinfo=UTC), "sent")
    first = MessageRecord(Direction.INBOUND, OURS, ALICE, datetime(1, 1, 1, 1, tzinfo=UTC), 1)
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        history = PostgresMessageHistory(conn, schema=pg_schema)
        history.create_schema()
        history.record_delivery(last)
        history.record_message(first)
        for zone in ("Asia/Tokyo", "America/New_York"):
            conn.execute("SELECT set_config('TimeZone', %s, false)", (zone,))
            [report] = history.deliveries(since=last.at - H, until=last.at)
            assert report == last
            assert report.at.utcoffset() == timedelta(0)
            [message] = history.messages(since=first.at - H, until=first.at)
            assert message == first
            assert message.at.tzinfo is UTC


def test_a_next_send_history_version_is_upgraded_by_the_message_history_alone(
    postgres_dsn: str, pg_schema: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # review rev29p: the message history inherited PostgresSendHistory's upgrades as
    # its own, and created the send history's table without them: the day the send
    # history gains version 2, every message-history operation would have asked for
    # a create_schema() that then refused (or ran the send history's ALTER twice).
    sent = MessageRecord(Direction.OUTBOUND, OURS, ALICE, T0, 1)
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as old:
        old.create_schema()
        old.record_message(sent)
    monkeypatch.setattr(PostgresSendHistory, "_version", 2)
    monkeypatch.setattr(PostgresSendHistory, "_upgrades", {
        1: ("ALTER TABLE {schema}.send_history ADD COLUMN note text",),
    })
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as new:
        with pytest.raises(StoreError, match="send_history version 1, written by an older"):
            new.processed("SM1")
        assert new.create_schema()
        assert new.messages(since=T0 - H, until=T0) == (sent,)
        assert new.sent_at(since=T0 - H, until=T0, recipient=ALICE) == (T0,)
        assert not new.create_schema()
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        rows = conn.execute(f'SELECT component, version FROM "{pg_schema}".smskit_schema '
                            "ORDER BY component").fetchall()
        note = conn.execute(f'SELECT note FROM "{pg_schema}".send_history').fetchall()
    assert rows == [("message_history", 1), ("send_history", 2)]
    assert note == [(None,)]
