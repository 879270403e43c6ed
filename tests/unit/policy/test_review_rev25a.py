"""Review rev25a of fix25a (a decision cites the consent event that decided it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)

LEAD = "+12125550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
ASK = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)  # 12:00 in New York: no quiet hours
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def form(version: str) -> Evidence:
    return Evidence(consent_text=f"I agree to marketing texts from Acme ({version})",
                    form_url=f"https://acme.example/signup/{version}")


def test_a_regrant_restoring_two_grants_relies_on_the_latest_as_before_the_stop() -> None:
    # Two equal grants: the latest (v2) decides (test_decision_cites_consent_event). A
    # STOP and a START restore both; the decision must still rely on v2's form, not
    # fall back to v1 because both now end with the same re-grant.
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    newest = ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                          source="web_form", at=T0 + timedelta(days=1), evidence=form("v2"))
    ledger.revoke(LEAD, scope="acme", at=T0 + timedelta(days=3))
    back = ledger.regrant(LEAD, scope="acme", source="web_form", at=T0 + timedelta(days=5),
                          evidence=form("back"))
    engine = CompliancePipeline(default_policies(store=ledger.store))
    decision = engine.decide(SendRequest(LEAD, body="Spring sale"), SENDER, ASK)
    assert decision.verdict is Verdict.ALLOW
    (granted,) = [f for f in decision.findings if f.code == "consent.granted"]
    assert granted.details["event"] == back.sequence
    assert granted.details["events"] == (newest.sequence, back.sequence)
    status = ledger.status(LEAD, "marketing", scope="acme", at=ASK)
    assert [e.evidence for e in status.evidence] == [form("v2"), form("back")]

