"""Second review of the shared reply scopes (scope29): a STOP by any path blocks every
later send it should, queued ones included, whatever ``senders=`` the messenger is
rebuilt with while they wait."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from smskit.consent import Evidence
from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger, Outbox
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


def _stop_to_ours(rig: Rig, messenger: Messenger, body: str, minutes: int) -> None:
    params = rig.provider.inbound_params(ALICE, OURS, body)
    messenger.handle_inbound("https://sms.example/in", params, {}, T0 + timedelta(minutes=minutes))


def _sent(messenger: Messenger, profile: SenderProfile, key: str, minutes: int) -> str:
    request = SendRequest(ALICE, body="Acme: Dave arrives 2-4 pm. Reply STOP to opt out",
                          purpose="informational", idempotency_key=key)
    return messenger.send(request, profile, T0 + timedelta(minutes=minutes)).outcome.value


@pytest.mark.parametrize("order", ["halt first", "plain first"])
def test_profiles_of_one_number_reading_replies_differently_are_refused(
    rig: Rig, order: str
) -> None:
    # Replies to the number are read with one profile's keywords: with the plain one
    # first, the other program's own opt-out word "BASTA" changed nothing and its
    # reminders went on to the person who had sent it.
    halt = replace(rig.sender, consent_scope="acme/reminders",
                   keywords=rig.sender.keywords.extend("opt_out", ["BASTA"]))
    plain = replace(rig.sender, consent_scope="acme/reviews")
    senders = [halt, plain] if order == "halt first" else [plain, halt]
    with pytest.raises(ConfigurationError) as caught:
        _messenger(rig, MemoryOutbox(), senders)
    assert caught.value.field == "senders"
    assert "keywords" in str(caught.value)
    assert OURS not in str(caught.value)


@pytest.mark.parametrize("order", ["wide first", "narrow first"])
def test_profiles_of_one_number_revoking_at_different_scopes_are_refused(
    rig: Rig, order: str
) -> None:
    # One asks a STOP to end every acme program (revocation_scope="acme"), the other
    # not: which held depended on the order of senders=.
    wide = replace(rig.sender, consent_scope="acme/fixit/reminders", revocation_scope="acme")
    narrow = replace(rig.sender, consent_scope="acme/fixit/reviews")
    senders = [wide, narrow] if order == "wide first" else [narrow, wide]
    with pytest.raises(ConfigurationError) as caught:
        _messenger(rig, MemoryOutbox(), senders)
    assert caught.value.field == "senders"
    assert "revocation_scope" in str(caught.value)


def test_an_opt_out_word_every_profile_of_a_number_reads_stops_them_all(rig: Rig) -> None:
    keywords = rig.sender.keywords.extend("opt_out", ["BASTA"])
    reminders = replace(rig.sender, consent_scope="acme/reminders", keywords=keywords)
    reviews = replace(rig.sender, consent_scope="acme/reviews", keywords=keywords)
    messenger = _messenger(rig, MemoryOutbox(), [reviews, reminders])
    rig.ledger.grant(ALICE, scope="acme", purposes=["informational"], kind="express",
                     source="web_form", at=T0 - timedelta(days=1))
    assert _sent(messenger, reminders, "k1", 0) == "sent"
    _stop_to_ours(rig, messenger, "basta", 1)
    assert _sent(messenger, reminders, "k2", 2) == "blocked"
    assert _sent(messenger, reviews, "k3", 3) == "blocked"


def test_a_request_scope_a_stop_to_its_number_would_not_reach_is_refused(rig: Rig) -> None:
    # request.scope is what the send is judged in: a review request sent from the
    # reminders' number and profile with scope="acme/reviews" went out after a STOP to
    # that number, which was recorded in acme/reminders.
    reminders = replace(rig.sender, consent_scope="acme/reminders")
    messenger = _messenger(rig, MemoryOutbox(), [reminders])
    _marketing_grants(rig, "acme/reviews")
    _stop_to_ours(rig, messenger, "STOP", 0)
    request = SendRequest(ALICE, body="Acme: how did Dave do? Reply STOP to opt out",
                          purpose="marketing", scope="acme/reviews", idempotency_key="r1")
    with pytest.raises(ConfigurationError) as caught:
        messenger.send(request, reminders, T0 + timedelta(minutes=1))
    assert caught.value.field == "scope"
    assert OURS not in str(caught.value)
    assert not [m for m in rig.provider.messages if "Dave do" in m.body]
    # A scope under the profile's is judged there, and the STOP reaches it.
    inside = replace(request, scope="acme/reminders/tuesday", idempotency_key="r2")
    assert messenger.send(inside, reminders, T0 + timedelta(minutes=2)).outcome.value == (
        "blocked"
    )


def test_the_same_words_added_in_another_order_are_the_same_keywords(rig: Rig) -> None:
    words = rig.sender.keywords
    one = replace(rig.sender, consent_scope="acme/reminders",
                  keywords=words.extend("opt_out", ["BASTA"]).extend("opt_out", ["HALTE"]))
    two = replace(rig.sender, consent_scope="acme/reviews",
                  keywords=words.extend("opt_out", ["HALTE"]).extend("opt_out", ["BASTA"]))
    assert _messenger(rig, MemoryOutbox(), [one, two]).scope_for(OURS) == "acme"


OTHER = "+12125550188"


def test_a_21610_from_a_number_whose_profile_widens_opt_outs_is_recorded_wide(
    rig: Rig,
) -> None:
    # revocation_scope="acme": a STOP to the number ends every acme program. A STOP the
    # person sent to Twilio (its 21610 on our next send) was recorded in acme/fixit only,
    # and the store's texts from the other number went on.
    fixit = replace(rig.sender, consent_scope="acme/fixit", revocation_scope="acme")
    store = replace(rig.sender, sender_id=OTHER, consent_scope="acme/store")
    messenger = _messenger(rig, MemoryOutbox(), [fixit, store])
    rig.ledger.grant(ALICE, scope="acme", purposes=["informational"], kind="express",
                     source="web_form", at=T0 - timedelta(days=1))
    request = SendRequest(ALICE, body="Acme: Dave arrives 2-4 pm. Reply STOP to opt out",
                          purpose="informational", idempotency_key="k1")
    sent = messenger.send(request, fixit, T0)
    assert sent.outcome.value == "sent"
    assert sent.receipt is not None
    refused = rig.provider.status_params(sent.receipt.message_id, "undelivered",
                                         error_code=21610)
    assert messenger.handle_status("https://sms.example/s", refused, {},
                                   T0 + timedelta(minutes=1)).opted_out
    assert _sent(messenger, store, "k2", 2) == "blocked"
    assert _sent(messenger, fixit, "k3", 3) == "blocked"


def test_a_word_only_twilio_matched_to_such_a_number_is_recorded_wide(rig: Rig) -> None:
    # A word set up in Twilio's Advanced Opt-Out ("ZANAHORIA"), not in the profile's keywords.
    fixit = replace(rig.sender, consent_scope="acme/fixit", revocation_scope="acme")
    store = replace(rig.sender, sender_id=OTHER, consent_scope="acme/store")
    messenger = _messenger(rig, MemoryOutbox(), [fixit, store])
    rig.ledger.grant(ALICE, scope="acme", purposes=["informational"], kind="express",
                     source="web_form", at=T0 - timedelta(days=1))
    params = {**rig.provider.inbound_params(ALICE, OURS, "ZANAHORIA"), "OptOutType": "STOP"}
    assert messenger.handle_inbound("https://sms.example/in", params, {}, T0).opted_out
    assert _sent(messenger, store, "k1", 1) == "blocked"
    assert _sent(messenger, fixit, "k2", 2) == "blocked"


def test_a_request_queued_with_a_scope_below_its_profiles_goes_with_that_profile(
    rig: Rig,
) -> None:
    # Neither profile's scope is the number's (acme), so send_due took the first given,
    # the reviews', and the reminder went out with the review request's footer.
    reviews = replace(rig.sender, consent_scope="acme/reviews",
                      footer="Rate us 1-5. Reply STOP to opt out")
    reminders = replace(rig.sender, consent_scope="acme/reminders",
                        footer="Reply STOP to end reminders")
    messenger = _messenger(rig, MemoryOutbox(), [reviews, reminders])
    _marketing_grants(rig, "acme")
    night = T0 + timedelta(hours=12)  # 22:00 in New York
    request = SendRequest(ALICE, body="Acme: 10% off a tune-up this week",
                          purpose="marketing", scope="acme/reminders/offers",
                          idempotency_key="k1")
    assert messenger.send(request, reminders, night, queue=True).outcome.value == "deferred"
    (result,) = messenger.send_due(T0 + timedelta(hours=24))
    assert result.outcome.value == "sent"
    (sent,) = rig.provider.messages
    assert sent.body.endswith("Reply STOP to end reminders")
