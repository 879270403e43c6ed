"""Cancelling a queued message, and a request's send-by instant.

A field-service product queues an appointment reminder (deferred by quiet hours) and
the appointment is cancelled: ``Messenger.cancel`` stops it, keeps the row marked
``cancelled``, and answers what it found when the message is already gone. A "your
technician is on the way" text is worthless hours later: ``SendRequest.send_by``
makes the messenger mark it ``expired`` instead of sending it late.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit import CancelOutcome, SendRequest
from smskit.errors import ConfigurationError, OutboxConflictError, StoreError
from smskit.messenger import (
    MemoryOutbox,
    Messenger,
    Outbox,
    OutboxEntry,
    OutboxState,
    SendOutcome,
)
from smskit.providers import ErrorCategory

from .conftest import ALICE, T0, build_rig, consent, outbox_of

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: deferred
MORNING = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 09:00: due
REMINDER = SendRequest(recipient=ALICE, body="Acme: 10% off your boiler check tomorrow",
                       idempotency_key="appt-7-reminder")
KINDS = ["memory", "sqlite", "postgres"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_cancelled_reminder_is_kept_marked_and_never_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        cancelled_at = NIGHT + timedelta(minutes=5)
        assert rig.messenger.cancel("appt-7-reminder", cancelled_at,
                                    reason="appointment 7 cancelled") is CancelOutcome.CANCELLED
        # Idempotent: the second call finds it cancelled.
        assert rig.messenger.cancel("appt-7-reminder", MORNING) is CancelOutcome.CANCELLED
        assert rig.messenger.send_due(MORNING) == ()
        # The job retried under the same key sends nothing: the key is spent.
        again = rig.messenger.send(REMINDER, rig.sender, MORNING, queue=True)
        assert again.outcome is SendOutcome.CANCELLED
        assert rig.provider.messages == ()
        kept = box.get("appt-7-reminder")
        assert kept is not None
        assert kept.state is OutboxState.CANCELLED
        assert kept.error == "appointment 7 cancelled"
        assert kept.updated_at == cancelled_at  # the first cancel's, not the second's
        assert kept.attempts == 0
        # Final: pruned with sent and failed entries once old enough.
        assert box.prune(MORNING + timedelta(days=1)) == 1
        assert box.get("appt-7-reminder") is None


def test_cancel_says_what_it_could_not_stop() -> None:
    rig = build_rig()
    consent(rig)
    now = SendRequest(recipient=ALICE, body="Acme: your technician is on the way",
                      purpose="transactional", idempotency_key="appt-7-otw")
    assert rig.messenger.send(now, rig.sender, T0).outcome is SendOutcome.SENT
    assert rig.messenger.cancel("appt-7-otw", T0) is CancelOutcome.SENT
    assert rig.messenger.cancel("never-sent", T0) is CancelOutcome.UNKNOWN
    rig.outbox.reserve(OutboxEntry(key="handed", recipient=ALICE, sender="+12125550199",
                                   state=OutboxState.RESERVED, created_at=T0, updated_at=T0))
    assert rig.messenger.cancel("handed", T0) is CancelOutcome.IN_FLIGHT
    assert rig.outbox.get("handed").state is OutboxState.RESERVED  # type: ignore[union-attr]
    assert rig.outbox.get("appt-7-otw").state is OutboxState.SENT  # type: ignore[union-attr]
    with pytest.raises(ConfigurationError, match="aware"):
        rig.messenger.cancel("appt-7-otw", datetime(2026, 11, 20, 15, 0))


class _CancelsBetweenReadAndClaim:
    """The outbox of a send_due worker: the appointment is cancelled after the worker
    read the reminder as due and before it takes it."""

    def __init__(self, inner: object, canceller: Messenger) -> None:
        self.inner = inner
        self.canceller = canceller
        self.outcomes: list[CancelOutcome] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def due(self, at: datetime, **options: object) -> tuple[OutboxEntry, ...]:
        page: tuple[OutboxEntry, ...] = self.inner.due(at, **options)  # type: ignore[attr-defined]
        if page:
            self.outcomes.append(self.canceller.cancel(page[0].key, at))
        return page


@pytest.mark.parametrize("kind", KINDS)
def test_a_cancel_between_send_dues_read_and_its_claim_wins(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        canceller = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                              box, senders=[rig.sender])
        racing = _CancelsBetweenReadAndClaim(box, canceller)
        worker = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                           racing, senders=[rig.sender])  # type: ignore[arg-type]
        [result] = worker.send_due(MORNING)
        assert racing.outcomes == [CancelOutcome.CANCELLED]
        assert result.outcome is SendOutcome.CANCELLED
        assert rig.provider.messages == ()
        assert box.get("appt-7-reminder").state is OutboxState.CANCELLED  # type: ignore[union-attr]


# -- send_by ------------------------------------------------------------------

CHICAGO = ZoneInfo("America/Chicago")


def _on_the_way(send_by: datetime, key: str = "appt-7-otw") -> SendRequest:
    return SendRequest(recipient=ALICE, body="Acme: your technician is on the way",
                       idempotency_key=key, send_by=send_by)


def test_a_naive_send_by_is_refused_with_what_to_write() -> None:
    with pytest.raises(ConfigurationError, match="send_by must be an aware datetime") as info:
        _on_the_way(datetime(2026, 11, 20, 17, 0))
    assert info.value.field == "send_by"


def test_a_deferral_past_the_send_by_is_expired_at_once_and_not_queued() -> None:
    rig = build_rig()
    consent(rig)
    # Deferred by quiet hours to 09:00 in New York; worth sending until 07:00 only.
    result = rig.messenger.send(_on_the_way(NIGHT + timedelta(hours=2)), rig.sender, NIGHT,
                                queue=True)
    assert result.outcome is SendOutcome.EXPIRED
    assert not result.queued
    assert rig.outbox.get("appt-7-otw") is None
    assert rig.messenger.send_due(MORNING) == ()
    assert rig.provider.messages == ()


@pytest.mark.parametrize("kind", KINDS)
def test_a_queued_text_whose_send_by_passed_is_marked_expired_not_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        # 08:00 in Chicago is 09:00 in New York: it may go then, and is worth it until
        # 08:30 Chicago time; the worker only runs at 09:00 Chicago (10:00 New York).
        send_by = datetime(2026, 11, 20, 8, 30, tzinfo=CHICAGO)
        assert rig.messenger.send(_on_the_way(send_by), rig.sender, NIGHT, queue=True).queued
        [result] = rig.messenger.send_due(MORNING + timedelta(hours=1))
        assert result.outcome is SendOutcome.EXPIRED
        assert rig.provider.messages == ()
        kept = box.get("appt-7-otw")
        assert kept is not None
        assert kept.state is OutboxState.EXPIRED
        assert "send_by 2026-11-20T08:30:00-06:00 passed" in (kept.error or "")
        assert rig.messenger.cancel("appt-7-otw", MORNING) is CancelOutcome.EXPIRED


def test_a_retry_after_an_outage_past_the_send_by_is_expired() -> None:
    rig = build_rig()
    consent(rig)
    now = T0
    rig.provider.fail_next(ErrorCategory.TEMPORARY)
    first = rig.messenger.send(_on_the_way(now + timedelta(minutes=30)), rig.sender, now)
    assert first.queued  # to retry
    [late] = rig.messenger.send_due(now + timedelta(hours=2))
    assert late.outcome is SendOutcome.EXPIRED
    assert rig.provider.messages == ()
    assert rig.outbox.get("appt-7-otw").state is OutboxState.EXPIRED  # type: ignore[union-attr]


def test_a_text_within_its_send_by_goes_and_the_instant_itself_is_in_time() -> None:
    rig = build_rig()
    consent(rig)
    assert rig.messenger.send(_on_the_way(T0), rig.sender, T0).outcome is SendOutcome.SENT
    late = rig.messenger.send(_on_the_way(T0, key="other"), rig.sender,
                              T0 + timedelta(microseconds=1))
    assert late.outcome is SendOutcome.EXPIRED
    assert rig.outbox.get("other") is None  # a request never queued stores nothing
    assert len(rig.provider.messages) == 1


class _WrittenBeforeCancel:
    """An outbox of one's own that knows no ``cancelled`` state: it refuses the move."""

    def __init__(self, inner: object) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def update(self, key: str, state: OutboxState, **changes: object) -> OutboxEntry:
        if state is OutboxState.CANCELLED:
            raise OutboxConflictError(f"outbox entry {key!r} cannot become cancelled")
        moved: OutboxEntry = self.inner.update(key, state, **changes)  # type: ignore[attr-defined]
        return moved


def test_an_outbox_that_refuses_the_cancel_is_an_error_not_a_loop() -> None:
    rig = build_rig()
    consent(rig)
    assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
    old = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                    _WrittenBeforeCancel(rig.outbox), senders=[rig.sender])  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="must allow deferred -> cancelled"):
        old.cancel("appt-7-reminder", NIGHT)
    assert rig.outbox.get("appt-7-reminder").state is OutboxState.DEFERRED  # type: ignore[union-attr]


def test_cancels_racing_send_due_on_separate_postgres_connections(
    pg_outboxes: Callable[[], Outbox],
) -> None:
    """Two hosts: one drains the queue while the other cancels every queued reminder.
    Each reminder is either cancelled (and never sent) or sent once (and the cancel
    says it was too late); no row is lost."""
    keys = [f"appt-{n}-reminder" for n in range(20)]
    worker_box, canceller_box = pg_outboxes(), pg_outboxes()
    try:
        rig = build_rig(worker_box)  # type: ignore[arg-type]
        consent(rig)
        for key in keys:
            queued = rig.messenger.send(replace(REMINDER, idempotency_key=key), rig.sender,
                                        NIGHT, queue=True)
            assert queued.queued
        canceller = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                              canceller_box, senders=[rig.sender])
        start = threading.Barrier(2)
        answers: dict[str, CancelOutcome] = {}

        def cancel_all() -> None:
            start.wait()
            for key in reversed(keys):  # meet the worker half way
                answers[key] = canceller.cancel(key, MORNING)

        def drain() -> None:
            start.wait()
            rig.messenger.send_due(MORNING)

        threads = [threading.Thread(target=cancel_all), threading.Thread(target=drain)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sent = [m.idempotency_key for m in rig.provider.messages]
        assert len(sent) == len(set(sent))
        for key in keys:
            row = canceller_box.get(key)
            assert row is not None
            if answers[key] is CancelOutcome.CANCELLED:
                assert key not in sent
                assert row.state is OutboxState.CANCELLED
            else:
                assert answers[key] in (CancelOutcome.SENT, CancelOutcome.IN_FLIGHT)
                assert key in sent
                assert row.state is OutboxState.SENT
    finally:
        worker_box.close()
        canceller_box.close()


def test_a_late_request_for_another_number_leaves_the_queued_one_alone() -> None:
    rig = build_rig()
    consent(rig)
    consent(rig, "+12125550177")
    assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
    other = SendRequest(recipient="+12125550177", body="Acme: your technician is on the way",
                        idempotency_key="appt-7-reminder", send_by=NIGHT - timedelta(hours=1))
    assert rig.messenger.send(other, rig.sender, NIGHT).outcome is SendOutcome.EXPIRED
    assert rig.outbox.get("appt-7-reminder").state is OutboxState.DEFERRED  # type: ignore[union-attr]


class _CancelledDuringTheCall:
    """A provider whose send is slow: the appointment is cancelled while the text is
    handed over, and then the hand-over fails (nothing sent, queued to retry)."""

    def __init__(self, rig: object) -> None:
        self.rig = rig
        self.answers: list[CancelOutcome] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.rig.provider, name)  # type: ignore[attr-defined]

    def send(self, message: object) -> object:
        self.answers.append(self.rig.messenger.cancel(  # type: ignore[attr-defined]
            "appt-7-reminder", MORNING, reason="appt 7 cancelled"))
        return self.rig.provider.send(message)  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", KINDS)
def test_a_cancel_in_flight_is_recorded_and_a_failed_hand_over_is_not_retried(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """``in_flight`` is no final answer, but the cancel is kept: a hand-over that then
    fails sending nothing (a timeout) ends ``cancelled``, not queued to retry (it was
    queued, and went out unless the caller called ``cancel`` again in time)."""
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        slow = _CancelledDuringTheCall(rig)
        worker = Messenger(slow, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                           box, senders=[rig.sender])
        rig.provider.time_out_next()  # certainly not taken
        [first] = worker.send_due(MORNING)
        assert slow.answers == [CancelOutcome.IN_FLIGHT]
        assert first.outcome is SendOutcome.CANCELLED
        assert not first.queued
        assert "cancelled while in flight (appt 7 cancelled)" in (first.reason or "")
        kept = box.get("appt-7-reminder")
        assert kept is not None
        assert (kept.state, kept.error, kept.attempts) == (
            OutboxState.CANCELLED, "appt 7 cancelled", 1)
        assert rig.messenger.cancel("appt-7-reminder", MORNING) is CancelOutcome.CANCELLED
        assert worker.send_due(MORNING + timedelta(hours=2)) == ()
        assert rig.provider.messages == ()


class _CancelBeforeTheRequeue(MemoryOutbox):
    """An outbox where the cancel lands between the failed hand-over's read of its own
    reservation and its move to queued (the compare-and-set then loses to the note)."""

    canceller: Messenger

    def update(self, key: str, state: OutboxState, **kwargs: object) -> OutboxEntry:
        if state is OutboxState.DEFERRED and kwargs.get("expected") is not None:
            assert self.canceller.cancel(key, MORNING, reason="appt 7 cancelled") is (
                CancelOutcome.IN_FLIGHT)
        return super().update(key, state, **kwargs)  # type: ignore[arg-type]


def test_a_cancel_noted_between_the_read_and_the_requeue_still_ends_cancelled() -> None:
    box = _CancelBeforeTheRequeue()
    rig = build_rig(box)
    box.canceller = rig.messenger
    consent(rig)
    assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
    rig.provider.time_out_next()  # certainly not taken
    [first] = rig.messenger.send_due(MORNING)
    assert first.outcome is SendOutcome.CANCELLED  # not "another worker holds this key"
    assert box.get("appt-7-reminder").state is OutboxState.CANCELLED  # type: ignore[union-attr]
    assert rig.provider.messages == ()


def test_a_cancel_in_flight_that_came_too_late_answers_sent_afterwards() -> None:
    rig = build_rig()
    consent(rig)
    assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
    slow = _CancelledDuringTheCall(rig)
    worker = Messenger(slow, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                       rig.outbox, senders=[rig.sender])
    [first] = worker.send_due(MORNING)
    assert slow.answers == [CancelOutcome.IN_FLIGHT]
    assert first.outcome is SendOutcome.SENT
    assert len(rig.provider.messages) == 1
    assert rig.messenger.cancel("appt-7-reminder", MORNING) is CancelOutcome.SENT


@pytest.mark.parametrize("kind", KINDS)
def test_a_cancel_of_a_crashed_hand_over_holds_when_reconcile_finds_nothing(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # A worker claimed the reminder and died before the provider got it. The cancel
    # answers in_flight (it may have gone); the lookup after the lease finds nothing,
    # and the key ends cancelled instead of queued and sent again.
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        queued = box.get("appt-7-reminder")
        assert queued is not None
        claimed = box.update("appt-7-reminder", OutboxState.RESERVED, at=MORNING,
                             expected=queued)
        later = MORNING + timedelta(minutes=1)
        assert rig.messenger.cancel("appt-7-reminder", later,
                                    reason="appt 7 cancelled") is CancelOutcome.IN_FLIGHT
        noted = box.get("appt-7-reminder")
        assert noted is not None
        # Still the crashed worker's claim: same state, same lease start.
        assert (noted.state, noted.updated_at) == (OutboxState.RESERVED, claimed.updated_at)
        assert rig.messenger.cancel("appt-7-reminder", later) is CancelOutcome.IN_FLIGHT
        assert box.get("appt-7-reminder") == noted  # asked again: nothing rewritten
        [found] = rig.messenger.reconcile(MORNING + timedelta(minutes=10))
        assert found.outcome is SendOutcome.CANCELLED
        assert rig.provider.messages == ()
        kept = box.get("appt-7-reminder")
        assert kept is not None
        assert (kept.state, kept.error) == (OutboxState.CANCELLED, "appt 7 cancelled")
        assert rig.messenger.send_due(MORNING + timedelta(hours=1)) == ()
        again = rig.messenger.send(REMINDER, rig.sender, MORNING + timedelta(hours=1))
        assert again.outcome is SendOutcome.CANCELLED
        assert rig.provider.messages == ()


def test_a_retry_whose_wait_ends_after_the_send_by_is_expired_at_once() -> None:
    rig = build_rig()
    consent(rig)
    # The provider asks for an hour's wait; the text is worth sending for 30 minutes.
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=timedelta(hours=1))
    result = rig.messenger.send(_on_the_way(T0 + timedelta(minutes=30)), rig.sender, T0)
    assert result.outcome is SendOutcome.EXPIRED
    assert not result.queued
    assert result.category is ErrorCategory.RATE_LIMITED
    kept = rig.outbox.get("appt-7-otw")
    assert kept is not None
    assert (kept.state, kept.attempts) == (OutboxState.EXPIRED, 1)
    assert "send_by" in (kept.error or "")
    assert rig.messenger.cancel("appt-7-otw", T0) is CancelOutcome.EXPIRED


def test_a_key_waiting_out_a_retry_sent_again_past_its_send_by_is_expired_at_once() -> None:
    rig = build_rig()
    consent(rig)
    rig.provider.time_out_next()
    waiting = rig.messenger.send(_on_the_way(T0 + timedelta(hours=1)), rig.sender, T0)
    assert waiting.queued
    assert waiting.not_before is not None
    # The job retried at once, now worth sending only until before the wait ends.
    again = rig.messenger.send(_on_the_way(waiting.not_before - timedelta(seconds=1)),
                               rig.sender, T0)
    assert again.outcome is SendOutcome.EXPIRED
    assert rig.outbox.get("appt-7-otw").state is OutboxState.EXPIRED  # type: ignore[union-attr]
    assert rig.messenger.send_due(waiting.not_before) == ()
    assert rig.provider.messages == ()


def test_a_send_by_that_is_no_datetime_is_refused_without_echoing_it() -> None:
    # A number slipped into the wrong field is never written out in full.
    with pytest.raises(ConfigurationError, match="send_by must be an aware datetime") as info:
        SendRequest(recipient=ALICE, body="Acme: hi", send_by=ALICE)  # type: ignore[arg-type]
    assert ALICE not in str(info.value)
    assert "str" in str(info.value)
    assert info.value.field == "send_by"


class _CancelsOnceRequeued:
    """The outbox of a worker whose hand-over failed: the key is cancelled the moment
    it is queued to retry, before the worker marks it expired."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.canceller: Messenger | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def update(self, key: str, state: OutboxState, **changes: object) -> OutboxEntry:
        moved: OutboxEntry = self.inner.update(key, state, **changes)  # type: ignore[attr-defined]
        if state is OutboxState.DEFERRED and changes.get("attempted") and self.canceller:
            assert self.canceller.cancel(key, T0) is CancelOutcome.CANCELLED
        return moved


def test_a_cancel_between_the_requeue_and_its_expiry_is_what_the_sender_is_told() -> None:
    rig = build_rig()
    consent(rig)
    racing = _CancelsOnceRequeued(rig.outbox)
    racing.canceller = rig.messenger
    worker = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       racing, senders=[rig.sender])  # type: ignore[arg-type]
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=timedelta(hours=1))
    result = worker.send(_on_the_way(T0 + timedelta(minutes=30)), rig.sender, T0)
    assert result.outcome is SendOutcome.CANCELLED
    assert rig.outbox.get("appt-7-otw").state is OutboxState.CANCELLED  # type: ignore[union-attr]
    assert rig.provider.messages == ()


class _CancelsBeforeTheExpiry:
    """A worker's outbox: the key is cancelled after the worker read it and found its
    send_by passed, before its mark of ``expired`` lands (the compare-and-set loses)."""

    def __init__(self, inner: object, canceller: Messenger) -> None:
        self.inner = inner
        self.canceller = canceller

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def update(self, key: str, state: OutboxState, **changes: object) -> OutboxEntry:
        if state is OutboxState.EXPIRED:
            assert self.canceller.cancel(key, T0) is CancelOutcome.CANCELLED
        moved: OutboxEntry = self.inner.update(key, state, **changes)  # type: ignore[attr-defined]
        return moved


def test_an_expiry_that_loses_to_a_cancel_answers_cancelled_not_pending() -> None:
    rig = build_rig()
    consent(rig)
    send_by = datetime(2026, 11, 20, 8, 30, tzinfo=CHICAGO)
    assert rig.messenger.send(_on_the_way(send_by), rig.sender, NIGHT, queue=True).queued
    racing = _CancelsBeforeTheExpiry(rig.outbox, rig.messenger)
    worker = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       racing, senders=[rig.sender])  # type: ignore[arg-type]
    [result] = worker.send_due(MORNING + timedelta(hours=1))
    assert result.outcome is SendOutcome.CANCELLED
    assert rig.provider.messages == ()
    assert rig.outbox.get("appt-7-otw").state is OutboxState.CANCELLED  # type: ignore[union-attr]
