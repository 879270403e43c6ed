"""Spanish for "Bob no longer has this number" is a wrong number (user36).

A field-service business texting reminders to Puerto Rico: the number's new owner answers
"José ya no tiene este número". English had the statement since user31 ("Bob doesn't have
this number anymore", "This number was reassigned"); in Spanish the reply was ordinary,
so the reminders kept going to a stranger.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit import MatchKind, classify_reply
from smskit.consent import ConsentLedger, ConsentState, MemoryStore


@pytest.mark.parametrize("body", [
    "José ya no tiene este número",
    "Jose ya no tiene este numero",
    "Maria Lopez ya no tiene este número",
    "Ella ya no tiene este número",
    "Ya no tiene este número",  # the subject left out, as Spanish does
    "ya no tienen este número",
    "Ya no tiene ese celular",
    "Ya no es el número de José",
    "Este número fue reasignado",
    "Perdón, José ya no tiene este número",
])
def test_someone_gone_from_the_number_is_a_wrong_number(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.wrong_number, match.rule, match.language) == (
        MatchKind.OPT_OUT, True, "wrong_number_es", "es"), body


@pytest.mark.parametrize("body", [
    "Ya no tiene este número de cuenta",  # a number of an account, not the phone
    "Ya no es el número de ruta",
    "Ya no es el número de referencia",
    "Usted ya no tiene este número",  # said of the business
    "Ya no tengo este número",  # the replier's own number: no one else's consent
    "La tarjeta ya no tiene este número",
])
def test_other_things_that_no_longer_have_a_number_stay_ordinary(body: str) -> None:
    match = classify_reply(body)
    assert match is None or not match.wrong_number, (body, match)
    assert match is None or match.kind is not MatchKind.OPT_OUT, (body, match)


def test_asked_it_is_held_for_review_not_acted_on() -> None:
    match = classify_reply("¿José ya no tiene este número?")
    assert match is not None
    assert (match.rule, match.wrong_number) == ("doubtful", False)


def test_the_ledger_revokes_and_a_start_does_not_lift_it() -> None:
    at = datetime(2026, 11, 18, 16, 0, tzinfo=UTC)
    ledger = ConsentLedger(MemoryStore())
    ledger.grant("+17875550123", scope="fixit", purposes="informational", kind="express",
                 source="web_form", at=at)
    outcome = ledger.handle_reply("+17875550123", "José ya no tiene este número",
                                  scope="fixit", at=at + timedelta(hours=1))
    assert outcome.event is not None
    assert outcome.event.revocation_method is not None
    assert outcome.event.revocation_method.value == "wrong_number"
    assert outcome.reply is None  # no confirmation to a stranger
    ledger.handle_reply("+17875550123", "START", scope="fixit", at=at + timedelta(hours=2))
    assert ledger.status("+17875550123", "informational", scope="fixit",
                         at=at + timedelta(hours=3)).state is ConsentState.REVOKED
