"""Consent rules, reply handling, integrity and audits on the ledger (in-memory store)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from smskit.consent import (
    CASL,
    ConsentKind,
    ConsentLedger,
    ConsentState,
    EventKind,
    Evidence,
    MemoryStore,
    Purpose,
    RevocationMethod,
    SenderProfile,
)
from smskit.consent._codec import verify_chain
from smskit.errors import ConfigurationError, ConsentError, LedgerIntegrityError
from smskit.findings import Severity
from smskit.keywords.classify import Confidence, MatchKind, Route

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
N = "+14155550123"
WRITTEN = Evidence(
    form_url="https://acme.example/join?v=4",
    consent_text="By checking this box I agree to receive marketing texts from Acme...",
    ip_address="203.0.113.7",
    user_agent="Mozilla/5.0",
)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now_value = now

    def now(self) -> datetime:
        return self.now_value


@pytest.fixture
def ledger() -> ConsentLedger:
    return ConsentLedger(MemoryStore(), clock=FixedClock(T0))


def _written(ledger: ConsentLedger, scope: str = "acme", at: datetime = T0) -> None:
    ledger.grant(N, scope=scope, purposes=[Purpose.MARKETING, Purpose.INFORMATIONAL],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=at, evidence=WRITTEN)


def _state(ledger: ConsentLedger, purpose: str = "marketing", scope: str = "acme",
           at: datetime = T0 + DAY, channel: str = "sms") -> ConsentState:
    return ledger.status(N, purpose, scope=scope, at=at, channel=channel).state


# -- purposes and kinds --------------------------------------------------------------------

def test_marketing_needs_express_written_consent(ledger: ConsentLedger) -> None:
    ledger.grant(N, scope="acme", purposes=["marketing", "informational"], kind="express",
                 source="verbal", at=T0, evidence=Evidence(actor="agent-7"))
    marketing = ledger.status(N, "marketing", scope="acme", at=T0 + DAY)
    assert marketing.state is ConsentState.NONE
    assert not marketing.allows_send
    assert marketing.findings[0].code == "consent.insufficient"
    assert marketing.findings[0].severity is Severity.BLOCK
    info = ledger.status(N, "informational", scope="acme", at=T0 + DAY)
    assert info.state is ConsentState.GRANTED
    assert info.allows_send


def test_express_written_allows_marketing_with_its_evidence(ledger: ConsentLedger) -> None:
    _written(ledger)
    status = ledger.status(N, "marketing", scope="acme", at=T0 + DAY)
    assert status.allows_send
    assert status.findings[0].code == "consent.granted"
    assert [e.evidence for e in status.evidence] == [WRITTEN]


def test_no_events_means_none(ledger: ConsentLedger) -> None:
    status = ledger.status(N, "informational", scope="acme", at=T0)
    assert status.state is ConsentState.NONE
    assert status.findings[0].code == "consent.missing"


def test_consent_for_one_channel_is_not_consent_for_another(ledger: ConsentLedger) -> None:
    _written(ledger)
    assert _state(ledger, channel="sms") is ConsentState.GRANTED
    assert _state(ledger, channel="email") is ConsentState.NONE
    assert _state(ledger, channel="mms") is ConsentState.NONE


def test_conversational_accepts_implied_consent(ledger: ConsentLedger) -> None:
    ledger.grant(N, scope="acme", purposes="conversational", kind="implied",
                 implied_basis="conversation", source="keyword", at=T0,
                 evidence=Evidence(reply_text="Do you have the part in stock?"))
    assert _state(ledger, "conversational", at=T0 + 400 * DAY) is ConsentState.GRANTED
    assert _state(ledger, "conversational", at=T0 - DAY) is ConsentState.NONE


# -- revocation and re-grant ---------------------------------------------------------------

def test_revocation_beats_every_earlier_grant_in_its_scope(ledger: ConsentLedger) -> None:
    _written(ledger, scope="acme")
    _written(ledger, scope="acme/app-7")
    ledger.revoke(N, scope="acme", at=T0 + DAY, method="agent")
    assert _state(ledger, scope="acme/app-7", at=T0 + 2 * DAY) is ConsentState.REVOKED
    assert _state(ledger, scope="acme", at=T0 + 2 * DAY) is ConsentState.REVOKED
    assert _state(ledger, scope="acme/app-7", at=T0 + DAY / 2) is ConsentState.GRANTED


def test_revocation_in_a_sub_scope_leaves_siblings(ledger: ConsentLedger) -> None:
    _written(ledger, scope="acme/partner-42")  # a partner's consent covers its applications
    assert _state(ledger, scope="acme/partner-42/app-1") is ConsentState.GRANTED
    ledger.revoke(N, scope="acme/partner-42/app-1", at=T0 + DAY)
    assert _state(ledger, scope="acme/partner-42/app-1", at=T0 + 2 * DAY) is ConsentState.REVOKED
    assert _state(ledger, scope="acme/partner-42/app-2", at=T0 + 2 * DAY) is ConsentState.GRANTED
    assert _state(ledger, scope="acme/other", at=T0 + 2 * DAY) is ConsentState.NONE


def test_revocation_of_one_purpose_keeps_the_others(ledger: ConsentLedger) -> None:
    _written(ledger)
    ledger.revoke(N, scope="acme", at=T0 + DAY, purposes=["marketing"])
    assert _state(ledger, "marketing", at=T0 + 2 * DAY) is ConsentState.REVOKED
    assert _state(ledger, "informational", at=T0 + 2 * DAY) is ConsentState.GRANTED


def test_regrant_restores_and_a_new_grant_also_allows(ledger: ConsentLedger) -> None:
    _written(ledger)
    ledger.revoke(N, scope="acme", at=T0 + DAY)
    regrant = ledger.regrant(N, scope="acme", at=T0 + 2 * DAY)
    status = ledger.status(N, "marketing", scope="acme", at=T0 + 3 * DAY)
    assert status.state is ConsentState.GRANTED
    assert [e.kind for e in status.evidence] == [EventKind.GRANTED, EventKind.REGRANTED]
    assert status.evidence[-1] == regrant
    ledger.revoke(N, scope="acme", at=T0 + 4 * DAY)
    _written(ledger, at=T0 + 5 * DAY)
    assert _state(ledger, at=T0 + 6 * DAY) is ConsentState.GRANTED


def test_regrant_without_a_prior_grant_grants_nothing(ledger: ConsentLedger) -> None:
    ledger.revoke(N, scope="acme", at=T0)
    ledger.regrant(N, scope="acme", at=T0 + DAY)
    assert _state(ledger, "informational", at=T0 + 2 * DAY) is ConsentState.NONE


# -- double opt-in -------------------------------------------------------------------------

def test_pending_never_allows_until_confirmed(ledger: ConsentLedger) -> None:
    request = ledger.request(N, scope="acme", purposes="marketing", kind="express_written",
                             source="web_form", at=T0, evidence=WRITTEN)
    pending = ledger.status(N, "marketing", scope="acme", at=T0 + DAY)
    assert pending.state is ConsentState.PENDING
    assert not pending.allows_send
    assert pending.evidence == (request,)
    confirm = ledger.confirm(N, scope="acme", at=T0 + 2 * DAY,
                             evidence=Evidence(reply_text="YES"))
    assert confirm.confirms == request.sequence
    granted = ledger.status(N, "marketing", scope="acme", at=T0 + 3 * DAY)
    assert granted.state is ConsentState.GRANTED
    assert granted.evidence == (request, confirm)
    assert _state(ledger, at=T0 + DAY) is ConsentState.PENDING  # history is kept


def test_confirm_without_request_is_an_error(ledger: ConsentLedger) -> None:
    with pytest.raises(ConsentError, match="no pending consent request") as info:
        ledger.confirm(N, scope="acme", at=T0)
    assert info.value.field == "number"
    assert "4155550123" not in str(info.value)


def test_revocation_cancels_a_pending_request(ledger: ConsentLedger) -> None:
    ledger.request(N, scope="acme", purposes="informational", kind="express", source="api",
                   at=T0)
    ledger.revoke(N, scope="acme", at=T0 + DAY)
    assert _state(ledger, "informational", at=T0 + 2 * DAY) is ConsentState.REVOKED
    with pytest.raises(ConsentError):
        ledger.confirm(N, scope="acme", at=T0 + 2 * DAY)


# -- implied consent expiry (CASL) ---------------------------------------------------------

def test_casl_purchase_consent_lasts_two_years() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL, clock=FixedClock(T0))
    ledger.grant("+15146667777", scope="acme", purposes="marketing", kind="implied",
                 implied_basis="purchase", source="api", at=T0)
    last = ledger.status("+15146667777", "marketing", scope="acme",
                         at=datetime(2027, 6, 1, 8, 59, tzinfo=UTC))
    assert last.state is ConsentState.GRANTED
    assert last.expires_at == datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    gone = ledger.status("+15146667777", "marketing", scope="acme",
                         at=datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    assert gone.state is ConsentState.EXPIRED
    assert gone.findings[0].code == "consent.expired"
    assert "crtc.gc.ca" in gone.findings[0].source


def test_casl_inquiry_lasts_six_months_and_clamps_month_ends() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL, clock=FixedClock(T0))
    asked = datetime(2025, 8, 31, 12, tzinfo=UTC)
    ledger.grant("+15146667777", scope="acme", purposes="marketing", kind="implied",
                 implied_basis="inquiry", source="web_form", at=asked)
    status = ledger.status("+15146667777", "marketing", scope="acme", at=asked + DAY)
    assert status.expires_at == datetime(2026, 2, 28, 12, tzinfo=UTC)
    later = ledger.status("+15146667777", "marketing", scope="acme",
                          at=datetime(2026, 2, 28, 12, tzinfo=UTC))
    assert later.state is ConsentState.EXPIRED


def test_new_purchase_restarts_the_clock() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL, clock=FixedClock(T0))
    for at in (T0, T0 + 500 * DAY):
        ledger.grant("+15146667777", scope="acme", purposes="marketing", kind="implied",
                     implied_basis="purchase", source="api", at=at)
    status = ledger.status("+15146667777", "marketing", scope="acme", at=T0 + 800 * DAY)
    assert status.state is ConsentState.GRANTED
    assert status.evidence[0].occurred_at == T0 + 500 * DAY


def test_us_rules_never_accept_implied_consent_for_marketing(ledger: ConsentLedger) -> None:
    ledger.grant(N, scope="acme", purposes="marketing", kind="implied",
                 implied_basis="purchase", source="api", at=T0)
    assert _state(ledger) is ConsentState.NONE


# -- history and audits --------------------------------------------------------------------

def test_status_at_a_past_time_is_answered_from_history(ledger: ConsentLedger) -> None:
    _written(ledger)
    ledger.revoke(N, scope="acme", at=T0 + 10 * DAY)
    sent_at = T0 + 5 * DAY  # "was it allowed when we sent it?"
    assert _state(ledger, at=sent_at) is ConsentState.GRANTED
    assert _state(ledger, at=T0 + 11 * DAY) is ConsentState.REVOKED


def test_known_at_ignores_events_recorded_later() -> None:
    clock = FixedClock(T0)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    clock.now_value = T0 + 30 * DAY  # a paper form keyed in a month late
    _written(ledger, at=T0)
    assert _state(ledger, at=T0 + DAY) is ConsentState.GRANTED
    status = ledger.status(N, "marketing", scope="acme", at=T0 + DAY, known_at=T0 + DAY)
    assert status.state is ConsentState.NONE


def test_times_in_other_zones_compare_as_instants(ledger: ConsentLedger) -> None:
    eastern = timezone(timedelta(hours=-4))
    _written(ledger, at=datetime(2025, 6, 1, 5, 0, tzinfo=eastern))  # 09:00 UTC
    assert _state(ledger, at=datetime(2025, 6, 1, 8, 59, tzinfo=UTC)) is ConsentState.NONE
    assert _state(ledger, at=datetime(2025, 6, 1, 9, 0, tzinfo=UTC)) is ConsentState.GRANTED


# -- replies -------------------------------------------------------------------------------

def test_stop_reply_revokes_at_once_and_confirms_once(ledger: ConsentLedger) -> None:
    _written(ledger)
    at = T0 + DAY
    outcome = ledger.handle_reply(N, " Stop. ", scope="acme", at=at, message_id="SM123")
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.REVOKED
    assert outcome.event.revocation_method is RevocationMethod.KEYWORD
    assert outcome.event.evidence.reply_text == " Stop. "
    assert outcome.event.evidence.reference == "SM123"
    assert outcome.reply is not None
    assert outcome.reply.send_by == at + timedelta(minutes=5)
    assert "http" not in outcome.reply.text
    assert _state(ledger, at=at) is ConsentState.REVOKED
    assert _state(ledger, at=at, channel="mms") is ConsentState.REVOKED
    again = ledger.handle_reply(N, "STOP", scope="acme", at=at + timedelta(minutes=1))
    assert again.event is not None
    assert again.reply is None  # the FCC allows one confirmation only


def test_phrase_reply_is_recorded_as_phrase(ledger: ConsentLedger) -> None:
    _written(ledger)
    outcome = ledger.handle_reply(N, "please take me off your list", scope="acme", at=T0 + DAY)
    assert outcome.match is not None
    assert outcome.match.confidence is Confidence.PHRASE
    assert outcome.event is not None
    assert outcome.event.revocation_method is RevocationMethod.PHRASE
    assert _state(ledger, at=T0 + DAY) is ConsentState.REVOKED


def test_fuzzy_reply_is_only_flagged(ledger: ConsentLedger) -> None:
    _written(ledger)
    outcome = ledger.handle_reply(N, "STPO", scope="acme", at=T0 + DAY)
    assert outcome.needs_review
    assert outcome.event is None
    assert outcome.reply is None
    assert _state(ledger, at=T0 + 2 * DAY) is ConsentState.GRANTED
    assert ledger.store.count() == 1


def test_help_and_ordinary_replies_record_nothing(ledger: ConsentLedger) -> None:
    help_out = ledger.handle_reply(N, "HELP", scope="acme", at=T0)
    assert help_out.reply is not None
    assert help_out.reply.kind is MatchKind.HELP
    assert help_out.event is None
    plain = ledger.handle_reply(N, "I can't stop by today", scope="acme", at=T0)
    assert plain.match is None
    assert plain.reply is None
    assert ledger.store.count() == 0


def test_start_after_stop_regrants(ledger: ConsentLedger) -> None:
    _written(ledger)
    ledger.handle_reply(N, "STOP", scope="acme", at=T0 + DAY)
    outcome = ledger.handle_reply(N, "START", scope="acme", at=T0 + 2 * DAY)
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.REGRANTED
    assert outcome.reply is not None
    assert outcome.reply.kind is MatchKind.OPT_IN
    assert _state(ledger, at=T0 + 2 * DAY) is ConsentState.GRANTED


def test_yes_confirms_a_pending_request(ledger: ConsentLedger) -> None:
    ledger.request(N, scope="acme", purposes="marketing", kind="express_written",
                   source="web_form", at=T0, evidence=WRITTEN)
    outcome = ledger.handle_reply(N, "Yes!", scope="acme", at=T0 + timedelta(minutes=3))
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.CONFIRMED
    assert _state(ledger, at=T0 + DAY) is ConsentState.GRANTED


def test_yes_does_not_regrant_on_toll_free(ledger: ConsentLedger) -> None:
    tf = ConsentLedger(MemoryStore(), clock=FixedClock(T0),
                       senders={"acme/tf": SenderProfile(route=Route.TOLL_FREE)})
    _written(tf, scope="acme")
    tf.handle_reply(N, "STOP", scope="acme/tf", at=T0 + DAY)
    yes = tf.handle_reply(N, "YES", scope="acme/tf", at=T0 + 2 * DAY)
    assert yes.match is None
    assert yes.event is None
    assert _state(tf, scope="acme/tf", at=T0 + 3 * DAY) is ConsentState.REVOKED
    tf.handle_reply(N, "UNSTOP", scope="acme/tf", at=T0 + 4 * DAY)
    assert _state(tf, scope="acme/tf", at=T0 + 5 * DAY) is ConsentState.GRANTED


def test_reply_texts_are_configured_per_sender() -> None:
    ledger = ConsentLedger(
        MemoryStore(), clock=FixedClock(T0),
        senders={"acme": SenderProfile(help_reply="Acme: call 555-0100. STOP to end."),
                 "acme/fr": SenderProfile(help_reply="Acme : AIDE au 555-0100.")},
    )
    fr = ledger.handle_reply(N, "aide", scope="acme/fr/app", at=T0).reply
    en = ledger.handle_reply(N, "help", scope="acme/app", at=T0).reply
    assert fr is not None
    assert en is not None
    assert fr.text == "Acme : AIDE au 555-0100."
    assert en.text == "Acme: call 555-0100. STOP to end."


def test_revocation_scope_widens_reply_opt_outs(ledger: ConsentLedger) -> None:
    wide = ConsentLedger(MemoryStore(), clock=FixedClock(T0),
                         default_sender=SenderProfile(revocation_scope="acme"))
    _written(wide, scope="acme")
    wide.handle_reply(N, "STOP", scope="acme/app-1", at=T0 + DAY)
    assert _state(wide, scope="acme/app-2", at=T0 + 2 * DAY) is ConsentState.REVOKED


def test_opt_out_confirmation_may_not_carry_links() -> None:
    with pytest.raises(ConfigurationError) as info:
        SenderProfile(opt_out_reply="Unsubscribed. See deals at https://acme.example")
    assert info.value.field == "opt_out_reply"


# -- integrity, export, import -------------------------------------------------------------

def _filled() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0))
    _written(ledger)
    ledger.handle_reply(N, "STOP", scope="acme", at=T0 + DAY)
    ledger.handle_reply(N, "START", scope="acme", at=T0 + 2 * DAY)
    ledger.grant("+447911123456", scope="acme", purposes="informational", kind="express",
                 source="api", at=T0)
    return ledger


def test_verify_returns_the_head_and_checks_it() -> None:
    ledger = _filled()
    head = ledger.verify()
    assert head == ledger.store.head()
    assert head[0] == 4
    with pytest.raises(LedgerIntegrityError, match="head"):
        ledger.verify(expected_head=(3, head[1]))


def test_chain_check_finds_edited_deleted_and_reordered_events() -> None:
    events = list(_filled().store.scan())
    edited = [*events]
    edited[1] = replace(events[1], evidence=Evidence(reply_text="START"))
    with pytest.raises(LedgerIntegrityError) as info:
        verify_chain(edited)
    assert info.value.sequence == 3
    with pytest.raises(LedgerIntegrityError) as deleted:
        verify_chain([events[0], events[2], events[3]])
    assert deleted.value.sequence == 2
    with pytest.raises(LedgerIntegrityError):
        verify_chain([events[0], events[2], events[1], events[3]])


def test_export_then_import_round_trips_and_verifies() -> None:
    ledger = _filled()
    out = io.StringIO()
    head = ledger.export_jsonl(out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert json.loads(lines[0])["sequence"] == 1
    copy = ConsentLedger(MemoryStore())
    assert copy.import_jsonl(io.StringIO(out.getvalue()), expected_head=head) == head
    assert list(copy.store.scan()) == list(ledger.store.scan())
    assert copy.status(N, "marketing", scope="acme", at=T0 + 3 * DAY).allows_send


def test_import_rejects_tampered_exports() -> None:
    out = io.StringIO()
    _filled().export_jsonl(out)
    lines = out.getvalue().splitlines()
    edited = json.loads(lines[1])
    edited["occurred_at"] = "2025-06-09T09:00:00+00:00"  # move the STOP a week later
    tampered = [lines[0], json.dumps(edited), *lines[2:]]
    with pytest.raises(LedgerIntegrityError, match="does not match its hash"):
        ConsentLedger(MemoryStore()).import_jsonl(io.StringIO("\n".join(tampered)))
    dropped = [lines[0], *lines[2:]]
    target = ConsentLedger(MemoryStore())
    with pytest.raises(LedgerIntegrityError, match="does not chain"):
        target.import_jsonl(io.StringIO("\n".join(dropped)))
    assert target.store.count() == 1  # nothing from the bad line on
    with pytest.raises(LedgerIntegrityError, match="not a ledger event"):
        ConsentLedger(MemoryStore()).import_jsonl(io.StringIO("{not json"))


def test_import_needs_an_empty_store() -> None:
    out = io.StringIO()
    ledger = _filled()
    ledger.export_jsonl(out)
    with pytest.raises(LedgerIntegrityError, match="empty store"):
        ledger.import_jsonl(io.StringIO(out.getvalue()))


# -- found in review -----------------------------------------------------------------------

@pytest.mark.parametrize("order", ["revocation first", "re-grant first"])
def test_at_the_same_instant_a_revocation_beats_a_re_grant(
    ledger: ConsentLedger, order: str
) -> None:
    # Two webhooks stamped with the same second may be recorded in either order; the
    # answer must not depend on which process won the race, and must not allow sending.
    _written(ledger)
    when = T0 + DAY
    if order == "revocation first":
        ledger.revoke(N, scope="acme", at=when)
        ledger.regrant(N, scope="acme", at=when)
    else:
        ledger.regrant(N, scope="acme", at=when)
        ledger.revoke(N, scope="acme", at=when)
    assert _state(ledger, at=when) is ConsentState.REVOKED
    assert _state(ledger, at=when + DAY) is ConsentState.REVOKED
    ledger.regrant(N, scope="acme", at=when + timedelta(seconds=1))
    assert _state(ledger, at=when + DAY) is ConsentState.GRANTED


def test_at_the_same_instant_a_revocation_beats_a_new_grant(ledger: ConsentLedger) -> None:
    ledger.revoke(N, scope="acme", at=T0)
    _written(ledger, at=T0)
    assert _state(ledger, at=T0 + DAY) is ConsentState.REVOKED


def test_a_scope_written_in_another_unicode_form_is_the_same_scope(
    ledger: ConsentLedger,
) -> None:
    nfc, nfd = "caf\u00e9/app", "cafe\u0301/app"
    _written(ledger, scope=nfc)
    ledger.revoke(N, scope=nfd, at=T0 + DAY)
    assert _state(ledger, scope=nfc, at=T0 + 2 * DAY) is ConsentState.REVOKED
    assert ledger.history(N)[-1].scope.parts == ("caf\u00e9", "app")


def test_an_opt_out_with_a_broken_surrogate_is_still_recorded(ledger: ConsentLedger) -> None:
    # A UCS-2 reply split between segments can arrive with half a surrogate pair.
    _written(ledger)
    outcome = ledger.handle_reply(N, "STOP \ud83d", scope="acme", at=T0 + DAY)
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.REVOKED
    assert outcome.event.evidence.reply_text == "STOP \ufffd"
    assert _state(ledger, at=T0 + 2 * DAY) is ConsentState.REVOKED
    ledger.verify()


def test_evidence_with_a_broken_surrogate_is_an_error_naming_the_field() -> None:
    with pytest.raises(ConsentError) as err:
        Evidence(consent_text="I agree \udc00")
    assert err.value.field == "evidence.consent_text"


def test_yes_confirms_a_pending_request_on_toll_free_but_does_not_re_grant() -> None:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0),
                           default_sender=SenderProfile(route=Route.TOLL_FREE))
    ledger.request(N, scope="acme", purposes="informational", kind="express",
                   source="web_form", at=T0)
    outcome = ledger.handle_reply(N, "YES", scope="acme", at=T0 + timedelta(minutes=1))
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.CONFIRMED
    assert _state(ledger, "informational", at=T0 + DAY) is ConsentState.GRANTED
    ledger.handle_reply(N, "STOP", scope="acme", at=T0 + DAY)
    after = ledger.handle_reply(N, "YES", scope="acme", at=T0 + 2 * DAY)
    assert after.event is None
    assert after.reply is None
    assert _state(ledger, "informational", at=T0 + 3 * DAY) is ConsentState.REVOKED


def test_stop_after_a_marketing_only_revocation_still_gets_its_confirmation(
    ledger: ConsentLedger,
) -> None:
    _written(ledger)
    ledger.revoke(N, scope="acme", at=T0 + DAY, purposes=["marketing"], method="agent")
    outcome = ledger.handle_reply(N, "STOP", scope="acme", at=T0 + 2 * DAY)
    assert outcome.reply is not None
    assert outcome.reply.kind is MatchKind.OPT_OUT
    assert _state(ledger, "informational", at=T0 + 3 * DAY) is ConsentState.REVOKED


def test_yes_confirms_a_request_when_opt_outs_are_recorded_at_the_brand() -> None:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0),
                           default_sender=SenderProfile(revocation_scope="acme"))
    ledger.request(N, scope="acme/shop", purposes="informational", kind="express",
                   source="web_form", at=T0)
    outcome = ledger.handle_reply(N, "YES", scope="acme/shop", at=T0 + timedelta(minutes=1))
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.CONFIRMED
    assert _state(ledger, "informational", scope="acme/shop", at=T0 + DAY) is ConsentState.GRANTED


def test_an_explicit_expiry_cannot_stretch_implied_consent_past_its_legal_period() -> None:
    # CASL: a purchase implies consent for 2 years; expires_at five years out must not
    # keep marketing allowed in year three. A shorter explicit expiry still applies.
    ledger = ConsentLedger(MemoryStore(), rules=CASL, clock=FixedClock(T0))
    ledger.grant("+15146667777", scope="acme", purposes="marketing", kind="implied",
                 implied_basis="purchase", source="api", at=T0,
                 expires_at=datetime(2030, 6, 1, 9, 0, tzinfo=UTC))
    later = ledger.status("+15146667777", "marketing", scope="acme",
                          at=datetime(2028, 6, 1, tzinfo=UTC))
    assert later.state is ConsentState.EXPIRED
    assert later.expires_at == datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    ledger.grant("+15146667788", scope="acme", purposes="marketing", kind="implied",
                 implied_basis="purchase", source="api", at=T0,
                 expires_at=datetime(2025, 9, 1, 9, 0, tzinfo=UTC))
    short = ledger.status("+15146667788", "marketing", scope="acme",
                          at=datetime(2025, 10, 1, tzinfo=UTC))
    assert short.state is ConsentState.EXPIRED
