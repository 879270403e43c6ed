"""Properties of SenderProfile.messaging_service: a Twilio Messaging Service SID is "MG"
and 32 lower-case hex digits (the oracle is written here from Twilio's SID format, not
smskit's pattern); anything else is refused, and the refusal never repeats the text."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.consent.sender import SenderProfile
from smskit.errors import ConfigurationError

HEX = "0123456789abcdef"


def _is_service_sid(text: str) -> bool:
    return len(text) == 34 and text[:2] == "MG" and all(c in HEX for c in text[2:])


_sids = st.text(alphabet=HEX, min_size=32, max_size=32).map(lambda h: "MG" + h)
_near = st.builds(
    lambda h, i, c: ("MG" + h)[:i] + c + ("MG" + h)[i + 1:],
    st.text(alphabet=HEX, min_size=32, max_size=32),
    st.integers(0, 33),
    st.sampled_from(string.ascii_letters + string.digits + " +-\n\x00é"),
)


@given(st.one_of(_sids, _near, st.text(alphabet=HEX + "MGmg+ \n", max_size=36)))
def test_accepted_exactly_when_a_service_sid(text: str) -> None:
    if text == "" or _is_service_sid(text):
        assert SenderProfile(messaging_service=text).messaging_service == text
        return
    with pytest.raises(ConfigurationError) as caught:
        SenderProfile(messaging_service=text)
    assert caught.value.field == "messaging_service"
    # Said the same way for any text of that length: nothing of it is echoed.
    with pytest.raises(ConfigurationError) as same:
        SenderProfile(messaging_service="x" * len(text))
    assert str(same.value) == str(caught.value)
