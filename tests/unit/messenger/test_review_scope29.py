"""Second review of the shared reply scopes (scope29): a STOP by any path blocks every
later send it should, queued ones included, whatever ``senders=`` the messenger is
rebuilt with while they wait."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from smskit.consent import Evidence
from smskit.messenger import Messenger, Outbox
from smskit.policy import SenderProfile, SendRequest

from .conftest import ALICE, OURS, T0, Rig, outbox_of


def _marketing_grants(rig: Rig, *scopes: str) -> None:
    for scope in scopes:
        rig.ledger.grant(ALICE, scope=scope, purposes=["marketing"], kind="express_written",
                         source="web_form", at=T0 - timedelta(days=1),
                         evidence=Evidence(consent_text="Texts from Acme",
                                           form_url="https://acme.example/join"))


def _messenger(rig: Rig, outbox: Outbox, senders: list[SenderProfile]) -> Messenger:
    return Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                     outbox, senders=senders)


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_a_stop_after_a_restart_without_the_queued_profile_still_holds_its_request(
    rig: Rig, kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as outbox:
        _restart_then_stop(rig, outbox)


def _restart_then_stop(rig: Rig, outbox: Outbox) -> None:
    # Queued by a messenger with both profiles of the number; the worker is rebuilt with
    # the reminders' profile only. A STOP to the number is then recorded in
    # acme/reminders, which does not cover the queued review request's acme/reviews:
    # send_due judged it with the reminders' profile in acme/reviews, and sent it.
    reminders = replace(rig.sender, consent_scope="acme/reminders")
    reviews = replace(rig.sender, consent_scope="acme/reviews")
    before = _messenger(rig, outbox, [reminders, reviews])
    _marketing_grants(rig, "acme/reminders", "acme/reviews")
    night = T0 + timedelta(hours=12)  # 22:00 in New York
    review = SendRequest(ALICE, body="Acme: how did Dave do? Reply STOP to opt out",
                         purpose="marketing", idempotency_key="review-1")
    assert before.send(review, reviews, night, queue=True).outcome.value == "deferred"
    after = _messenger(rig, outbox, [reminders])
    assert after.scope_for(OURS) == "acme/reminders"
    stop = rig.provider.inbound_params(ALICE, OURS, "STOP")
    after.handle_inbound("https://sms.example/in", stop, {}, night + timedelta(minutes=5))
    morning = T0 + timedelta(hours=24)
    results = after.send_due(morning)
    assert [r.outcome.value for r in results if r.key == "review-1"] == ["pending"]
    assert not [m for m in rig.provider.messages if "Dave do" in m.body]
    kept = outbox.get("review-1")  # left for a messenger with the reviews' profile
    assert kept is not None
    assert kept.state.value == "deferred"

