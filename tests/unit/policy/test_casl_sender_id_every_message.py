"""CASL: every commercial message names its sender, not only the first one."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import CompliancePipeline, SenderProfile, SendRequest
from smskit.policy import ContentPolicy
from smskit.purpose import Purpose

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


def test_a_later_us_promotion_and_us_reminder_are_unchanged() -> None:
    assert "content.sender_id_missing" not in _codes("+12065550123")
    assert "content.sender_id_missing" not in _codes("+12065550123", purpose="transactional")


# Review rev29c: CASL s.6(6) lifts only the consent requirement from a transactional
# message; s.6(2)'s sender identification and unsubscribe still apply to every one.
REMINDER = "Votre rendez-vous est mardi à 10 h."


def _reminder(body: str = REMINDER, policy: ContentPolicy | None = None,
              purpose: str = "transactional") -> dict[str, str]:
    request = SendRequest("+15145550123", body=body, purpose=purpose, first_message=False)
    engine = CompliancePipeline((policy or ContentPolicy(),))
    return {f.code: f.message for f in engine.decide(request, SENDER, AT).findings}


def test_a_later_canadian_reminder_must_name_the_sender_and_offer_an_unsubscribe() -> None:
    found = _reminder()
    # rev30e: and its contact information (casl.contact_missing).
    assert set(found) == {"content.sender_id_missing", "content.opt_out_missing",
                          "casl.contact_missing"}
    for message in found.values():
        assert "CASL" in message
        assert "s.6(6)" in message
        assert "first message" not in message


def test_a_later_canadian_reminder_that_has_both_is_clean() -> None:
    # With a phone number too: CASL's contact information (rev30e).
    assert _reminder("Réno Plus : votre rendez-vous est mardi à 10 h. Info : 514-555-0199. "
                     "Répondez STOP pour vous désabonner.") == {}


def test_conversational_and_informational_replies_are_unchanged() -> None:
    assert _reminder(purpose="conversational") == {}
    assert _reminder(purpose="informational") == {}


def test_the_transactional_check_can_be_switched_off() -> None:
    assert _reminder(policy=ContentPolicy(casl_purposes=frozenset({Purpose.MARKETING}))) == {}


def test_a_canadian_address_in_lower_case_counts_too() -> None:
    # SendRequest accepts "ca-bc" (jurisdictions are read in any case); the check did not.
    assert "content.sender_id_missing" in _codes("+12065550123", region="ca-bc")
    assert "content.sender_id_missing" in _codes("+12065550123", region="ca")
