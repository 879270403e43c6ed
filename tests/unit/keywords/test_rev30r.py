"""Review rev30r: a stop said with how soon or for how long ("STOP IMMEDIATELY").

"STOP NOW", "stop asap" and "stop texting me immediately" were opt-outs, yet
"STOP IMMEDIATELY", "stop for good" and "stop texting me right now" were ordinary
replies: the person kept being texted with nothing held for review. Expected values
are by hand: each reply asks to stop, and says only how soon or for how long.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


@pytest.mark.parametrize(
    ("reply", "word"),
    [
        ("STOP IMMEDIATELY", "stop"),
        ("Stop immediately!", "stop"),
        ("stop please immediately", "stop"),
        ("stop right now", "stop"),
        ("STOP RIGHT NOW!!", "stop"),
        ("stop immediately please", "stop"),
        ("stop right away", "stop"),
        ("STOP FOREVER", "stop"),
        ("stop for good", "stop"),
        ("stop permanently", "stop"),
        ("unsubscribe immediately", "unsubscribe"),
        ("Opt out permanently", "opt out"),
        ("Arrêtez immédiatement", "arretez"),
    ],
)
def test_a_keyword_with_how_soon_or_how_long_opts_out(reply: str, word: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert (match.kind, match.confidence, match.keyword) == (
        MatchKind.OPT_OUT,
        Confidence.PHRASE,
        word,
    )
    assert match.actionable


@pytest.mark.parametrize(
    "reply",
    ["stop texting me right now", "stop texting me permanently", "stop texting me right away"],
)
def test_a_phrase_with_how_soon_or_how_long_opts_out(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_OUT
    assert match.actionable


@pytest.mark.parametrize(
    "reply",
    [
        # CANCEL, END and QUIT act as the whole reply only: an order or a booking.
        "cancel immediately",
        "end immediately",
        "quit immediately",
        # Not a request to stop.
        "don't stop immediately",
        "I can't stop forever",
        "stop by right now",
        "start immediately",
    ],
)
def test_other_words_with_how_soon_stay_ordinary(reply: str) -> None:
    assert classify_reply(reply) is None


# "Deme de baja" is the usted command a customer writes to a business ("Dé de baja" was
# read, not with its "me"); "dame de baja" the familiar one; "desuscribirme" is Spanish
# for "unsubscribe me". All three were ordinary replies. Expected values by hand.
@pytest.mark.parametrize(
    "reply",
    [
        "Deme de baja",
        "dame de baja",
        "dame de baja por favor",
        "Deme de baja de la lista",
        "Me quiero dar de baja",
        "Desuscribirme",
        "quiero desuscribirme",
        "Desuscríbame",
        "Desuscríbanme de la lista",
    ],
)
def test_spanish_unsubscribe_me_opts_out(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert (match.kind, match.language) == (MatchKind.OPT_OUT, "es")
    assert match.actionable


@pytest.mark.parametrize(
    "reply", ["no me des de baja", "no me dé de baja", "¿Me das de baja el precio?"]
)
def test_spanish_do_not_unsubscribe_me_stays_ordinary(reply: str) -> None:
    assert classify_reply(reply) is None


# A reply of only a stop sign ("🛑", U+1F6D1 OCTAGONAL SIGN) may be a stop or a reaction:
# it was no match at all, nothing held for review. Now held, never acted on.
@pytest.mark.parametrize("reply", ["🛑", " 🛑🛑 ", "\u26d4", "\U0001f6ab\ufe0f", "🛑!!"])
def test_a_stop_sign_alone_is_held_for_review(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert (match.kind, match.confidence, match.rule, match.keyword) == (
        MatchKind.OPT_OUT,
        Confidence.FUZZY,
        "doubtful",
        "stop",
    )
    assert not match.actionable


@pytest.mark.parametrize("reply", ["👍", "😂", "🛑 see you at 3", "🛑👍", ""])
def test_other_emoji_or_a_stop_sign_with_words_are_not_held(reply: str) -> None:
    assert classify_reply(reply) is None


# "STOP ME" as the whole reply: to a promotion a stop, or a joke ("stop me before I buy
# it all"); it was no match at all, "UNSUBSCRIBE ME" acting. Held for review.
@pytest.mark.parametrize("reply", ["STOP ME", "Stop me.", "stop me please", "stop me now"])
def test_stop_me_alone_is_held_for_review(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert (match.kind, match.confidence, match.rule) == (
        MatchKind.OPT_OUT,
        Confidence.FUZZY,
        "doubtful",
    )


@pytest.mark.parametrize("reply", ["stop me if you can", "Can you stop me?", "don't stop me now"])
def test_stop_me_with_more_words_stays_ordinary(reply: str) -> None:
    assert classify_reply(reply) is None
