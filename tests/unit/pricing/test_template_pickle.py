"""A template pickles under every protocol and copies, and so does a request built from one
(a campaign's requests go to worker processes); protocols 0 and 1 cannot pickle a class
with ``__slots__`` by themselves."""

from __future__ import annotations

import pytest

from _copies import COPIES, copied
from smskit import SendRequest, Template


@pytest.mark.parametrize("how", COPIES)
def test_a_template_pickles_and_copies_and_still_renders(how: str) -> None:
    template = Template("Hi {name}, {{sale}} ends {day}")
    again = copied(template, how)
    assert isinstance(again, Template)
    assert again == template
    assert again.fields == ("name", "day")
    assert again.render({"name": "Ann", "day": "Fri"}) == "Hi Ann, {sale} ends Fri"


@pytest.mark.parametrize("how", COPIES)
def test_a_request_with_a_template_pickles_and_copies(how: str) -> None:
    request = SendRequest("+12125550100", template=Template("Hi {name}"), values={"name": "Ann"})
    again = copied(request, how)
    assert isinstance(again, SendRequest)
    assert again == request
    assert again.template is not None
    assert again.template.render(again.values) == "Hi Ann"
