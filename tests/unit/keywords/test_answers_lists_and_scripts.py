"""Opt-outs left unread by the rules of 5 December 2026 (fix27k), and their near misses.

Each reply below is one a person writes to a business that texts them. A missed opt-out
keeps texting someone who revoked consent "by any reasonable means" (FCC 2024 order,
Federal Register 2024-04587); a false one only loses sends, so every widening here has
near misses beside it that must stay ordinary.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply
from smskit.keywords import normalize_reply


def _acted_opt_out(text: str) -> bool:
    match = classify_reply(text)
    return match is not None and match.kind is MatchKind.OPT_OUT and match.actionable


# -- 1. an opt-out naming numbers, then "and" ----------------------------------------


@pytest.mark.parametrize("text", [
    "STOP texting 2125550123 and text 4155550123 instead",
    "Stop texting 2125550123 and 4155550123",
    "stop texting me and text my wife instead",
    "Please stop texting (212) 555-0123 and call me",
    "remove me from your list and delete my info",
    "take me off the list and dont call either",
])
def test_an_opt_out_before_and_something_else_is_that_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text
    assert not match.wrong_number, text


@pytest.mark.parametrize("text", [
    # The request must end with what it stops: a slogan is not one.
    "stop texting and driving",
    "Stop texting and driving, it kills",
    # Not a request to stop at all.
    "Don't stop texting me and my wife",
    "never stop texting me and the team",
    "I will stop texting you and call instead",
    # "Don't text X and Y" may be about how to text, not whether: left alone.
    "Don't text me and my wife separately",
    "stop by 2125550123 and pick it up",
])
def test_and_after_no_opt_out_stays_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


def test_the_numbers_of_an_and_reply_are_never_printed() -> None:
    match = classify_reply("STOP texting 2125550123 and text 4155550123 instead")
    assert match is not None
    shown = repr(match)
    for digits in ("2125550123", "4155550123", "555"):
        assert digits not in shown
    assert "2*******23" in shown  # first digit, seven hidden, last two


# -- 2. an answer and a stop in one clause --------------------------------------------


@pytest.mark.parametrize("text", [
    "Not interested stop", "not interested STOP!", "No thanks stop", "no thank you stop",
    "nope stop", "Yes stop", "stop not interested", "STOP no thanks",
    "Not interested stop texting me", "no thanks, stop sending me texts",
    "I'm not interested stop", "im not interested stop please", "No stop",
    "not interested anymore unsubscribe",
])
def test_an_answer_beside_a_stop_is_an_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text


@pytest.mark.parametrize("text", [
    "don't stop", "Please don't stop", "yes never stop", "no don't stop",
    "stop by the office", "No, stop by at 3", "yes stop by tomorrow",
    "not interested, stop by later", "the bus stop no", "next stop yes",
    # CANCEL and END count only as a whole reply, answer or not.
    "not interested cancel", "no thanks end", "yes cancel",
    "Yes, 3pm works", "No thanks, I'm good",
])
def test_an_answer_beside_other_words_stays_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


# -- 3. a threat of any length ---------------------------------------------------------


@pytest.mark.parametrize("text", [
    "stop texting me or I will report you to the FCC and my lawyer tomorrow",
    "Stop texting me or I'll report you to the FCC, the FTC and the attorney general",
    "stop sending me these messages or I am going to block this number and file a "
    "complaint with my carrier",
    "Stop texting me otherwise I will report you",
    "stop texting me or you'll hear from my lawyer",
    "Stop calling and texting me or my lawyer will be in touch with you very soon",
])
def test_an_opt_out_with_a_long_threat_is_that_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text


@pytest.mark.parametrize("text", [
    "Don't stop texting me or I will miss the reminder and the sale next week",
    "never stop texting me or I will forget to pay on time every single month",
    "stop by or I will come to you with the papers tomorrow afternoon",
])
def test_a_long_tail_after_no_request_stays_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text


# -- 4. a phone number in another script's digits ------------------------------------


@pytest.mark.parametrize("text", [
    "STOP ２１２５５５０１２３",  # full-width
    "STOP ٢١٢٥٥٥٠١٢٣",  # Arabic-Indic
    "STOP ۲۱۲۵۵۵۰۱۲۳",  # extended Arabic-Indic (Persian, Urdu)
    "stop २१२५५५०१२३",  # Devanagari
    "remove me ٢١٢-٥٥٥-٠١٢٣",
    "Stop texting ٢١٢٥٥٥٠١٢٣",
    "٢١٢٥٥٥٠١٢٣ stop",
])
def test_an_opt_out_beside_a_number_in_any_digits_is_that_opt_out(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.actionable, text
    shown = repr(match)
    assert "555" not in shown, shown
    assert "٥٥٥" not in shown, shown


@pytest.mark.parametrize("text", ["Cancel ٢١٢٥٥٥٠١٢٣", "End २१२५५५०१२३", "stop ٢١٢"])
def test_whole_reply_words_stay_ordinary_beside_such_a_number(text: str) -> None:
    assert classify_reply(text) is None, text


def test_normalising_reads_every_scripts_digits_as_ascii() -> None:
    assert normalize_reply("٢١٢ ۵۵۵ ０１２３ २") == "212 555 0123 2"


def test_a_start_naming_a_number_in_other_digits_still_re_subscribes_no_one() -> None:
    # An opt-in naming a number may be about someone else's phone (docs/keywords.md):
    # its digits' script must not hide the number.
    assert classify_reply("start texting me again ٢١٢٥٥٥٠١٢٣") is None


# -- more misses found in fix27k --------------------------------------------------------


@pytest.mark.parametrize("text", [
    "You can stop texting me now", "u can stop texting me now",
    "stop texting me please and thank you",
    "Stop texting me I didn't sign up for this", "Stop sending me messages I never signed up",
    "Stop texting this number its my work phone", "stop texting me who is this",
    "Enough with the texts", "enough of these messages already",
])
def test_more_opt_outs_people_write(text: str) -> None:
    match = classify_reply(text)
    assert match is not None, text
    assert match.kind is MatchKind.OPT_OUT, text
    assert match.confidence is Confidence.PHRASE, text


@pytest.mark.parametrize("text", [
    "You can stop by anytime", "you can stop the order", "enough already",
    "Enough with the calls", "Don't stop texting me I love the deals",
    "I can't stop texting my friends", "stop texting while driving it is the law",
    "Enough, I already paid",
])
def test_their_near_misses_stay_ordinary(text: str) -> None:
    assert not _acted_opt_out(text), text
