"""Review of ``recipient_lock``: the key a STOP takes is the key a send takes, and every
text to a person (queued or immediate answers too) goes out under that person's lock.

A custom webhook parser may give ``From`` as ``12125550123`` (the ledger normalises
it); the STOP then locked ``"12125550123"`` while every send locked
``"+12125550123"``: two keys, nothing excluded, the race the lock closes open again.
An auto-reply (a HELP answer, or one queued after a 429 and sent by ``send_due``)
was handed to the provider with no lock: a STOP committed on another host after the
answer was decided was followed by the answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest

import _services
from smskit.errors import ConfigurationError, StoreError
from smskit.messenger import Messenger, PostgresRecipientLock
from smskit.policy import SendRequest
from smskit.providers import ErrorCategory, MemoryProvider
from smskit.providers.model import OutboundMessage, SendReceipt

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent


class RecordingLock:
    """Records the keys asked for and which are held at a given moment."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.held: set[str] = set()

    @contextmanager
    def hold(self, recipient: str) -> Iterator[None]:
        self.keys.append(recipient)
        self.held.add(recipient)
        try:
            yield
        finally:
            self.held.discard(recipient)


class WatchedProvider(MemoryProvider):
    """Notes, for each text handed over, whether its recipient's lock was held."""

    lock: RecordingLock

    def send(self, message: OutboundMessage) -> SendReceipt:
        self.sent_under_lock.append(message.to in self.lock.held)
        return super().send(message)

    sent_under_lock: list[bool]


def _locked(lock: RecordingLock) -> tuple[Rig, Messenger, WatchedProvider]:
    rig = build_rig()
    provider = WatchedProvider(clock=rig.clock)
    provider.lock, provider.sent_under_lock = lock, []
    messenger = Messenger(
        provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
        senders=[rig.sender], recipient_lock=lock,
    )
    consent(rig)
    return rig, messenger, provider


@pytest.mark.parametrize("written", ["12125550123", "(212) 555-0123", "+1 212-555-0123"])
def test_a_stop_whose_from_is_not_e164_takes_the_key_a_send_takes(written: str) -> None:
    lock = RecordingLock()
    rig, messenger, provider = _locked(lock)
    messenger.handle_inbound("u", provider.inbound_params(written, OURS, "STOP"), {}, T0)
    messenger.send(SendRequest(written, "Acme: hi. Reply STOP to opt out",
                               idempotency_key="k1"), rig.sender, T0)
    # Before: ["12125550123", "+12125550123"], two locks that never exclude each other.
    assert lock.keys == [ALICE, ALICE]


def test_a_stop_from_12125550123_waits_for_a_send_holding_the_e164_lock(
    postgres_dsn: str, pg_schema: str
) -> None:
    _services.require_module("psycopg", "postgres")
    rig = build_rig()
    consent(rig)
    with PostgresRecipientLock(postgres_dsn, schema=pg_schema, timeout=0.2) as mine, \
            PostgresRecipientLock(postgres_dsn, schema=pg_schema) as other_host:
        messenger = Messenger(
            rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
            senders=[rig.sender], recipient_lock=mine,
        )
        with other_host.hold(ALICE), pytest.raises(StoreError) as waited:
            # Another host is between its decision and its provider call for ALICE.
            messenger.handle_inbound(
                "u", rig.provider.inbound_params("12125550123", OURS, "STOP"), {}, T0)
    assert waited.value.retryable
    assert rig.ledger.history(ALICE)[-1].kind.value != "revoked"  # not committed meanwhile


def test_a_help_answer_is_handed_over_under_the_persons_lock() -> None:
    lock = RecordingLock()
    _, messenger, provider = _locked(lock)
    result = messenger.handle_inbound("u", provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    assert result.reply is not None
    assert result.reply.outcome.value == "sent"
    assert provider.sent_under_lock == [True]  # before: [False]


def test_a_queued_answer_is_sent_by_send_due_under_the_persons_lock() -> None:
    lock = RecordingLock()
    _, messenger, provider = _locked(lock)
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    first = messenger.handle_inbound("u", provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    assert first.reply is not None
    assert first.reply.queued
    [due] = messenger.send_due(T0 + timedelta(minutes=2))
    assert due.outcome.value == "sent"
    assert provider.sent_under_lock == [True, True]  # before: the queued one [.., False]


def test_a_send_of_something_not_a_request_is_a_configuration_error_with_a_lock() -> None:
    rig, messenger, _ = _locked(RecordingLock())
    not_a_request: Any = {"recipient": ALICE, "body": "hi"}
    with pytest.raises(ConfigurationError) as wrong:  # before: AttributeError
        messenger.send(not_a_request, rig.sender, T0)
    assert wrong.value.field == "request"


def test_a_one_connection_lock_gives_up_after_its_timeout_for_another_person(
    postgres_dsn: str, pg_schema: str
) -> None:
    # A conninfo lock has one connection: holds take turns. A turn waited for without
    # limit (a hung provider call froze every send of the process); now `timeout`.
    _services.require_module("psycopg", "postgres")
    with PostgresRecipientLock(postgres_dsn, schema=pg_schema, timeout=0.2) as lock:
        holding, done = threading.Event(), threading.Event()

        def other_send() -> None:
            with lock.hold("+12125550100"):
                holding.set()
                done.wait(60)  # only against a hung test: released below

        thread = threading.Thread(target=other_send)
        thread.start()
        try:
            assert holding.wait(60)
            with pytest.raises(StoreError) as waited, lock.hold(ALICE):
                pytest.fail("ran while the lock's only connection was held")
        finally:
            done.set()
            thread.join(60)
    assert waited.value.retryable
    assert "0123" not in str(waited.value)
    assert "0100" not in str(waited.value)


def test_the_lock_class_instead_of_a_lock_is_refused_when_the_messenger_is_built() -> None:
    # Accepted before (the class has a hold function), then every send raised TypeError.
    rig = build_rig()
    with pytest.raises(ConfigurationError) as wrong:
        Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                  senders=[rig.sender], recipient_lock=PostgresRecipientLock)  # type: ignore[arg-type]
    assert wrong.value.field == "recipient_lock"
    assert "PostgresRecipientLock(" in str(wrong.value)


class RedeliveredWhileWaiting(RecordingLock):
    """The first handling of a webhook waits for the person's lock; meanwhile the
    provider's retry of that webhook (unanswered within 15 s at Twilio) is handled in
    full."""

    messenger: Messenger
    params: dict[str, str]

    @contextmanager
    def hold(self, recipient: str) -> Iterator[None]:
        if not self.keys:
            self.keys.append(recipient)
            self.messenger.handle_inbound("u", self.params, {}, T0)  # the retry, first
        yield


def test_a_webhook_retried_while_the_first_waited_for_the_lock_is_kept_once() -> None:
    lock = RedeliveredWhileWaiting()
    rig, messenger, provider = _locked(lock)
    lock.messenger, lock.params = messenger, provider.inbound_params(ALICE, OURS, "Running late")
    result = messenger.handle_inbound("u", lock.params, {}, T0)
    assert result.duplicate  # the retry handled it meanwhile
    kept = rig.history.messages(since=T0 - timedelta(days=1), until=T0 + timedelta(days=1))
    assert len(kept) == 1  # before: 2, the reply kept twice


def test_a_role_statement_timeout_shorter_than_the_wait_still_gives_a_retryable_error(
    postgres_dsn: str, pg_schema: str
) -> None:
    # A DBA's statement_timeout (here 50 ms, as ALTER ROLE ... SET would give) cut the
    # wait short with "canceling statement due to statement timeout" (57014): a
    # StoreError that said not to retry, for what is contention like lock_timeout's.
    _services.require_module("psycopg", "postgres")
    strict = postgres_dsn + ("&" if "?" in postgres_dsn else "?") + (
        "options=-c%20statement_timeout%3D50")
    with (
        PostgresRecipientLock(strict, schema=pg_schema, timeout=0.5) as mine,
        PostgresRecipientLock(postgres_dsn, schema=pg_schema) as other_host,
        other_host.hold(ALICE),
        pytest.raises(StoreError) as waited,
        mine.hold(ALICE),
    ):
        pytest.fail("ran while another host held the person's lock")
    assert waited.value.retryable
    assert "lock timeout" in str(waited.value)


def test_an_interruption_while_waiting_leaves_the_connection_out_of_the_transaction(
    postgres_dsn: str, pg_schema: str
) -> None:
    # A worker's time limit or signal handler raising (Celery's SoftTimeLimitExceeded,
    # KeyboardInterrupt) during the wait left the lock's one connection inside its
    # transaction: every later hold of the process was refused ("inside a transaction").
    psycopg = _services.require_module("psycopg", "postgres")

    class Interrupted(psycopg.Connection):  # type: ignore[misc,name-defined]
        def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            if "pg_advisory_xact_lock" in str(query):
                raise KeyboardInterrupt
            return super().execute(query, *args, **kwargs)

    conn = Interrupted.connect(postgres_dsn, autocommit=True)
    try:
        lock = PostgresRecipientLock(conn, schema=pg_schema)
        with pytest.raises(KeyboardInterrupt), lock.hold(ALICE):
            pytest.fail("ran without the lock")
        assert conn.info.transaction_status.name == "IDLE"  # before: INTRANS
    finally:
        conn.close()


def test_a_connection_inside_the_callers_transaction_is_refused_and_left_as_it_was(
    postgres_dsn: str, pg_schema: str
) -> None:
    psycopg = _services.require_module("psycopg", "postgres")
    with psycopg.connect(postgres_dsn) as conn:
        conn.execute("SELECT 1")  # the application's transaction, open
        lock = PostgresRecipientLock(conn, schema=pg_schema)
        with pytest.raises(StoreError, match="inside a transaction"), lock.hold(ALICE):
            pytest.fail("ran inside the caller's transaction")
        assert conn.info.transaction_status.name == "INTRANS"  # not rolled back for it



@pytest.mark.parametrize("given", ["(212) 555-0123", "12125550123", " +12125550123", None])
def test_hold_refuses_a_number_not_in_e164(
    given: object, postgres_dsn: str, pg_schema: str
) -> None:
    # quiet-hours.md has callers hold the lock around check and record themselves:
    # "(212) 555-0123" locked another key than the messenger's sends (nothing
    # excluded, silently); None or a PhoneNumber raised TypeError.
    _services.require_module("psycopg", "postgres")
    with (
        PostgresRecipientLock(postgres_dsn, schema=pg_schema) as lock,
        pytest.raises(ConfigurationError) as wrong,
        lock.hold(given),  # type: ignore[arg-type]
    ):
        pytest.fail("held")
    assert wrong.value.field == "recipient"
    assert "555-0123" not in str(wrong.value)
    assert "5550123" not in str(wrong.value)


def test_every_number_the_messenger_keys_a_send_by_is_taken_by_hold(
    postgres_dsn: str, pg_schema: str
) -> None:
    # The messenger keys a send by parse_number(...).e164: hold must take each one,
    # the shortest valid numbers too ("+989601", six digits), or a send would raise.
    import phonenumbers

    from smskit.numbers import parse_number

    _services.require_module("psycopg", "postgres")
    keys = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        for kind in phonenumbers.PhoneNumberType.values():
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                written = phonenumbers.format_number(
                    example, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
                keys.add(parse_number(written).e164)
    assert "+989601" in keys
    with PostgresRecipientLock(postgres_dsn, schema=pg_schema) as lock:
        for key in sorted(keys):
            with lock.hold(key):
                pass


class HeldElsewhere(RecordingLock):
    """Another host's send holds these people's locks past ``timeout`` (a provider call
    sleeping through a 429's Retry-After)."""

    busy: frozenset[str] = frozenset({ALICE})

    @contextmanager
    def hold(self, recipient: str) -> Iterator[None]:
        if recipient in self.busy:
            raise StoreError("held past timeout; nothing was sent", retryable=True)
        with super().hold(recipient):
            yield


def test_send_due_leaves_an_entry_whose_lock_stays_held_and_sends_the_rest() -> None:
    # Before: the StoreError ended send_due, and every other person's entry after it
    # waited, batch after batch, while one person's lock was held.
    lock = HeldElsewhere()
    lock.busy = frozenset()
    rig, messenger, provider = _locked(lock)
    bob = "+12125550124"
    consent(rig, bob)
    provider.fail_next(ErrorCategory.RATE_LIMITED, times=2)  # both queued to retry
    for number, key in ((ALICE, "a"), (bob, "b")):
        queued = messenger.send(SendRequest(number, "Acme: hi. Reply STOP to opt out",
                                            idempotency_key=key), rig.sender, T0, queue=True)
        assert queued.queued
    lock.busy = frozenset({ALICE})
    results = {r.key: r for r in messenger.send_due(T0 + timedelta(hours=1))}
    assert results["a"].outcome.value == "pending"
    assert "held past timeout" in (results["a"].reason or "")
    assert results["b"].outcome.value == "sent"
    left = rig.outbox.get("a")
    assert left is not None
    assert left.state.value == "deferred"  # still due for the next batch


def test_a_queued_answer_whose_lock_stays_held_is_left_queued() -> None:
    lock = HeldElsewhere()
    lock.busy = frozenset()
    _, messenger, provider = _locked(lock)
    provider.fail_next(ErrorCategory.RATE_LIMITED)
    first = messenger.handle_inbound("u", provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    assert first.reply is not None
    lock.busy = frozenset({ALICE})
    [due] = messenger.send_due(T0 + timedelta(minutes=2))
    assert due.outcome.value == "pending"  # before: StoreError out of send_due


def test_a_direct_send_whose_lock_stays_held_still_raises() -> None:
    rig, messenger, _ = _locked(HeldElsewhere())
    with pytest.raises(StoreError) as held:  # the caller retries it; nothing reserved
        messenger.send(SendRequest(ALICE, "Acme: hi. Reply STOP to opt out",
                                   idempotency_key="a"), rig.sender, T0)
    assert held.value.retryable
    assert rig.outbox.get("a") is None
