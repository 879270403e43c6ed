"""Opt-outs real people send that the rules before fix28k missed, and their near misses.

A missed opt-out keeps texting someone who revoked consent "by any reasonable means"
(47 CFR 64.1200(a)(10), Federal Register 2024-04587); a false opt-out silences a customer
who wanted the texts. Each widening has near misses beside it that must stay ordinary.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


SPANGLISH = [
    "No more mensajes",
    "Stop mandarme mensajes",
    "stop con los mensajes",
    "ya no me manden texts",
    "please no más textos",
    "no mas texts",
    "stop enviarme mensajes please",
    "No more textos!",
]

ON_BEHALF = [
    "Quit texting my daughter",
    "stop texting my husband",
    "Stop texting my wife",
    "stop texting my son",
    "Stop texting my mom",
    "please stop messaging my dad",
    "stop texting my wife's phone",
    "Quit messaging me",
    "quit it",
]


@pytest.mark.parametrize("text", SPANGLISH + ON_BEHALF)
def test_spanglish_and_on_behalf_requests_are_opt_outs(text: str) -> None:
    _phrase_opt_out(text)


@pytest.mark.parametrize("text", [
    # English "no more" / "stop" before a Spanish word that names no message.
    "No more preguntas",
    "no más preguntas",
    "No more questions, thanks!",
    "stop con la musica",
    "No more mensajes de voz",
    "stop con los mensajes de voz",
    "Stop by the office tomorrow",
    # Someone else's texting, or the replier's own.
    "My daughter can't stop texting",
    "tell my son to stop texting me",
    "I told my wife to stop texting",
    "Don't stop texting my wife",
    "stop texting my wife separately",
    "stop texting my husband and text me instead",
    "quit my job lol",
    "Don't stop the reminders",
    "Remove the 3pm appointment",
    "Enough for today, see you Monday",
    "enough time?",
    "Stop harassing my mother about the loan, call me instead",
    "quit it? no way",
])
def test_near_misses_stay_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


@pytest.mark.parametrize("text", [
    "this isnt my number its my husbands",
    "This isn't my number, it's my husband's",
    "not my number its my sons phone",
    "Not my number. It's my son's phone",
    "wrong number this is my work phone",
    "Wrong number, this is my work phone",
    "wrong number its my wifes phone",
])
def test_wrong_numbers_without_punctuation(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.PHRASE
    assert match.wrong_number, text


@pytest.mark.parametrize("text", [
    "This is my work phone",
    "its my husbands phone",
    "not my problem its my husbands",
    "not my fault its my sons phone",
    "is this my number or my husbands",
])
def test_wrong_number_near_misses_stay_ordinary(text: str) -> None:
    match = classify_reply(text)
    assert match is None or not match.wrong_number, text
    assert not _acted_opt_out(text), text


# -- the ambiguous ones, decided -------------------------------------------------------


@pytest.mark.parametrize("text", ["Enough", "enough!!", "Enough already", "That's enough"])
def test_a_bare_enough_is_held_for_review(text: str) -> None:
    # "Enough" to a promotion reads as stop; to "Is 3pm enough time?" it is an answer.
    # Not silently ignored, not acted on: a human decides (needs_review in the ledger).
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.FUZZY
    assert not match.actionable
    assert match.rule == "doubtful"


# Without the comma ("No thanks remove") acted on, as before fix28k: test_rev28k.py.
@pytest.mark.parametrize("text", ["no thanks, remove", "yes, remove", "no thank you, remove"])
def test_an_answer_then_a_bare_remove_is_held_for_review(text: str) -> None:
    # To "keep the card on file?" it removes the card; to a promotion it opts out.
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT
    assert match.confidence is Confidence.FUZZY
    assert match.rule == "doubtful"
    assert match.keyword.split(" ").count("remove") == 1


def test_doubtful_replies_come_from_the_phrase_data() -> None:
    # Only a set holding the phrase holds them for review; each holds a cue word.
    from smskit.keywords import KeywordSet, _data
    from smskit.keywords.classify import normalize_reply

    assert classify_reply("Enough", keywords=KeywordSet.default(languages=("fr",))) is None
    for text in ["Enough", "That's enough", "no thanks, remove", "remove, no thanks"]:
        assert not _data.REVIEW_CUES.isdisjoint(normalize_reply(text).split(" ")), text
        match = classify_reply(text)
        assert match is not None, text
        assert match.rule == "doubtful", text
    assert classify_reply("Enough! Stop texting me").actionable  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["Yes stop it", "yes, stop it!", "no stop it"])
def test_an_answer_then_stop_it_is_an_opt_out(text: str) -> None:
    # "Stop it" and "Yes stop" are each opt-outs; together they ask for nothing else.
    _phrase_opt_out(text)


@pytest.mark.parametrize("text", ["Yes stop it?", "Yes, stop it, I want to keep the autopay"])
def test_stop_it_as_a_question_or_a_clause_stays_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


def test_remove_and_remove_me_stay_acted_on() -> None:
    remove = classify_reply("remove")
    assert remove is not None
    assert remove.confidence is Confidence.EXACT
    _phrase_opt_out("no thank you remove me")


# -- invariance of the new rules -------------------------------------------------------

_NEW = [*SPANGLISH, *ON_BEHALF[:7], "Yes stop it"]


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(c.swapcase() if f else c for c, f in zip(text, flips * len(text), strict=False))


@given(
    text=st.sampled_from(_NEW),
    flips=st.lists(st.booleans(), min_size=1, max_size=8),
    pad=st.sampled_from(["", " ", "  ", "\n", "\t "]),
    gap=st.sampled_from([" ", "  ", "\t", " \t "]),
    end=st.sampled_from(["", ".", "!", "!!", " 🙏", "..."]),
)
def test_new_rules_ignore_case_space_and_closing_punctuation(
    text: str, flips: list[bool], pad: str, gap: str, end: str
) -> None:
    said = pad + _recase(text, flips).replace(" ", gap) + end + pad
    match = classify_reply(said)
    assert match is not None, said
    assert match.kind is MatchKind.OPT_OUT, said
    assert match.actionable, said


@given(st.text(alphabet="stopnmreáñ ,.!?'mensajextquiyd", max_size=40))
def test_never_crashes_on_near_words(text: str) -> None:
    match = classify_reply(text)
    assert match is None or match.kind in MatchKind
