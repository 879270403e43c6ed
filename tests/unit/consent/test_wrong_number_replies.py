"""A "wrong number" reply stops every text to that number until a fresh grant.

The FCC's 2024 order (47 CFR 64.1200(a)(10), Federal Register 2024-04587) makes consent
revocable by any reasonable means; "you have the wrong number" also says the person
answering never gave the consent on file (a reassigned or mistyped number). So it is
recorded as a revocation, marked ``wrong_number``; unlike a STOP, a START or YES from that
number does not lift it (it would revive someone else's consent): only a new grant does.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta

from smskit import (
    CompliancePipeline,
    ConsentKind,
    ConsentLedger,
    ConsentState,
    Evidence,
    MemoryStore,
    Purpose,
    Registration,
    RevocationMethod,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.consent.model import EventKind

LEAD = "+12125550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
ASK = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)  # 12:00 in New York
DAY = timedelta(days=1)
FCC = "https://www.govinfo.gov/content/pkg/FR-2024-03-05/html/2024-04587.htm"
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def _ledger() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING, Purpose.INFORMATIONAL],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0,
                 evidence=Evidence(consent_text="I agree to texts from Acme",
                                   form_url="https://acme.example/signup"))
    return ledger


def _decide(
    ledger: ConsentLedger, at: datetime = ASK, sender: SenderProfile = SENDER
) -> tuple[Verdict, list[str], dict[str, object]]:
    engine = CompliancePipeline(default_policies(store=ledger.store))
    decision = engine.decide(SendRequest(LEAD, body="Acme: spring sale. Reply STOP to opt out"),
                             sender, at)
    blocking = [f for f in decision.findings if f.code.startswith(("opt_out", "consent"))]
    wrong = [f for f in blocking if f.code == "opt_out.wrong_number"]
    details = dict(wrong[0].details) if wrong else {}
    if wrong:
        details["source"] = wrong[0].source
    return decision.verdict, [f.code for f in blocking], details


def test_a_wrong_number_reply_is_recorded_as_such_and_blocks_with_its_own_code() -> None:
    ledger = _ledger()
    assert _decide(ledger, T0 + DAY)[0] is Verdict.ALLOW
    outcome = ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY,
                                  message_id="SM1")
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.REVOKED
    assert outcome.event.revocation_method is RevocationMethod.WRONG_NUMBER
    assert outcome.event.evidence.reply_text == "Wrong number"
    # No "you are unsubscribed, reply START" to a stranger: START would not lift it.
    assert outcome.reply is None
    verdict, codes, details = _decide(ledger)
    assert verdict is Verdict.BLOCK
    # As after a STOP, the consent policy reports the revocation too; the opt-out
    # policy names it a wrong number instead of opt_out.active.
    assert codes == ["consent.revoked", "opt_out.wrong_number"]
    assert details["event"] == outcome.event.sequence
    assert details["source"] == FCC
    assert ledger.status(LEAD, "marketing", scope="acme", at=ASK).state is ConsentState.REVOKED


def test_start_or_yes_from_the_number_does_not_lift_it() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "you have the wrong number", scope="acme", at=T0 + DAY)
    for word in ("START", "YES", "UNSTOP"):
        again = ledger.handle_reply(LEAD, word, scope="acme", at=T0 + 2 * DAY)
        assert again.reply is None
        assert again.event is None
    assert _decide(ledger)[1] == ["consent.revoked", "opt_out.wrong_number"]


def test_a_stop_then_wrong_number_then_start_stays_blocked() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + DAY)
    ledger.handle_reply(LEAD, "Mauvais numéro", scope="acme", at=T0 + 2 * DAY)
    start = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 3 * DAY)
    assert start.event is None
    assert _decide(ledger)[0] is Verdict.BLOCK


def test_a_fresh_grant_lifts_it() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "this isn't John", scope="acme", at=T0 + DAY)
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0 + 2 * DAY,
                 evidence=Evidence(consent_text="I agree to texts from Acme (new owner)",
                                   form_url="https://acme.example/signup?new"))
    assert _decide(ledger)[0] is Verdict.ALLOW


def test_a_question_about_a_wrong_number_records_nothing() -> None:
    ledger = _ledger()
    outcome = ledger.handle_reply(LEAD, "is this the wrong number for billing?", scope="acme",
                                  at=T0 + DAY)
    assert outcome.match is None
    assert outcome.event is None
    assert _decide(ledger)[0] is Verdict.ALLOW


def test_wrong_number_then_stop_keeps_the_wrong_number_block() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + 2 * DAY)
    assert stop.reply is None  # already opted out: no second message
    start = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 3 * DAY)
    assert start.event is None
    assert _decide(ledger)[0] is Verdict.BLOCK


def test_on_a_toll_free_number_a_fresh_grant_lifts_it_too() -> None:
    # The carrier holds a STOP keyword until START/UNSTOP; "wrong number" is no carrier
    # keyword, so no network hold is left once the new owner grants consent.
    toll_free = SenderProfile(sender_id="+18005550100", route="toll_free",
                              registration=Registration.VERIFIED, brand="Acme",
                              consent_scope="acme", prefix="Acme: ",
                              footer="Reply STOP to opt out")
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY, profile=toll_free)
    assert _decide(ledger, sender=toll_free)[1] == ["consent.revoked", "opt_out.wrong_number"]
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0 + 2 * DAY,
                 evidence=Evidence(consent_text="I agree to texts from Acme (new owner)",
                                   form_url="https://acme.example/signup?new"))
    assert _decide(ledger, sender=toll_free)[0] is Verdict.ALLOW


def test_a_redelivered_wrong_number_records_nothing_more_and_sends_nothing() -> None:
    ledger = _ledger()
    first = ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY,
                                message_id="SM9")
    again = ledger.handle_reply(LEAD, "Wrong number", scope="acme",
                                at=T0 + DAY + timedelta(minutes=1), message_id="SM9")
    assert first.event is not None
    assert again.event == first.event
    assert again.reply is None
    assert len(ledger.history(LEAD)) == 2


def test_after_a_fresh_grant_the_new_owner_can_stop_and_start_again() -> None:
    # The new owner's grant ends the wrong number; their own STOP was confirmed with
    # "Reply START to resubscribe", so their START must re-subscribe them (review rev26q:
    # the old wrong number stayed held and the START was ignored, block kept).
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0 + 2 * DAY,
                 evidence=Evidence(consent_text="I agree to texts from Acme (new owner)",
                                   form_url="https://acme.example/signup?new"))
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + 3 * DAY)
    assert stop.reply is not None
    assert "Reply START" in stop.reply.text
    start = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 4 * DAY)
    assert start.event is not None
    assert start.event.kind is EventKind.REGRANTED
    assert start.reply is not None
    assert _decide(ledger)[0] is Verdict.ALLOW
    assert ledger.status(LEAD, "marketing", scope="acme", at=ASK).state is ConsentState.GRANTED


def test_a_grant_in_another_scope_does_not_end_the_wrong_number() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    ledger.grant(LEAD, scope="globex", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0 + 2 * DAY,
                 evidence=Evidence(consent_text="I agree to texts from Globex",
                                   form_url="https://globex.example/signup"))
    start = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 3 * DAY)
    assert start.event is None
    assert _decide(ledger)[0] is Verdict.BLOCK


def test_status_does_not_tell_the_sender_to_wait_for_an_opt_in() -> None:
    # "until the person opts in again" invites a START, which does not lift a wrong
    # number (review rev26q): the status names the grant it needs.
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    (finding,) = ledger.status(LEAD, "marketing", scope="acme", at=ASK).findings
    assert "opts in again" not in finding.message
    assert "wrong number" in finding.message
    assert "START" in finding.message


# fix27k: a START from a number a "wrong number" holds changed nothing and said nothing,
# so the sender never learnt why the person who asked for texts got none.
def test_a_start_after_a_wrong_number_is_flagged_with_the_reason_and_sends_nothing() -> None:
    ledger = _ledger()
    wrong = ledger.handle_reply(LEAD, "This isn't Amazon", scope="acme", at=T0 + DAY)
    assert wrong.event is not None
    for word, message_id in (("START", "SM2"), ("yes", "SM3"), ("UNSTOP", None)):
        outcome = ledger.handle_reply(LEAD, word, scope="acme", at=T0 + 2 * DAY,
                                      message_id=message_id)
        assert outcome.event is None, word
        assert outcome.reply is None, word  # no text to whoever holds the number
        assert outcome.needs_review, word
        finding = outcome.finding
        assert finding is not None, word
        assert finding.code == "consent.revoked"
        assert finding.details["event"] == wrong.event.sequence
        assert finding.source == FCC
        assert "wrong number" in finding.message
        assert "grant" in finding.message
        assert "555" not in finding.message
        assert "555" not in repr(outcome)
        assert pickle.loads(pickle.dumps(outcome)) == outcome  # a queue carries it whole
    assert _decide(ledger)[1] == ["consent.revoked", "opt_out.wrong_number"]


def test_a_start_after_a_plain_stop_is_not_flagged() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + DAY)
    outcome = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 2 * DAY)
    assert outcome.event is not None
    assert outcome.event.kind is EventKind.REGRANTED
    assert not outcome.needs_review
    assert outcome.finding is None


def test_a_start_with_nothing_to_lift_is_not_flagged() -> None:
    outcome = _ledger().handle_reply(LEAD, "START", scope="acme", at=T0 + DAY)
    assert outcome.event is None
    assert not outcome.needs_review
    assert outcome.finding is None


def test_a_start_after_a_wrong_number_and_the_new_owners_grant_is_not_flagged() -> None:
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0 + 2 * DAY,
                 evidence=Evidence(consent_text="I agree to texts from Acme (new owner)",
                                   form_url="https://acme.example/signup?new"))
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + 3 * DAY)
    outcome = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 4 * DAY)
    assert outcome.event is not None
    assert outcome.finding is None
    assert not outcome.needs_review


def test_a_redelivered_start_after_a_wrong_number_is_flagged_again() -> None:
    # A webhook is retried because its first handling was not acknowledged (the app
    # crashed before it queued the review, say): the retry is the only chance left to
    # learn of it. It answers as the first delivery did (review rev27k), as a retried
    # STOP's confirmation and a FUZZY match's needs_review do; and still sends nothing.
    ledger = _ledger()
    wrong = ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    assert wrong.event is not None
    first = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 2 * DAY,
                                message_id="SM9")
    again = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 2 * DAY,
                                message_id="SM9")
    assert first.finding is not None
    assert again.needs_review
    assert again.finding == first.finding
    assert again.finding.details["event"] == wrong.event.sequence
    assert again.event is None
    assert again.reply is None
    noted = [e for e in ledger.history(LEAD) if e.kind is EventKind.NOTED]
    assert len(noted) == 1  # the retry recorded nothing


def test_a_redelivered_start_after_the_new_owners_grant_is_not_flagged() -> None:
    # The START reached the ledger after the new owner's grant: the first delivery was
    # not flagged (nothing held it), so neither is its retry.
    ledger = _ledger()
    ledger.handle_reply(LEAD, "Wrong number", scope="acme", at=T0 + DAY)
    ledger.grant(LEAD, scope="acme", purposes=[Purpose.MARKETING],
                 kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0 + 2 * DAY,
                 evidence=Evidence(consent_text="I agree to texts from Acme (new owner)",
                                   form_url="https://acme.example/signup?new"))
    for _ in range(2):
        outcome = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + 3 * DAY,
                                      message_id="SM10")
        assert outcome.finding is None
        assert not outcome.needs_review
