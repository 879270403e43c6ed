"""Bugs found reviewing the opt-in change of branch user21 (rev21w), one test each.

Expected values come from the rule each test cites (CTIA/FCC, the ledger's own
docs), never from the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest
from smskit.consent import ConsentLedger, EventKind, Evidence, MemoryStore
from smskit.policy import OptOutPolicy
from smskit.routes import Route
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
TOLL_FREE = SenderProfile(sender_id="+18005550100", registration=Registration.APPROVED,
                          brand="Fixit", consent_scope="fixit", route=Route.TOLL_FREE)
LONG_CODE = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                          brand="Fixit", consent_scope="fixit")


def _ledger() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0))
    ledger.grant(N, scope="fixit", purposes="informational", kind="express",
                 source="api", at=T0)
    ledger.grant(N, scope="fixit", purposes="marketing", kind="express_written",
                 source="api", at=T0, evidence=_written())
    return ledger


def _written() -> Evidence:
    return Evidence(consent_text="I agree to receive marketing texts from Fixit",
                    form_url="https://fixit.example/join")


def test_yes_after_an_agent_revoked_marketing_alone_does_not_restore_marketing() -> None:
    # The person asked an agent for no more offers; reminders go on (not an opt-out:
    # a revocation of some purposes). Their "Yes" to "Reply YES to confirm Tuesday"
    # re-subscribes them to nothing, least of all to the marketing they refused.
    ledger = _ledger()
    ledger.revoke(N, scope="fixit", purposes="marketing", method="agent", source="verbal",
                  at=T0 + timedelta(hours=1))
    at = T0 + timedelta(hours=2)
    outcome = ledger.handle_reply(N, "Yes", scope="fixit", at=at)
    assert outcome.event is None
    assert outcome.reply is None
    assert not ledger.status(N, "marketing", scope="fixit", at=at).allows_send
    assert ledger.status(N, "informational", scope="fixit", at=at).allows_send


def test_yes_after_an_opt_out_of_calls_alone_sends_no_resubscribed_text() -> None:
    # "Stop calling me" revokes the voice channel; texts were never stopped, so a
    # "Yes" by text lifts nothing and must not be answered "you are resubscribed".
    ledger = _ledger()
    ledger.revoke(N, scope="fixit", channels="voice", at=T0 + timedelta(hours=1))
    outcome = ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + timedelta(hours=2))
    assert outcome.event is None
    assert outcome.reply is None


def test_start_to_a_toll_free_number_lifts_the_network_stop_after_a_yes_elsewhere() -> None:
    # STOP to the toll-free number: the network blocks it until START/UNSTOP (Twilio
    # toll-free STOP filtering). A YES to the long code of the same scope re-grants
    # for the ledger but not for the network; the START that follows must be recorded.
    ledger = _ledger()
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(hours=1),
                        profile=TOLL_FREE)
    yes = ledger.handle_reply(N, "YES", scope="fixit", at=T0 + timedelta(hours=2),
                              profile=LONG_CODE)
    assert yes.event is not None
    at = T0 + timedelta(hours=3)
    start = ledger.handle_reply(N, "START", scope="fixit", at=at, profile=TOLL_FREE)
    assert start.event is not None
    assert start.event.kind is EventKind.REGRANTED
    decision = CompliancePipeline([OptOutPolicy(ledger.store)]).decide(
        SendRequest(recipient=N, body="Your technician is on the way"), TOLL_FREE,
        at + timedelta(minutes=1))
    assert decision.allowed, decision.reason


def test_start_after_a_revoke_through_the_api_still_re_grants() -> None:
    ledger = _ledger()
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(hours=1))
    start = ledger.handle_reply(N, "START", scope="fixit", at=T0 + timedelta(hours=2))
    assert start.event is not None
    assert start.event.kind is EventKind.REGRANTED
    assert start.reply is not None


def test_a_second_start_after_a_start_in_the_scope_below_a_brand_wide_stop() -> None:
    # STOP recorded for the whole brand (an agent, revoke()), START to the reminders
    # line re-grants there; the next START on that line has nothing left to lift.
    ledger = _ledger()
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(hours=1))
    first = ledger.handle_reply(N, "START", scope="fixit/reminders", at=T0 + timedelta(hours=2))
    assert first.event is not None
    second = ledger.handle_reply(N, "START", scope="fixit/reminders",
                                 at=T0 + timedelta(hours=3))
    assert second.event is None
    assert second.reply is None


def test_a_redelivered_yes_after_a_stop_does_not_undo_the_stop() -> None:
    # "Yes" (nothing to lift: nothing recorded), then STOP, then the "Yes" webhook
    # delivered again (a queue's redelivery, a Twilio retry racing the first): the
    # same message must not re-grant. Before user21 its REGRANTED carried the id.
    ledger = _ledger()
    ledger.handle_reply(N, "Yes", scope="fixit", at=T0 + timedelta(hours=1), message_id="SM1")
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(hours=2), message_id="SM2")
    at = T0 + timedelta(hours=3)
    again = ledger.handle_reply(N, "Yes", scope="fixit", at=at, message_id="SM1")
    assert again.event is None
    assert not ledger.status(N, "informational", scope="fixit", at=at).allows_send


def test_a_start_handled_late_after_a_later_stop_sends_no_resubscribed_text() -> None:
    # STOP, START, STOP sent in that order; the START's webhook is handled last with
    # its own time. The later STOP holds (the fold replays by time), so "You are
    # resubscribed" would be false, and a text to someone whose last word was STOP.
    ledger = _ledger()
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(hours=1))
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(hours=3))
    late = ledger.handle_reply(N, "START", scope="fixit", at=T0 + timedelta(hours=2))
    assert late.reply is None
    now = T0 + timedelta(hours=4)
    assert not ledger.status(N, "informational", scope="fixit", at=now).allows_send
