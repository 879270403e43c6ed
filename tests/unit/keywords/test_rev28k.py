"""Review rev28k of fix28k's reply rules: a relative's opt-out that asks to text the
replier instead, and an answer beside a bare REMOVE acted on again as before fix28k.

A missed opt-out keeps texting someone who revoked consent "by any reasonable means"
(47 CFR 64.1200(a)(10), Federal Register 2024-04587); a false one silences a customer
who wanted the texts.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import Confidence, MatchKind, classify_reply

# "Stop texting my wife" comes from the number texted; said with "text me", "use this
# number" or "I'm her mom", the replier asks for the texts on this very number.
ASKING_FOR_THE_REPLIER = [
    "Stop texting my wife, text me instead",
    "stop texting my wife's number, use mine",
    "stop texting my wife, use this number",
    "Stop messaging my husband, message me",
    "stop texting my son's phone, text mine",
    "stop texting my daughter, I'm her mom and I handle her appointments",
    "quit texting my mom, I'm the contact now",
    "stop texting my wife, send them to me instead",
    "stop texting my son about the appointment, he's at school, text me",
    "can you stop texting my husband about it and text me",
    "Text me, stop texting my husband",
    "stop texting my wife's number, this is the right one",
]


@pytest.mark.parametrize("text", ASKING_FOR_THE_REPLIER)
def test_a_relative_opt_out_asking_to_text_the_replier_is_held_for_review(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.FUZZY, text  # needs_review, nothing recorded
    assert match.rule == "doubtful", text


@pytest.mark.parametrize("text", [
    "Quit texting my daughter",
    "stop texting my mom, she has dementia",
    "stop texting my husband, me too",  # "me too": stop me as well
    "Quit texting my daughter, leave me alone",  # an opt-out of its own
    "stop texting my wife, stop texting me",
    "stop texting my daughter, I'm her father",  # why they may ask, not who to text
    "stop texting my wife, she's not a customer of mine",
])
def test_a_relative_opt_out_without_such_a_request_is_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text


@given(
    verb=st.sampled_from(["stop texting", "quit texting", "stop messaging", "stop contacting"]),
    kin=st.sampled_from(["wife", "husband", "son", "daughter", "mom", "dad", "partner"]),
    ask=st.sampled_from(["text me", "text me instead", "message me", "use my number",
                         "use this number", "use mine", "contact me directly",
                         "send them to me", "I'm the contact", "I am the account holder"]),
    sep=st.sampled_from([", ", ". ", "! "]),
)
def test_no_relative_opt_out_asking_for_the_replier_is_acted_on(
    verb: str, kin: str, ask: str, sep: str
) -> None:
    text = f"{verb} my {kin}{sep}{ask}"
    match = classify_reply(text)
    assert match is None or not match.actionable, text


# Before fix28k these were acted-on opt-outs (rule keyword+answer); fix28k held them for
# review, so the texts went on until someone read them. REMOVE is an AWS default opt-out
# keyword and a revocation counts by any reasonable means: acted on again.
@pytest.mark.parametrize("text", [
    "yes remove", "Yes remove", "no thanks remove", "No thanks remove", "nope remove",
    "no remove", "yes please remove", "remove yes", "remove please no thanks",
    "yeah remove!", "no thanks remove?",
])
def test_an_answer_beside_a_bare_remove_without_a_stop_is_acted_on(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text
    assert match.rule == "keyword+answer", text


@pytest.mark.parametrize("text", ["No thanks, remove", "yes, remove", "Enough", "That's enough"])
def test_the_replies_ordinary_before_fix28k_stay_for_review(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.confidence is Confidence.FUZZY, text
    assert match.rule == "doubtful", text


@pytest.mark.parametrize("text", [
    "yes stop texting my wife, text me",  # an answer before it
    "no stop texting my husband thanks, text me",
    "ok stop texting my wife. text me instead",
    "Stop texting my wife, text me at 4155550123",  # a number named
    "this isnt my number stop texting my husband, text me",  # beside a statement
])
def test_the_same_request_reached_another_way_is_held_for_review(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.confidence is Confidence.FUZZY, text
    assert match.rule == "doubtful", text


# Found by rev28k, older than fix28k: the one or two words "no more" allows before the
# texts ("no more promo texts") took another channel and a contrast, so a customer
# asking for texts instead of calls was opted out of them.
@pytest.mark.parametrize("text", [
    "no more calls, just texts please",
    "no more calls only texts",
    "no more calls, send texts",
    "no more letters just texts",
    "no more cartas, solo texts",
    "no more phone calls, texts",
])
def test_no_more_of_another_channel_asking_for_texts_is_no_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.actionable, text


@pytest.mark.parametrize("text", ["no more promo texts", "no more marketing texts",
                                  "no more rate alerts", "no more bill reminders"])
def test_no_more_of_a_kind_of_text_stays_an_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.actionable, text
