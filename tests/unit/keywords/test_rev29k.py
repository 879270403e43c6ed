"""rev29k: clear opt-outs the fix29k rules held for review or ignored, and near misses.

Each was written and labelled by the reviewer before running the classifier on it.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


@pytest.mark.parametrize("text", [
    "Can you please stop texting me?",  # "please" after "can you" hid it
    "why won't you stop texting me?",
    "Will you stop texting me?",
    "stop texting it",  # the phone the reply came from
    "this is my business line, stop texting it",
    # A doubted statement beside a stop is that stop (fix29k held these for review).
    "Not my number? stop texting it",
    "Not my number, it's my business line. Stop texting it",
    "Not my number, it's my business line. Stop texting it 06 12 34 56 78",
    # A relative who cannot get or wants none of the texts: a lasting reason.
    "please stop texting my husband he passed away",
    "don't text my husband he died",
    "Stop texting my wife she doesn't want them",
    "how many times do I have to say stop",
    "stop texing me",
])
def test_a_clear_opt_out_is_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT
    assert match.actionable, text
    assert not match.wrong_number


@pytest.mark.parametrize("text", [
    "wrong number? STPO",  # a misspelt STOP
    "This isn't my number? lol STOP",  # a laugh before the stop
    "No es mi número? lol please remove",
    "not my number? stop texting my wife",  # "my number" is no request for the texts
    "Not my number? stop texting me 4155550123",  # fix29k held it for review
])
def test_a_stop_beside_an_asked_wrong_number_is_acted_on(text: str) -> None:
    # Acted on as before fix29k (a wrong number): both readings ask for no more texts.
    match = classify_reply(text)
    assert match is not None, text
    assert match.actionable, text
    assert match.wrong_number, text


@pytest.mark.parametrize("text", [
    "wrong number? I signed up last week",
    "Not my number? lol",
    "Not my number? jk stop",  # a joke said outright
    "not my number? stop by tomorrow",
    "Not my number? Enough",  # each held for review alone
])
def test_an_asked_wrong_number_with_no_stop_beside_it_stays_held(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.confidence is Confidence.FUZZY, text
    assert match.rule == "doubtful"


@pytest.mark.parametrize("text", [
    "Will you stop texting me if I pay?",
    "Could you stop texting me after 9pm",
    "Why don't you stop texting me and call instead",
    "why would you stop texting me?",
    "stop sending it",  # the bill or a package (rev28j)
    "stop texting it to me",
    "Stop texting my wife she's gone for the week",
    "how many times do I have to say stop by",
])
def test_near_misses_stay_unacted(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text
