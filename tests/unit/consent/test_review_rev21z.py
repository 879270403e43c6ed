"""Review rev21z of the branded auto-replies (7ae2eb5): the brand leads a reply unless
the reply names it as a word, and the ledger's own branded opt-out confirmation passes
the engine's confirmation check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.errors import ConfigurationError

LEAD = "+12125550123"
T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def test_a_brand_inside_a_longer_word_is_not_named() -> None:
    # "Scribe" sits inside "unsubscribe", "Acme" inside "Acmedental": neither text names
    # the brand, so both replies must be led by it.
    scribe = SenderProfile(brand="Scribe")
    assert scribe.reply_text(scribe.opt_out_reply).startswith("Scribe: ")
    assert scribe.reply_text(scribe.help_reply).startswith("Scribe: ")
    acme = SenderProfile(brand="Acme")
    assert acme.reply_text("Acmedental support: call us.") == "Acme: Acmedental support: call us."
    # Named as a word (any case), it is not added again.
    assert acme.reply_text("ACME: you are unsubscribed.") == "ACME: you are unsubscribed."
    assert acme.reply_text("From Acme. Bye") == "From Acme. Bye"


def test_a_brand_with_regex_characters_is_matched_literally() -> None:
    plus = SenderProfile(brand="C++ Club")
    assert plus.reply_text("C++ Club: bye") == "C++ Club: bye"
    assert plus.reply_text("Bye").startswith("C++ Club: ")


def test_a_brand_that_is_a_link_cannot_lead_the_opt_out_confirmation() -> None:
    # FCC 47 CFR 64.1200(a)(12): no links in the confirmation; the profile refuses a
    # link in opt_out_reply, and must refuse one the brand would bring into it.
    with pytest.raises(ConfigurationError) as raised:
        SenderProfile(brand="www.acme.example")
    assert raised.value.field == "brand"


def test_the_ledgers_branded_confirmation_passes_the_engine() -> None:
    # A brand written as a domain ("Acme.com") leads the confirmation; the engine must
    # not call the ledger's own confirmation marketing for the brand it was led by.
    store = MemoryStore()
    sender = SenderProfile(
        sender_id="+14155550100", registration=Registration.APPROVED, consent_scope="acme",
        brand="Acme.com",
    )
    ledger = ConsentLedger(store, senders={"acme": sender})
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express", source="api", at=T0)
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(hours=1))
    assert stop.reply is not None
    assert stop.reply.text.startswith("Acme.com: ")
    engine = CompliancePipeline(default_policies(store=store))
    request = SendRequest(LEAD, body=stop.reply.text, purpose=Purpose.INFORMATIONAL,
                          opt_out_confirmation=True, first_message=False)
    decision = engine.decide(request, sender, T0 + timedelta(hours=1, minutes=1))
    assert "opt_out_confirmation.marketing" not in decision.codes, decision.explain()
    assert decision.verdict is Verdict.ALLOW, decision.explain()
    # A link of its own after the lead is still marketing.
    selling = SendRequest(LEAD, body=stop.reply.text + " Deals: acme.com/deals",
                          purpose=Purpose.INFORMATIONAL, opt_out_confirmation=True,
                          first_message=False)
    sold = engine.decide(selling, sender, T0 + timedelta(hours=1, minutes=1))
    assert "opt_out_confirmation.marketing" in sold.codes


def test_a_brand_with_a_path_leading_the_confirmation_is_still_a_link() -> None:
    store = MemoryStore()
    sender = SenderProfile(
        sender_id="+14155550100", registration=Registration.APPROVED, consent_scope="acme",
        brand="acme.com/deals",
    )
    ledger = ConsentLedger(store, senders={"acme": sender})
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0)
    assert stop.reply is not None
    engine = CompliancePipeline(default_policies(store=store))
    request = SendRequest(LEAD, body=stop.reply.text, purpose=Purpose.INFORMATIONAL,
                          opt_out_confirmation=True, first_message=False)
    decision = engine.decide(request, sender, T0 + timedelta(minutes=1))
    assert "opt_out_confirmation.marketing" in decision.codes
