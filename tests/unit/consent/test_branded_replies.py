"""Auto-replies name the sender's brand: the carriers' keyword rules (CTIA, as Twilio's
US short-code keyword requirements relay them) want a HELP answer and an opt-out
confirmation to say whose program they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.sender import SenderProfile

LEAD = "+14155550123"
T0 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


def _ledger(profile: SenderProfile) -> ConsentLedger:
    return ConsentLedger(MemoryStore(), senders={"acme": profile})


def test_default_replies_are_led_by_the_brand() -> None:
    ledger = _ledger(SenderProfile(brand="FixIt Home Services"))
    help_ = ledger.handle_reply(LEAD, "HELP", scope="acme", at=T0)
    assert help_.reply is not None
    assert help_.reply.text == (
        "FixIt Home Services: Reply STOP to unsubscribe. Msg & data rates may apply."
    )
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(minutes=1))
    assert stop.reply is not None
    assert stop.reply.text == (
        "FixIt Home Services: You are unsubscribed and will receive no more messages "
        "from us. Reply START to resubscribe."
    )
    start = ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + timedelta(minutes=2))
    assert start.reply is not None
    assert start.reply.text.startswith("FixIt Home Services: You are resubscribed.")


def test_a_reply_that_names_the_brand_or_a_profile_without_one_is_sent_as_written() -> None:
    named = SenderProfile(brand="FixIt", help_reply="FIXIT help: call 555-0100. Reply STOP.")
    reply = _ledger(named).handle_reply(LEAD, "HELP", scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text == "FIXIT help: call 555-0100. Reply STOP."  # named, case aside
    plain = _ledger(SenderProfile()).handle_reply(LEAD, "HELP", scope="acme", at=T0).reply
    assert plain is not None
    assert plain.text == "Reply STOP to unsubscribe. Msg & data rates may apply."
    # A blank brand is no brand.
    assert SenderProfile(brand="  ").reply_text("Hi") == "Hi"
