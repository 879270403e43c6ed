"""An opt-out that names the program's messages: "Stop sending me rate alerts" (user29).

A mortgage CRM's borrowers answer a campaign by its name ("rate alerts", "rate lock
updates", "payment reminders"). The message words were read only bare or after an
article ("stop these alerts"), so a kind of message named before them made the reply
ordinary and the alerts went on.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


@pytest.mark.parametrize(
    "body",
    [
        "Stop sending me rate alerts",
        "Stop sending me rate updates",
        "stop rate alerts",
        "Stop the rate lock alerts",
        "No more rate alerts please",
        "no more promo texts",
        "Unsubscribe from rate alerts",
        "Cancel rate alerts",
        "cancel the payment reminders",
        "I don't want rate alerts",
        "I want to stop receiving rate alerts",
        "No more messages about refinancing",
        "Stop sending me updates",
        "Opt me out of rate alerts",
    ],
)
def test_a_request_naming_the_messages_opts_out(body: str) -> None:
    match = classify_reply(body)
    assert match is not None, body
    assert (match.kind, match.confidence) == (MatchKind.OPT_OUT, Confidence.PHRASE), body
    assert match.actionable, body


@pytest.mark.parametrize(
    "body",
    [
        "No more than two texts",
        "no more than 2 texts a day please",
        "No rate alerts?",
        "No updates yet",
        "No updates",
        "Any updates?",
        "I got the rate alerts, thanks",
        "Stop by for the rate alerts",
        "end of month reminders work",
        "Can you send me rate alerts?",
        "Please keep sending rate alerts",
        "Don't stop the rate alerts",
    ],
)
def test_other_replies_naming_messages_stay_ordinary(body: str) -> None:
    assert classify_reply(body) is None, body


def test_starting_named_messages_again_is_an_opt_in() -> None:
    match = classify_reply("Start sending rate alerts again")
    assert match is not None
    assert match.kind is MatchKind.OPT_IN
