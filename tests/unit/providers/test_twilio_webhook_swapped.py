"""A status callback posted to the inbound route, or an inbound message to the status route.

A Messaging Service whose status callback URL is the inbound URL is a common
misconfiguration: the callback (From = our number, no Body) was read as an empty text
from our own number and recorded as received; an inbound message posted to the status
route was recorded as a delivery report of status "received".
"""

from __future__ import annotations

import pytest

from smskit.errors import ProviderResponseError
from smskit.providers import parse_twilio_inbound, parse_twilio_status

STATUS = {"MessageSid": "SM1", "SmsSid": "SM1", "MessageStatus": "delivered",
          "SmsStatus": "delivered", "From": "+12125550100", "To": "+12125550123",
          "AccountSid": "AC1", "ApiVersion": "2010-04-01"}
INBOUND = {"MessageSid": "SM2", "SmsMessageSid": "SM2", "SmsSid": "SM2", "SmsStatus": "received",
           "From": "+12125550123", "To": "+12125550100", "Body": "C", "NumMedia": "0",
           "AccountSid": "AC1", "ApiVersion": "2010-04-01"}


def test_a_status_callback_is_not_read_as_an_inbound_message() -> None:
    with pytest.raises(ProviderResponseError, match="status callback") as caught:
        parse_twilio_inbound(STATUS)
    assert "+12125550123" not in str(caught.value)


def test_a_legacy_status_callback_with_only_smsstatus_is_refused_too() -> None:
    legacy = {k: v for k, v in STATUS.items() if k != "MessageStatus"}
    with pytest.raises(ProviderResponseError, match="status callback"):
        parse_twilio_inbound(legacy)


def test_an_inbound_message_is_not_read_as_a_status_callback() -> None:
    with pytest.raises(ProviderResponseError, match="inbound message"):
        parse_twilio_status(INBOUND)


def test_the_right_routes_still_parse() -> None:
    assert parse_twilio_inbound(INBOUND).body == "C"
    assert parse_twilio_status(STATUS).reported == "delivered"
    # An inbound webhook always carries Body, blank for a picture without text.
    assert parse_twilio_inbound({**INBOUND, "Body": ""}).body == ""
