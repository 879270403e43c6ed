"""Bugs found reviewing the engine's speed changes (branch fast10), one test each.

Expected values come from the rule each test cites, never from the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from tests._reference import reference_opt_out

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteStore,
)
from smskit.consent.model import Channel, ConsentScope
from smskit.errors import ConfigurationError
from smskit.findings import Finding
from smskit.numbers import parse_number
from smskit.policy import OptOutPolicy, PolicyContext
from smskit.segments import Encoding

AT = datetime(2026, 3, 3, 15, tzinfo=UTC)
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def _blocks_with_text_severity(request: SendRequest, sender: SenderProfile,
                               context: PolicyContext, at: datetime, /) -> Iterable[Finding]:
    # "block" equals Severity.BLOCK and hashes like it, yet is not the member the
    # verdict is read from: a policy written against the text must not pass as allowed.
    return (Finding("custom.block", "block", "do not send"),)  # type: ignore[arg-type]


@pytest.mark.parametrize("many", [False, True])
def test_a_finding_whose_severity_is_plain_text_is_refused_not_allowed(many: bool) -> None:
    pipeline = CompliancePipeline([_blocks_with_text_severity])
    request = SendRequest(recipient="+12125550123", body="Sale today")
    decide = (lambda: pipeline.decide_many([request], SENDER, AT)) if many else (
        lambda: pipeline.decide(request, SENDER, AT))
    with pytest.raises(ConfigurationError, match="Severity"):
        decide()


NY = ZoneInfo("America/New_York")


def test_a_batch_read_for_an_instant_is_not_used_for_an_earlier_one_in_a_repeated_hour(
    tmp_path: Path,
) -> None:
    # Read for 01:15 EST (06:15Z); asked at 01:50 EDT (05:50Z), 25 minutes earlier.
    # Two datetimes sharing one ZoneInfo compare by wall clock, so 01:50 looked later.
    read_at = datetime(2027, 11, 7, 1, 15, fold=1, tzinfo=NY)
    asked_at = datetime(2027, 11, 7, 1, 50, fold=0, tzinfo=NY)
    number = "+12125550123"
    with SQLiteStore(tmp_path / "l.db", durable=False) as store:
        ledger = ConsentLedger(store)
        ledger.revoke(number, scope="acme/app-2", at=datetime(2027, 11, 1, tzinfo=UTC))
        # After the question's instant, before the read's: the read starts from it.
        ledger.revoke(number, scope="acme/app-3", at=datetime(2027, 11, 7, 6, tzinfo=UTC))
        expected = reference_opt_out(list(store.facts_many([number])[number]),
                                     ConsentScope.parse("acme/app-1"), Channel.SMS, asked_at,
                                     wide=True, toll_free=False)
        assert expected is not None
        assert expected[0] == "opt_out.revoke_all"
        policy = OptOutPolicy(store)
        batch = policy.prefetch([number], read_at, scopes=frozenset({"acme/app-1"}))
        context = PolicyContext(
            phone=parse_number(number), body="Sale", encoding=Encoding.GSM7, segments=1,
            channel=Channel.SMS, first_message=False,
            prefetched=MappingProxyType({id(policy): batch}))
        sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                               brand="Acme", consent_scope="acme/app-1")
        found = policy(SendRequest(recipient=number, body="Sale"), sender, context, asked_at)
        assert [f.code for f in found] == [expected[0]]
