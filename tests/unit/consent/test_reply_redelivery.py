"""A reply's message id is remembered whatever the reply did, in every store.

A webhook is delivered again (a Twilio retry, a queue's redelivery) with the same
MessageSid. Whatever happened in between, the second delivery must do nothing: a
"Yes" that lifted nothing must not lift a STOP the person sent since (a text to
someone whose last word was STOP). Expected values come from that rule, not from
the code under test.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import CompliancePipeline, Registration, SendRequest
from smskit import SenderProfile as Sender
from smskit.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentScope,
    ConsentState,
    ConsentStore,
    EventKind,
    Evidence,
    MemoryStore,
    SenderProfile,
    SQLiteStore,
)
from smskit.errors import ConsentError
from smskit.policy import OptOutPolicy
from smskit.routes import Route
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
H = timedelta(hours=1)
TOLL_FREE = SenderProfile(route=Route.TOLL_FREE)

Opener = Callable[[], ConsentStore]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def opener(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens the same ledger again each call (a restarted process); memory keeps one."""
    opened: list[ConsentStore] = []
    if request.param == "memory":
        memory = MemoryStore()

        def open_store() -> ConsentStore:
            return memory
    elif request.param == "sqlite":
        def open_store() -> ConsentStore:
            opened.append(SQLiteStore(tmp_path / "ledger.db"))
            return opened[-1]
    else:
        from smskit.consent.postgres import PostgresConsentStore

        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("pg_schema")
        with PostgresConsentStore(dsn, schema=schema) as first:
            first.create_schema()

        def open_store() -> ConsentStore:
            opened.append(PostgresConsentStore(dsn, schema=schema))
            return opened[-1]
    yield open_store
    for store in opened:
        store.close()


def _ledger(store: ConsentStore) -> ConsentLedger:
    return ConsentLedger(store, clock=FixedClock(T0))


def _granted(store: ConsentStore) -> ConsentLedger:
    ledger = _ledger(store)
    ledger.grant(N, scope="fixit", purposes="informational", kind="express",
                 source="api", at=T0)
    return ledger


def _allowed(ledger: ConsentLedger, at: datetime) -> bool:
    return ledger.status(N, "informational", scope="fixit", at=at).allows_send


def test_a_yes_redelivered_after_a_stop_in_a_reopened_store_does_nothing(opener: Opener) -> None:
    ledger = _granted(opener())
    first = ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    assert (first.event, first.reply) == (None, None)
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM2")
    before = len(ledger.history(N))
    again = _ledger(opener()).handle_reply(N, "Yes", scope="fixit", at=T0 + 3 * H,
                                           message_id="SM1")
    assert (again.event, again.reply) == (None, None)
    assert again.match is not None  # the caller still sees what the person wrote
    reread = _ledger(opener())
    assert len(reread.history(N)) == before
    assert not _allowed(reread, T0 + 3 * H)
    reread.verify()


def test_the_note_is_one_event_that_changes_no_answer(opener: Opener) -> None:
    ledger = _granted(opener())
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    grant, note = ledger.history(N)
    assert note.kind is EventKind.NOTED
    assert (note.evidence.reference, note.evidence.reply_text) == ("SM1", "Yes")
    status = ledger.status(N, "informational", scope="fixit", at=T0 + 2 * H)
    assert status.state is ConsentState.GRANTED
    assert status.evidence == (grant,)


def test_a_stop_is_never_taken_for_a_redelivery_of_a_noted_reply(opener: Opener) -> None:
    # Message ids are unique per provider, not across the providers of one scope:
    # a STOP carrying an id a "Yes" had must still be recorded.
    ledger = _granted(opener())
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    stop = ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM1")
    assert stop.event is not None
    assert stop.event.kind is EventKind.REVOKED
    assert stop.reply is not None
    assert not _allowed(ledger, T0 + 2 * H)


def test_a_yes_to_a_toll_free_number_is_noted_and_never_confirms_a_later_request(
    opener: Opener,
) -> None:
    # YES to a toll-free number only answers a pending request; with none it did
    # nothing. Redelivered after a request was sent, it is not that request's answer.
    ledger = _ledger(opener())
    first = ledger.handle_reply(N, "YES", scope="fixit", at=T0 + H, message_id="SM1",
                                profile=TOLL_FREE)
    assert (first.match, first.event) == (None, None)
    ledger.request(N, scope="fixit", purposes="informational", kind="express",
                   source="web_form", at=T0 + 2 * H)
    again = ledger.handle_reply(N, "YES", scope="fixit", at=T0 + 3 * H, message_id="SM1",
                                profile=TOLL_FREE)
    assert (again.match, again.event, again.reply) == (None, None, None)
    state = ledger.status(N, "informational", scope="fixit", at=T0 + 3 * H).state
    assert state is ConsentState.PENDING


def test_a_start_with_nothing_to_lift_is_noted_in_the_scope_it_was_sent_to(
    opener: Opener,
) -> None:
    ledger = _granted(opener())
    ledger.handle_reply(N, "START", scope="fixit/line-2", at=T0 + H, message_id="SM1")
    ledger.revoke(N, scope="fixit", at=T0 + 2 * H)
    again = ledger.handle_reply(N, "START", scope="fixit/line-2", at=T0 + 3 * H,
                                message_id="SM1")
    assert again.event is None
    assert not ledger.status(N, "informational", scope="fixit/line-2",
                             at=T0 + 3 * H).allows_send
    # The same id sent to another line is another message: it re-grants there.
    other = ledger.handle_reply(N, "START", scope="fixit/line-3", at=T0 + 3 * H,
                                message_id="SM1")
    assert other.event is not None
    assert other.event.kind is EventKind.REGRANTED


def test_without_a_message_id_nothing_is_recorded(opener: Opener) -> None:
    ledger = _granted(opener())
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H)
    assert [e.kind for e in ledger.history(N)] == [EventKind.GRANTED]


def test_help_and_ordinary_replies_record_nothing(opener: Opener) -> None:
    # They change no consent, so a redelivery cannot undo anything: HELP is answered
    # again (the messenger sends it under the message id's idempotency key, once).
    ledger = _granted(opener())
    help_ = ledger.handle_reply(N, "HELP", scope="fixit", at=T0 + H, message_id="SM1")
    again = ledger.handle_reply(N, "HELP", scope="fixit", at=T0 + 2 * H, message_id="SM1")
    assert help_.reply is not None
    assert again.reply == help_.reply
    ledger.handle_reply(N, "See you then", scope="fixit", at=T0 + H, message_id="SM2")
    assert [e.kind for e in ledger.history(N)] == [EventKind.GRANTED]


def test_a_noted_event_survives_export_and_import(opener: Opener) -> None:
    ledger = _granted(opener())
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM2")
    out = io.StringIO()
    head = ledger.export_jsonl(out)
    assert '"kind":"noted"' in out.getvalue()
    copy = _ledger(MemoryStore())
    assert copy.import_jsonl(io.StringIO(out.getvalue()), expected_head=head) == head
    again = copy.handle_reply(N, "Yes", scope="fixit", at=T0 + 3 * H, message_id="SM1")
    assert again.event is None
    assert not _allowed(copy, T0 + 3 * H)


def test_a_ledger_written_before_noted_events_still_loads_and_dedupes_as_before(
    opener: Opener,
) -> None:
    # Nothing is migrated: an old store holds the same kinds it always did, and a
    # START it recorded (a REGRANTED with the id) is still recognised.
    store = opener()
    ledger = _granted(store)
    ledger.revoke(N, scope="fixit", at=T0 + H)
    ledger.regrant(N, scope="fixit", at=T0 + 2 * H,
                   evidence=Evidence(reply_text="START", reference="SM1",
                                     actor="smskit.handle_reply"))
    ledger.revoke(N, scope="fixit", at=T0 + 3 * H)
    again = _ledger(opener()).handle_reply(N, "START", scope="fixit", at=T0 + 4 * H,
                                           message_id="SM1")
    assert again.event is not None
    assert again.event.kind is EventKind.REGRANTED  # the first one, not a new one
    assert again.reply is None  # opted out since: no "resubscribed"
    assert not _allowed(ledger, T0 + 4 * H)


def test_a_noted_event_must_carry_the_message_id() -> None:
    with pytest.raises(ConsentError, match=r"evidence\.reference"):
        ConsentEvent(kind=EventKind.NOTED, recipient=N, scope="fixit",  # type: ignore[arg-type]
                     channels="sms", purposes="informational",  # type: ignore[arg-type]
                     occurred_at=T0, source="keyword")  # type: ignore[arg-type]


def test_a_yes_that_confirmed_a_brand_wide_request_from_a_line_is_not_replayed(
    opener: Opener,
) -> None:
    # The confirmation is recorded at the request's scope (the brand), above the
    # line the YES was sent to: its redelivery after a STOP must still be known.
    ledger = _ledger(opener())
    ledger.request(N, scope="fixit", purposes="informational", kind="express",
                   source="web_form", at=T0)
    yes = ledger.handle_reply(N, "YES", scope="fixit/line-2", at=T0 + H, message_id="SM1")
    assert yes.event is not None
    assert yes.event.kind is EventKind.CONFIRMED
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM2")
    again = ledger.handle_reply(N, "YES", scope="fixit/line-2", at=T0 + 3 * H,
                                message_id="SM1")
    assert again.event == yes.event
    assert again.reply is None
    assert [e.kind for e in ledger.history(N)] == [
        EventKind.REQUESTED, EventKind.CONFIRMED, EventKind.REVOKED]
    assert not ledger.status(N, "informational", scope="fixit/line-2",
                             at=T0 + 3 * H).allows_send


LINE = Sender(sender_id="+14155550100", registration=Registration.APPROVED, brand="Fixit",
              consent_scope="fixit")


def _opt_out_allows(store: ConsentStore, at: datetime) -> bool:
    # One by one, and as a campaign (SQLite answers that from its projection, cut
    # at the last opt-out): both must agree.
    request = SendRequest(recipient=N, body="Your technician is on the way")
    pipeline = CompliancePipeline([OptOutPolicy(store)])
    alone = pipeline.decide(request, LINE, at).allowed
    [batch] = pipeline.decide_many([request], LINE, at).decisions
    assert batch.allowed is alone
    return alone


def test_the_opt_out_policy_reads_past_noted_events(opener: Opener) -> None:
    # The engine's read (SQLite answers it from its projection with one query) must
    # take a noted "Yes" for nothing: neither an opt-out nor its lifting.
    store = opener()
    ledger = _granted(store)
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    assert _opt_out_allows(store, T0 + H)
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM2")
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + 3 * H, message_id="SM3")
    assert [e.kind for e in ledger.history(N)][-1] is EventKind.REGRANTED
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + 4 * H, message_id="SM4")
    assert [e.kind for e in ledger.history(N)][-1] is EventKind.NOTED
    assert _opt_out_allows(store, T0 + 4 * H)
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + 5 * H, message_id="SM5")
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + 5 * H, message_id="SM1")
    assert not _opt_out_allows(_ledger(opener()).store, T0 + 6 * H)


def test_sqlite_reads_no_other_scope_for_a_person_who_only_said_yes(tmp_path: Path) -> None:
    # The opt-out read skips a person's events in the caller's other scopes when
    # none of them may be a revocation; a noted "Yes" is not one.
    with SQLiteStore(tmp_path / "ledger.db") as store:
        ledger = _granted(store)
        ledger.handle_reply(N, "Yes", scope="fixit/line-2", at=T0 + H, message_id="SM1")
        found = store.facts_for_opt_outs([N], scopes=[ConsentScope.parse("fixit/line-3")],
                                         at=T0 + 2 * H)
        assert found is not None
        assert [f.kind for f in found[N]] == [EventKind.GRANTED]
        ledger.verify()  # the projection row of the noted event matches it
