"""Bugs found in review of the compliance engine, one test each.

Expected values come from the rule each test cites, never from the engine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)

LEAD = "+12125550123"  # New York
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
