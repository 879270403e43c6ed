"""CASL s.6(6) with nothing recorded (fix29h): refusing a transactional text to a
Canadian number without any record is smskit's default, not the law, so it is labelled
(status "default") and switchable (``ConsentRules.exempt_needs_record``). Both settings
are tested; marketing is never opened by the switch.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest, Verdict
from smskit.consent import CASL, US, ConsentLedger, ConsentState, MemoryStore, Purpose
from smskit.errors import ConfigurationError
from smskit.policy import default_policies

TORONTO_NUMBER = "+14165550123"
NEW_YORK_NUMBER = "+12125550123"
S6_6 = "https://laws-lois.justice.gc.ca/eng/acts/E-1.6/"
AT = datetime(2026, 6, 2, 15, 0, tzinfo=UTC)
OPEN = replace(CASL, exempt_needs_record=False)
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def test_the_default_still_blocks_with_no_record() -> None:
    assert CASL.exempt_needs_record is True
    status = ConsentLedger(MemoryStore(), rules=CASL).status(
        TORONTO_NUMBER, "transactional", scope="acme", at=AT)
    assert not status.allows_send
    assert status.findings[0].code == "consent.missing"
    assert status.findings[0].status == "default"


def test_switched_off_a_transactional_text_with_no_record_is_allowed() -> None:
    status = ConsentLedger(MemoryStore(), rules=OPEN).status(
        TORONTO_NUMBER, "transactional", scope="acme", at=AT)
    assert status.allows_send
    assert status.state is ConsentState.NONE  # nothing was granted: none is recorded
    assert status.evidence == ()
    (finding,) = status.findings
    assert finding.code == "consent.exempt"
    assert finding.severity.value == "info"
    assert S6_6 in finding.source
    assert finding.status == "secondary"
    assert "unsubscribe" in finding.message


def test_switched_off_marketing_with_no_record_is_still_refused() -> None:
    status = ConsentLedger(MemoryStore(), rules=OPEN).status(
        TORONTO_NUMBER, "marketing", scope="acme", at=AT)
    assert not status.allows_send
    assert status.findings[0].code == "consent.missing"


@pytest.mark.parametrize("exempt", [frozenset(Purpose), frozenset({Purpose.MARKETING})])
def test_marketing_cannot_be_exempted(exempt: frozenset[Purpose]) -> None:
    # Review of fix29h: marketing put in ``exempt`` was refused without a record but
    # allowed on an implied consent years past its six months; it is refused outright.
    with pytest.raises(ConfigurationError, match="marketing always needs consent") as caught:
        replace(OPEN, exempt=exempt)
    assert caught.value.field == "exempt"


def test_switched_off_a_revocation_still_blocks() -> None:
    ledger = ConsentLedger(MemoryStore(), rules=OPEN)
    ledger.revoke(TORONTO_NUMBER, scope="acme", at=datetime(2026, 1, 1, tzinfo=UTC))
    status = ledger.status(TORONTO_NUMBER, "transactional", scope="acme", at=AT)
    assert status.state is ConsentState.REVOKED
    assert not status.allows_send


def test_us_rules_are_untouched_by_the_switch() -> None:
    # The US rules exempt nothing: the switch has nothing to open.
    status = ConsentLedger(MemoryStore(), rules=replace(US, exempt_needs_record=False)).status(
        NEW_YORK_NUMBER, "transactional", scope="acme", at=AT)
    assert status.findings[0].code == "consent.missing"
    assert not status.allows_send


@pytest.mark.parametrize("value", ["false", 0, None])
def test_the_switch_must_be_a_bool(value: object) -> None:
    with pytest.raises(ConfigurationError, match="True or False") as caught:
        replace(CASL, exempt_needs_record=value)
    assert caught.value.field == "exempt_needs_record"


@pytest.mark.parametrize(("needs_record", "verdict"),
                         [(True, Verdict.BLOCK), (False, Verdict.ALLOW)])
def test_the_engine_follows_the_switch_for_canada_only(needs_record: bool,
                                                       verdict: Verdict) -> None:
    store = MemoryStore()
    rules = {"US": US, "CA": replace(CASL, exempt_needs_record=needs_record)}
    engine = CompliancePipeline(default_policies(store=store, consent_rules=rules))
    reminder = SendRequest(TORONTO_NUMBER, body="Acme: your service visit is Tue at 10. "
                           "Reply STOP to opt out", purpose="transactional")
    decision = engine.decide(reminder, SENDER, AT)
    assert decision.verdict is verdict, decision.explain()
    assert ("consent.missing" if needs_record else "consent.exempt") in decision.codes
    promo = SendRequest(TORONTO_NUMBER, body="Acme: 20% off a tune-up. Reply STOP to opt out",
                        purpose="marketing")
    assert engine.decide(promo, SENDER, AT).verdict is Verdict.BLOCK
    to_us = replace(reminder, recipient=NEW_YORK_NUMBER)
    assert engine.decide(to_us, SENDER, AT).verdict is Verdict.BLOCK
