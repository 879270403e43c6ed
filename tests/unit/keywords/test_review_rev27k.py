"""Replies an adversarial review (rev27k, 5 December 2026) wrote against fix27k's rules.

Two kinds of error, not of equal cost. A false opt-out ends a conversation the person
wanted (a borrower who asked for texts at another hour stops getting payment reminders).
A missed opt-out keeps texting someone who revoked consent "by any reasonable means" (FCC
2024 order, Federal Register 2024-04587): the lawsuit. Each widening below has near
misses beside it that must stay ordinary.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


def _acted_opt_out(text: str) -> bool:
    match = classify_reply(text)
    return match is not None and match.kind is MatchKind.OPT_OUT and match.actionable


def _phrase_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text
    assert not match.wrong_number, text


# -- false opt-outs fix27k made ---------------------------------------------------------


@pytest.mark.parametrize("text", [
    # "this" starting a run-on sentence, read where it qualifies the request: the person
    # asks for texts at another hour or less often, not for none.
    "Stop texting me this early",
    "stop texting me this often",
    "Stop texting me this late at night",
    "Stop texting me this early I work nights",
    "stop sending me reminders this early",
    # "and" continuing what is texted, not starting another request.
    "Stop texting me and my wife separately",
    "Stop texting me and my husband the same reminder",
    "stop sending me and my son the same reminders twice",
    # A list other than the texts, then a request for texts.
    "Remove me from the mailing list and keep texting me",
    "take me off the call list and text me instead",
    "remove me from the email list and just text me",
    "Take me off the mailing list and keep the texts coming",
    # "no need": the answer "no" is no answer here.
    "No need to stop the texts, I like them",
    "no need to stop the texts",
    "no need to opt out",
])
def test_replies_fix27k_read_as_opt_outs_stay_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


@pytest.mark.parametrize("text", [
    # Their neighbours stay opt-outs.
    "Stop texting me this is harassment",
    "stop texting me this isn't funny",
    "stop texting me and my wife",
    "Stop texting me and my wife please",
    "stop texting me and text my wife instead",
    "stop texting me and keep texting my wife",
    "Stop texting me and text me on whatsapp",
    "take me off the list and text me the payoff",
    "remove me from the mailing list and keep texting my wife",
    "STOP texting 2125550123 and 4155550123",
    "remove me from your list and delete my info",
    "No, I need to stop these texts",
    "no stop",
])
def test_their_neighbours_stay_opt_outs(text: str) -> None:
    _phrase_opt_out(text)


# -- opt-outs still missed after fix27k -------------------------------------------------


@pytest.mark.parametrize("text", [
    "Stop it", "stop it please", "STOP IT!!!", "Please stop it", "Quit it", "stop it now",
    "just stop it already",
    "Stop harassing me", "stop harrassing me", "Quit bugging me", "stop pestering me",
    "stop hounding me", "Stop harassing me or I will call my lawyer",
    "unsubscribe me from this", "remove me from this", "take me off this",
    "I never gave you permission to text me", "I never gave you consent to text me",
    "I did not give you permission to contact me", "i never gave u permission to txt me",
    "I never gave you my permission", "I never agreed to these texts",
    "NO MORE", "No more!!", "no more please", "No more!! 😡",
    "unsub", "Unsub pls",
    "Non merci stop", "non merci arretez", "Oui stop", "no me interesa stop",
    "Pas intéressé stop", "pas interessee stop",
    "Not interested, please remove", "not interested. remove", "Not interested - remove please",
    "who is this stop texting me", "Who dis? stop texting me", "wtf stop texting me",
    "I didn't sign up for this stop texting me", "omg stop sending me these texts",
])
def test_opt_outs_people_write_that_fix27k_missed(text: str) -> None:
    _phrase_opt_out(text)


@pytest.mark.parametrize("text", [
    "Stop it from charging me twice", "I can't stop it", "How do I stop it from renewing?",
    "stop it at $50 a month", "Don't stop it", "Yes stop it at the end of the month",
    "quit it? no way",
    "Stop harassing my mother about this loan, call me instead",
    "I gave you permission to text me", "I never gave you permission to charge my card",
    "I never gave you permission to call my work",
    "no more than $50 please", "I have no more", "Is that all? No more?", "No more questions",
    "non stop", "Non-stop service please", "oui, stop by at 3", "no me interesa el seguro",
    "Not interested, please remove the late fee", "No thanks, remove", "yes, remove",
    "not interested, cancel",
    "Who is this? Don't stop texting me", "this is the bus stop texting me",
    "my kids never stop texting me", "tell him to stop texting me", "I can't stop texting me",
    "unsubscribed?", "unsub from emails only",
])
def test_their_near_misses_stay_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


# -- a judgment kept: the number is someone else's --------------------------------------


def test_a_number_said_to_be_a_relatives_stays_a_wrong_number() -> None:
    # "This isn't my number, it's my wife's phone, she handles the loan": the person who
    # answers says the number on file is not theirs, so the consent on it was not given
    # by the phone's holder (the wife), whoever "handles the loan". Read as ordinary, the
    # texts go on to a person on someone else's consent (docs/keywords.md, wrong number);
    # read as a wrong number, the wife's own START is flagged for review and her grant()
    # restores them. The cheap error is kept.
    match = classify_reply("This isn't my number, it's my wife's phone—she handles the loan")
    assert match is not None
    assert match.wrong_number
    assert match.rule == "wrong_number_person"


# -- "This isn't my number" in French and Spanish ----------------------------------------


@pytest.mark.parametrize("text", [
    # fix27k made "This isn't my number" a wrong number on the FCC reasoning of
    # docs/keywords.md, but left its French and Spanish forms ordinary: the same person
    # writing in Spanish kept getting texts on someone else's consent.
    "No es mi número", "Este no es mi numero", "ya no es mi número", "Perdón, no es mi número",
    "Ce n'est pas mon numéro", "c'est pas mon numero", "Ce n'est plus mon numéro",
    "Este número no es mío",
])
def test_this_isnt_my_number_in_french_and_spanish_is_a_wrong_number(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.wrong_number, text


@pytest.mark.parametrize("text", [
    "No es mi número de cuenta", "Ce n'est pas mon numéro de commande",
    "mi número es 4155550123", "¿No es mi número el que tienen?", "no es mi numero favorito",
])
def test_their_near_misses_are_no_wrong_number(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.wrong_number, text
