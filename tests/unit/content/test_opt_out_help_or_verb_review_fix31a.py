"""Review of fix31a: HELP named first, then a keyword used as an ordinary verb.

"Text HELP or stop by our office" tells the reader to visit, not how to opt out; read
as opt-out language, the engine left out the sender's footer (a compliance miss). After
a word ("or", "and", "&", ",") the keyword counts only where it ends the clause or goes
on "to"/"for" its effect, as "Reply HELP or STOP" and "Reply HELP or STOP to cancel" do.
"""

from __future__ import annotations

import pytest

from smskit.content import mentions_opt_out


@pytest.mark.parametrize("text", [
    "reply help or stop by",
    "Need help? Text HELP or stop by our office today.",
    "Questions? Text HELP, stop by or call us",
    "Reply HELP and end up saving on every order",
    "Text HELP & quit smoking with our coach",
])
def test_help_then_a_keyword_used_as_a_verb_is_no_opt_out_instruction(text: str) -> None:
    assert not mentions_opt_out(text)


@pytest.mark.parametrize("text", [
    "Reply HELP or STOP", "Reply HELP or STOP.", "Reply HELP or STOP to cancel",
    "Reply HELP, STOP for opt out", "Reply 'HELP' or 'STOP'.", "Reply HELP & END!",
    "Reply HELP or STOP\nMsg&data rates may apply", "Reply HELP/STOP Msg&data rates may apply",
    "Reply HELP or STOP anytime", "Reply HELP or STOP at any time",
])
def test_help_then_a_keyword_that_ends_the_instruction_still_counts(text: str) -> None:
    assert mentions_opt_out(text)
