"""A block found only at the instant a deferral would have gone is not the reason at
the decision's time (user30, a "texts after STOP" dispute).

At 07:00 in New York a marketing text is deferred by quiet hours to 08:00; a STOP at
07:30 blocks it by then. The record used to read "blocked: consent was revoked ... on
07:30" for a decision at 07:00, when consent was live: an auditor reconstructing the
dispute would read a revocation before it happened. Expected texts are written by hand.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Decision,
    Evidence,
    MemoryStore,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)

NY = ZoneInfo("America/New_York")
LEAD = "+12125550123"
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme")
AT = datetime(2026, 6, 2, 7, 0, tzinfo=NY)  # before the TCPA's 08:00
STOP = datetime(2026, 6, 2, 7, 30, tzinfo=NY)


def _decide() -> Decision:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=datetime(2026, 1, 5, 10, 0, tzinfo=NY),
                 evidence=Evidence(consent_text="I agree to texts from Acme",
                                   form_url="https://acme.example/join"))
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=STOP)
    engine = CompliancePipeline(default_policies(store=ledger.store))
    request = SendRequest(LEAD, body="Acme: 10% off today. Reply STOP to opt out",
                          purpose="marketing", first_message=False)
    return engine.decide(request, SENDER, AT)


def test_the_reason_says_the_block_is_at_the_deferred_instant() -> None:
    decision = _decide()
    assert decision.verdict is Verdict.BLOCK
    assert decision.reason.startswith(
        "blocked: deferred (quiet_hours.outside_window) to 2026-06-02T08:00:00-04:00, "
        "when it would be blocked: consent was revoked (keyword) on "
        "2026-06-02T07:30:00-04:00"
    )


def test_explain_marks_each_finding_judged_later() -> None:
    text = _decide().explain()
    judged = ("  judged at: 2026-06-02T08:00:00-04:00 (when the deferring rules would "
              "allow it; not at 2026-06-02T07:00:00-04:00)")
    assert text.count(judged) == 2  # consent.revoked and opt_out.active
    # Kept in the saved record.
    assert Decision.from_json(_decide().to_json()).explain() == text


def test_the_revoke_all_finding_says_which_instant_it_starts_at() -> None:
    # 23:00 on 30 January 2027 in New York is 04:00 on the 31st in UTC: revoke-all
    # (from 2027-01-31, CGB Order DA 26-12) already blocks; the finding said "from
    # 2027-01-31" beside a local date of the 30th, without saying which clock (user30).
    # It starts when the 31st begins in Guam (fix29c): 14:00 UTC on the 30th.
    ledger = ConsentLedger(MemoryStore())
    for scope in ("acme/a", "acme/b"):
        ledger.grant(LEAD, scope=scope, purposes="informational", kind="express",
                     source="web_form", at=datetime(2026, 1, 5, 10, 0, tzinfo=NY),
                     evidence=Evidence(form_url="https://acme.example/join"))
    ledger.revoke(LEAD, scope="acme/a", at=datetime(2026, 6, 1, 10, 0, tzinfo=NY))
    engine = CompliancePipeline(default_policies(store=ledger.store))
    sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                           brand="Acme", consent_scope="acme/b")
    decision = engine.decide(SendRequest(LEAD, body="Acme: your visit is Tue",
                                         purpose="informational"),
                             sender, datetime(2027, 1, 30, 23, 0, tzinfo=NY))
    (finding,) = [f for f in decision.findings if f.code == "opt_out.revoke_all"]
    assert "from 2027-01-30 14:00 UTC, when that day begins in Guam" in finding.message
