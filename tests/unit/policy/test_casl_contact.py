"""CASL: every commercial electronic message, SMS included, must give the sender's contact
information (a mailing address and a phone number, e-mail or web address); a text short of
space may link to a page holding it (reference §3, V/S: https://crtc.gc.ca/eng/com500/guide.htm).
The engine checked a Canadian marketing text for the sender's name and an unsubscribe
only, so "Acme: 20% off this week. Reply STOP to opt out" went out with no way to reach
Acme (rev30e).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.findings import Severity
from smskit.policy.builtin import _gives_contact

TORONTO = "+1 416 555 0123"
NEW_YORK = "+1 212 555 0123"
T0 = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)  # 12:00 in Toronto and New York
ACME = SenderProfile(sender_id="+14165550100", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


def _codes(number: str, body: str, purpose: Purpose = Purpose.MARKETING,
           ) -> dict[str, Severity]:
    store = MemoryStore()
    ConsentLedger(store).grant(number, scope="acme", purposes=["marketing", "transactional"],
                               kind="express", source="api", at=datetime(2026, 1, 1, tzinfo=UTC))
    engine = CompliancePipeline(default_policies(store=store))
    decision = engine.decide(SendRequest(number, body=body, purpose=purpose,
                                         first_message=False), ACME, T0)
    return {f.code: f.severity for f in decision.findings}


@pytest.mark.parametrize("purpose", [Purpose.MARKETING, Purpose.TRANSACTIONAL])
def test_a_canadian_commercial_text_without_contact_information_is_flagged(
    purpose: Purpose,
) -> None:
    codes = _codes(TORONTO, "Acme: 20% off this week. Reply STOP to opt out", purpose)
    assert codes.get("casl.contact_missing") is Severity.WARNING


@pytest.mark.parametrize("body", [
    "Acme: 20% off this week. Info: acme.example/contact Reply STOP to opt out",
    "Acme: 20% off this week. Questions: help@acme.example Reply STOP to opt out",
    "Acme: 20% off this week. Call 1-800-555-0199. Reply STOP to opt out",
    "Acme: 20% off this week. Call (416) 555-0199. Reply STOP to opt out",
])
def test_a_link_an_email_or_a_phone_number_gives_the_contact(body: str) -> None:
    assert "casl.contact_missing" not in _codes(TORONTO, body)


def test_a_us_text_and_an_informational_canadian_text_are_not_asked() -> None:
    body = "Acme: 20% off this week. Reply STOP to opt out"
    assert "casl.contact_missing" not in _codes(NEW_YORK, body)
    assert "casl.contact_missing" not in _codes(TORONTO, "Acme: your table is ready",
                                                 Purpose.INFORMATIONAL)


# Review (rev30e review): numbers written as people write them give the contact too, and
# the opt-out confirmation, which only confirms, is no commercial message (CASL s.1(2):
# a CEM encourages participation in a commercial activity); adding the link the finding
# asks for would block it (FCC 47 CFR 64.1200(a)(12)).
@pytest.mark.parametrize("body", [
    "Acme: 20% off this week. Call 1-800-FLOWERS. Reply STOP to opt out",
    "Acme: 20% off this week. Call 1 888 ACME NOW. Reply STOP to opt out",
    # U+2011, the non-breaking hyphen a phone's keyboard or a template may put in
    "Acme: 20% off this week. Call 416\u2011555\u20110199. Reply STOP to opt out",
])
def test_a_vanity_or_non_breaking_phone_number_gives_the_contact(body: str) -> None:
    assert "casl.contact_missing" not in _codes(TORONTO, body)


def test_the_opt_out_confirmation_is_not_asked_for_a_contact() -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    ledger.grant(TORONTO, scope="acme", purposes=["marketing", "transactional"],
                 kind="express", source="api", at=datetime(2026, 1, 1, tzinfo=UTC))
    ledger.handle_reply(TORONTO, "STOP", scope="acme", at=T0)
    decision = CompliancePipeline(default_policies(store=store)).decide(
        SendRequest(TORONTO, body=ACME.reply_text(ACME.opt_out_reply),
                    purpose=Purpose.TRANSACTIONAL, first_message=False,
                    opt_out_confirmation=True),
        ACME, T0.replace(minute=1))
    assert "casl.contact_missing" not in decision.codes
    assert "opt_out_confirmation.allowed" in decision.codes
    # Nor for the unsubscribe CASL asks of a commercial message: it confirms one.
    assert "content.opt_out_missing" not in decision.codes


_SEPARATORS = st.sampled_from(["", " ", "-", ".", "\u2011", "\u2013"])


@given(st.from_regex(r"[2-9]\d\d", fullmatch=True), st.from_regex(r"[2-9]\d\d", fullmatch=True),
       st.from_regex(r"\d{4}", fullmatch=True), _SEPARATORS, _SEPARATORS,
       st.booleans())
def test_any_ten_digit_number_however_parted_gives_the_contact(
    area: str, exchange: str, line: str, first: str, second: str, parens: bool
) -> None:
    number = (f"({area}){first}" if parens else f"{area}{first}") + f"{exchange}{second}{line}"
    assert _gives_contact(f"Acme: 20% off. Call {number}. Reply STOP to opt out")
    # Without it, nothing else in the text is contact information.
    assert not _gives_contact("Acme: 20% off. Reply STOP to opt out")
