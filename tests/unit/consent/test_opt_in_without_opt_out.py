"""An opt-in word from someone who is not opted out re-grants nothing.

Field-service customers answer "Reply C to confirm" with "Yes": that is not a
re-subscription, so no REGRANTED event (with the reply as its evidence) and no
"You are resubscribed" text.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit.consent import ConsentLedger, EventKind, MemoryStore
from smskit.keywords.classify import MatchKind
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"


def _ledger() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0))
    ledger.grant(N, scope="fixit", purposes="informational", kind="express",
                 source="api", at=T0)
    return ledger


def test_yes_from_a_subscribed_person_records_nothing_and_answers_nothing() -> None:
    ledger = _ledger()
    outcome = ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + timedelta(hours=1))
    assert outcome.match is not None
    assert outcome.match.kind is MatchKind.OPT_IN
    assert outcome.event is None
    assert outcome.reply is None
    assert [e.kind for e in ledger.store.events(N)] == [EventKind.GRANTED]


def test_a_second_start_after_a_re_grant_records_nothing() -> None:
    ledger = _ledger()
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(hours=1))
    first = ledger.handle_reply(N, "START", scope="fixit", at=T0 + timedelta(hours=2))
    second = ledger.handle_reply(N, "START", scope="fixit", at=T0 + timedelta(hours=3))
    assert first.event is not None
    assert first.event.kind is EventKind.REGRANTED
    assert second.event is None
    assert second.reply is None
    assert [e.kind for e in ledger.store.events(N)] == [
        EventKind.GRANTED, EventKind.REVOKED, EventKind.REGRANTED]


def test_start_still_re_grants_after_a_stop_in_another_scope_of_the_caller() -> None:
    # Under FCC revoke-all a STOP in one scope of a caller blocks the others:
    # a START in a sibling scope must still be recorded.
    ledger = _ledger()
    ledger.handle_reply(N, "STOP", scope="fixit/app-1", at=T0 + timedelta(hours=1))
    start = ledger.handle_reply(N, "START", scope="fixit/app-2", at=T0 + timedelta(hours=2))
    assert start.event is not None
    assert start.event.kind is EventKind.REGRANTED
    assert start.reply is not None


def test_start_re_grants_an_older_stop_not_restored_by_a_later_start_elsewhere() -> None:
    ledger = _ledger()
    ledger.handle_reply(N, "STOP", scope="fixit/app-1", at=T0 + timedelta(hours=1))
    ledger.handle_reply(N, "STOP", scope="fixit/app-2", at=T0 + timedelta(hours=2))
    ledger.handle_reply(N, "START", scope="fixit/app-2", at=T0 + timedelta(hours=3))
    start = ledger.handle_reply(N, "START", scope="fixit/app-1", at=T0 + timedelta(hours=4))
    assert start.event is not None
    assert start.event.kind is EventKind.REGRANTED


def test_unstop_after_a_yes_is_recorded_for_a_toll_free_network_stop() -> None:
    # The STOP may have gone to a toll-free number, whose network holds it until START
    # or UNSTOP: a YES (a re-grant on this 10DLC profile) does not lift that hold, so
    # the UNSTOP after it is still recorded (the engine reads it to release the hold).
    ledger = _ledger()
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(hours=1))
    yes = ledger.handle_reply(N, "YES", scope="fixit", at=T0 + timedelta(hours=2))
    assert yes.event is not None
    unstop = ledger.handle_reply(N, "UNSTOP", scope="fixit", at=T0 + timedelta(hours=3))
    assert unstop.event is not None
    assert unstop.event.kind is EventKind.REGRANTED
    # A second YES, though, lifts nothing any more: nothing recorded.
    again = ledger.handle_reply(N, "YES", scope="fixit", at=T0 + timedelta(hours=4))
    assert again.event is None
