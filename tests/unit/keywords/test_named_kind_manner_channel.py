"""A word before (or after) the messages that says how, when or where they come is no
request to stop them (review rev27u).

user29 let one or two words name the campaign ("Stop sending me rate alerts"). The same
place also holds a channel ("email alerts", "mensajes de voz": not texts, as "Don't call
me" is no SMS opt-out), a count or repetition ("so many texts", "duplicate texts": send
fewer), an hour ("early morning texts", "mensajes de noche": send later, as "Stop texting
me this early" is already read) or a language ("Spanish texts": send English). Each of
those was an opt-out that stopped every text to a borrower who wanted them.
"""

from __future__ import annotations

import pytest

from smskit import MatchKind, classify_reply


@pytest.mark.parametrize(
    "body",
    [
        # another channel
        "Stop sending me email alerts",
        "No more email alerts",
        "Unsubscribe from email updates",
        "Stop sending me voicemail messages",
        "No more whatsapp messages",
        "Stop sending me facebook messages",
        # how many, or the same one again
        "Stop sending me so many texts",
        "Stop sending me too many texts",
        "Stop sending me duplicate texts",
        "No more double texts",
        "Stop sending me 3 texts",
        "Stop sending me two texts",
        "No more 3am texts",
        "Stop sending me blank messages",
        "No more separate texts",
        # when
        "Stop sending me early morning texts",
        "Stop sending me late night texts",
        # in what language
        "Stop sending me Spanish texts",
        "No more english texts",
        # the same in Spanish
        "No más mensajes de voz",
        "No mas mensajes de whatsapp",
        "Dejen de enviarme mensajes de voz",
        "Deje de enviarme mensajes de voz",
        "No me envíe mensajes de noche",
        "No mas mensajes de madrugada",
        "No mas mensajes de correo",
        "No más alertas de correo electrónico",
        "No mas notificaciones de la app",
        "No mas mensajes de dos en dos",
    ],
)
def test_how_when_or_where_is_no_opt_out(body: str) -> None:
    match = classify_reply(body)
    assert match is None or match.kind is not MatchKind.OPT_OUT, (body, match)


@pytest.mark.parametrize(
    "body",
    [
        "Stop sending me rate alerts",
        "Stop sending me fraud alerts",
        "No more payment reminders",
        "Cancel the autopay alerts",
        "No more status updates",
        "No mas alertas de fraude",
        "No me envíe mensajes de cobranza",
        "No más mensajes sobre préstamos",
        "Dejen de enviarme mensajes de texto",
    ],
)
def test_a_campaign_named_still_opts_out(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
