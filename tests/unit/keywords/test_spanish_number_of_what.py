"""'Este no es el número de X' names a person only when X is one (review rev27u).

A borrower who checks a number quoted in a text answers "Ese no es el número de ruta"
(routing), "... de referencia", "... de seguro social", "... de confirmación": the number
in the text is wrong, not the phone. Read as a wrong number, each reply was an opt-out
that stopped every text to the borrower who was checking them.
"""

from __future__ import annotations

import pytest

from smskit import MatchKind, classify_reply


@pytest.mark.parametrize(
    "what",
    ["referencia", "confirmación", "ruta", "seguro social", "pago", "reclamo", "orden",
     "caso", "póliza", "factura", "tarjeta", "rastreo", "folio", "solicitud",
     "transacción", "autorización", "atención", "sucursal", "Puerto Rico", "identificación",
     "licencia", "contrato", "pedido", "crédito", "cobro", "confianza", "usuario", "ayuda",
     "información", "recepción", "quejas", "tel"],
)
def test_a_number_of_something_is_no_wrong_number(what: str) -> None:
    for start in ("Este no es el número de ", "Ese no es el numero de "):
        match = classify_reply(start + what)
        assert match is None or match.kind is not MatchKind.OPT_OUT, (start + what, match)


@pytest.mark.parametrize("name", ["María", "Jose", "Maria Lopez", "Juan"])
def test_a_number_of_a_person_is_still_a_wrong_number(name: str) -> None:
    match = classify_reply(f"Este no es el número de {name}")
    assert match is not None, name
    assert match.wrong_number, name


@pytest.mark.parametrize("body", ["Bájame", "Bajame", "Bájeme", "Bajeme por favor"])
def test_bare_bajame_is_no_opt_out(body: str) -> None:
    # "Bájeme" alone, to a text about a rate or a payment, is "lower it for me".
    assert classify_reply(body) is None, body


@pytest.mark.parametrize(
    "body", ["Bájame de la lista", "Bájeme de la lista por favor", "Bajame del servicio"]
)
def test_bajame_from_the_list_opts_out(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body


@pytest.mark.parametrize(
    "body",
    ["No más mensajes porfavor", "porfavor no me envíen más mensajes",
     "Paren de mandarme mensajes porfa", "Stop porfa"],
)
def test_porfavor_and_porfa_are_courtesy(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert match.kind is MatchKind.OPT_OUT, body
