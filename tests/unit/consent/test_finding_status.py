"""Each consent finding carries the reference's mark for the fact behind it (user30).

`Finding.status` was empty on every consent finding, so an audit record (`to_json`,
`smskit check --json`) said `"status": ""` beside a source, where the reference grades
the fact: FCC 24-24's revocation rule V, the TCPA's written-consent text V/S (the
stricter S), the CTIA message types S, CASL's guidance V. Expected marks are typed from
the table in docs/consent.md ("The rules and their sources"), not read from the code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit.consent import CASL, ConsentLedger, Evidence, MemoryStore

US_LEAD = "+12125550123"
CA_LEAD = "+14165550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
FORM = Evidence(consent_text="I agree to texts from Acme", form_url="https://acme.example/j")


def _status(ledger: ConsentLedger, number: str, purpose: str, at: datetime) -> tuple[str, str]:
    (finding,) = ledger.status(number, purpose, scope="acme", at=at).findings
    return finding.code, finding.status


def test_us_consent_findings_carry_their_marks() -> None:
    ledger = ConsentLedger(MemoryStore())
    assert _status(ledger, US_LEAD, "marketing", T0) == ("consent.missing", "secondary")
    assert _status(ledger, US_LEAD, "informational", T0) == ("consent.missing", "secondary")
    ledger.grant(US_LEAD, scope="acme", purposes=["marketing", "informational"],
                 kind="express_written", source="web_form", at=T0, evidence=FORM)
    later = T0 + timedelta(days=1)
    assert _status(ledger, US_LEAD, "marketing", later) == ("consent.granted", "secondary")
    assert _status(ledger, US_LEAD, "informational", later) == ("consent.granted", "secondary")
    ledger.revoke(US_LEAD, scope="acme", at=later)
    assert _status(ledger, US_LEAD, "marketing", later + timedelta(hours=1)) == (
        "consent.revoked", "verified")


def test_us_marketing_on_express_consent_is_insufficient_and_secondary() -> None:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(US_LEAD, scope="acme", purposes="marketing", kind="express",
                 source="web_form", at=T0, evidence=FORM)
    assert _status(ledger, US_LEAD, "marketing", T0 + timedelta(days=1)) == (
        "consent.insufficient", "secondary")


@pytest.mark.parametrize(("days", "expected"), [
    # The reference marks CASL's implied-consent periods V/S: the stricter S (fix29c;
    # these were "verified", the mark of the express-consent row).
    (30, ("consent.granted", "secondary")),
    (400, ("consent.expired", "secondary")),  # an inquiry's implied consent: 6 months
])
def test_casl_implied_consent_findings_are_secondary(days: int,
                                                      expected: tuple[str, str]) -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    ledger.grant(CA_LEAD, scope="acme", purposes="marketing", kind="implied",
                 implied_basis="inquiry", source="web_form", at=T0)
    assert _status(ledger, CA_LEAD, "marketing", T0 + timedelta(days=days)) == expected


def test_casl_express_consent_and_missing_consent_stay_verified() -> None:
    # The express-consent row (CEMs need consent; express consent lasts until withdrawn)
    # is V in the reference.
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    assert _status(ledger, CA_LEAD, "marketing", T0) == ("consent.missing", "verified")
    ledger.grant(CA_LEAD, scope="acme", purposes="marketing", kind="express",
                 source="web_form", at=T0, evidence=FORM)
    assert _status(ledger, CA_LEAD, "marketing", T0 + timedelta(days=900)) == (
        "consent.granted", "verified")


def test_casl_non_business_implied_consent_is_secondary() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    ledger.grant(CA_LEAD, scope="acme", purposes="marketing", kind="implied",
                 implied_basis="non_business", source="import", at=T0)
    assert _status(ledger, CA_LEAD, "marketing", T0 + timedelta(days=30)) == (
        "consent.granted", "secondary")
