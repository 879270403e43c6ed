"""A worker that decides "not now" or "no" for a queued key another worker is sending.

Two workers read one queued marketing text as due. The first, whose batch started at
20:59:59 in New York, decides "send", takes the entry and hands it over; the second,
whose batch started at 21:00:01, decides "defer until 08:00" (or "block": the person
texted STOP in between) and wrote its answer over the first one's reservation: the
first then raised ``OutboxConflictError`` out of ``send_due`` after the provider took
the message, and the entry, queued again, went out a second time the next morning
(or stayed ``failed`` although it was sent). Both moves are now compare-and-sets on
the queued entry: the second worker answers ``pending`` and leaves the entry alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.messenger import Messenger, OutboxState
from smskit.providers import MemoryProvider

from .conftest import ALICE, Rig, build_rig, consent, outbox_of

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
FIRST = datetime(2026, 11, 21, 1, 59, 59, tzinfo=UTC)  # 20:59:59: may still send
SECOND = datetime(2026, 11, 21, 2, 0, 1, tzinfo=UTC)  # 21:00:01: quiet hours again
NEXT_MORNING = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
OFFER = SendRequest(recipient=ALICE, body="Acme: 10% off a boiler check. Reply STOP to opt out",
                    idempotency_key="promo-boiler")


class _InFlight:
    """A provider that runs ``during`` while a message is being handed over."""

    def __init__(self, inner: MemoryProvider) -> None:
        self.inner = inner
        self.during: Callable[[], None] | None = None

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def send(self, message: object) -> object:
        during, self.during = self.during, None
        if during is not None:
            during()
        return self.inner.send(message)  # type: ignore[arg-type]


class _SecondWorkersOutbox:
    """The second worker's outbox: its first write lands while the first worker sends."""

    def __init__(self, inner: object, first: Messenger, provider: _InFlight) -> None:
        self.inner = inner
        self.first = first
        self.provider = provider
        self.armed = True

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def update(self, key: str, state: OutboxState, **kwargs: object) -> object:
        update = self.inner.update  # type: ignore[attr-defined]
        if not self.armed:
            return update(key, state, **kwargs)
        self.armed = False
        written: list[object] = []

        def write() -> None:
            try:
                written.append(update(key, state, **kwargs))
            except Exception as exc:  # raised to the second worker below
                written.append(exc)

        self.provider.during = write
        [sent] = self.first.send_due(FIRST)
        assert sent.outcome.value == "sent"
        if isinstance(written[0], Exception):
            raise written[0]
        return written[0]


def _two_workers(box: object) -> tuple[Rig, Messenger]:
    rig = build_rig(box)  # type: ignore[arg-type]
    consent(rig)
    assert rig.messenger.send(OFFER, rig.sender, NIGHT, queue=True).queued
    provider = _InFlight(rig.provider)
    first = Messenger(provider, rig.messenger.pipeline, rig.ledger, rig.history,  # type: ignore[arg-type]
                      rig.outbox, senders=[rig.sender])
    second = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       _SecondWorkersOutbox(rig.outbox, first, provider),  # type: ignore[arg-type]
                       senders=[rig.sender])
    return rig, second


KINDS = ["memory", "sqlite", "postgres"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_deferral_does_not_requeue_a_message_being_sent(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig, second = _two_workers(box)
        [result] = second.send_due(SECOND)
        assert result.outcome.value == "pending"
        entry = rig.outbox.get(OFFER.idempotency_key or "")
        assert entry is not None
        assert entry.state is OutboxState.SENT
        assert rig.messenger.send_due(NEXT_MORNING) == ()
        assert len(rig.provider.messages) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_block_does_not_mark_a_message_being_sent_failed(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig, second = _two_workers(box)
        # The person texts STOP between the two workers' decisions.
        rig.ledger.revoke(ALICE, scope="acme", at=FIRST + timedelta(seconds=1))
        [result] = second.send_due(SECOND)
        assert result.outcome.value == "pending"
        entry = rig.outbox.get(OFFER.idempotency_key or "")
        assert entry is not None
        assert entry.state is OutboxState.SENT  # what happened; not "failed"
        assert len(rig.provider.messages) == 1
