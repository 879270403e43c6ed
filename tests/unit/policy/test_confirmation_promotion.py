"""The one opt-out confirmation may carry no marketing or promotional content (FCC 47 CFR
64.1200(a)(12), reference §1c, V): an offer without a link is still one (rev30e).

The engine checked the confirmation's purpose and its links only, so "Use code BACK20 for
20% off" went out as the allowed confirmation; so did a Messenger's auto-reply whose
configured opt-out text carried one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
    Verdict,
    default_policies,
)
from smskit.content import lint, promotion
from smskit.errors import ConfigurationError
from smskit.findings import Severity
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.providers import MemoryProvider

LEAD = "+12125550123"
T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
ACME = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


def _confirm(body: str) -> tuple[Verdict, tuple[str, ...]]:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express", source="api", at=T0)
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(hours=1))
    engine = CompliancePipeline(default_policies(store=store))
    request = SendRequest(LEAD, body=body, purpose=Purpose.INFORMATIONAL,
                          opt_out_confirmation=True, first_message=False)
    decision = engine.decide(request, ACME, T0 + timedelta(hours=1, minutes=1))
    return decision.verdict, decision.codes


@pytest.mark.parametrize("body", [
    "Acme: you are unsubscribed. Come back soon: use code BACK20 for 20% off!",
    "Acme: unsubscribed. Here's $10 off your next visit, just show this text.",
    "Acme: you won't hear from us again. Enjoy a coupon for your next order.",
    "Acme: unsubscribed. Promo code SPRING still works this week.",
    "Acme: unsubscribed. Buy one, get one free on Fridays!",
    "Acme: you're opted out. Free shipping on your next order if you rejoin.",
])
def test_a_confirmation_with_an_offer_is_blocked(body: str) -> None:
    verdict, codes = _confirm(body)
    assert verdict is Verdict.BLOCK
    assert "opt_out_confirmation.marketing" in codes


@pytest.mark.parametrize("body", [
    # The ledger's own default, and the plain confirmations businesses write: a
    # confirmation may say what stops, "offers" and "deals" included.
    ACME.reply_text(ACME.opt_out_reply),
    "Acme: you will no longer receive offers or discounts from us. Reply START to rejoin.",
    "Acme: you are unsubscribed from coupon alerts and will get no more messages.",
    "Acme: you have opted out of 100% of our texts. No more messages will be sent.",
])
def test_a_plain_confirmation_is_allowed(body: str) -> None:
    verdict, codes = _confirm(body)
    assert verdict is Verdict.ALLOW, codes
    assert "opt_out_confirmation.marketing" not in codes


def test_promotion_names_what_it_found() -> None:
    assert promotion("Take 20% off today") == "20% off"
    assert promotion("You will no longer receive offers") is None


def test_a_messenger_refuses_an_opt_out_reply_with_an_offer() -> None:
    # The Messenger sends the ledger's confirmation itself, not through the engine.
    selling = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                            consent_scope="acme", brand="Acme",
                            opt_out_reply="You're out. Take 15% off if you come back!")
    store = MemoryStore()
    with pytest.raises(ConfigurationError) as raised:
        Messenger(MemoryProvider(), CompliancePipeline(default_policies(store=store)),
                  ConsentLedger(store), MemoryMessageHistory(), MemoryOutbox(),
                  senders=[selling])
    assert raised.value.field == "senders"
    assert "15% off" in str(raised.value)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=80))
def test_promotion_finds_a_part_of_the_text_in_any_case(text: str) -> None:
    found = promotion(text)
    if found is None:
        assert promotion(text.upper()) is None
        assert promotion(text.lower()) is None
    else:
        assert found in text
        assert promotion(found) == found  # the offer alone still reads as one
        assert promotion(text.upper()) is not None


_OFFERS = st.sampled_from(["20% off", "15 percent off", "$10 off", "a coupon", "coupon code",
                           "promo code", "use code", "BOGO", "buy one get one",
                           "free shipping"])
_WORDS = st.text(alphabet=st.sampled_from("abcdefghij .,!"), max_size=20)


@given(_WORDS, _OFFERS, _WORDS)
def test_an_offer_between_any_words_is_found(before: str, offer: str, after: str) -> None:
    # Spaces around it: an offer run into a word ("xa coupon") is another word.
    text = f"{before} {offer} {after}"
    found = promotion(text)
    assert found is not None
    assert found in text


@pytest.mark.parametrize("purpose", ["informational", "transactional", "conversational"])
def test_an_offer_in_a_text_not_sent_as_marketing_is_reported(purpose: str) -> None:
    # CTIA (S): an informational text with a coupon is promotional; TCPA (S): a
    # dual-purpose text is telemarketing. Sent as informational, a 21:30 Miami text
    # would skip Florida's and the TCPA's hours.
    text = "Acme: your order shipped. Use code THANKS for 10% off next time."
    found = {f.code: f for f in lint(text, purpose=purpose, first_message=False)}
    assert found["content.offer_not_marketing"].severity is Severity.WARNING
    assert found["content.offer_not_marketing"].details["offer"] == "Use code"
    assert "content.offer_not_marketing" not in {
        f.code for f in lint(text, purpose="marketing", first_message=False)}
    assert "content.offer_not_marketing" not in {
        f.code for f in lint("Acme: your order shipped.", purpose=purpose,
                             first_message=False)}


def test_a_brand_that_reads_like_an_offer_is_no_offer() -> None:
    # The brand leads the confirmation to name the sender; the engine and the
    # Messenger judge the text after it.
    brand = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                          consent_scope="acme", brand="Free Trial Co")
    store = MemoryStore()
    Messenger(MemoryProvider(), CompliancePipeline(default_policies(store=store)),
              ConsentLedger(store), MemoryMessageHistory(), MemoryOutbox(), senders=[brand])
    ledger = ConsentLedger(store)
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express", source="api", at=T0)
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(hours=1))
    assert stop.reply is not None
    request = SendRequest(LEAD, body=brand.reply_text(brand.opt_out_reply),
                          purpose=Purpose.INFORMATIONAL, opt_out_confirmation=True,
                          first_message=False)
    decision = CompliancePipeline(default_policies(store=store)).decide(
        request, brand, T0 + timedelta(hours=1, minutes=1))
    assert decision.verdict is Verdict.ALLOW, decision.codes
