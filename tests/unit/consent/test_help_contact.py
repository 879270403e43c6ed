"""A HELP answer without a way to reach the business (fix29h): the default help_reply
gives none, and the carriers' short code rules (as Twilio relays the CTIA handbook) want
a customer-care phone number, e-mail or web address in it. ``SenderProfile.advice()``
warns, blocking nothing; the CLI's check and plan print it on stderr
(tests/cli/test_cli_help_contact.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest, Verdict
from smskit.consent import ReplyTexts
from smskit.consent.sender import has_contact
from smskit.errors import ConfigurationError
from smskit.policy import default_policies

TWILIO_SHORT_CODE_RULES = (
    "https://support.twilio.com/hc/en-us/articles/223182208-US-Short-Code-Keyword-"
    "Requirements-HELP-STOP-and-Opt-In-Confirmation"
)
OWN_HELP = "Acme: help at 1-800-555-0100. Reply STOP to opt out."


@pytest.mark.parametrize("text", [
    "Acme: help at 1-800-555-0100. Reply STOP to opt out.",
    "Acme: call (800) 555-0100",
    "Acme: call +1 416 555 0123",
    "Acme: write to care@acme.example.com",
    "Acme: see https://acme.example/help",
    "Acme: see www.acme.ca",
    "Acme: see acme.com/help",
    "Acme: see acme.com.",
])
def test_a_phone_number_email_or_web_address_is_a_contact(text: str) -> None:
    assert has_contact(text)


@pytest.mark.parametrize("text", [
    "Reply STOP to unsubscribe. Msg & data rates may apply.",
    "Acme: text 12345 for deals. Reply STOP to opt out.",  # a short code is no care line
    "St.John Clinic: reply STOP to opt out.",
    "Msg&data rates may apply.Reply STOP to end.",
])
def test_texts_without_a_contact(text: str) -> None:
    assert not has_contact(text)


def test_the_default_profile_is_warned_with_source_and_mark() -> None:
    (finding,) = SenderProfile().advice()
    assert finding.code == "sender.help_no_contact"
    assert finding.severity.value == "warning"
    assert finding.source == TWILIO_SHORT_CODE_RULES
    assert finding.status == "default"  # a 10DLC number: the short code rule, applied by us
    # The English default and smskit's French and Spanish defaults all lack one.
    assert finding.details["replies"] == ("help_reply", "help_reply (fr)", "help_reply (es)")
    assert "warn_help_without_contact" in finding.message


def test_on_a_short_code_the_rule_is_the_carriers_verified_one() -> None:
    profile = SenderProfile(route="short_code", sender_id="12345", registration="not_required")
    (finding,) = profile.advice()
    assert finding.status == "verified"


def test_an_own_help_text_with_a_contact_is_not_warned() -> None:
    # An own English text also replaces smskit's generic French and Spanish ones.
    assert SenderProfile(help_reply=OWN_HELP).advice() == ()


def test_an_own_translation_without_a_contact_is_named() -> None:
    profile = SenderProfile(help_reply=OWN_HELP, reply_translations=(
        ReplyTexts("fr", help_reply="Répondez ARRET pour arrêter."),))
    (finding,) = profile.advice()
    assert finding.details["replies"] == ("help_reply (fr)",)


def test_the_warning_never_shows_the_text_or_a_number() -> None:
    profile = SenderProfile(help_reply="Sam's Garage: call Sam. Reply STOP to end",
                            sender_id="+14155550100", registration="approved")
    (finding,) = profile.advice()
    assert "Sam" not in finding.message
    assert "4155550100" not in repr(finding)


def test_the_warning_can_be_switched_off() -> None:
    assert SenderProfile(warn_help_without_contact=False).advice() == ()
    loaded = SenderProfile.from_toml("[sender]\nwarn_help_without_contact = false\n")
    assert loaded.advice() == ()
    with pytest.raises(ConfigurationError) as caught:
        SenderProfile.from_toml("[sender]\nwarn_help_without_contact = \"no\"\n")
    assert caught.value.field == "warn_help_without_contact"


def test_the_warning_blocks_no_send() -> None:
    engine = CompliancePipeline(default_policies())
    sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                           brand="Acme", prefix="Acme: ", footer="Reply STOP to opt out")
    assert sender.advice()
    request = SendRequest("+12125550123", body="Acme: your visit is Tue at 10. Reply STOP "
                          "to opt out", purpose="informational")
    decision = engine.decide(request, sender, datetime(2026, 3, 3, 17, 0, tzinfo=UTC))
    assert decision.verdict is Verdict.ALLOW, decision.explain()
    assert "sender.help_no_contact" not in decision.codes
