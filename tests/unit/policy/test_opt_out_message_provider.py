"""``opt_out.active`` does not promise the provider will refuse the send (user29).

Its message ended "(the provider would refuse it with error 21610)". The provider
refuses only after an opt-out it saw as one of its own keywords: a Spanish BAJA or
"Deje de enviarme mensajes" reaches no provider's list, and the text would be
delivered. An auditor reading the decision took the provider for a second guard.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)

AT = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
NUMBER = "+12125550123"


@pytest.mark.parametrize("reply", ["STOP", "BAJA", "Deje de enviarme mensajes"])
def test_the_message_says_the_provider_refuses_only_what_it_saw(reply: str) -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    ledger.grant(NUMBER, scope="sunrise", purposes="marketing", kind="express_written",
                 source="web_form", at=AT - timedelta(days=1),
                 evidence=Evidence(consent_text="Rate alerts", form_url="https://s.example"))
    ledger.handle_reply(NUMBER, reply, scope="sunrise", at=AT)
    sender = SenderProfile(sender_id="+13055550100", registration=Registration.APPROVED,
                           consent_scope="sunrise", brand="Sunrise Mortgage")
    engine = CompliancePipeline(default_policies(store=store))
    decision = engine.decide(SendRequest(NUMBER, body="Sunrise Mortgage: rates dropped"),
                             sender, AT + timedelta(hours=1))
    (finding,) = [f for f in decision.findings if f.code == "opt_out.active"]
    assert "would refuse" not in finding.message
    assert "21610" in finding.message
    assert "only" in finding.message
