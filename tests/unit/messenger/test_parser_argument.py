"""``Messenger(parser=...)`` given something that reads one kind of webhook only.

``parse_twilio_inbound`` is a function, not a parser of both kinds; the error said
"the provider does not parse webhooks; pass parser=", though parser= was passed.
"""

from __future__ import annotations

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.providers import TwilioWebhookParser, parse_twilio_inbound

from .conftest import build_rig


def test_a_parser_reading_one_kind_of_webhook_is_named_as_the_parser() -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError) as caught:
        Messenger(
            rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, MemoryOutbox(),
            parser=parse_twilio_inbound,  # type: ignore[arg-type]
        )
    message = str(caught.value)
    assert caught.value.field == "parser"
    assert "the provider does not parse" not in message
    assert "parser= must read both kinds of webhook" in message
    assert "(parse_inbound and parse_status)" in message
    assert "parse_twilio_inbound does not" in message
    assert "TwilioWebhookParser()" in message


def test_a_parser_of_both_kinds_is_accepted() -> None:
    rig = build_rig()
    Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, MemoryOutbox(),
        parser=TwilioWebhookParser(),
    )
