"""Spanish opt-outs in the usted form, "favor de no" and the familiar "bórrame".

A mortgage CRM's Spanish-speaking borrowers (Puerto Rico, Florida, Texas) address a
business as usted: "Deje de enviarme mensajes", "No me envíe más mensajes". Only the
plural ("dejen", "envíen") and familiar forms were read, so these were ordinary replies
and the next campaign went out to someone who had asked to stop.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


@pytest.mark.parametrize(
    "body",
    [
        "Deje de enviarme mensajes",
        "Deje de escribirme",
        "Pare de enviarme mensajes",
        "Paren de mandarme mensajes",
        "Para de enviarme textos",
        "No me envíe más mensajes",
        "No me envie mas mensajes",
        "No me mande mensajes",
        "No me escriba más",
        "No me contacte más",
        "Ya no me envíe mensajes",
        "Favor de no enviarme mensajes",
        "Por favor, favor de no escribirme",
        "Favor no enviarme más mensajes",
        "No me vuelva a escribir",
        "no me vuelvan a enviar mensajes",
        "Sáqueme de la lista",
        "Bórreme de la lista",
        "Bórrame de la lista",
        "Elimíneme",
        "Elimíname de la lista",
        "Bájeme de la lista",
        "favor de darme de baja",
        "Por favor dar de baja este número",
        "Den de baja mi número",
        "Dé de baja mi número de la lista",
    ],
)
def test_usted_and_familiar_spanish_requests_opt_out(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.confidence, match.language) == (
        MatchKind.OPT_OUT, Confidence.PHRASE, "es"), body
    assert match.actionable, body


@pytest.mark.parametrize(
    "body",
    [
        # The same letters as a first-person past once the accent is dropped: "I sent",
        # "I stopped sending": a statement, not a request.
        "No envié mensajes",
        "No mandé mensajes",
        "Dejé de enviar mensajes",
        "Dejé de mandar los documentos",
        # An object that is no text: about a document, not about texts.
        "No me envíe el documento todavía",
        "Deje de enviarme la carta por correo, mejor por email",
        "Para mañana, favor de enviarme los documentos",
        "Favor de no enviarme el cheque",
    ],
)
def test_statements_and_other_objects_stay_ordinary(body: str) -> None:
    assert classify_reply(body) is None, body


@pytest.mark.parametrize(
    "body",
    [
        "No más mensajes de texto",
        "Ya no quiero mensajes de texto",
        "No deseo recibir mensajes de texto",
        "No más alertas",
        "no quiero más alertas",
        "No más notificaciones",
        "no más promociones",
        "No me envíen más ofertas",
        "Dejen de enviarme alertas",
        "No más mensajes de tasas",
        "No quiero recibir más mensajes de ustedes",
        "Dejen de enviarme mensajes sobre préstamos",
        "No mas msj",
        "Deje de enviarme recordatorios",
    ],
)
def test_spanish_message_words_and_topics_opt_out(body: str) -> None:
    # "mensajes de texto" is what Spanish calls a text; "alertas", "ofertas" name the
    # campaign; "de ustedes" or "sobre préstamos" says whose or what about.
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language) == (MatchKind.OPT_OUT, "es"), body
    assert match.actionable, body


@pytest.mark.parametrize(
    "body",
    ["No alertas?", "no ofertas, gracias, solo la tasa", "No, recordatorios no hacen falta",
     "No más de dos mensajes", "No más de 2 mensajes al día"],
)
def test_spanish_bare_or_counted_message_words_stay_ordinary(body: str) -> None:
    assert classify_reply(body) is None, body


@pytest.mark.parametrize(
    "body",
    ["Este no es el número de Maria", "Perdón, este no es el teléfono de José Luis",
     "ese ya no es el celular de Carmen", "Este no es el número de Maria, lo siento"],
)
def test_spanish_this_is_not_the_persons_number_is_a_wrong_number(body: str) -> None:
    # The Spanish of "This is not Maria's number", which English already read.
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language, match.wrong_number) == (
        MatchKind.OPT_OUT, "es", True), body


@pytest.mark.parametrize(
    "body",
    ["Este no es el número de trabajo", "Este no es el número de mi esposa",
     "Ese no es el número de la oficina", "Este no es el número de casa, llame al celular",
     "Este número no es de Puerto Rico"],
)
def test_spanish_other_numbers_named_stay_ordinary(body: str) -> None:
    # A work or home number, a relative's, a question: nothing says the consent on file
    # was someone else's.
    assert classify_reply(body) is None, body


@pytest.mark.parametrize(
    "body", ["Necesito ayuda", "¿Quién es?", "Quién habla?", "¿Quién me escribe?",
             "¿De qué se trata?", "Ayúdeme por favor"],
)
def test_spanish_requests_for_help_are_help_in_spanish(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.language) == (MatchKind.HELP, "es"), body


@pytest.mark.parametrize(
    "body", ["¿Quién es el oficial de préstamos?", "Necesito ayuda con el pago"]
)
def test_spanish_questions_about_something_stay_ordinary(body: str) -> None:
    assert classify_reply(body) is None, body
