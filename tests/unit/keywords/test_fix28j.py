"""Fix28j: opt-outs the review after rev28k found missed ("don't text my wife", "Basta
de mensajes", "Enough is enough stop texting me"), and the near misses beside them.

A missed opt-out keeps texting someone who revoked consent "by any reasonable means"
(47 CFR 64.1200(a)(10), Federal Register 2024-04587); a false one silences a customer
who wanted the texts.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import Confidence, MatchKind, classify_reply


# Clear requests: acted on.
@pytest.mark.parametrize("text", [
    "Enough is enough stop texting me",  # a run-on after "enough is enough"
    "don't text my wife",
    "do not text my husband anymore",
    "stop sending texts to my wife",
    "stop con los mensajes lol",
    "no envíen texts a este número",
    "Basta de mensajes",
    "ya basta con los mensajes",
    "Basta de mensajes por favor",
    "never text my son again",
    "stop sending messages to my daughter's phone",
    "stop sending the texts to my wife",
    "don't ever text my wife",
    "don't contact my husband",
])
def test_a_clear_request_is_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text


# "Basta" alone is "Enough": to a promotion it reads as stop, to "¿Le alcanza con $50?"
# as an answer. Held for review, as "Enough" is.
@pytest.mark.parametrize("text", ["basta", "ya basta", "Basta!", "Basta ya", "BASTA"])
def test_basta_alone_is_held_for_review(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.FUZZY, text
    assert match.rule == "doubtful", text


# A request to text another number, as rev28k's "stop texting my wife, text me instead".
@pytest.mark.parametrize("text", [
    "stop sending texts to my wife's old number, use mine",
    "don't text my wife, text me",
    "stop sending texts to my husband, text me instead",
])
def test_a_relative_opt_out_asking_to_text_the_replier_is_held_for_review(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.confidence is Confidence.FUZZY, text
    assert match.rule == "doubtful", text


@pytest.mark.parametrize("text", [
    "don't text my wife the code, text me",
    "basta ya con la lluvia",
    "Enough is enough, I'll pay Friday",
    "basta con 50 dolares?",
    "enough is enough lol",
    "stop sending texts to my wife about her bill, send them to me",
    "Don't text my wife until Friday",
    "don't text my husband the address",
    "do not text my daughter at school, text her after 3",
])
def test_near_misses_are_not_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text


@given(
    lead=st.sampled_from(["", "ya ", "pero "]),
    noun=st.sampled_from(["la lluvia", "el calor", "las preguntas", "la musica", "eso",
                          "ti", "el trafico"]),
    link=st.sampled_from(["con", "de"]),
)
def test_basta_with_no_message_named_is_never_acted_on(lead: str, link: str, noun: str) -> None:
    text = f"{lead}basta {link} {noun}"
    match = classify_reply(text)
    assert match is None or not match.actionable, text


# Review of fix28j (rev28j). "Basta con X" is also "X is enough": "Basta con los
# mensajes, no me llamen" asks for the texts; only "ya" makes it "enough with the texts".
# And "don't text my wife about the surprise party" (from the husband's phone) names
# what not to say, not the texts to stop: "about ..." needs "anymore" or "again" there.
@pytest.mark.parametrize("text", [
    "Basta con los mensajes, no me llamen",
    "No basta con los mensajes, necesito que venga el técnico",
    "no, basta con los mensajes",
    "basta con tus mensajes",
    "don't text my wife about the surprise party",
    "don't text my husband about the price",
    "never text my wife about the ring",
    "don't text my wife about it",
    # "it" or "them" may be the bill or a package: "stop sending it to me" is ordinary too.
    "stop sending it to my wife",
    "stop sending them to my wife, she's confused",
])
def test_rev28j_near_misses_are_not_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text


@pytest.mark.parametrize("text", [
    "ya basta con los mensajes",
    "basta ya con los mensajes",
    "don't text my wife about the bill anymore",
    "never text my son about the loan again",
])
def test_rev28j_named_stops_stay_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.actionable, text


# "Don't", unlike "stop", may be for now only: "don't text my wife, she's driving" is
# held for review; "anymore", "again" or "ever" make it lasting, and alone it is the
# whole request (rev28j).
@pytest.mark.parametrize("text", [
    "don't text my wife, she's driving",
    "don't contact my wife, she's in the hospital",
])
def test_rev28j_a_dont_for_now_is_not_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text


@pytest.mark.parametrize("text", [
    "please don't text my wife",
    "Don't text my wife!",
    "don't text my wife anymore, she moved",
    "don't ever text my wife, she's not on the loan",
    "never text my son again, I'll handle it",
])
def test_rev28j_a_lasting_dont_stays_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.actionable, text


# A laugh after a clear request softens nothing, as "stop con los mensajes lol" (rev28j);
# a joke said outright ("jk") or a request negated is still no request.
@pytest.mark.parametrize("text", [
    "stop texting me lol",
    "Stop texting me lmao",
    "stop texting me pls lol",
    "stop texting me haha",
    "stop sending me these texts lol",
])
def test_rev28j_a_laugh_after_a_request_is_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.actionable, text


@pytest.mark.parametrize("text", [
    "stop texting me lol jk",
    "stop texting me haha just kidding",
    "dont stop texting me lol",
    "never stop texting me haha",
    "I told him to stop texting me lol",
    "my ex wont stop texting me lmao",
    "stop texting my wife lol",
    "stop lol",
])
def test_rev28j_a_laugh_does_not_make_a_request(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text
