"""Bugs found reviewing the engine's speed changes (branch fast10), one test each.

Expected values come from the rule each test cites, never from the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest
from smskit.errors import ConfigurationError
from smskit.findings import Finding
from smskit.policy import PolicyContext

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
