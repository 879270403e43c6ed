"""CASL: every commercial message names its sender, not only the first one."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import CompliancePipeline, SenderProfile, SendRequest
from smskit.policy import ContentPolicy

AT = datetime(2026, 6, 10, 18, 0, tzinfo=UTC)
SENDER = SenderProfile(brand="Réno Plus")
BODY = "Promo printemps : 15 % de rabais cette semaine. Répondez STOP pour vous désabonner."
ENGINE = CompliancePipeline((ContentPolicy(),))


def _codes(number: str, purpose: str = "marketing", region: str | None = None) -> list[str]:
    request = SendRequest(number, body=BODY, purpose=purpose, first_message=False,
                          recipient_region=region)
    return list(ENGINE.decide(request, SENDER, AT).codes)


def test_a_later_promotion_to_a_canadian_number_without_the_brand_is_flagged() -> None:
    for number in ("+15145550123", "+14165550123", "+16045550123", "+18675550123"):
        assert "content.sender_id_missing" in _codes(number)


def test_the_finding_cites_casl_for_a_later_message() -> None:
    request = SendRequest("+15145550123", body=BODY, first_message=False)
    (found,) = [f for f in ENGINE.decide(request, SENDER, AT).findings
                if f.code == "content.sender_id_missing"]
    assert "CASL" in found.message
    assert "first message" not in found.message


def test_a_canadian_address_on_a_us_number_counts_too() -> None:
    assert "content.sender_id_missing" in _codes("+12065550123", region="CA-BC")


def test_the_opt_out_finding_keeps_first_message_false() -> None:
    request = SendRequest("+15145550123", body="Réno Plus : 15 % de rabais", first_message=False)
    (found,) = [f for f in ENGINE.decide(request, SENDER, AT).findings
                if f.code == "content.opt_out_missing"]
    assert found.details["first_message"] is False


def test_a_later_us_promotion_and_a_canadian_reminder_are_unchanged() -> None:
    assert "content.sender_id_missing" not in _codes("+12065550123")
    assert "content.sender_id_missing" not in _codes("+15145550123", purpose="transactional")


def test_a_canadian_address_in_lower_case_counts_too() -> None:
    # SendRequest accepts "ca-bc" (jurisdictions are read in any case); the check did not.
    assert "content.sender_id_missing" in _codes("+12065550123", region="ca-bc")
    assert "content.sender_id_missing" in _codes("+12065550123", region="ca")
