"""The sending number is masked in every repr, as SenderProfile's is: a sole
proprietor's sending number may be a personal phone. Short codes, alphanumeric IDs
and messaging-service ids are public names and shown as they are."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit import (
    DeliveryRecord,
    Direction,
    MessageRecord,
    OutboxEntry,
    OutboxState,
    SenderHealth,
    SendRecord,
    Usage,
)
from smskit.numbers.parse import mask_sender

AT = datetime(2026, 11, 20, 15, tzinfo=UTC)
SENDER = "+12125550199"
CONTACT = "+12125550123"


def _records() -> list[object]:
    return [
        SendRecord(CONTACT, SENDER, AT),
        MessageRecord(Direction.OUTBOUND, SENDER, CONTACT, AT, 1),
        DeliveryRecord("SM1", SENDER, CONTACT, AT, "delivered"),
        OutboxEntry("k", CONTACT, SENDER, OutboxState.SENT, AT, AT),
        SenderHealth(SENDER, AT, AT, 0, 0, 0),
        Usage(SENDER, AT, AT, 0, 0, 0, 0, 0, 0),
    ]


@pytest.mark.parametrize("record", _records(), ids=lambda r: type(r).__name__)
def test_a_record_repr_masks_the_sending_number(record: object) -> None:
    shown = repr(record)
    assert "2125550199" not in shown
    assert "+1********99" in shown


@pytest.mark.parametrize(
    ("sender", "shown"),
    [
        ("+12125550199", "+1********99"),
        ("+44 20 7946 0517", "+44********17"),
        ("12125550199", "1********99"),   # written without '+': still a number
        ("12345", "12345"),               # a short code is a public name
        ("Acme", "Acme"),                 # an alphanumeric sender ID
        ("MG0123456789abcdef", "MG0123456789abcdef"),  # a messaging service
    ],
)
def test_mask_sender_hides_numbers_only(sender: str, shown: str) -> None:
    assert mask_sender(sender) == shown


@pytest.mark.parametrize("code", ["30026", "30027"])
def test_the_daily_cap_findings_mask_the_sending_number(code: str) -> None:
    # The repr's sender= was masked, but the cap findings (in the repr's findings=, and
    # printed by `smskit health`) named the sending number in full.
    from smskit.messenger import MemoryMessageHistory
    from smskit.messenger.health import sender_health

    history = MemoryMessageHistory()
    history.record_message(MessageRecord(Direction.OUTBOUND, SENDER, CONTACT, AT, 1,
                                         provider_id="SM1"))
    history.record_delivery(DeliveryRecord("SM1", SENDER, CONTACT, AT, "delivered", None, code))
    health = sender_health(history, SENDER, AT)
    assert health.findings, "the cap code gives a finding"
    for finding in health.findings:
        assert "2125550199" not in finding.message
        assert "+1********99" in finding.message
    assert "2125550199" not in repr(health)


@pytest.mark.parametrize(
    ("sender", "route"),
    [("Acme", "international"), ("12345", "short_code"), ("+12125550199", "10dlc")],
)
def test_provider_messages_show_the_sending_identity_as_sender_profile_does(
    sender: str, route: str
) -> None:
    # OutboundMessage masked an alphanumeric ID or short code whole ('****') and
    # InboundMessage its `to` (the business's own number or short code), where
    # SenderProfile and the records show such public names as they are.
    from smskit import InboundMessage, OutboundMessage, Route, SenderProfile

    profile = repr(SenderProfile(sender_id=sender, route=Route(route)))
    outbound = repr(OutboundMessage(to=CONTACT, body="hi", sender=sender))
    inbound = repr(InboundMessage("SM1", CONTACT, sender, "hi"))
    shown = mask_sender(sender)
    assert f"sender_id={shown!r}" in profile
    assert f"sender={shown!r}" in outbound
    assert f"to={shown!r}" in inbound
    assert "2125550199" not in profile + outbound + inbound


@pytest.mark.parametrize(
    ("sender", "shown"),
    [
        # A provider's channel address (Twilio writes WhatsApp and RCS senders so):
        # the number in it is still a number.
        ("whatsapp:+12125550199", "whatsapp:+1********99"),
        ("tel:+12125550199", "tel:+1********99"),
    ],
)
def test_mask_sender_masks_a_number_behind_a_channel_prefix(sender: str, shown: str) -> None:
    assert mask_sender(sender) == shown
