"""TwilioProvider: a 2xx whose JSON is not an object is an unreadable answer, looked up.

twilio-python builds the message from the answer with ``payload.get(...)``: a 2xx
whose body is JSON ``null``, a list or a string (a gateway or proxy answering in
Twilio's place) raised a bare ``AttributeError`` out of ``send``, where an unreadable
2xx is documented as ambiguous and looked up. The loopback API created the message
before answering, so the lookup must find it, and nothing is posted twice.
"""

from __future__ import annotations

import pytest

from fake_twilio_api import Action, FakeMessagesApi
from smskit.providers import OutboundMessage

from .test_twilio_provider import make

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")


@pytest.mark.parametrize("body", ["null", "[]", '"created"'])
def test_a_2xx_whose_json_is_no_object_is_looked_up_not_raised(
    fake_api: FakeMessagesApi, body: str
) -> None:
    fake_api.post_script.append(Action(status=201, body=body, create=True))
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert receipt.recovered is True
    assert receipt.message_id == fake_api.messages[0]["sid"]
    assert len(fake_api.posts) == 1
    assert len(fake_api.gets) == 1


def test_a_client_without_messages_is_not_taken_for_an_ambiguous_send() -> None:
    from smskit.providers import TwilioProvider

    class NotAClient:
        http_client = None

    provider = TwilioProvider(NotAClient())  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        provider.send(MSG)


@pytest.mark.parametrize("body", ["null", "[]", '"ok"', '{"messages": null}', '{"messages": [1]}'])
def test_an_unreadable_list_answer_is_a_failed_lookup_not_a_bare_error(
    fake_api: FakeMessagesApi, body: str
) -> None:
    from smskit.errors import ProviderAmbiguousError

    fake_api.post_script.append(Action(status=500, create=False))
    fake_api.get_script.append(Action(status=200, body=body))
    provider, _ = make(fake_api.base_url)
    with pytest.raises(ProviderAmbiguousError) as caught:
        provider.send(MSG)
    assert "looking it up failed" in str(caught.value)
    assert len(fake_api.posts) == 1  # never resent on a lookup that said nothing
