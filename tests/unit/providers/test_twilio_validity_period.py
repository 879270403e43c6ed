"""TwilioProvider: a validity_period past Twilio's 36,000 seconds is refused before the POST.

Twilio accepts whole seconds from 1 to 36,000 (10 hours) and refuses anything else
(https://www.twilio.com/docs/api/errors/21624,
https://www.twilio.com/docs/api/errors/90007). smskit sent it all the same: the
message was reserved, handed over, and refused with a code its table does not know
(``unknown``), where TelnyxProvider refuses a validity_period it cannot honour with a
ConfigurationError before any request.
"""

from __future__ import annotations

import pytest

from fake_twilio_api import FakeMessagesApi
from smskit.errors import ConfigurationError
from smskit.providers import OutboundMessage

from .test_twilio_provider import make

TO, FROM = "+14155550123", "+14155550199"


def test_a_validity_period_past_ten_hours_is_refused_before_any_request(
    fake_api: FakeMessagesApi,
) -> None:
    provider, _ = make(fake_api.base_url)
    message = OutboundMessage(to=TO, sender=FROM, body="Hi", validity_period=36_001)
    with pytest.raises(ConfigurationError) as caught:
        provider.send(message)
    assert caught.value.field == "validity_period"
    assert "36000" in str(caught.value) or "36,000" in str(caught.value)
    assert fake_api.posts == []


def test_ten_hours_exactly_is_sent(fake_api: FakeMessagesApi) -> None:
    provider, _ = make(fake_api.base_url)
    provider.send(OutboundMessage(to=TO, sender=FROM, body="Hi", validity_period=36_000))
    assert fake_api.posts[0]["ValidityPeriod"] == "36000"
