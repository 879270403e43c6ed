"""Fix fix31a: "Reply HELP/STOP" and "Reply HELP or STOP" instruct STOP.

CTIA's sample disclosure pairs the two keywords ("Reply HELP for help, STOP to cancel");
a sender who writes HELP first still tells the recipient to send STOP. Read as no
opt-out language, the engine added a second footer to a text that had one.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.content import mentions_opt_out


@pytest.mark.parametrize("text", [
    "Reply HELP/STOP", "Reply HELP or STOP", "Reply STOP/HELP", "Msg&data rates may apply. "
    "Reply HELP / STOP.", "Text HELP or STOP", "Reply HELP, STOP", "Reply 'HELP' or 'STOP'",
    "Reply HELP and STOP", "reply help or end",
])
def test_help_paired_with_stop_is_an_opt_out_instruction(text: str) -> None:
    assert mentions_opt_out(text)


@pytest.mark.parametrize("text", [
    "Reply HELP", "Reply HELP for a list of options", "we text end-to-end",
    "Reply HELP or stop-motion", "Text HELP or end of month", "Reply HELP or ENDLESS",
    "we text help or end-of-season deals",
])
def test_help_without_an_opt_out_keyword_is_still_none(text: str) -> None:
    assert not mentions_opt_out(text)


@given(st.sampled_from(["/", " / ", " or ", ", ", " and "]),
       st.sampled_from(["STOP", "stop", "End", "CANCEL", "UNSUBSCRIBE", "QUIT"]))
def test_help_then_any_stop_word_reads_as_the_keyword_alone(sep: str, word: str) -> None:
    # Property: HELP before the keyword changes nothing; "Reply WORD" already counts.
    assert mentions_opt_out(f"Reply {word}")
    assert mentions_opt_out(f"Reply HELP{sep}{word}")
