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

from smskit.consent import Evidence
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


def test_a_queued_request_is_decided_again_with_the_profile_that_queued_it(rig: Rig) -> None:
    # A review request deferred by quiet hours, then the customer turns review texts off
    # in the app: send_due judged it with the number's first profile (the reminders'),
    # whose consent still stood, and sent it.
    reminders = replace(rig.sender, consent_scope="acme/reminders")
    reviews = replace(rig.sender, consent_scope="acme/reviews")
    messenger = _messenger(rig, [reminders, reviews])
    for scope in ("acme/reminders", "acme/reviews"):
        rig.ledger.grant(ALICE, scope=scope, purposes=["marketing"], kind="express_written",
                         source="web_form", at=T0 - timedelta(days=1),
                         evidence=Evidence(consent_text="Texts from Acme",
                                           form_url="https://acme.example/join"))
    night = T0 + timedelta(hours=12)  # 22:00 in New York
    request = SendRequest(ALICE, body="Acme: how did Dave do? Reply STOP to opt out",
                          purpose="marketing", idempotency_key="review-1")
    assert messenger.send(request, reviews, night, queue=True).outcome.value == "deferred"
    rig.ledger.revoke(ALICE, scope="acme/reviews", at=night + timedelta(minutes=5),
                      method="api", source="api")
    morning = T0 + timedelta(hours=24)  # 10:00 the next day
    (result,) = messenger.send_due(morning)
    assert result.outcome.value == "blocked"
@pytest.mark.parametrize("order", ["parent first", "child first"])
def test_the_covering_profile_takes_the_replies_in_either_order(rig: Rig, order: str) -> None:
    parent = replace(rig.sender, consent_scope="acme")
    child = replace(rig.sender, consent_scope="acme/reviews")
    messenger = _messenger(rig, [parent, child] if order == "parent first" else [child, parent])
    assert messenger.scope_for(OURS) == "acme"
    _grant(rig, "acme")
    assert _send(messenger, parent, "k1", 0) == "sent"
    assert _send(messenger, child, "k2", 1) == "sent"
    stop = rig.provider.inbound_params(ALICE, OURS, "STOP")
    messenger.handle_inbound("https://sms.example/in", stop, {}, T0 + timedelta(minutes=2))
    assert _send(messenger, parent, "k3", 3) == "blocked"
    assert _send(messenger, child, "k4", 4) == "blocked"


def test_profiles_of_one_scope_still_share_a_number(rig: Rig) -> None:
    english = rig.sender
    spanish = replace(rig.sender, footer="Responda STOP para cancelar")
    messenger = _messenger(rig, [english, spanish])
    assert messenger.scope_for(OURS) == "acme"
    _grant(rig, "acme")
    assert _send(messenger, spanish, "k1", 0) == "sent"
