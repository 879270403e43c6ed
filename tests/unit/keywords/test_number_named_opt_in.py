"""A number named after "start texting" is not the replier re-subscribing (rev26u).

user27 let the opt-out phrases take a phone number where they take "me" ("STOP texting
2125550123"); the shared pattern also reached the opt-in phrase ``start_again``, so
"Please start texting 4155550123" (a new number, or someone else's) re-subscribed the
number that sent it, which may have opted out: a text to a revoked number.
"""

from __future__ import annotations

import pytest

from smskit import MatchKind, classify_reply


@pytest.mark.parametrize(
    "reply",
    [
        "start texting 4155550123",
        "Please start texting 415-555-0123",
        "resume texting 415.555.0123",
        "Start sending 4155550123 again",
        "start texting my cell 4155550123",
    ],
)
def test_start_texting_another_number_is_no_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is None or match.kind is not MatchKind.OPT_IN


@pytest.mark.parametrize("reply", ["start texting me", "Please resume texting me again"])
def test_start_texting_me_is_still_an_opt_in(reply: str) -> None:
    match = classify_reply(reply)
    assert match is not None
    assert match.kind is MatchKind.OPT_IN
