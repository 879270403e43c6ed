"""Bugs found in review of the compliance engine, one test each.

Expected values come from the rule each test cites, never from the engine.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import (
    CompliancePipeline,
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
