"""Bugs found in review of the compliance engine, one test each.

Expected values come from the rule each test cites, never from the engine.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Decision,
    Evidence,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.errors import ConfigurationError
from smskit.policy import PolicyContext, prepare_body
from smskit.routes import Route

LEAD = "+12125550123"  # New York
NY = ZoneInfo("America/New_York")
WRITTEN = Evidence(consent_text="I agree to receive marketing texts from Acme",
                   form_url="https://acme.example/signup")


def _sender(**changes: object) -> SenderProfile:
    base: dict[str, object] = {"sender_id": "+14155550100", "registration": Registration.APPROVED,
                               "brand": "Acme"}
    base.update(changes)
    return SenderProfile(**base)  # type: ignore[arg-type]


def test_a_confirmation_without_a_consent_scope_is_not_allowed_unchecked() -> None:
    # FCC 47 CFR 64.1200(a)(12): the confirmation is allowed only after an opt-out.
    # With no scope the engine cannot find the opt-out, so it must not answer ALLOW.
    store = MemoryStore()
    engine = CompliancePipeline(default_policies(store=store))
    request = SendRequest(LEAD, body="You are unsubscribed.", purpose=Purpose.TRANSACTIONAL,
                          opt_out_confirmation=True, first_message=False)
    decision = engine.decide(request, _sender(), datetime(2026, 3, 10, 19, 0, tzinfo=UTC))
    assert decision.verdict is Verdict.BLOCK
    assert "consent.scope_missing" in decision.codes


def test_new_consent_in_its_own_scope_lifts_a_revoke_all_opt_out() -> None:
    # Revoke-all (47 CFR 64.1200(a)(10), from 2027-01-31) makes a STOP in one scope
    # revoke every scope; consent given again afterwards in a scope counts again.
    store = MemoryStore()
    ledger = ConsentLedger(store)
    engine = CompliancePipeline(default_policies(store=store))
    sender = _sender(consent_scope="acme/store-7")
    t0 = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)
    ledger.grant(LEAD, scope="acme/store-7", purposes="marketing", kind="express_written",
                 source="web_form", at=t0, evidence=WRITTEN)
    ledger.revoke(LEAD, scope="acme/store-8", at=t0 + timedelta(days=1))
    request = SendRequest(LEAD, body="Acme: sale. Reply STOP to opt out", first_message=False)
    blocked = engine.decide(request, sender, t0 + timedelta(days=2))
    assert "opt_out.revoke_all" in blocked.codes
    ledger.grant(LEAD, scope="acme/store-7", purposes="marketing", kind="express_written",
                 source="web_form", at=t0 + timedelta(days=3), evidence=WRITTEN)
    again = engine.decide(request, sender, t0 + timedelta(days=4))
    assert "opt_out.revoke_all" not in again.codes
    assert again.verdict is Verdict.ALLOW


def test_a_decision_in_the_repeated_dst_hour_reads_back_equal() -> None:
    # 2026-11-01 06:30 UTC is 01:30 EST in New York, the second 01:30 of the night
    # (US DST ends the first Sunday of November, 15 U.S.C. 260a): quiet hours defer it
    # and the finding's local time has fold=1, which a fixed offset does not compare
    # equal to. The audit record must still read back equal.
    engine = CompliancePipeline(default_policies())
    sender = _sender(consent_scope="acme")
    at = datetime(2026, 11, 1, 6, 30, tzinfo=UTC).astimezone(NY)
    request = SendRequest(LEAD, body="Acme: hi. Reply STOP to opt out", first_message=False)
    decision = engine.decide(request, sender, at)
    assert decision.verdict is Verdict.DEFER
    assert decision.at.fold == 1
    back = Decision.from_json(decision.to_json())
    assert back == decision
    assert back.at.fold == 1
    assert back.at.tzinfo == NY


def test_the_prefix_is_added_when_the_brand_is_only_part_of_another_word() -> None:
    # The identification prefix may be skipped only when the text names the brand;
    # "Macmed" and "Acmeville" contain the letters "acme" but do not name Acme.
    sender = _sender(prefix="Acme: ")
    for text in ("Your Macmed appointment is at 3pm", "Acmeville news today"):
        prepared = prepare_body(text, sender, purpose=Purpose.MARKETING, first=True,
                                sent_before=0)
        assert prepared == "Acme: " + text
    named = prepare_body("Thanks from ACME, see you", sender, purpose=Purpose.MARKETING,
                         first=True, sent_before=0)
    assert named == "Thanks from ACME, see you"


def test_a_deferral_past_the_expiry_of_implied_consent_is_a_block() -> None:
    # CASL implied consent from a purchase lasts 2 years (CRTC guidance,
    # https://crtc.gc.ca/eng/com500/guide.htm): a purchase at 08:00 on 2024-03-02 in
    # Toronto expires at 08:00 on 2026-03-02. At 22:00 the evening before, quiet hours
    # push the message to the next morning, after the expiry: deferring cannot help.
    toronto = ZoneInfo("America/Toronto")
    canadian = "+14165550123"
    store = MemoryStore()
    ledger = ConsentLedger(store)
    engine = CompliancePipeline(default_policies(store=store))
    ledger.grant(canadian, scope="acme", purposes="marketing", kind="implied",
                 implied_basis="purchase", source="import",
                 at=datetime(2024, 3, 2, 8, 0, tzinfo=toronto))
    request = SendRequest(canadian, body="Acme: offer. Reply STOP to opt out",
                          first_message=False)
    at = datetime(2026, 3, 1, 22, 0, tzinfo=toronto)
    decision = engine.decide(request, _sender(consent_scope="acme"), at)
    assert decision.verdict is Verdict.BLOCK
    assert decision.not_before is None
    assert "consent.expired" in decision.codes
    assert engine.schedule(request, _sender(consent_scope="acme"), at) is None


def test_the_policy_context_repr_does_not_show_numbers_read_in_a_batch() -> None:
    # decide_many hands policies the batch's ledger reads, keyed by E.164 number; a
    # policy that logs its context must not log the number in full (personal data).
    store = MemoryStore()
    ConsentLedger(store).grant(LEAD, scope="acme", purposes="marketing",
                               kind="express_written", source="web_form",
                               at=datetime(2026, 1, 1, tzinfo=UTC), evidence=WRITTEN)
    seen: list[str] = []

    def spy(request: SendRequest, sender: SenderProfile, context: PolicyContext,
            at: datetime, /) -> tuple[()]:
        seen.append(repr(context))
        return ()

    engine = CompliancePipeline((*default_policies(store=store), spy))
    engine.decide_many([SendRequest(LEAD, body="hi")], _sender(consent_scope="acme"),
                       datetime(2026, 5, 1, 15, 0, tzinfo=UTC))
    assert seen
    assert "5550123" not in seen[0]


@pytest.mark.parametrize("change", [
    {"findings": [{"code": "x", "severity": "info", "message": "m", "source": "",
                   "details": [1]}]},
    {"findings": [{"code": "x", "severity": "info", "message": "m", "source": "",
                   "details": {"a": {"$map": 5}}}]},
    {"cost": "abc"},
    {"body": 5},
    {"segments": "2"},
    {"findings": None},
])
def test_a_damaged_decision_record_is_a_configuration_error(change: dict[str, object]) -> None:
    # from_json promises ConfigurationError for text that is not a decision record:
    # never a raw AttributeError or decimal error, never a record with wrong types.
    engine = CompliancePipeline(default_policies())
    decision = engine.decide(SendRequest(LEAD, body="hi"), _sender(consent_scope="acme"),
                             datetime(2026, 5, 1, 3, 0, tzinfo=UTC))
    record = {**decision.to_dict(), **change}
    with pytest.raises(ConfigurationError, match="not a decision record"):
        Decision.from_json(json.dumps(record))


def test_a_yes_does_not_lift_a_toll_free_network_stop() -> None:
    # On toll-free numbers the carrier holds a STOP until the person replies START or
    # UNSTOP (Twilio, "Opt-out keyword handling ... for Toll-Free SMS"). A ledger whose
    # reply profile is the default 10DLC one records YES as a re-grant; the engine,
    # judging the toll-free sender, must still see the network block.
    store = MemoryStore()
    ledger = ConsentLedger(store)
    engine = CompliancePipeline(default_policies(store=store))
    sender = _sender(sender_id="+18005550100", route=Route.TOLL_FREE,
                     registration=Registration.VERIFIED, consent_scope="acme")
    t0 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=t0, evidence=WRITTEN)
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=t0 + timedelta(hours=1))
    ledger.handle_reply(LEAD, "YES", scope="acme", at=t0 + timedelta(hours=2))
    request = SendRequest(LEAD, body="Acme: hi. Reply STOP to opt out", first_message=False)
    held = engine.decide(request, sender, t0 + timedelta(hours=3))
    assert "opt_out.toll_free_network" in held.codes
    assert held.verdict is Verdict.BLOCK
    ledger.handle_reply(LEAD, "UNSTOP", scope="acme", at=t0 + timedelta(hours=4))
    lifted = engine.decide(request, sender, t0 + timedelta(hours=5))
    assert lifted.verdict is Verdict.ALLOW


def test_a_toll_free_network_stop_outlasts_later_consent_until_start() -> None:
    # The web form lifts the ledger's opt-out but not the carrier's hold; a second form
    # (or anything but START/UNSTOP) leaves it held; only the START releases it.
    store = MemoryStore()
    ledger = ConsentLedger(store)
    engine = CompliancePipeline(default_policies(store=store))
    sender = _sender(sender_id="+18005550100", route=Route.TOLL_FREE,
                     registration=Registration.VERIFIED, consent_scope="acme")
    t0 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=t0)
    for hours in (1, 2):
        ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                     source="web_form", at=t0 + timedelta(hours=hours), evidence=WRITTEN)
    request = SendRequest(LEAD, body="Acme: hi. Reply STOP to opt out", first_message=False)
    assert "opt_out.toll_free_network" in engine.decide(request, sender,
                                                        t0 + timedelta(hours=3)).codes
    ledger.handle_reply(LEAD, "START", scope="acme", at=t0 + timedelta(hours=4))
    assert engine.decide(request, sender, t0 + timedelta(hours=5)).verdict is Verdict.ALLOW


@pytest.mark.parametrize("footer", [
    "Reply ARRET pour vous désabonner",  # a French footer for Quebec recipients
    "Abmelden: STOP an 12345",
    "Msg&data rates may apply. STOP=stop",
])
def test_the_footer_is_never_added_twice(footer: str) -> None:
    # The issue: the footer is added only where it is "not already present"; a body
    # that already ends with the sender's own footer must not get a second one.
    sender = _sender(prefix="Acme: ", footer=footer)
    once = prepare_body("Acme: hi", sender, purpose=Purpose.MARKETING, first=True,
                        sent_before=0)
    assert once == "Acme: hi\n" + footer
    assert prepare_body(once, sender, purpose=Purpose.MARKETING, first=True,
                        sent_before=0) == once


# 39,016 GSM-7 characters need 256 parts of 153 (255 x 153 = 39,015); a concatenated
# message has at most 255 (TS 23.040 9.2.3.24.1: the part count is one octet).
TOO_LONG = "x" * 39_016


@pytest.mark.parametrize("with_sender_rules", [True, False])
def test_a_body_over_255_segments_is_blocked_not_raised(with_sender_rules: bool) -> None:
    # decide() raised MessageTooLongError while its docstring says a problem with the
    # message is a finding; in a campaign one long row (a CRM note pasted into a
    # template) aborted every row's decision, and `smskit plan` said nothing of which.
    policies = default_policies() if with_sender_rules else ()
    engine = CompliancePipeline(policies)
    at = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    decision = engine.decide(SendRequest(LEAD, body=TOO_LONG), _sender(), at)
    assert decision.verdict is Verdict.BLOCK
    assert "engine.too_many_segments" in decision.codes
    assert decision.segments == 256
    short = SendRequest(LEAD, body="Acme: hi. Reply STOP to opt out",
                        purpose=Purpose.TRANSACTIONAL)
    both = engine.decide_many([short, SendRequest(LEAD, body=TOO_LONG)], _sender(), at)
    assert "engine.too_many_segments" not in both.decisions[0].codes
    assert both.decisions[1].verdict is Verdict.BLOCK
