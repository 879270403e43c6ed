"""A keyword the provider's own opt-out handling matched is answered by the provider.

Twilio posts ``OptOutType`` (STOP, START or HELP) only when its Advanced Opt-Out
matched the message, and then it sends its own confirmation or help text and, for
STOP, blocks the number (a send to it is refused with 21610). A second answer from
the messenger is a duplicate text to the person or, after STOP, a refused send that
delivery health counted as a failure.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit.messenger import SendOutcome
from smskit.policy import SendRequest

from .conftest import ALICE, OURS, T0, Rig, consent


@pytest.mark.parametrize(("body", "kind"), [("STOP", "STOP"), ("HELP", "HELP"), ("stop", "stop")])
def test_a_keyword_the_provider_matched_gets_no_second_answer(
    rig: Rig, body: str, kind: str
) -> None:
    consent(rig)
    params = rig.provider.inbound_params(ALICE, OURS, body)
    params["OptOutType"] = kind
    result = rig.messenger.handle_inbound("u", params, {}, T0)
    assert result.outcome is not None
    assert result.outcome.match is not None
    assert result.reply is None
    assert rig.provider.messages == ()
    assert rig.outbox.get(f"reply:{params['MessageSid']}") is None


def test_a_start_the_provider_matched_regrants_without_a_second_answer(rig: Rig) -> None:
    consent(rig)
    stop = rig.provider.inbound_params(ALICE, OURS, "STOP")
    stop["OptOutType"] = "STOP"
    rig.messenger.handle_inbound("u", stop, {}, T0)
    start = rig.provider.inbound_params(ALICE, OURS, "START")
    start["OptOutType"] = "START"
    result = rig.messenger.handle_inbound("u", start, {}, T0 + timedelta(minutes=1))
    assert result.outcome is not None
    assert result.outcome.event is not None
    assert result.outcome.event.kind.value == "regranted"
    assert result.reply is None
    assert rig.provider.messages == ()


def test_a_stop_the_provider_matched_does_not_count_as_a_failed_send(rig: Rig) -> None:
    # What the second answer did at Twilio: refused, 21610, counted in the error rate.
    consent(rig)
    rig.provider.fail_next(21610)
    params = rig.provider.inbound_params(ALICE, OURS, "STOP")
    params["OptOutType"] = "STOP"
    rig.messenger.handle_inbound("u", params, {}, T0)
    report = rig.messenger.health(OURS, T0 + timedelta(minutes=5))
    assert (report.sent, dict(report.failures)) == (0, {})


def test_a_stop_without_the_provider_match_is_still_confirmed(rig: Rig) -> None:
    consent(rig)
    result = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0
    )
    assert result.reply is not None
    assert result.reply.outcome is SendOutcome.SENT
    [sent] = rig.provider.messages
    assert "unsubscribed" in sent.body
    later = rig.messenger.send(
        SendRequest(recipient=ALICE, body="Acme: hi", idempotency_key="k"), rig.sender,
        T0 + timedelta(minutes=2),
    )
    assert later.outcome is SendOutcome.BLOCKED


def test_a_confirmation_the_provider_refuses_as_unsubscribed_is_no_failed_message(
    rig: Rig,
) -> None:
    # Twilio's default STOP filtering on long codes answers STOP itself and blocks the
    # number without posting OptOutType: the messenger's confirmation is refused with
    # 21610. That says nothing of the sender's traffic; counted, each STOP was also a
    # failed message in the error rate.
    consent(rig)
    rig.provider.fail_next(21610)
    done = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0
    )
    assert done.reply is not None
    assert done.reply.outcome is SendOutcome.FAILED
    report = rig.messenger.health(OURS, T0 + timedelta(minutes=5))
    assert (report.sent, dict(report.failures)) == (0, {})


def test_a_marketing_send_refused_as_unsubscribed_still_counts(rig: Rig) -> None:
    consent(rig)
    rig.provider.fail_next(21610)
    result = rig.messenger.send(
        SendRequest(recipient=ALICE, body="Acme: 20% off today. Reply STOP to opt out",
                    idempotency_key="m1"), rig.sender, T0,
    )
    assert result.outcome is SendOutcome.FAILED
    report = rig.messenger.health(OURS, T0 + timedelta(minutes=5))
    assert (report.sent, dict(report.failures)) == (1, {"unsubscribed": 1})


def test_a_help_answer_refused_as_unsubscribed_still_counts(rig: Rig) -> None:
    # No STOP in our history: the provider blocks the number for a STOP we never saw
    # (sent to another number of its pool, a keyword set up only at the provider).
    # The refusal is the only word of that opt-out; left out, health never learns it.
    consent(rig)
    rig.provider.fail_next(21610)
    done = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "HELP"), {}, T0
    )
    assert done.reply is not None
    assert done.reply.outcome is SendOutcome.FAILED
    report = rig.messenger.health(OURS, T0 + timedelta(minutes=5))
    assert (report.sent, report.opted_out, dict(report.failures)) == (1, 1, {"unsubscribed": 1})


def test_an_own_send_keyed_like_a_reply_refused_as_unsubscribed_still_counts(rig: Rig) -> None:
    # "reply:" is the messenger's prefix for its answers, but send() takes any key.
    consent(rig)
    rig.provider.fail_next(21610)
    result = rig.messenger.send(
        SendRequest(recipient=ALICE, body="Acme: 20% off today. Reply STOP to opt out",
                    idempotency_key="reply:campaign-7"), rig.sender, T0,
    )
    assert result.outcome is SendOutcome.FAILED
    report = rig.messenger.health(OURS, T0 + timedelta(minutes=5))
    assert (report.sent, dict(report.failures)) == (1, {"unsubscribed": 1})


def test_a_queued_stop_confirmation_refused_as_unsubscribed_is_no_failed_message(
    rig: Rig,
) -> None:
    # Held back by a 429, then sent by send_due: still the confirmation of a STOP.
    consent(rig)
    rig.provider.fail_next("rate_limited")
    rig.provider.fail_next(21610)
    done = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {}, T0
    )
    assert done.reply is not None
    assert done.reply.queued
    [later] = rig.messenger.send_due(T0 + timedelta(minutes=3))
    assert later.code == "21610"
    report = rig.messenger.health(OURS, T0 + timedelta(minutes=5))
    assert (report.sent, dict(report.failures)) == (0, {})
