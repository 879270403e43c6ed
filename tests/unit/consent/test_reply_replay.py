"""handle_reply replays a STOP by its message id instead of recording it again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from smskit.consent import ConsentEvent, ConsentLedger, EventKind, Evidence, MemoryStore
from smskit.testing import FixedClock

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
BOB = "+12125550142"


def test_a_stop_replayed_by_message_id_is_recorded_once_and_confirmed_by_one_deadline() -> None:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    first = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    again = ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT + timedelta(minutes=2), message_id="SM1"
    )
    assert first.event is not None
    assert again.event == first.event
    assert first.reply is not None
    assert again.reply == first.reply
    assert first.reply.send_by == AT + timedelta(minutes=5)
    assert [e.kind for e in ledger.store.events(BOB)] == [EventKind.REVOKED]
    late = ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT + timedelta(minutes=6), message_id="SM1"
    )
    assert late.event == first.event
    assert late.reply is None
    # Another message is another STOP: recorded, and not confirmed a second time.
    other = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM2")
    assert other.event is not None
    assert other.event != first.event
    assert other.reply is None
    assert len(ledger.store.events(BOB)) == 2


def test_the_same_message_id_to_another_sender_is_a_new_stop_not_a_replay() -> None:
    # Message ids are unique per provider only: a ledger serving two senders (two
    # scopes, maybe two providers) can see one id twice. The second STOP must hold.
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    ledger.grant(
        BOB, scope="beta", purposes=["marketing"], kind="express_written", source="web_form",
        at=AT - timedelta(days=1),
        evidence=Evidence(consent_text="Texts from Beta", form_url="https://beta.example"),
    )
    first = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    other = ledger.handle_reply(
        BOB, "STOP", scope="beta", at=AT + timedelta(minutes=1), message_id="SM1"
    )
    assert other.event is not None
    assert other.event != first.event
    assert str(other.event.scope) == "beta"
    assert other.reply is not None  # beta's own one confirmation
    assert not ledger.status(
        BOB, "marketing", scope="beta", at=AT + timedelta(minutes=2)
    ).allows_send


def test_a_stop_replayed_after_the_person_sent_start_is_not_confirmed_again() -> None:
    # The first delivery's confirmation was lost (a crash); the person then sent
    # START and was re-subscribed. The retried STOP webhook must not tell them
    # they are unsubscribed: they are not, and would believe it.
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    first = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    start = ledger.handle_reply(
        BOB, "START", scope="acme", at=AT + timedelta(minutes=1), message_id="SM2"
    )
    assert start.event is not None
    assert start.event.kind is EventKind.REGRANTED
    again = ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT + timedelta(minutes=2), message_id="SM1"
    )
    assert again.event == first.event
    assert again.reply is None
    assert [e.kind for e in ledger.store.events(BOB)] == [EventKind.REVOKED, EventKind.REGRANTED]


def test_a_replay_stamped_a_little_before_the_first_by_a_lagging_clock_is_still_confirmed() -> None:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    first = ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    again = ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT - timedelta(seconds=2), message_id="SM1"
    )
    assert again.event == first.event
    assert again.reply == first.reply


class _ReadBefore:
    """A store whose reads answer what they did before another worker's append
    (the window between a worker's "already recorded?" read and its append)."""

    def __init__(self, store: MemoryStore, snapshot: Sequence[ConsentEvent]) -> None:
        self._store = store
        self._snapshot: Sequence[ConsentEvent] | None = snapshot

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        snapshot, self._snapshot = self._snapshot, None  # only the first read is stale
        return self._store.events(recipient) if snapshot is None else snapshot

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_of_two_simultaneous_deliveries_the_second_also_answers_with_the_confirmation() -> None:
    # The second read "not recorded yet" before the first appended; the first worker
    # then dies before reserving the reply. The decision is taken on what the store
    # reads in the step that appends, not on that earlier read: the STOP is recorded
    # once, and the second still answers with the confirmation (the messenger sends
    # it once, under reply:<MessageSid>), not taking it for a repeat STOP.
    store = MemoryStore()
    snapshot = list(store.events(BOB))
    first = ConsentLedger(store, clock=FixedClock(AT)).handle_reply(
        BOB, "STOP", scope="acme", at=AT, message_id="SM1"
    )
    racing = ConsentLedger(_ReadBefore(store, snapshot), clock=FixedClock(AT))  # type: ignore[arg-type]
    second = racing.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    assert len(store.events(BOB)) == 1
    assert second.event == first.event
    assert first.reply is not None
    assert second.reply == first.reply


def test_a_yes_replayed_by_message_id_confirms_once_and_grants_nothing_more() -> None:
    # A double opt-in confirmed by YES; the webhook is retried after a crash.
    # The retry must not turn into a START (a re-grant of every purpose the
    # person never asked for) nor answer "resubscribed": it is the same message.
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    ledger.request(
        BOB, scope="acme", purposes=["marketing"], kind="express_written", source="web_form",
        at=AT - timedelta(minutes=5),
        evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example"),
    )
    first = ledger.handle_reply(BOB, "YES", scope="acme", at=AT, message_id="SM1")
    again = ledger.handle_reply(
        BOB, "YES", scope="acme", at=AT + timedelta(minutes=1), message_id="SM1"
    )
    assert first.event is not None
    assert first.event.kind is EventKind.CONFIRMED
    assert again.event == first.event
    assert again.reply == first.reply
    assert [e.kind for e in ledger.store.events(BOB)] == [
        EventKind.REQUESTED, EventKind.CONFIRMED
    ]


def test_a_start_replayed_by_message_id_is_recorded_once_and_not_after_a_later_stop() -> None:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(AT))
    ledger.handle_reply(BOB, "STOP", scope="acme", at=AT, message_id="SM1")
    start = ledger.handle_reply(
        BOB, "START", scope="acme", at=AT + timedelta(minutes=1), message_id="SM2"
    )
    again = ledger.handle_reply(
        BOB, "START", scope="acme", at=AT + timedelta(minutes=2), message_id="SM2"
    )
    assert again.event == start.event
    assert again.reply == start.reply
    ledger.handle_reply(
        BOB, "STOP", scope="acme", at=AT + timedelta(minutes=3), message_id="SM3"
    )
    late = ledger.handle_reply(
        BOB, "START", scope="acme", at=AT + timedelta(minutes=4), message_id="SM2"
    )
    assert late.event == start.event
    assert late.reply is None  # "you are resubscribed" would be false now
    assert [e.kind for e in ledger.store.events(BOB)] == [
        EventKind.REVOKED, EventKind.REGRANTED, EventKind.REVOKED
    ]
    status = ledger.status(BOB, "marketing", scope="acme", at=AT + timedelta(minutes=5))
    assert not status.allows_send  # the later STOP holds
