"""'¿Puede dejar de enviarme mensajes?' asks to stop, as 'Can you stop texting me?' does
(review rev27u); 'Quiero que dejen de enviarme mensajes' too. '¿Puedo dejar de pagar?'
and a request about another channel or a charge stay ordinary."""

from __future__ import annotations

import pytest

from smskit import MatchKind, classify_reply


@pytest.mark.parametrize(
    "body",
    [
        "Puede dejar de enviarme mensajes?",
        "¿Me pueden dejar de enviar mensajes?",
        "Pueden dejar de mandarme mensajes por favor",
        "Podría dejar de escribirme?",
        "¿Podrían dejar de enviarme alertas?",
        "Quiero que dejen de enviarme mensajes",
        "Quiero que deje de escribirme",
    ],
)
def test_asking_them_to_stop_opts_out(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language) == (MatchKind.OPT_OUT, "es"), body


@pytest.mark.parametrize(
    "body",
    [
        "Puedo dejar de pagar este mes?",
        "¿Pueden dejar de enviar el estado de cuenta por correo?",
        "Pueden dejar de enviarme el estado de cuenta por correo",
        "Puede dejar de cobrarme?",
        "¿Se puede dejar de enviar mensajes?",
        "Puede dejar de enviarme mensajes de voz?",
        "Quiero que me envíen mensajes",
    ],
)
def test_other_questions_stay_ordinary(body: str) -> None:
    match = classify_reply(body)
    assert match is None or match.kind is not MatchKind.OPT_OUT, body
