"""Review of rev31c: "STOP-ALL" is Telnyx's "STOP ALL" keyword written with a hyphen.

rev31c made a keyword followed by a hyphenated word no instruction ("we text
end-of-season deals"); "Reply STOP-ALL" (Telnyx documents "STOP ALL" and "STOPALL",
docs/keywords.md) then read as no opt-out language, and the engine added a second
footer to a text that had one.
"""

from __future__ import annotations

import pytest

from smskit.content import mentions_opt_out


@pytest.mark.parametrize("text", [
    "Reply STOP-ALL for no more texts", "Text STOP-ALL to quit", "Reply STOP ALL",
])
def test_stop_all_with_a_hyphen_is_an_opt_out_instruction(text: str) -> None:
    assert mentions_opt_out(text)


@pytest.mark.parametrize("text", [
    "we text end-of-season deals", "send stop-motion videos", "reply stop-all-day-sale",
])
def test_a_keyword_inside_another_word_is_still_none(text: str) -> None:
    assert not mentions_opt_out(text)
