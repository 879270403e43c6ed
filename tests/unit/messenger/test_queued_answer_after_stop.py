"""An auto-reply queued to retry is not sent once the person's later word makes it false.

A HELP answer or a START confirmation refused with a 429 waits in the outbox; the
person texts STOP before ``send_due`` reaches it. ``send_due`` sent it anyway: a
"You are resubscribed" text right after "You are unsubscribed and will receive no
more messages" (review rev30g). The STOP's confirmation queued the same way, then a
START within its 5 minutes, sent a "you are unsubscribed" that was no longer true.
A queued auto-reply is checked against the ledger at ``send_due``'s ``at``: one
outdated since it was queued is marked ``cancelled`` and not sent. One the person's
words since leave true (none, or a HELP from a number that had opted out before) goes.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit.messenger import OutboxState, SendOutcome
from smskit.providers import ErrorCategory

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent, outbox_of

M = timedelta(minutes=1)
KINDS = ["memory", "sqlite", "postgres"]
# The profile's default opt-out confirmation (SenderProfile.opt_out_reply, brand "Acme").
UNSUBSCRIBED = (
    "Acme: You are unsubscribed and will receive no more messages from us. Reply START "
    "to resubscribe."
)


def _queued_answer(rig: Rig, word: str) -> str:
    """Text ``word`` in while the provider answers 429: the key of the queued reply."""
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED)
    result = rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, word), {}, T0)
    assert result.reply is not None
    assert result.reply.queued
    return f"reply:{result.message.message_id}"


def _text(rig: Rig, word: str, minutes: float) -> None:
    rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, word), {}, T0 + minutes * M)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("word", ["HELP", "START"])
def test_an_answer_queued_before_a_stop_is_not_sent_after_it(
    kind: str, word: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        if word == "START":
            rig.ledger.revoke(ALICE, scope="acme", at=T0 - 60 * M)  # START answers it
        key = _queued_answer(rig, word)
        _text(rig, "STOP", 0.5)
        [result] = rig.messenger.send_due(T0 + 2 * M)
        assert result.key == key
        assert result.outcome is SendOutcome.CANCELLED
        assert "opted out" in (result.reason or "")
        # Only the STOP's confirmation went: nothing after "no more messages".
        assert [m.body for m in rig.provider.messages] == [UNSUBSCRIBED]
        kept = box.get(key)
        assert kept is not None
        assert kept.state is OutboxState.CANCELLED


@pytest.mark.parametrize("kind", KINDS)
def test_a_stop_confirmation_queued_before_a_start_is_not_sent_after_it(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        key = _queued_answer(rig, "STOP")
        _text(rig, "START", 1)
        # Within the confirmation's 5 minutes: only the START makes it false.
        results = rig.messenger.send_due(T0 + 2 * M)
        assert [(r.key, r.outcome) for r in results] == [(key, SendOutcome.CANCELLED)]
        assert UNSUBSCRIBED not in [m.body for m in rig.provider.messages]
        kept = box.get(key)
        assert kept is not None
        assert kept.state is OutboxState.CANCELLED


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("revoked_before", [False, True])
def test_an_answer_nothing_since_made_false_still_goes(
    kind: str, revoked_before: bool, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        if revoked_before:  # a HELP from a number opted out earlier is still answered
            rig.ledger.revoke(ALICE, scope="acme", at=T0 - 60 * M)
        key = _queued_answer(rig, "HELP")
        [result] = rig.messenger.send_due(T0 + 2 * M)
        assert (result.key, result.outcome) == (key, SendOutcome.SENT)
        assert len(rig.provider.messages) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_stop_confirmation_retried_in_time_still_goes(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        key = _queued_answer(rig, "STOP")
        [result] = rig.messenger.send_due(T0 + 2 * M)
        assert (result.key, result.outcome) == (key, SendOutcome.SENT)
        assert [m.body for m in rig.provider.messages] == [UNSUBSCRIBED]
