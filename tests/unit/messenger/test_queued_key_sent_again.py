"""A queued message sent again under its key, with a new text, before it went out.

A field-service reminder is queued at night for the morning (``queue=True``); the
appointment is then moved and the job sends the reminder again under the same key
(``job-77-reminder``) with the new time. Nothing had gone out, and the documented
contract is that a key names one message: the latest text must be the one sent. The
queued entry kept its first text, the second call answered ``deferred`` with no word of
it, and the morning's send gave the customer the old time. (Sent now rather than
deferred, the new text already replaced the queued one.)
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import SendOutcome, SendRequest

from .conftest import ALICE, build_rig, consent, outbox_of

# Friday 2026-11-20, 22:00 in New York: marketing waits for 08:00 (TCPA).
NIGHT = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
LATER_THAT_NIGHT = datetime(2026, 11, 21, 3, 30, tzinfo=UTC)
MORNING = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)  # Saturday 08:00 in New York
FIRST = "Acme: your tune-up is Mon 9-11 AM. Reply STOP to opt out"
MOVED = "Acme: your tune-up MOVED to Tue 1-3 PM. Reply STOP to opt out"
BOB = "+12125550124"


def _request(body: str, number: str = ALICE) -> SendRequest:
    return SendRequest(number, body=body, idempotency_key="job-77-reminder")


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_the_latest_text_queued_under_a_key_is_the_one_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        first = rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
        assert first.outcome is SendOutcome.DEFERRED
        assert first.queued
        again = rig.messenger.send(_request(MOVED), rig.sender, LATER_THAT_NIGHT, queue=True)
        assert again.outcome is SendOutcome.DEFERRED
        assert again.queued
        results = rig.messenger.send_due(MORNING)
        assert [r.outcome for r in results] == [SendOutcome.SENT]
        assert [m.body for m in rig.provider.messages] == [MOVED]


def test_another_number_under_a_queued_key_is_named_and_not_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rig = build_rig()
    consent(rig)
    consent(rig, BOB)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
        again = rig.messenger.send(_request(MOVED, BOB), rig.sender, LATER_THAT_NIGHT,
                                   queue=True)
    assert again.outcome is SendOutcome.DEFERRED
    assert "another number" in again.reason
    assert "another number" in caplog.text
    assert BOB not in caplog.text
    assert ALICE not in caplog.text
    rig.messenger.send_due(MORNING)
    assert [(m.to, m.body) for m in rig.provider.messages] == [(ALICE, FIRST)]


def test_a_new_text_replaces_one_waiting_out_a_retry_and_the_wait_holds() -> None:
    # The provider refused the first hand-over with a 429: the key waits a minute
    # (the messenger's default first backoff), then the appointment moves.
    rig = build_rig()
    consent(rig)
    morning = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # Friday 10:00 in New York
    rig.provider.fail_next("rate_limited")
    first = rig.messenger.send(_request(FIRST), rig.sender, morning)
    assert first.queued
    assert first.not_before == datetime(2026, 11, 20, 15, 1, tzinfo=UTC)
    again = rig.messenger.send(_request(MOVED), rig.sender,
                               datetime(2026, 11, 20, 15, 0, 20, tzinfo=UTC))
    assert again.outcome is SendOutcome.DEFERRED
    assert again.not_before == datetime(2026, 11, 20, 15, 1, tzinfo=UTC)
    assert len(rig.provider.messages) == 0  # the wait was not cut short
    rig.messenger.send_due(datetime(2026, 11, 20, 15, 1, tzinfo=UTC))
    assert [m.body for m in rig.provider.messages] == [MOVED]


def test_another_number_under_a_queued_key_is_not_sent_when_allowed_either() -> None:
    rig = build_rig()
    consent(rig)
    consent(rig, BOB)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    again = rig.messenger.send(_request(MOVED, BOB), rig.sender, MORNING)
    assert again.outcome is SendOutcome.DEFERRED
    assert "another number" in again.reason
    assert len(rig.provider.messages) == 0
    rig.messenger.send_due(MORNING)
    assert [(m.to, m.body) for m in rig.provider.messages] == [(ALICE, FIRST)]


def test_a_queued_key_sent_again_without_queue_stays_queued_with_the_new_text() -> None:
    # The key is queued whatever the second call asks: it said queued=False and the
    # first text went out in the morning.
    rig = build_rig()
    consent(rig)
    rig.messenger.send(_request(FIRST), rig.sender, NIGHT, queue=True)
    again = rig.messenger.send(_request(MOVED), rig.sender, LATER_THAT_NIGHT)
    assert again.outcome is SendOutcome.DEFERRED
    assert again.queued
    rig.messenger.send_due(MORNING)
    assert [m.body for m in rig.provider.messages] == [MOVED]
