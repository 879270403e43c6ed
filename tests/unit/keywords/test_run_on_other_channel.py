"""An opt-out phrase run on into a request for another channel, with no comma between,
as texts are typed: "stop texting me call 2125550199" was an ordinary reply, so a
salon's customer who asked for calls kept getting texts (user34). "Stop texting me, call
me instead" was already an opt-out."""

from __future__ import annotations

import pytest

from smskit import classify_reply
from smskit.keywords import Confidence, MatchKind


@pytest.mark.parametrize(
    "reply",
    ["stop texting me call 212-555-0199", "Stop texting me call me instead",
     "stop texting me call my office", "Can you stop texting me call me at 5",
     "remove me call 2125550199 if needed", "stop texting me email me the invoice",
     "Stop sending me texts e mail me"],
)
def test_a_request_for_another_channel_after_the_stop_is_an_opt_out(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None, reply
    assert (match.kind, match.confidence) == (MatchKind.OPT_OUT, Confidence.PHRASE), reply


@pytest.mark.parametrize(
    "reply",
    ["stop calling me call my wife",  # calls only
     "Stop sending me email messages",  # "email" names the messages: no request
     "stop texting me call",  # nothing asked for after "call"
     "take me off the call list and text me instead",
     # Review rev29u: no request in them, whatever follows.
     "don't stop texting me call 2125550199", "Dont stop texting me call me later",
     "never stop texting me call me", "why would you stop texting me call me"],
)
def test_what_it_was_not_stays_so(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_OUT, reply


def test_the_number_asked_for_is_not_in_the_match() -> None:
    # Review rev29u: the number in the reply is the replier's data; the match names the
    # phrase only (it is shown by `smskit classify` and kept in logs).
    match = classify_reply("stop texting me call 212 555 0199")
    assert match is not None
    assert match.keyword == "stop texting me"
    assert "0199" not in repr(match)
