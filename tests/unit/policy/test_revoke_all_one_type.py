"""FCC revoke-all (47 CFR 64.1200(a)(10), from 2027-01-31, reference §1c V/S): a request to
revoke consent made in response to one type of message applies to all future robocalls
and robotexts from that caller on unrelated matters (CGB delay order, as quoted by
https://www.mondaq.com/unitedstates/telecoms-mobile-cable-communications/1610950/fcc-delays-revoke-all-provision-of-new-revocation-rules).

Found in review rev30e and NOT fixed: under the rule the engine's opt-out check still
counts only a revocation of every purpose, on the question's channel. A person who told an
agent "no more offers" (a marketing-only revocation) or "stop calling me" (voice only) on
5 February 2027 still gets informational texts. The fix needs a way to record a scope the
person clarified (the one confirmation may ask; no answer means all), the same reading in
``_opt_out_state``, ``tests/_reference.py``, SQLite's ``facts_for_opt_outs`` cut (which
keeps a sibling scope's events only from the last revocation of every purpose) and the
ledger's reused-reference check. Strict: this fails once it is fixed, to be turned into a
plain test then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

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

NY = ZoneInfo("America/New_York")
LEAD = "+12125550123"
ACME = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


@pytest.mark.xfail(strict=True, reason="rev30e: revoke-all reads only revocations of every "
                   "purpose on the question's channel (not fixed; see the module docstring)")
@pytest.mark.parametrize("narrow", [{"purposes": ["marketing"]}, {"channels": ["voice"]}])
def test_a_revocation_of_one_type_stops_other_texts_under_revoke_all(
    narrow: dict[str, list[str]],
) -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    ledger.grant(LEAD, scope="acme", purposes=["marketing", "informational"],
                 channels=["sms", "voice"], kind="express_written", source="web_form",
                 at=datetime(2027, 1, 1, tzinfo=UTC),
                 evidence=Evidence(consent_text="Yes", form_url="https://acme.example/join"))
    ledger.revoke(LEAD, scope="acme", at=datetime(2027, 2, 5, 12, tzinfo=NY),
                  method="agent", source="api", **narrow)  # type: ignore[arg-type]
    reminder = SendRequest(LEAD, body="Acme: your appointment is tomorrow at 3pm.",
                           purpose=Purpose.INFORMATIONAL, first_message=False)
    decision = CompliancePipeline(default_policies(store=store)).decide(
        reminder, ACME, datetime(2027, 2, 6, 14, tzinfo=NY))
    assert decision.verdict is Verdict.BLOCK, decision.codes
