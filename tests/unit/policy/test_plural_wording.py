"""``Decision.reason`` and ``explain()`` said "1 warning(s)" and "1 segment(s)".

The command line prints the reason as it is ("Reason allowed with 1 warning(s)"),
after the CLI's own "(s)" wording was fixed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest
from smskit.policy import ContentPolicy

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ACME = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                     brand="Acme", consent_scope="acme")


def _decide(body: str) -> str:
    request = SendRequest("+12125550123", body=body, purpose="conversational",
                          first_message=True)
    decision = CompliancePipeline((ContentPolicy(),)).decide(request, ACME, AT)
    return decision.explain()


def test_one_warning_and_one_segment_are_singular() -> None:
    text = _decide("See you at 9")  # a first message without the brand: one warning
    assert text.splitlines()[0] == "ALLOW: allowed with 1 warning"
    assert text.splitlines()[1] == "gsm7, 1 segment"


def test_two_segments_are_plural() -> None:
    text = _decide("Acme: " + "x" * 200)
    assert "gsm7, 2 segments" in text.splitlines()
