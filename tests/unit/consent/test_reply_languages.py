"""Auto-replies follow the language of the keyword that triggered them.

A Québec recipient who texts ARRÊT (a French opt-out word the default set knows) must
get the confirmation in French, not English; the sender may give its own texts per
language, and English stays the default. The segment counts below were counted by
hand (characters written out in the comments), not taken from the counter under test.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import Encoding, count_segments, segment
from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.sender import (
    DEFAULT_REPLY_TRANSLATIONS,
    ReplyName,
    ReplyTexts,
    SenderProfile,
)
from smskit.errors import ConfigurationError

LEAD = "+15145550123"
T0 = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)

FR_STOP = ("Désabonnement confirmé : vous ne recevrez plus de messages de notre part. "
           "Répondez START pour vous réabonner.")
FR_HELP = ("Répondez ARRET pour vous désabonner. Des frais de messagerie et de données "
           "peuvent s'appliquer.")
ES_STOP = "Baja confirmada: ya no le enviaremos mensajes. Responda START para volver a suscribirse."
ES_HELP = "Responda PARAR para darse de baja. Pueden aplicarse tarifas de mensajes y datos."


def _ledger(profile: SenderProfile | None = None) -> ConsentLedger:
    return ConsentLedger(MemoryStore(), senders={"acme": profile or SenderProfile()})


@pytest.mark.parametrize("word", ["ARRÊT", "arret", "Désabonnement", "ARRÊTEZ"])
def test_a_french_opt_out_is_confirmed_in_french(word: str) -> None:
    reply = _ledger().handle_reply(LEAD, word, scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text == FR_STOP


def test_a_french_phrase_opt_out_is_confirmed_in_french() -> None:
    reply = _ledger().handle_reply(LEAD, "Arrêtez de m'envoyer des SMS", scope="acme",
                                   at=T0).reply
    assert reply is not None
    assert reply.text == FR_STOP


def test_french_help_is_answered_in_french_and_english_stays_english() -> None:
    ledger = _ledger()
    fr = ledger.handle_reply(LEAD, "AIDE", scope="acme", at=T0).reply
    en = ledger.handle_reply(LEAD, "HELP", scope="acme", at=T0).reply
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + MINUTE).reply
    assert fr is not None
    assert en is not None
    assert stop is not None
    assert fr.text == FR_HELP
    assert en.text == "Reply STOP to unsubscribe. Msg & data rates may apply."
    assert stop.text.startswith("You are unsubscribed")


def test_spanish_keywords_get_spanish_texts() -> None:
    ledger = _ledger()
    help_ = ledger.handle_reply(LEAD, "AYUDA", scope="acme", at=T0).reply
    stop = ledger.handle_reply(LEAD, "PARAR", scope="acme", at=T0 + MINUTE).reply
    assert help_ is not None
    assert stop is not None
    assert help_.text == ES_HELP
    assert stop.text == ES_STOP


def test_the_brand_leads_the_french_text() -> None:
    reply = _ledger(SenderProfile(brand="Plomberie Tremblay")).handle_reply(
        LEAD, "ARRÊT", scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text == "Plomberie Tremblay: " + FR_STOP


def test_a_senders_own_templates_per_language() -> None:
    own = SenderProfile(reply_translations=(
        ReplyTexts("fr", opt_out_reply="Acme : vous êtes désabonné. Répondez START pour revenir.",
                   help_reply="Acme : aide au 514-555-0100. Répondez ARRET pour arrêter."),))
    ledger = _ledger(own)
    stop = ledger.handle_reply(LEAD, "ARRÊT", scope="acme", at=T0).reply
    help_ = ledger.handle_reply(LEAD, "AIDE", scope="acme", at=T0).reply
    # No Spanish entry in the sender's own list: the English text answers.
    es = ledger.handle_reply(LEAD, "AYUDA", scope="acme", at=T0).reply
    assert stop is not None
    assert help_ is not None
    assert es is not None
    assert stop.text == "Acme : vous êtes désabonné. Répondez START pour revenir."
    assert help_.text == "Acme : aide au 514-555-0100. Répondez ARRET pour arrêter."
    assert es.text == "Reply STOP to unsubscribe. Msg & data rates may apply."


def test_a_customised_english_text_is_not_replaced_by_a_built_in_translation() -> None:
    # The sender wrote its own HELP (with its contact number, which CTIA asks for): the
    # built-in French text lacks it, so the sender's own text answers.
    own = SenderProfile(help_reply="Acme : AIDE au 555-0100.")
    reply = _ledger(own).handle_reply(LEAD, "aide", scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text == "Acme : AIDE au 555-0100."


def test_no_translations_answers_in_english() -> None:
    reply = _ledger(SenderProfile(reply_translations=())).handle_reply(
        LEAD, "ARRÊT", scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text.startswith("You are unsubscribed")


def test_translations_are_checked_like_the_english_texts() -> None:
    with pytest.raises(ConfigurationError) as info:
        SenderProfile(reply_translations=(
            ReplyTexts("fr", opt_out_reply="Désabonné. Promos sur https://acme.example"),))
    assert info.value.field == "reply_translations"
    with pytest.raises(ConfigurationError) as twice:
        SenderProfile(reply_translations=(ReplyTexts("fr"), ReplyTexts("fr")))
    assert twice.value.field == "reply_translations"
    with pytest.raises(ConfigurationError):
        ReplyTexts("fr", help_reply="  ")


def test_translations_load_from_toml() -> None:
    profile = SenderProfile.from_toml(
        '[sender]\nbrand = "Acme"\n[[sender.reply_translations]]\nlanguage = "fr"\n'
        'help_reply = "Aide : 514-555-0100."\n')
    reply = _ledger(profile).handle_reply(LEAD, "AIDE", scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text == "Acme: Aide : 514-555-0100."


# Hand counts. GSM-7 basic table (3GPP TS 23.038) holds é and è; it has no ê, ç or á,
# so the built-in texts avoid them and stay GSM-7, one segment of 160 septets.
#   FR_STOP: "Désabonnement confirmé : " 25 + "vous ne recevrez plus de messages de notre
#   part. " 49 + "Répondez START pour vous réabonner." 35 = 109
#   FR_HELP: "Répondez ARRET pour vous désabonner. " 37 + "Des frais de messagerie et de
#   données peuvent s'appliquer." 58 = 95 ("'" is the GSM-7 apostrophe 0x27)
#   ES_STOP: "Baja confirmada: " 17 + "ya no le enviaremos mensajes. " 30 + "Responda START
#   para volver a suscribirse." 41 = 88
#   ES_HELP: "Responda PARAR para darse de baja. " 35 + "Pueden aplicarse tarifas de
#   mensajes y datos." 45 = 80
HAND_COUNTED = [(FR_STOP, 109), (FR_HELP, 95), (ES_STOP, 88), (ES_HELP, 80)]


@pytest.mark.parametrize(("text", "chars"), HAND_COUNTED)
def test_built_in_translations_fit_one_gsm7_segment(text: str, chars: int) -> None:
    counted = segment(text)
    assert counted.encoding is Encoding.GSM7
    assert counted.segment_count == 1
    assert counted.units == chars


def test_built_in_translations_are_the_hand_counted_texts() -> None:
    texts = {t.language: t for t in DEFAULT_REPLY_TRANSLATIONS}
    assert texts["fr"].opt_out_reply == FR_STOP
    assert texts["fr"].help_reply == FR_HELP
    assert texts["es"].opt_out_reply == ES_STOP
    assert texts["es"].help_reply == ES_HELP


def test_a_brand_of_up_to_40_characters_keeps_the_french_confirmation_in_one_segment() -> None:
    # 109 + len("<40 letters>: ") 42 = 151 <= 160.
    brand = "B" * 40
    text = SenderProfile(brand=brand).reply_in("opt_out_reply", "fr")
    assert text == f"{brand}: {FR_STOP}"
    assert count_segments(text) == 1


def test_a_french_custom_text_with_e_circumflex_is_ucs2_and_counted_so() -> None:
    # "Acme : vous êtes désabonné." is 27 characters; ê is not GSM-7 -> UCS-2, one
    # segment of up to 70; 71 such characters take two (67 per part).
    text = "Acme : vous êtes désabonné."
    assert segment(text).encoding is Encoding.UCS2
    assert count_segments(text) == 1
    assert count_segments(text + "x" * 44) == 2


@given(language=st.text(max_size=5))
def test_a_language_without_a_translation_gets_the_english_text(language: str) -> None:
    profile = SenderProfile(brand="Acme")
    names: tuple[ReplyName, ...] = ("opt_out_reply", "help_reply", "opt_in_reply",
                                    "confirm_reply")
    for name in names:
        expected = "Acme: " + getattr(profile, name)
        if language in ("fr", "es") and name in ("opt_out_reply", "help_reply"):
            assert profile.reply_in(name, language) != expected
        else:
            assert profile.reply_in(name, language) == expected


# Review rev26q: "FR" or Québec's "fr-CA" never matched a keyword's "fr", so the sender's
# French texts were silently never sent.
@pytest.mark.parametrize("code", ["FR", "fr-CA", "fr_CA", " fr "])
def test_a_language_code_with_case_or_region_answers_its_language(code: str) -> None:
    quebec = SenderProfile(reply_translations=(ReplyTexts(code, help_reply="Aide : 514-555-0100"),))
    assert quebec.reply_translations is not None
    assert quebec.reply_translations[0].language == "fr"
    reply = _ledger(quebec).handle_reply(LEAD, "AIDE", scope="acme", at=T0).reply
    assert reply is not None
    assert reply.text == "Aide : 514-555-0100"


@pytest.mark.parametrize("code", ["french", "f", "fr-", "12", "fr-CA-x-y!"])
def test_a_language_that_is_no_code_is_refused(code: str) -> None:
    with pytest.raises(ConfigurationError, match="ISO 639-1"):
        ReplyTexts(code, help_reply="Aide")


def test_fr_and_fr_ca_are_one_language_given_twice() -> None:
    with pytest.raises(ConfigurationError, match="twice"):
        SenderProfile(reply_translations=(ReplyTexts("fr", help_reply="Aide"),
                                          ReplyTexts("fr-CA", help_reply="Aide")))
