"""A first message led by the sender's identification prefix names the sender, even
when the prefix is a short form of the brand ("FixIt: " for "FixIt Home Services")."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import (
    CompliancePipeline,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)

LEAD = "+12125550123"  # New York
AT = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York, a Tuesday


def _codes(body: str, **profile: object) -> set[str]:
    sender = SenderProfile(
        sender_id="+14155550100", registration=Registration.APPROVED, consent_scope="acme",
        **{"brand": "FixIt Home Services", **profile},  # type: ignore[arg-type]
    )
    engine = CompliancePipeline(default_policies(store=MemoryStore()))
    request = SendRequest(LEAD, body=body, purpose=Purpose.TRANSACTIONAL, first_message=True)
    return set(engine.decide(request, sender, AT).codes)


def test_a_prefix_with_a_short_form_of_the_brand_names_the_sender() -> None:
    body = "Your technician Sam is on the way. Reply STOP to opt out"
    assert "content.sender_id_missing" in _codes(body)  # neither name is in the text
    assert "content.sender_id_missing" not in _codes(body, prefix="FixIt: ")
    assert "content.sender_id_missing" not in _codes(body, prefix="[FixIt] ")
    # The full brand still counts, and a prefix of punctuation alone names nobody.
    assert "content.sender_id_missing" not in _codes("FixIt Home Services: " + body)
    assert "content.sender_id_missing" in _codes(body, prefix=">> ")
    # A prefix that shares no word with the brand is no name of the sender.
    assert "content.sender_id_missing" in _codes(body, prefix="Reminder: ")
    assert "content.sender_id_missing" not in _codes(body, prefix="fixit home: ")


def test_a_prefix_written_without_the_brands_accents_names_the_sender() -> None:
    # The check reads "Cafe" and "Café" as one word (GSM-7 has no é), so a prefix
    # that drops the brand's accents shares its word.
    body = "Your table is ready. Reply STOP to opt out"
    assert "content.sender_id_missing" not in _codes(body, brand="Café Lumière", prefix="Cafe: ")
    assert "content.sender_id_missing" not in _codes(body, brand="Cafe Lumiere", prefix="Café: ")
    assert "content.sender_id_missing" in _codes(body, brand="Café Lumière", prefix="Bistro: ")
