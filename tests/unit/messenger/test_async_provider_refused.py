"""An asyncio provider given to the (synchronous) ``Messenger`` (user37).

``Messenger(AsyncTwilioProvider(...), ...)`` was accepted; its first send called
``provider.send`` without awaiting it and raised ``AttributeError: 'coroutine' object
has no attribute 'message_id'``, nothing sent, the key left reserved as if in flight
(without ``parser=`` it was refused as "the provider does not parse webhooks", which sent
the user after a parser). It is refused when the messenger is built, saying what to give instead.
"""

from __future__ import annotations

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.providers import (
    AsyncMemoryProvider,
    AsyncTelnyxProvider,
    TelnyxProvider,
    TwilioWebhookParser,
)

from .conftest import build_rig


@pytest.mark.parametrize("with_parser", [True, False])
@pytest.mark.parametrize("wrap", ["memory", "telnyx"])
def test_an_async_provider_is_refused_naming_the_synchronous_one(
    wrap: str, with_parser: bool
) -> None:
    rig = build_rig()
    provider = (
        AsyncMemoryProvider(rig.provider)
        if wrap == "memory"
        else AsyncTelnyxProvider(TelnyxProvider("KEY0123456789"))
    )
    with pytest.raises(ConfigurationError, match=r"asyncio\.to_thread") as caught:
        Messenger(
            provider,  # type: ignore[arg-type]
            rig.messenger.pipeline, rig.ledger, rig.history, MemoryOutbox(),
            senders=[rig.sender],
            parser=TwilioWebhookParser() if with_parser else None,
        )
    assert caught.value.field == "provider"
    assert type(provider).__name__ in str(caught.value)


def test_the_synchronous_provider_is_still_taken() -> None:
    rig = build_rig()
    Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, MemoryOutbox(),
              senders=[rig.sender])
