"""Review rev22y of the redelivered-reply fix (EventKind.NOTED).

Expected values come from the rules in docs/consent.md ("Redelivered webhooks"), not
from the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _interleave import Hooked, WatchedMemoryStore, meanwhile
from smskit.consent import ConsentLedger, EventKind, MemoryStore, SenderProfile
from smskit.routes import Route
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
H = timedelta(hours=1)


def _granted() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0))
    ledger.grant(N, scope="fixit", purposes="informational", kind="express",
                 source="api", at=T0)
    return ledger


def _allowed(ledger: ConsentLedger, at: datetime) -> bool:
    return ledger.status(N, "informational", scope="fixit", at=at).allows_send


@pytest.mark.parametrize("blank", ["", " ", "\t"])
def test_a_yes_with_a_blank_message_id_is_handled_as_one_without(blank: str) -> None:
    # A form field read with a default ("MessageSid", ""): the "Yes" must still be
    # answered, not fail on a noted event with no id to note.
    ledger = _granted()
    outcome = ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id=blank)
    assert outcome.match is not None
    assert (outcome.event, outcome.reply) == (None, None)
    assert [e.kind for e in ledger.history(N)] == [EventKind.GRANTED]


@pytest.mark.parametrize("blank", ["", " "])
def test_a_stop_with_a_blank_message_id_is_never_taken_for_a_redelivery(blank: str) -> None:
    # A blank id names no message: STOP, START, STOP all with it are three replies,
    # and the person's last word (STOP) must hold.
    ledger = _granted()
    for hour, body in enumerate(["STOP", "START", "STOP"], start=1):
        ledger.handle_reply(N, body, scope="fixit", at=T0 + hour * H, message_id=blank)
    assert [e.kind for e in ledger.history(N)] == [
        EventKind.GRANTED, EventKind.REVOKED, EventKind.REGRANTED, EventKind.REVOKED]
    assert not _allowed(ledger, T0 + 4 * H)


def test_a_second_stop_after_a_noted_toll_free_yes_is_not_confirmed_again() -> None:
    # STOP to a toll-free number, then YES there (it lifts nothing: noted), then STOP:
    # the person is still opted out, so the second STOP earns no second confirmation
    # (one per opt-out). The noted YES is not the last word.
    ledger = _granted()
    toll_free = SenderProfile(route=Route.TOLL_FREE)
    first = ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + H, message_id="SM1",
                                profile=toll_free)
    assert first.reply is not None
    yes = ledger.handle_reply(N, "YES", scope="fixit", at=T0 + 2 * H, message_id="SM2",
                              profile=toll_free)
    assert yes.event is None
    assert [e.kind for e in ledger.history(N)][-1] is EventKind.NOTED
    again = ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 3 * H, message_id="SM3",
                                profile=toll_free)
    assert again.event is not None
    assert again.event.kind is EventKind.REVOKED
    assert again.reply is None


def test_a_redelivery_racing_the_first_delivery_of_a_yes_does_not_undo_a_stop() -> None:
    # Worker A reads "nothing handled, nothing to lift" for the "Yes" and stalls (a
    # Twilio retry comes after 15 s without an answer); meanwhile the person's STOP is
    # handled and the retried "Yes" reaches worker B. The person's last word is STOP.
    # (tests/_interleave.py: B runs on another thread while A is between its decision
    # and its write, until B finishes or waits for A.)
    store = WatchedMemoryStore()
    hooked_a = Hooked(store)
    worker_a = ConsentLedger(hooked_a, clock=FixedClock(T0))  # type: ignore[arg-type]
    worker_b = ConsentLedger(store, clock=FixedClock(T0))
    worker_a.grant(N, scope="fixit", purposes="informational", kind="express",
                   source="api", at=T0)

    def stop_and_retry() -> None:
        worker_b.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM2")
        worker_b.handle_reply(N, "Yes", scope="fixit", at=T0 + 2 * H + timedelta(seconds=15),
                              message_id="SM1")

    join = meanwhile(hooked_a, stop_and_retry, store.watched.contended.is_set)
    worker_a.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    join()
    assert store.watched.contended.is_set()  # B came while A was between read and write
    assert not _allowed(worker_a, T0 + 3 * H)


@given(
    bodies=st.lists(st.sampled_from(["STOP", "Yes", "START", "HELP", "stop texting me"]),
                    min_size=1, max_size=6),
    blanks=st.lists(st.sampled_from(["", " ", "\t\n"]), min_size=6, max_size=6),
    toll_free=st.booleans(),
)
@settings(max_examples=50, deadline=None)
def test_blank_message_ids_answer_as_none(
    bodies: list[str], blanks: list[str], toll_free: bool
) -> None:
    profile = SenderProfile(route=Route.TOLL_FREE if toll_free else Route.TEN_DLC)
    without, blank = _granted(), _granted()
    for hour, (body, mid) in enumerate(zip(bodies, blanks, strict=False), start=1):
        at = T0 + hour * H
        first = without.handle_reply(N, body, scope="fixit", at=at, profile=profile)
        second = blank.handle_reply(N, body, scope="fixit", at=at, message_id=mid,
                                    profile=profile)
        assert (second.match, second.reply) == (first.match, first.reply)
    assert [(e.kind, e.occurred_at) for e in blank.history(N)] == [
        (e.kind, e.occurred_at) for e in without.history(N)]


def test_a_stop_with_a_reused_id_and_other_words_after_a_start_is_recorded() -> None:
    # Two providers serving one scope, ids from counters: the second STOP carries the
    # first one's id. It is another message (its words differ), and the person's last
    # word is STOP: it must not be taken for a redelivery of the first.
    ledger = _granted()
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + H, message_id="1001")
    ledger.handle_reply(N, "START", scope="fixit", at=T0 + 2 * H, message_id="77")
    again = ledger.handle_reply(N, "Stop please", scope="fixit", at=T0 + 3 * H,
                                message_id="1001")
    assert again.event is not None
    assert again.event.occurred_at == T0 + 3 * H
    assert again.reply is not None  # a new opt-out: its one confirmation
    assert not _allowed(ledger, T0 + 4 * H)
