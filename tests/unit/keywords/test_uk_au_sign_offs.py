"""Opt-outs signed off as people in the UK, Australia and New Zealand sign texts.

"Stop pls mate", "stop ta", "stop texting me x", "please remove me from your list xx":
each asks to stop, and each was read as an ordinary reply (or, "STOP x", as a fuzzy
match nobody acts on), so the next reminder went out. "ta" is thanks, "cheers" thanks
or goodbye, "x"/"xx" a kiss; none changes what the reply asks.
"""

from __future__ import annotations

import pytest

from smskit import Confidence, MatchKind, classify_reply


@pytest.mark.parametrize(
    "reply",
    ["Stop pls mate", "stop ta", "stop cheers", "STOP x", "stop xx", "Stop thanks xxx",
     "stop texting me x", "stop texting me ta", "please remove me from your list xx",
     "Unsubscribe cheers mate", "Cancel ta"],
)
def test_an_opt_out_with_a_sign_off_is_acted_on(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert (match.kind, match.confidence) == (MatchKind.OPT_OUT, Confidence.PHRASE)
    assert match.actionable


@pytest.mark.parametrize(
    "reply",
    ["Cheers, see you Tuesday", "ta", "x", "Cheers mate", "I can't stop by today x",
     "C ta", "R xx", "Don't stop the service x", "Cancel, I can't make it x"],
)
def test_a_sign_off_alone_or_beside_an_ordinary_reply_is_no_opt_out(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_OUT


def test_yes_with_a_sign_off_reads_as_yes_please() -> None:
    match = classify_reply("yes ta")
    assert match is not None
    assert match.kind is MatchKind.OPT_IN
