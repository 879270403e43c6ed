"""A cancel, a reconcile and a stalled hand-over interleaved, each on its own connection.

Review rev29m. Worker A's hand-over of a queued reminder stalls; meanwhile a cancel
(host C) answers ``in_flight`` and notes it in the row, and host B's ``reconcile``
(a lease shorter than the stall) finds nothing at the provider and, seeing the note,
ends the key ``cancelled``. Then A's provider answers. Each host has its own store
connection: SQLite files opened three times, PostgreSQL three connections.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from smskit import CancelOutcome
from smskit.messenger import (
    MemoryOutbox,
    Messenger,
    Outbox,
    OutboxEntry,
    OutboxState,
    SendOutcome,
    SQLiteOutbox,
)

from .conftest import Rig, build_rig, consent
from .test_cancel_and_send_by import MORNING, NIGHT, REMINDER
from .test_hand_over_conflicts import _Racing

KEY = "appt-7-reminder"
KINDS = ["memory", "sqlite", "postgres"]


@contextmanager
def _three_hosts(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[
    tuple[Outbox, Outbox, Outbox]
]:
    """One outbox store seen by three hosts (A sends, B reconciles, C cancels)."""
    if kind == "memory":
        box = MemoryOutbox()
        yield box, box, box
        return
    opened: list[Outbox] = []
    if kind == "sqlite":
        def open_one() -> Outbox:
            return SQLiteOutbox(tmp_path / "outbox.db")
    else:
        open_one = request.getfixturevalue("pg_outboxes")
    try:
        for _ in range(3):
            opened.append(open_one())
        yield opened[0], opened[1], opened[2]
    finally:
        for box in opened:
            box.close()  # type: ignore[attr-defined]


def _stalled_race(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest,
    then: Callable[[Rig], None],
) -> Iterator[tuple[Rig, Messenger, Outbox, list[object]]]:
    with _three_hosts(kind, tmp_path, request) as (a_box, b_box, c_box):
        rig = build_rig(a_box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        canceller = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                              c_box, senders=[rig.sender])
        reconciler = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                               b_box, senders=[rig.sender], in_flight=timedelta(0))
        seen: list[object] = []

        def meanwhile() -> None:
            seen.append(canceller.cancel(KEY, MORNING, reason="appt 7 cancelled"))
            # Not resent by B: its own lookup must end the noted key cancelled.
            seen.extend(r.outcome for r in reconciler.reconcile(
                MORNING + timedelta(minutes=1), resend=False))
            then(rig)

        worker = Messenger(_Racing(rig.provider, meanwhile, lambda: None),  # type: ignore[arg-type]
                           rig.messenger.pipeline, rig.ledger, rig.history, a_box,
                           senders=[rig.sender])
        yield rig, worker, c_box, seen


@pytest.mark.parametrize("kind", KINDS)
def test_a_stalled_hand_over_taken_after_its_noted_key_was_cancelled_ends_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    for rig, worker, box, seen in _stalled_race(kind, tmp_path, request, lambda rig: None):
        [result] = worker.send_due(MORNING)
        assert seen == [CancelOutcome.IN_FLIGHT, SendOutcome.CANCELLED]
        assert result.outcome is SendOutcome.SENT
        assert result.receipt is not None
        row = box.get(KEY)
        assert row is not None
        assert (row.state, row.provider_id) == (OutboxState.SENT, result.receipt.message_id)
        assert "marked cancelled meanwhile (appt 7 cancelled)" in (row.error or "")
        # The note did not clobber the message the row holds.
        data = json.loads(row.payload)
        assert data["body"] == REMINDER.body
        assert data["cancel_requested"]["reason"] == "appt 7 cancelled"
        assert rig.messenger.cancel(KEY, MORNING + timedelta(hours=1)) is CancelOutcome.SENT
        again = rig.messenger.send(REMINDER, rig.sender, MORNING + timedelta(hours=1))
        assert again.outcome is SendOutcome.DUPLICATE
        assert worker.send_due(MORNING + timedelta(hours=1)) == ()
        assert rig.messenger.reconcile(MORNING + timedelta(hours=1)) == ()
        assert len(rig.provider.messages) == 1
        assert len(rig.history.messages(since=NIGHT, until=MORNING + timedelta(hours=1))) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_stalled_hand_over_that_sent_nothing_leaves_the_cancel_standing(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    def not_taken(rig: Rig) -> None:
        rig.provider.time_out_next()

    for rig, worker, box, seen in _stalled_race(kind, tmp_path, request, not_taken):
        [result] = worker.send_due(MORNING)
        assert seen == [CancelOutcome.IN_FLIGHT, SendOutcome.CANCELLED]
        assert result.outcome is SendOutcome.CANCELLED
        assert not result.queued
        row = box.get(KEY)
        assert row is not None
        assert (row.state, row.error) == (OutboxState.CANCELLED, "appt 7 cancelled")
        assert rig.messenger.cancel(KEY, MORNING) is CancelOutcome.CANCELLED
        assert worker.send_due(MORNING + timedelta(days=1)) == ()
        assert rig.provider.messages == ()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_stalled_hand_over_that_may_have_sent_it_leaves_the_row_and_says_look(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # docs/messenger.md: a timeout after the provider took it cannot correct the row
    # (no provider id); the answer says to check the provider's log.
    def maybe(rig: Rig) -> None:
        rig.provider.time_out_next(processed=True)

    for rig, worker, box, seen in _stalled_race(kind, tmp_path, request, maybe):
        [result] = worker.send_due(MORNING)
        assert seen == [CancelOutcome.IN_FLIGHT, SendOutcome.CANCELLED]
        assert result.outcome is SendOutcome.PENDING
        assert "check the provider's log" in (result.reason or "")
        row = box.get(KEY)
        assert row is not None
        assert row.state is OutboxState.CANCELLED
        assert len(rig.provider.messages) == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_worker_that_died_between_requeue_and_cancel_leaves_nothing_to_send(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # The failed hand-over queued the noted key and died before marking it cancelled:
    # the row is queued with the note. A caller's job retried with the key, and
    # send_due, both end it cancelled instead of sending it.
    with _three_hosts(kind, tmp_path, request) as (box, _, other):
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        queued = box.get(KEY)
        assert queued is not None
        claimed = box.update(KEY, OutboxState.RESERVED, at=MORNING, expected=queued)
        assert rig.messenger.cancel(KEY, MORNING, reason="appt 7 cancelled") is (
            CancelOutcome.IN_FLIGHT)
        noted = box.get(KEY)
        assert noted is not None
        assert noted.payload != claimed.payload
        box.update(KEY, OutboxState.DEFERRED, at=MORNING, not_before=MORNING,
                   error="timed out", attempted=True, expected=noted)
        again = rig.messenger.send(REMINDER, rig.sender, MORNING + timedelta(minutes=5))
        assert again.outcome is SendOutcome.CANCELLED
        row = other.get(KEY)
        assert row is not None
        assert (row.state, row.error) == (OutboxState.CANCELLED, "appt 7 cancelled")
        assert rig.messenger.send_due(MORNING + timedelta(hours=1)) == ()
        assert rig.provider.messages == ()


def test_a_noted_auto_reply_left_queued_by_a_dead_worker_is_not_sent() -> None:
    # An auto-reply goes out as queued, not decided again: send_due's own check of the
    # note is all that stands between it and the provider.
    from smskit.providers import ErrorCategory

    from .conftest import ALICE, OURS, T0

    rig = build_rig()
    consent(rig)
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED)  # the HELP answer is queued
    result = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    assert result.reply is not None
    assert result.reply.queued
    key = f"reply:{result.message.message_id}"
    queued = rig.outbox.get(key)
    assert queued is not None
    claimed = rig.outbox.update(key, OutboxState.RESERVED, at=T0, expected=queued)
    assert rig.messenger.cancel(key, T0, reason="answered by phone") is CancelOutcome.IN_FLIGHT
    noted = rig.outbox.get(key)
    assert noted is not None
    assert noted != claimed
    rig.outbox.update(key, OutboxState.DEFERRED, at=T0, not_before=T0, error="timed out",
                      attempted=True, expected=noted)
    [answer] = rig.messenger.send_due(T0 + timedelta(seconds=30))
    assert answer.outcome is SendOutcome.CANCELLED
    row = rig.outbox.get(key)
    assert row is not None
    assert (row.state, row.error) == (OutboxState.CANCELLED, "answered by phone")
    assert rig.provider.messages == ()


class _QueuedMeanwhile(MemoryOutbox):
    """While a caller's send of the key (none stored when it looked) decides, another
    host queues the key, takes it, is asked to cancel it in flight, and its hand-over
    fails: the row is queued with the cancel's note when the caller's reserve meets it."""

    other: Rig

    def reserve(self, entry: OutboxEntry) -> tuple[OutboxEntry, bool]:
        if entry.key == KEY and entry.state is OutboxState.RESERVED and self.get(KEY) is None:
            other = self.other
            assert other.messenger.send(REMINDER, other.sender, NIGHT, queue=True).queued
            queued = self.get(KEY)
            assert queued is not None
            self.update(KEY, OutboxState.RESERVED, at=NIGHT, expected=queued)
            assert other.messenger.cancel(KEY, NIGHT, reason="appt 7 cancelled") is (
                CancelOutcome.IN_FLIGHT)
            noted = self.get(KEY)
            assert noted is not None
            self.update(KEY, OutboxState.DEFERRED, at=NIGHT, not_before=NIGHT,
                        error="timed out", attempted=True, expected=noted)
        return super().reserve(entry)


def test_a_send_that_meets_a_noted_queued_key_at_its_reserve_does_not_take_it() -> None:
    box = _QueuedMeanwhile()
    rig = build_rig(box)
    box.other = rig
    consent(rig)
    result = rig.messenger.send(REMINDER, rig.sender, MORNING)
    assert result.outcome is SendOutcome.CANCELLED
    row = box.get(KEY)
    assert row is not None
    assert (row.state, row.error) == (OutboxState.CANCELLED, "appt 7 cancelled")
    assert rig.provider.messages == ()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_cancel_of_an_ambiguous_key_is_noted_and_holds_when_the_lookup_finds_nothing(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # docs/messenger.md's table: maybe sent (a timeout after), then looked up and not
    # found: cancelled, not sent again. The note keeps the row's lease (updated_at).
    with _three_hosts(kind, tmp_path, request) as (box, _, other):
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(REMINDER, rig.sender, NIGHT, queue=True).queued
        queued = box.get(KEY)
        assert queued is not None
        box.update(KEY, OutboxState.RESERVED, at=MORNING, expected=queued)
        maybe = box.update(KEY, OutboxState.AMBIGUOUS, at=MORNING, error="timed out",
                           attempted=True)
        canceller = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                              other, senders=[rig.sender])
        assert canceller.cancel(KEY, MORNING + timedelta(minutes=1),
                                reason="appt 7 cancelled") is CancelOutcome.IN_FLIGHT
        noted = box.get(KEY)
        assert noted is not None
        assert (noted.state, noted.updated_at, noted.attempts, noted.error) == (
            OutboxState.AMBIGUOUS, maybe.updated_at, maybe.attempts, "timed out")
        assert rig.messenger.reconcile(MORNING + timedelta(seconds=90)) == ()  # in its lease
        [found] = rig.messenger.reconcile(MORNING + timedelta(minutes=10))
        assert found.outcome is SendOutcome.CANCELLED
        row = other.get(KEY)
        assert row is not None
        assert (row.state, row.error) == (OutboxState.CANCELLED, "appt 7 cancelled")
        assert rig.provider.messages == ()
