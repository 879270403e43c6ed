"""Second review of the offer check (rev30e review): an opt-out confirmation may say
what stops ("no more promo codes", "free shipping alerts") and name its sender ("Free
Shipping Co") without offering anything; a verification code ("Use code 482913") is no
promo code; and an offer in the French or Spanish confirmation, or worded "save 20%", is
one (FCC 47 CFR 64.1200(a)(12), V: the confirmation may carry no marketing or
promotional content). Each text below is judged by hand: a reader sees no offer in the
first list, and sees one in the second.
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
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.providers import MemoryProvider

LEAD = "+12125550123"
T0 = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def _confirm(body: str, brand: str = "Acme") -> tuple[Verdict, tuple[str, ...]]:
    sender = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                           consent_scope="acme", brand=brand)
    store = MemoryStore()
    ledger = ConsentLedger(store)
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express", source="api", at=T0)
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(hours=1))
    engine = CompliancePipeline(default_policies(store=store))
    request = SendRequest(LEAD, body=body, purpose=Purpose.INFORMATIONAL,
                          opt_out_confirmation=True, first_message=False)
    decision = engine.decide(request, sender, T0 + timedelta(hours=1, minutes=1))
    return decision.verdict, decision.codes


NAMING_WHAT_STOPS = [
    "Acme: you are unsubscribed and will get no more promo codes from us.",
    "Acme: you will no longer receive coupon codes, offers or deals.",
    "Acme: you will no longer receive your coupons by text.",
    "Acme: you are unsubscribed from free trial reminders.",
    "Acme: you will no longer receive free shipping alerts. Reply START to rejoin.",
    "Acme: vous ne recevrez plus de codes promo. Répondez START pour revenir.",
    "Acme: ya no recibirá cupones ni envío gratis. Responda START para volver.",
]


@pytest.mark.parametrize("body", NAMING_WHAT_STOPS)
def test_a_confirmation_naming_what_stops_is_allowed(body: str) -> None:
    verdict, codes = _confirm(body)
    assert verdict is Verdict.ALLOW, codes


def test_a_brand_named_inside_the_confirmation_is_no_offer() -> None:
    # The brief's case: the brand is not leading, so it is not stripped as a lead.
    body = "You will no longer receive messages from Free Shipping Co. Reply START to rejoin."
    verdict, codes = _confirm(body, brand="Free Shipping Co")
    assert verdict is Verdict.ALLOW, codes


@pytest.mark.parametrize("reply", [
    "You will no longer receive messages from Free Shipping Co.",
    "You are unsubscribed and will get no more promo codes from us.",
])
def test_a_messenger_accepts_a_plain_confirmation(reply: str) -> None:
    profile = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                            consent_scope="acme", brand="Free Shipping Co",
                            opt_out_reply=reply)
    store = MemoryStore()
    Messenger(MemoryProvider(), CompliancePipeline(default_policies(store=store)),
              ConsentLedger(store), MemoryMessageHistory(), MemoryOutbox(), senders=[profile])


OFFERS = [
    "Acme: unsubscribed. Come back and save 20% on your next order!",
    "Acme: unsubscribed. Get a 20% discount when you come back.",
    "Acme: désabonné. Profitez de 20 % de rabais à votre retour!",
    "Acme: baja confirmada. Usa el código VUELVE20 para un 20% de descuento.",
    "Acme: désabonnement confirmé. Code promo RETOUR10 valable ce mois-ci.",
    "Acme: baja confirmada. Envío gratis en tu próximo pedido.",
    # A cue in another clause does not hide the offer after it.
    "Acme: you will no longer receive texts, but enjoy a coupon on your next visit.",
]


@pytest.mark.parametrize("body", OFFERS)
def test_a_confirmation_with_an_offer_is_blocked(body: str) -> None:
    verdict, codes = _confirm(body)
    assert verdict is Verdict.BLOCK
    assert "opt_out_confirmation.marketing" in codes


@pytest.mark.parametrize("body", [
    "Acme: use code 482913 to verify your account.",
    "Acme: use the code 48-29-13 to sign in. It expires in 10 minutes.",
])
def test_a_verification_code_is_no_offer(body: str) -> None:
    assert promotion(body) is None
    found = {f.code for f in lint(body, purpose="transactional", first_message=False)}
    assert "content.offer_not_marketing" not in found


def test_a_promo_code_to_use_is_still_an_offer() -> None:
    assert promotion("Use code SPRING20 at checkout") is not None
    assert promotion("use code spring at checkout") is not None


_NAMED = st.sampled_from(["promo codes", "coupon codes", "your coupons", "free shipping",
                          "free trial", "a coupon"])
_CUES = st.sampled_from(["you will no longer receive", "no more", "unsubscribed from",
                         "you won't get", "opted out of"])
_FILLER = st.text(alphabet=st.sampled_from("abcdefghij "), max_size=15)


@given(_CUES, _FILLER, _NAMED, _FILLER)
def test_a_named_offer_after_a_stop_cue_in_its_clause_is_none(
    cue: str, between: str, named: str, after: str
) -> None:
    text = f"{cue} {between} {named} {after}"
    assert promotion(text) is None
    assert promotion(text.upper()) is None


@given(_CUES, _FILLER, _NAMED, st.sampled_from([". ", "! ", "; ", " but ", "\n"]))
def test_a_named_offer_after_the_clause_ends_is_found(
    cue: str, between: str, named: str, end: str
) -> None:
    text = f"{cue} {between}{end}{named}"
    found = promotion(text)
    assert found is not None
    assert found.casefold() == named.casefold()


def test_the_offer_found_is_a_part_of_the_text_when_names_are_given() -> None:
    # "Free Shipping Co" is blanked as the sender's name; the offer after it is
    # reported as the text writes it.
    text = "Free Shipping Co: you're out. Use code BACK20 for free shipping."
    assert promotion(text, names=["Free Shipping Co"]) == "Use code"
    assert promotion("Free Shipping Co thanks you", names=["free shipping co"]) is None


def test_a_confirmation_asking_which_categories_to_keep_is_allowed() -> None:
    # FCC 47 CFR 64.1200(a)(12) (reference §1c, V): the confirmation may ask which
    # categories the revocation covers; naming one is no offer.
    body = ("Acme: you are unsubscribed from all texts. To keep getting coupon codes only, "
            "reply COUPONS.")
    verdict, codes = _confirm(body)
    assert verdict is Verdict.ALLOW, codes


def test_a_coupon_still_on_offer_elsewhere_is_an_offer() -> None:
    verdict, _ = _confirm("Acme: you are opted out of texts. You may still get a coupon "
                          "by e-mail.")
    assert verdict is Verdict.BLOCK
