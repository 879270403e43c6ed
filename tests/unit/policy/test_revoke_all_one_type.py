"""FCC revoke-all (47 CFR 64.1200(a)(10), from 2027-01-31, reference §1c V/S): a request to
revoke consent made in response to one type of message applies to all future robocalls
and robotexts from that caller on unrelated matters (CGB delay order, as quoted by
https://www.mondaq.com/unitedstates/telecoms-mobile-cable-communications/1610950/fcc-delays-revoke-all-provision-of-new-revocation-rules).

Found in review rev30e, fixed in rk30: the engine's opt-out check counted only a
revocation of every purpose on the question's channel, so a person who told an agent "no
more offers" (a marketing-only revocation) or "stop calling me" (voice only) on 5 February
2027 still got informational texts. Now a revocation made from the rule's first instant
(2027-01-30 14:00 UTC, midnight in Guam) stops every text of the caller until a later
grant for the purpose asked about; before it, or with the switch off, nothing changed.
Expected values are worked from that rule by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteStore,
    Verdict,
    default_policies,
)
from smskit.consent.model import ConsentScope
from smskit.errors import ConsentError

NY = ZoneInfo("America/New_York")
LEAD = "+12125550123"
ACME = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_a_revocation_of_one_type_stops_other_texts_under_revoke_all(
    narrow: dict[str, list[str]],
) -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    ledger.grant(LEAD, scope="acme", purposes=["marketing", "informational"],
                 channels=["sms", "voice"], kind="express_written", source="web_form",
                 at=datetime(2027, 1, 1, tzinfo=UTC),
                 evidence=Evidence(consent_text="Yes", form_url="https://acme.example/join"))
    ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                  method="agent", source="api", **narrow)  # type: ignore[arg-type]
    reminder = SendRequest(LEAD, body="Acme: your appointment is tomorrow at 3pm.",
                           purpose=Purpose.INFORMATIONAL, first_message=False)
    decision = CompliancePipeline(default_policies(store=store)).decide(
        reminder, ACME, datetime(2027, 2, 6, 14, tzinfo=NY))
    assert decision.verdict is Verdict.BLOCK, decision.codes


START = datetime(2027, 1, 30, 14, tzinfo=UTC)  # 2027-01-31 00:00 in Guam
REMINDER = SendRequest(LEAD, body="Acme: your appointment is tomorrow at 3pm.",
                       purpose=Purpose.INFORMATIONAL, first_message=False)
OFFER = SendRequest(LEAD, body="Acme: new styles are in.", purpose=Purpose.MARKETING,
                    first_message=False)
ASKED = datetime(2027, 2, 6, 14, tzinfo=NY)


def _ledger(store: MemoryStore, scopes: tuple[str, ...] = ("acme",)) -> ConsentLedger:
    ledger = ConsentLedger(store)
    for scope in scopes:
        ledger.grant(LEAD, scope=scope, purposes=["marketing", "informational"],
                     channels=["sms", "voice"], kind="express_written", source="web_form",
                     at=datetime(2026, 12, 1, tzinfo=UTC),
                     evidence=Evidence(consent_text="Yes", form_url="https://acme.example/join"))
    return ledger


def _codes(store: MemoryStore, request: SendRequest, at: datetime = ASKED,
           sender: SenderProfile = ACME, **policies: object) -> tuple[Verdict, list[str]]:
    decision = CompliancePipeline(default_policies(store=store, **policies)).decide(  # type: ignore[arg-type]
        request, sender, at)
    return decision.verdict, [c for c in decision.codes if c.startswith("opt_out.")]


@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_the_revocation_is_cited_as_the_opt_out(narrow: dict[str, list[str]]) -> None:
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                          method="agent", source="api", **narrow)  # type: ignore[arg-type]
    assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])


@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_before_the_date_a_revocation_of_one_type_leaves_other_texts_allowed(
    narrow: dict[str, list[str]],
) -> None:
    # Made a microsecond before the rule's first instant: it covers what it names, even
    # when the text is asked about after the date.
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=START - timedelta(microseconds=1),
                          method="agent", source="api", **narrow)  # type: ignore[arg-type]
    assert _codes(store, REMINDER) == (Verdict.ALLOW, [])


def test_a_revocation_at_the_first_instant_counts() -> None:
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=START, purposes="marketing")
    assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])


@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_with_the_switch_off_nothing_changes(narrow: dict[str, list[str]]) -> None:
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                          **narrow)  # type: ignore[arg-type]
    assert _codes(store, REMINDER, revoke_all=None) == (Verdict.ALLOW, [])


def test_a_later_informational_grant_lifts_only_informational() -> None:
    # "Stop calling me" (voice only) leaves the SMS marketing consent in the ledger's
    # reading; under revoke-all it stops every text until the person says otherwise.
    # Their "I still want reminders" is recorded as an informational grant.
    store = MemoryStore()
    ledger = _ledger(store)
    ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY), channels="voice")
    assert _codes(store, OFFER) == (Verdict.BLOCK, ["opt_out.active"])
    ledger.grant(LEAD, scope="acme", purposes="informational", kind="express",
                 source="api", at=datetime(2027, 2, 5, 12, 3, tzinfo=NY),
                 evidence=Evidence(reference="call-2027-02-05-reminders"))
    assert _codes(store, REMINDER) == (Verdict.ALLOW, [])
    assert _codes(store, OFFER) == (Verdict.BLOCK, ["opt_out.active"])


def test_a_grant_at_the_same_instant_does_not_lift_it() -> None:
    # At one instant a revocation is replayed after a grant, whichever was recorded first.
    at = datetime(2027, 2, 5, 12, tzinfo=NY)
    store = MemoryStore()
    ledger = _ledger(store)
    ledger.grant(LEAD, scope="acme", purposes="informational", kind="express",
                 source="api", at=at, evidence=Evidence(reference="call-1"))
    ledger.revoke(LEAD, scope="acme", at=at, purposes="marketing")
    assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])
    store = MemoryStore()
    ledger = _ledger(store)
    ledger.revoke(LEAD, scope="acme", at=at, purposes="marketing")
    ledger.grant(LEAD, scope="acme", purposes="informational", kind="express",
                 source="api", at=at, evidence=Evidence(reference="call-1"))
    assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])
    ledger.grant(LEAD, scope="acme", purposes="informational", kind="express",
                 source="api", at=at + timedelta(microseconds=1),
                 evidence=Evidence(reference="call-2"))
    assert _codes(store, REMINDER) == (Verdict.ALLOW, [])


def test_a_sibling_scopes_revocation_of_one_type_stops_this_scope() -> None:
    store = MemoryStore()
    _ledger(store, ("acme/shop", "acme/clinic")).revoke(
        LEAD, scope="acme/shop", at=datetime(2027, 2, 5, 12, tzinfo=NY), purposes="marketing")
    clinic = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                           consent_scope="acme/clinic", brand="Acme")
    assert _codes(store, REMINDER, sender=clinic) == (Verdict.BLOCK, ["opt_out.revoke_all"])
    # Another caller is not covered.
    other = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                          consent_scope="bravo", brand="Bravo")
    ConsentLedger(store).grant(LEAD, scope="bravo", purposes="informational", kind="express",
                               source="web_form", at=datetime(2026, 12, 1, tzinfo=UTC),
                               evidence=Evidence(form_url="https://bravo.example/join"))
    assert _codes(store, REMINDER, sender=other) == (Verdict.ALLOW, [])


def test_sqlite_reads_from_the_last_revocation_of_one_type(tmp_path: Path) -> None:
    # The batch read leaves out a sibling scope's events from before the person's last
    # opt-out, which from revoke-all's start a marketing-only revocation is: the read
    # starts from it (3 February), as the engine's replay does, not from the STOP of
    # 1 February, and the decision is still the sibling scope's opt-out.
    with SQLiteStore(tmp_path / "l.db", durable=False) as store:
        ledger = ConsentLedger(store)
        ledger.revoke(LEAD, scope="acme/shop", at=datetime(2027, 2, 1, tzinfo=UTC))
        ledger.grant(LEAD, scope="acme/shop", purposes=["marketing", "informational"],
                     kind="express_written", source="web_form",
                     at=datetime(2027, 2, 2, tzinfo=UTC),
                     evidence=Evidence(consent_text="Yes", form_url="https://acme.example/j"))
        ledger.revoke(LEAD, scope="acme/shop", at=datetime(2027, 2, 3, tzinfo=UTC),
                      purposes="marketing")
        at = datetime(2027, 2, 6, tzinfo=UTC)
        found = store.facts_for_opt_outs([LEAD], scopes=[ConsentScope.parse("acme/clinic")],
                                         at=at, since=START)
        assert found is not None
        assert [e.occurred_at for e in found[LEAD]] == [datetime(2027, 2, 3, tzinfo=UTC)]
        # Without revoke-all's start, the read starts from the STOP of 1 February.
        found = store.facts_for_opt_outs([LEAD], scopes=[ConsentScope.parse("acme/clinic")],
                                         at=at)
        assert found is not None
        assert len(found[LEAD]) == 3
        clinic = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                               consent_scope="acme/clinic", brand="Acme")
        decisions = CompliancePipeline(default_policies(store=store)).decide_many(
            [REMINDER], clinic, at).decisions
        assert [c for c in decisions[0].codes if c.startswith("opt_out.")] == [
            "opt_out.revoke_all"]


@pytest.mark.parametrize(("revoked_at", "refused"), [
    (datetime(2027, 2, 5, 12, tzinfo=NY), True),
    (START - timedelta(microseconds=1), False),
])
def test_the_same_act_recorded_again_after_a_voice_only_revocation(
    revoked_at: datetime, refused: bool,
) -> None:
    # A CRM re-recording the sign-up (same reference) would lift the revoke-all opt-out
    # of "stop calling me" for texts; before the date the revocation left texts alone.
    signup = Evidence(consent_text="Yes", form_url="https://acme.example/join",
                      reference="signup-41")
    ledger = ConsentLedger(MemoryStore())

    def grant(at: datetime) -> None:
        ledger.grant(LEAD, scope="acme", purposes=["marketing", "informational"],
                     channels=["sms"], kind="express_written", source="web_form", at=at,
                     evidence=signup)

    grant(datetime(2026, 12, 1, tzinfo=UTC))
    ledger.revoke(LEAD, scope="acme/calls", at=revoked_at, channels="voice")
    if refused:
        with pytest.raises(ConsentError, match=r"evidence\.reference"):
            grant(datetime(2027, 2, 6, tzinfo=UTC))
    else:
        grant(datetime(2027, 2, 6, tzinfo=UTC))


# 47 CFR 64.1200(a)(10) covers robocalls and robotexts (reference §1c "Scope": autodialed /
# prerecorded calls and texts): an unsubscribe from e-mail is no request made in response
# to one of them, so it stops no text (review of rk30). Voice, SMS, MMS and RCS count.
def test_an_email_only_revocation_stops_no_text() -> None:
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                          channels="email", method="agent", source="api")
    assert _codes(store, REMINDER) == (Verdict.ALLOW, [])
    assert _codes(store, OFFER) == (Verdict.ALLOW, [])


def test_a_revocation_of_email_and_voice_stops_every_text() -> None:
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                          channels=["email", "voice"], purposes="marketing")
    assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])


def test_sqlite_does_not_cut_at_an_email_only_revocation(tmp_path: Path) -> None:
    # A sibling scope's STOP of 1 February, never lifted, then an e-mail unsubscribe there
    # on 3 February: the batch read must start from the STOP, not the unsubscribe, or the
    # clinic's reminder goes out after a STOP.
    with SQLiteStore(tmp_path / "l.db", durable=False) as store:
        ledger = ConsentLedger(store)
        ledger.grant(LEAD, scope="acme/clinic", purposes="informational", kind="express",
                     source="web_form", at=datetime(2026, 12, 1, tzinfo=UTC),
                     evidence=Evidence(form_url="https://acme.example/clinic"))
        ledger.revoke(LEAD, scope="acme/shop", at=datetime(2027, 2, 1, tzinfo=UTC))
        ledger.revoke(LEAD, scope="acme/shop", at=datetime(2027, 2, 3, tzinfo=UTC),
                      channels="email", purposes="marketing")
        at = datetime(2027, 2, 6, tzinfo=UTC)
        found = store.facts_for_opt_outs([LEAD], scopes=[ConsentScope.parse("acme/clinic")],
                                         at=at, since=START)
        assert found is not None
        assert datetime(2027, 2, 1, tzinfo=UTC) in [e.occurred_at for e in found[LEAD]]
        clinic = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                               consent_scope="acme/clinic", brand="Acme")
        decisions = CompliancePipeline(default_policies(store=store)).decide_many(
            [REMINDER], clinic, at).decisions
        assert [c for c in decisions[0].codes if c.startswith("opt_out.")] == [
            "opt_out.revoke_all"]


def test_the_same_act_recorded_again_after_an_email_only_revocation() -> None:
    # The SMS sign-up is untouched by an e-mail unsubscribe: recording it again is allowed.
    signup = Evidence(consent_text="Yes", form_url="https://acme.example/join",
                      reference="signup-41")
    ledger = ConsentLedger(MemoryStore())
    for at in (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 2, 6, tzinfo=UTC)):
        if at.month == 2:
            ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, tzinfo=UTC),
                          channels="email")
        ledger.grant(LEAD, scope="acme", purposes=["marketing", "informational"],
                     channels=["sms"], kind="express_written", source="web_form", at=at,
                     evidence=signup)


def _stores(tmp_path: Path) -> Iterator[MemoryStore | SQLiteStore]:
    # The SQLite store is closed when the loop over it ends (or the generator is
    # collected after a failure): an open connection is a ResourceWarning on 3.13.
    yield MemoryStore()
    with SQLiteStore(tmp_path / "l.db", durable=False) as store:
        yield store


def test_start_after_stop_restores_every_purpose_after_the_date(tmp_path: Path) -> None:
    # START re-grants every purpose (as the ledger records it from a reply): both texts
    # go again, as before the date.
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])  # type: ignore[arg-type]
        ledger.handle_reply(LEAD, "START", scope="acme",
                            at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM2")
        assert _codes(store, REMINDER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]
        assert _codes(store, OFFER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]


def test_a_default_regrant_restores_every_purpose_after_the_date(tmp_path: Path) -> None:
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                      purposes="marketing")
        ledger.regrant(LEAD, scope="acme", at=datetime(2027, 2, 5, 13, tzinfo=NY))
        assert _codes(store, REMINDER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]
        assert _codes(store, OFFER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]


def test_a_full_stop_then_an_informational_grant_still_blocks_marketing(
    tmp_path: Path,
) -> None:
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        ledger.grant(LEAD, scope="acme", purposes="informational", kind="express",
                     source="api", at=datetime(2027, 2, 5, 12, 3, tzinfo=NY),
                     evidence=Evidence(reference="call-reminders"))
        assert _codes(store, REMINDER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]
        verdict, codes = _codes(store, OFFER)  # type: ignore[arg-type]
        assert verdict is Verdict.BLOCK
        assert codes == ["opt_out.active"]
        ledger.regrant(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, 4, tzinfo=NY),
                       purposes="informational")
        assert _codes(store, OFFER)[0] is Verdict.BLOCK  # type: ignore[arg-type]


def test_the_finding_says_why_a_revocation_of_one_type_blocks() -> None:
    # An auditor sees the ledger answer GRANTED for informational texts: the finding must
    # say the block comes from revoke-all and what lifts it, not just "opted out".
    store = MemoryStore()
    _ledger(store).revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                          channels="voice")
    decision = CompliancePipeline(default_policies(store=store)).decide(REMINDER, ACME, ASKED)
    [finding] = [f for f in decision.findings if f.code == "opt_out.active"]
    assert "revoke-all" in finding.message
    assert "voice" in finding.message
    assert "informational" in finding.message
    assert "5550123" not in finding.message


# Review of rk30: the ledger's replies lifted only a revocation of every purpose on the
# reply's channel, so after a revocation of one type (which stops every text from the
# date) START recorded no re-grant, sent no reply, and the person stayed blocked.
@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_start_after_a_revocation_of_one_type_lets_reminders_go_again(
    narrow: dict[str, list[str]],
) -> None:
    store = MemoryStore()
    ledger = _ledger(store)
    ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                  **narrow)  # type: ignore[arg-type]
    outcome = ledger.handle_reply(LEAD, "START", scope="acme",
                                  at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM9")
    assert outcome.event is not None
    assert outcome.reply is not None
    assert _codes(store, REMINDER) == (Verdict.ALLOW, [])
    # START asks for texts again, not for what the person refused by name: after "no
    # more offers" the offers stay stopped (as before the date, when START lifted
    # nothing of a marketing-only revocation); after "stop calling me" every text goes.
    assert outcome.event.purposes == (
        frozenset(Purpose) - {Purpose.MARKETING} if "purposes" in narrow else frozenset(Purpose))
    assert _codes(store, OFFER) == (
        (Verdict.BLOCK, ["opt_out.active"]) if "purposes" in narrow else (Verdict.ALLOW, []))


def test_start_after_no_more_offers_then_stop_keeps_the_offers_stopped(
    tmp_path: Path,
) -> None:
    # "No more offers" to an agent, later STOP, later START: the STOP's whole opt-out
    # is lifted, the refusal of offers by name is not.
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 3, 12, tzinfo=NY),
                      purposes="marketing")
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        ledger.handle_reply(LEAD, "START", scope="acme",
                            at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM2")
        assert _codes(store, REMINDER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]
        assert _codes(store, OFFER)[0] is Verdict.BLOCK  # type: ignore[arg-type]


def test_start_after_offers_then_marketing_granted_again_restores_every_purpose(
    tmp_path: Path,
) -> None:
    # Offers refused, then a new marketing sign-up, then STOP and START: nothing is
    # refused by name any more, so START restores every purpose.
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 2, 12, tzinfo=NY),
                      purposes="marketing")
        ledger.grant(LEAD, scope="acme", purposes=["marketing"], channels=["sms"],
                     kind="express_written", source="web_form",
                     at=datetime(2027, 2, 3, 12, tzinfo=NY),
                     evidence=Evidence(consent_text="Yes, offers again",
                                       form_url="https://acme.example/offers"))
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        outcome = ledger.handle_reply(LEAD, "START", scope="acme",
                                      at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM2")
        assert outcome.event is not None
        assert outcome.event.purposes == frozenset(Purpose)
        assert _codes(store, OFFER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]


@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_yes_after_a_revocation_of_one_type_lifts_nothing(
    narrow: dict[str, list[str]],
) -> None:
    # A "Yes" (answering something else) must not undo "no more offers": nothing recorded.
    store = MemoryStore()
    ledger = _ledger(store)
    ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                  **narrow)  # type: ignore[arg-type]
    outcome = ledger.handle_reply(LEAD, "YES", scope="acme",
                                  at=datetime(2027, 2, 5, 13, tzinfo=NY))
    assert outcome.event is None
    assert _codes(store, REMINDER) == (Verdict.BLOCK, ["opt_out.active"])


def test_start_after_a_revocation_of_one_type_before_the_date_records_nothing() -> None:
    store = MemoryStore()
    ledger = _ledger(store)
    ledger.revoke(LEAD, scope="acme", at=START - timedelta(microseconds=1),
                  purposes="marketing")
    outcome = ledger.handle_reply(LEAD, "START", scope="acme",
                                  at=datetime(2027, 2, 5, 13, tzinfo=NY))
    assert outcome.event is None
    assert _codes(store, REMINDER) == (Verdict.ALLOW, [])


def test_the_old_act_recorded_again_after_a_reminders_grant_is_refused() -> None:
    # "No more offers", then "I still want reminders" (an informational grant): a CRM
    # re-recording the sign-up (marketing and informational, same reference) would lift
    # the opt-out for offers. The reminders grant is the person's word for reminders only.
    signup = Evidence(consent_text="Yes", form_url="https://acme.example/join",
                      reference="signup-41")
    store = MemoryStore()
    ledger = ConsentLedger(store)

    def grant(at: datetime) -> None:
        ledger.grant(LEAD, scope="acme", purposes=["marketing", "informational"],
                     channels=["sms"], kind="express_written", source="web_form", at=at,
                     evidence=signup)

    grant(datetime(2026, 12, 1, tzinfo=UTC))
    ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                  purposes="marketing")
    ledger.grant(LEAD, scope="acme", purposes="informational", kind="express", source="api",
                 at=datetime(2027, 2, 5, 12, 3, tzinfo=NY),
                 evidence=Evidence(reference="call-reminders"))
    with pytest.raises(ConsentError, match=r"evidence\.reference"):
        grant(datetime(2027, 2, 6, tzinfo=UTC))
    assert _codes(store, OFFER) == (Verdict.BLOCK, ["opt_out.active"])


# Review rev30s: a marketing grant over e-mail or voice only (a newsletter sign-up, an
# agreement to sales calls) after "no more offers" counted as giving offers back by text,
# so STOP then START re-granted marketing over the text channels and offers went by SMS
# (before the STOP they were blocked: the engine lifts per channel).
@pytest.mark.parametrize("channel", ["email", "voice"])
def test_a_grant_of_offers_on_another_channel_does_not_give_text_offers_back(
    tmp_path: Path, channel: str,
) -> None:
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 2, 12, tzinfo=NY),
                      purposes="marketing", channels="sms")
        ledger.grant(LEAD, scope="acme", purposes=["marketing"], channels=[channel],
                     kind="express_written", source="web_form",
                     at=datetime(2027, 2, 3, 12, tzinfo=NY),
                     evidence=Evidence(consent_text="Yes, the newsletter",
                                       form_url="https://acme.example/news"))
        assert _codes(store, OFFER, datetime(2027, 2, 4, 12, tzinfo=NY))[0] is Verdict.BLOCK  # type: ignore[arg-type]
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        outcome = ledger.handle_reply(LEAD, "START", scope="acme",
                                      at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM2")
        assert outcome.event is not None
        assert outcome.event.purposes == frozenset(Purpose) - {Purpose.MARKETING}
        assert _codes(store, REMINDER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]
        assert _codes(store, OFFER)[0] is Verdict.BLOCK  # type: ignore[arg-type]


# Review rev30s: an implied marketing grant (a purchase) after "no more offers" cannot
# send offers (US marketing needs express written consent), yet it counted as giving
# offers back: STOP then START re-granted marketing, which restored the old written
# sign-up the person had refused, and offers went again.
def test_a_grant_too_weak_for_offers_does_not_give_them_back(tmp_path: Path) -> None:
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 2, 12, tzinfo=NY),
                      purposes="marketing")
        ledger.grant(LEAD, scope="acme", purposes=["marketing", "transactional"],
                     channels=["sms"], kind="implied", implied_basis="purchase",
                     source="api", at=datetime(2027, 2, 3, 12, tzinfo=NY),
                     evidence=Evidence(reference="order-1"))
        assert _codes(store, OFFER, datetime(2027, 2, 4, 12, tzinfo=NY))[0] is Verdict.BLOCK  # type: ignore[arg-type]
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        outcome = ledger.handle_reply(LEAD, "START", scope="acme",
                                      at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM2")
        assert outcome.event is not None
        assert outcome.event.purposes == frozenset(Purpose) - {Purpose.MARKETING}
        assert _codes(store, REMINDER) == (Verdict.ALLOW, [])  # type: ignore[arg-type]
        assert _codes(store, OFFER)[0] is Verdict.BLOCK  # type: ignore[arg-type]


# Review rev30s: a marketing grant that had expired by the START (thirty days of offers)
# still counted as giving offers back, so START re-granted marketing and restored the
# written sign-up the person had refused.
def test_an_expired_grant_of_offers_does_not_give_them_back(tmp_path: Path) -> None:
    for store in _stores(tmp_path):
        ledger = _ledger(store)  # type: ignore[arg-type]
        ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 2, 12, tzinfo=NY),
                      purposes="marketing")
        ledger.grant(LEAD, scope="acme", purposes=["marketing"], channels=["sms"],
                     kind="express_written", source="web_form",
                     at=datetime(2027, 2, 3, 12, tzinfo=NY),
                     expires_at=datetime(2027, 2, 3, 18, tzinfo=NY),
                     evidence=Evidence(consent_text="Offers until 6pm today",
                                       form_url="https://acme.example/flash"))
        assert _codes(store, OFFER, datetime(2027, 2, 4, 12, tzinfo=NY))[0] is Verdict.BLOCK  # type: ignore[arg-type]
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                            message_id="SM1")
        outcome = ledger.handle_reply(LEAD, "START", scope="acme",
                                      at=datetime(2027, 2, 5, 13, tzinfo=NY), message_id="SM2")
        assert outcome.event is not None
        assert outcome.event.purposes == frozenset(Purpose) - {Purpose.MARKETING}
        assert _codes(store, OFFER)[0] is Verdict.BLOCK  # type: ignore[arg-type]
