"""Review rev22y of the redelivered-reply fix (EventKind.NOTED).

Expected values come from the rules in docs/consent.md ("Redelivered webhooks"), not
from the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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
