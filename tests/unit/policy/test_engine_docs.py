"""docs/engine.md's code table is the data; nothing enforces the vacated one-to-one rule."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

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
from smskit.content import CONTENT_FINDING_CODES
from smskit.mms import MMS_FINDING_CODES
from smskit.policy import FINDING_CODES, POLICY_FINDING_CODES
from smskit.policy._codes import codes_markdown

ROOT = Path(__file__).resolve().parents[3]


def test_the_docs_table_is_generated_from_the_data() -> None:
    page = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
    table = page.split("<!-- finding-codes:start -->\n")[1].split("<!-- finding-codes:end -->")[0]
    assert table == codes_markdown(), "run python tools/regen_engine_codes.py"


def test_every_code_of_every_wrapped_check_is_listed_with_a_source() -> None:
    wanted = {*POLICY_FINDING_CODES, *CONTENT_FINDING_CODES, *MMS_FINDING_CODES,
              "consent.granted", "consent.expired", "consent.revoked", "consent.missing",
              "consent.pending", "consent.insufficient", "quiet_hours.outside_window",
              "quiet_hours.closed_day", "quiet_hours.prohibited", "frequency_cap.exceeded"}
    assert wanted <= set(FINDING_CODES)
    assert all(info.source for info in FINDING_CODES.values())


def test_every_code_the_engine_writes_is_in_the_table() -> None:
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (ROOT / "src" / "smskit" / "policy").glob("*.py"))
    written = set(re.findall(r'_finding\(\s*"([a-z_]+\.[a-z_0-9]+)"', source))
    written |= set(re.findall(r'Finding\(\s*"([a-z_]+\.[a-z_0-9]+)"', source))
    assert written
    assert written <= set(FINDING_CODES)


def test_no_code_enforces_the_vacated_one_to_one_consent_rule() -> None:
    # Insurance Marketing Coalition v. FCC (11th Cir., 2025-01-24) vacated it.
    pattern = re.compile(r"one[-_ ]to[-_ ]one|one seller at a time|single[-_ ]seller", re.I)
    hits = [p for p in (ROOT / "src").rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert hits == []


def test_one_form_may_consent_to_several_sellers() -> None:
    # Multi-seller consent (one lead form naming three sellers) is lawful again federally.
    store = MemoryStore()
    ledger = ConsentLedger(store)
    form = Evidence(consent_text="I agree to texts from Acme, Bolt and Crane",
                    form_url="https://leads.example/form/7")
    for seller in ("acme", "bolt", "crane"):
        ledger.grant("+12125550123", scope=seller, purposes="marketing",
                     kind="express_written", source="web_form",
                     at=datetime(2026, 2, 1, tzinfo=UTC), evidence=form)
    engine = CompliancePipeline(default_policies(store=store))
    for seller in ("acme", "bolt", "crane"):
        profile = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                                brand=seller.title(), consent_scope=seller)
        decision = engine.decide(
            SendRequest("+12125550123", body=f"{seller.title()}: sale. Reply STOP to opt out",
                        first_message=False),
            profile, datetime(2026, 3, 3, 17, 0, tzinfo=UTC))
        assert decision.verdict is Verdict.ALLOW, decision.explain()
