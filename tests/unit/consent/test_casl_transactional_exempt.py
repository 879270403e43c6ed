"""CASL s.6(6): a transactional text needs no consent, so a lapsed implied consent no
longer blocks an appointment reminder or account notice to a Canadian customer (fix29c).

Marketing on the same lapsed consent is still refused; a revocation still blocks; no
record at all still blocks (a labelled default). Dates are typed here, not computed by
smskit: a purchase on 2023-06-01 lapses for commercial messages on 2025-06-01 (2 years),
an inquiry on 2025-01-10 on 2025-07-10 (6 months).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest, Verdict
from smskit.consent import CASL, US, ConsentLedger, ConsentState, Evidence, MemoryStore
from smskit.errors import ConfigurationError
from smskit.policy import default_policies

TORONTO_NUMBER = "+14165550123"
S6_6 = "https://laws-lois.justice.gc.ca/eng/acts/E-1.6/"
PURCHASE = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)
THREE_YEARS_ON = datetime(2026, 6, 2, 15, 0, tzinfo=UTC)
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def _ledger(basis: str = "purchase", at: datetime = PURCHASE,
            rules: object = CASL) -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), rules=rules)  # type: ignore[arg-type]
    ledger.grant(TORONTO_NUMBER, scope="acme", purposes=["marketing", "transactional"],
                 kind="implied", implied_basis=basis, source="import", at=at)
    return ledger


def test_a_lapsed_purchase_still_allows_a_transactional_text_under_casl() -> None:
    ledger = _ledger()
    reminder = ledger.status(TORONTO_NUMBER, "transactional", scope="acme", at=THREE_YEARS_ON)
    assert reminder.state is ConsentState.GRANTED
    assert reminder.allows_send
    assert reminder.expires_at is None
    (finding,) = reminder.findings
    assert finding.code == "consent.granted"
    assert S6_6 in finding.source
    assert finding.status == "secondary"  # no reference row; the Act not retrieved here
    assert "2025-06-01" in finding.message
    assert "unsubscribe" in finding.message


def test_the_same_lapsed_purchase_still_blocks_marketing() -> None:
    ledger = _ledger()
    promo = ledger.status(TORONTO_NUMBER, "marketing", scope="acme", at=THREE_YEARS_ON)
    assert promo.state is ConsentState.EXPIRED
    assert not promo.allows_send
    assert promo.findings[0].source == "https://crtc.gc.ca/eng/com500/guide.htm"


@pytest.mark.parametrize("purpose", ["transactional", "marketing"])
def test_a_lapsed_inquiry_six_months_and_a_day_on(purpose: str) -> None:
    ledger = _ledger("inquiry", datetime(2025, 1, 10, 12, 0, tzinfo=UTC))
    at = datetime(2025, 7, 11, 12, 0, tzinfo=UTC)
    status = ledger.status(TORONTO_NUMBER, purpose, scope="acme", at=at)
    assert status.allows_send is (purpose == "transactional")


def test_a_revocation_still_blocks_a_transactional_text() -> None:
    ledger = _ledger()
    ledger.revoke(TORONTO_NUMBER, scope="acme", at=datetime(2024, 1, 1, tzinfo=UTC))
    status = ledger.status(TORONTO_NUMBER, "transactional", scope="acme", at=THREE_YEARS_ON)
    assert status.state is ConsentState.REVOKED


def test_an_explicit_expiry_still_ends_it() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    ledger.grant(TORONTO_NUMBER, scope="acme", purposes="transactional", kind="implied",
                 implied_basis="contract", source="import", at=PURCHASE,
                 expires_at=datetime(2024, 1, 1, tzinfo=UTC))
    status = ledger.status(TORONTO_NUMBER, "transactional", scope="acme", at=THREE_YEARS_ON)
    assert status.state is ConsentState.EXPIRED
    assert S6_6 in status.findings[0].source  # not the 2-year period: it played no part


def test_no_record_at_all_still_blocks_as_a_labelled_default() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=CASL)
    (finding,) = ledger.status(TORONTO_NUMBER, "transactional", scope="acme",
                               at=THREE_YEARS_ON).findings
    assert finding.code == "consent.missing"
    assert finding.status == "default"
    assert "not the law" in finding.message


def test_the_exemption_can_be_switched_off() -> None:
    strict = replace(CASL, exempt=frozenset())
    status = _ledger(rules=strict).status(TORONTO_NUMBER, "transactional", scope="acme",
                                          at=THREE_YEARS_ON)
    assert status.state is ConsentState.EXPIRED


@pytest.mark.parametrize("exempt", [{"transactional"}, ["transactional"], frozenset({"x"})])
def test_exempt_must_be_a_frozenset_of_purposes(exempt: object) -> None:
    with pytest.raises(ConfigurationError, match="frozenset of Purpose") as caught:
        replace(CASL, exempt=exempt)
    assert caught.value.field == "exempt"


def test_us_rules_do_not_exempt_transactional() -> None:
    # CTIA: transactional needs express consent; implied consent never allowed it.
    status = _ledger(rules=US).status(TORONTO_NUMBER, "transactional", scope="acme",
                                      at=datetime(2023, 7, 1, tzinfo=UTC))
    assert status.findings[0].code == "consent.insufficient"


def test_the_engine_sends_the_reminder_and_refuses_the_promotion() -> None:
    # The ledger keeps the default (US) rules; the engine judges a Canadian number by CASL.
    store = MemoryStore()
    ConsentLedger(store).grant(
        TORONTO_NUMBER, scope="acme", purposes=["marketing", "transactional"],
        kind="implied", implied_basis="purchase", source="import", at=PURCHASE,
        evidence=Evidence(reference="order-1"))
    engine = CompliancePipeline(default_policies(store=store))
    reminder = SendRequest(TORONTO_NUMBER, body="Acme: your service visit is Tue at 10. "
                           "Reply STOP to opt out", purpose="transactional")
    decision = engine.decide(reminder, SENDER, THREE_YEARS_ON)
    assert decision.verdict is Verdict.ALLOW, decision.explain()
    assert "consent.granted" in decision.codes
    promo = SendRequest(TORONTO_NUMBER, body="Acme: 20% off a tune-up. Reply STOP to opt out",
                        purpose="marketing")
    blocked = engine.decide(promo, SENDER, THREE_YEARS_ON)
    assert blocked.verdict is Verdict.BLOCK
    assert "consent.expired" in blocked.codes


def test_a_period_that_never_limited_transactional_does_not_say_it_lapsed() -> None:
    # Review rev29c: CASL's conversation period (6 months) limits marketing only; past
    # it, informational is still allowed, so "lapsed for messages that need consent"
    # was untrue. A conversation on 2025-01-01 ends for marketing on 2025-07-01.
    ledger = _ledger("conversation", datetime(2025, 1, 1, 12, 0, tzinfo=UTC))
    at = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    (finding,) = ledger.status(TORONTO_NUMBER, "transactional", scope="acme", at=at).findings
    assert finding.code == "consent.granted"
    assert "lapsed" not in finding.message
    assert ledger.status(TORONTO_NUMBER, "marketing", scope="acme", at=at).state is (
        ConsentState.EXPIRED)
