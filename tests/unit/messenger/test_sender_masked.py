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
