"""A messenger that records replies to a sender in a scope its sends are not judged in.

``Messenger(...)`` without ``senders=[acme]`` records every reply in its ``scope``
("default"). Acme's sends are judged in ``acme``, which "default" does not cover: a
STOP to Acme's number was recorded, and Acme's next marketing message was sent.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.policy import SendRequest

from .conftest import ALICE, T0, Rig, consent


def _request(key: str) -> SendRequest:
    return SendRequest(ALICE, body="Acme: 20% off. Reply STOP to opt out", idempotency_key=key)


def _messenger(rig: Rig, **options: object) -> Messenger:
    return Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                     MemoryOutbox(), **options)  # type: ignore[arg-type]


def test_a_sender_whose_replies_would_miss_its_scope_is_refused_before_sending(
    rig: Rig,
) -> None:
    consent(rig)
    messenger = _messenger(rig)  # no senders=: replies go to scope "default"
    with pytest.raises(ConfigurationError) as caught:
        messenger.send(_request("k1"), rig.sender, T0)
    assert caught.value.field == "senders"
    message = str(caught.value)
    assert "'default'" in message
    assert "'acme'" in message
    assert "+12125550199" not in message  # the sending number is masked
    assert len(rig.provider.messages) == 0


def test_the_stop_then_blocks_the_next_send_once_the_sender_is_registered(rig: Rig) -> None:
    consent(rig)
    messenger = _messenger(rig, senders=[rig.sender])
    assert messenger.send(_request("k1"), rig.sender, T0).outcome.value == "sent"
    stop = rig.provider.inbound_params(ALICE, rig.sender.sender_id, "STOP")
    messenger.handle_inbound("https://sms.example/in", stop, {}, T0 + timedelta(minutes=1))
    after = messenger.send(_request("k2"), rig.sender, T0 + timedelta(minutes=2))
    assert after.outcome.value == "blocked"


def test_a_messenger_scope_that_covers_the_senders_scope_is_enough(rig: Rig) -> None:
    consent(rig)
    messenger = _messenger(rig, scope="acme")  # replies recorded where sends are judged
    assert messenger.send(_request("k1"), rig.sender, T0).outcome.value == "sent"


@pytest.mark.parametrize("sender", ["+12125550199", None])
def test_a_sender_that_is_not_a_profile_is_still_a_configuration_error(
    rig: Rig, sender: object
) -> None:
    # The scope check read sender.consent_scope before the engine checked the type:
    # send(request, "+1...", at) ended in AttributeError instead of the engine's
    # "expected a SenderProfile".
    with pytest.raises(ConfigurationError, match="expected a SenderProfile") as caught:
        rig.messenger.send(_request("k1"), sender, T0)  # type: ignore[arg-type]
    assert caught.value.field == "sender"
    assert len(rig.provider.messages) == 0
