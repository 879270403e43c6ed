"""Typed usage of the compliance engine, checked by ``mypy --strict`` (not run by pytest).

The messenger builds on these names and signatures: if one changes in a way that breaks
callers, this file stops type-checking.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from smskit import (
    CampaignDecisions,
    CompliancePipeline,
    Decision,
    Finding,
    MemorySendHistory,
    MemoryStore,
    Policy,
    PolicyContext,
    Registration,
    SenderProfile,
    SendRequest,
    Severity,
    Verdict,
    default_policies,
)


def house_rule(
    request: SendRequest, sender: SenderProfile, context: PolicyContext, at: datetime, /
) -> Iterable[Finding]:
    if context.segments > 3:
        return (Finding("house.long", Severity.WARNING, "over 3 segments"),)
    return ()


rule: Policy = house_rule
store, history = MemoryStore(), MemorySendHistory()
policies: tuple[Policy, ...] = (*default_policies(store=store, history=history), rule)
engine = CompliancePipeline(policies, history=history)
sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       consent_scope="acme")
request = SendRequest("+12125550123", body="Hello", idempotency_key="k-1")
at = datetime(2026, 3, 3, 15, tzinfo=UTC)
decision: Decision = engine.decide(request, sender, at)
verdict: Verdict = decision.verdict
later: datetime | None = decision.not_before
cost: Decimal | None = decision.cost
record: str = decision.to_json(mask=True)
again: Decision = Decision.from_json(record)
when: datetime | None = engine.schedule(request, sender, at)
plan: CampaignDecisions = engine.decide_many([request], sender, at, batch_size=500)
total: Decimal = plan.total_cost
text: str = decision.explain()
