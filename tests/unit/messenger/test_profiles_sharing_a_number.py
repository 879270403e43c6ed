"""Several profiles sending from one number: replies go to a scope covering them all.

A field-service business sends reminders and review requests from one number, with a
profile each. Given as ``senders=[reminders, reviews]`` with sibling scopes, the last
profile took the number's replies: a STOP was recorded in ``acme/reviews`` only. Given
as ``[parent, child]``, the child's scope took them and the parent profile's sends were
refused at send time, though the parent's scope covered both.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger
from smskit.policy import SenderProfile, SendRequest

from .conftest import ALICE, OURS, T0, Rig


def _messenger(rig: Rig, senders: list[SenderProfile]) -> Messenger:
    return Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                     MemoryOutbox(), senders=senders)


def _grant(rig: Rig, scope: str) -> None:
    rig.ledger.grant(ALICE, scope=scope, purposes=["informational"], kind="express",
                     source="web_form", at=T0 - timedelta(days=1))


def _send(messenger: Messenger, profile: SenderProfile, key: str, minutes: int) -> str:
    request = SendRequest(ALICE, body="Acme: Dave arrives 2-4 pm. Reply STOP to opt out",
                          purpose="informational", idempotency_key=key)
    return messenger.send(request, profile, T0 + timedelta(minutes=minutes)).outcome.value


def test_sibling_scopes_on_one_number_share_their_parent_and_one_stop_stops_both(
    rig: Rig,
) -> None:
    # As through one Messaging Service: the carrier blocks the number, not a program.
    reminders = replace(rig.sender, consent_scope="acme/reminders")
    reviews = replace(rig.sender, consent_scope="acme/reviews")
    messenger = _messenger(rig, [reminders, reviews])
    assert messenger.scope_for(OURS) == "acme"
    _grant(rig, "acme/reminders")
    _grant(rig, "acme/reviews")
    assert _send(messenger, reminders, "k1", 0) == "sent"
    assert _send(messenger, reviews, "k2", 1) == "sent"
    stop = rig.provider.inbound_params(ALICE, OURS, "STOP")
    messenger.handle_inbound("https://sms.example/in", stop, {}, T0 + timedelta(minutes=2))
    assert _send(messenger, reminders, "k3", 3) == "blocked"
    assert _send(messenger, reviews, "k4", 4) == "blocked"


def test_scopes_sharing_nothing_on_one_number_are_refused_when_built(rig: Rig) -> None:
    one = replace(rig.sender, consent_scope="acme")
    two = replace(rig.sender, consent_scope="bravo")
    with pytest.raises(ConfigurationError) as caught:
        _messenger(rig, [one, two])
    assert caught.value.field == "senders"
    assert "acme, bravo" in str(caught.value)
    assert OURS not in str(caught.value)  # the number masked
