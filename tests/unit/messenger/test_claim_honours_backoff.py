"""A worker does not cut short the wait another worker's failed hand-over set.

Two workers read one queued offer as due. The first takes it, hands it over and is
refused with "too many requests, retry in 10 minutes": the entry goes back to the
queue, not before then. The second, whose decision was already under way, read the
entry again when it came to take it, found it queued and took it with a
compare-and-set on *that* read, so it sent at once, ignoring the provider's wait.
The compare-and-set is now on the entry as the second worker read it before
deciding: it answers ``pending``, and the offer goes when its wait is over.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import PostgresOutbox, SendRequest
from smskit.messenger import Messenger, OutboxEntry, OutboxState, SQLiteOutbox
from smskit.providers import ErrorCategory

from .conftest import ALICE, build_rig, consent

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 09:00: due
WAIT = timedelta(minutes=10)
OFFER = SendRequest(recipient=ALICE, body="Acme: 10% off a boiler check. Reply STOP to opt out",
                    idempotency_key="promo-boiler")


class _SecondWorkersOutbox:
    """The second worker's outbox: the first worker runs just before the second reads
    the key to take it (its second read of the key: the first was before deciding).
    Review rev25r: that read was a reserve, which made a key gone since a new message."""

    def __init__(self, inner: object, first: Messenger) -> None:
        self.inner = inner
        self.first = first
        self.reads = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def get(self, key: str) -> OutboxEntry | None:
        self.reads += 1
        if self.reads == 2:
            [refused] = self.first.send_due(MORNING)
            assert refused.queued  # the provider asked for a wait
        found: OutboxEntry | None = self.inner.get(key)  # type: ignore[attr-defined]
        return found


def _box(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> object:
    if kind == "sqlite":
        return SQLiteOutbox(tmp_path / "outbox.db")
    if kind == "postgres":
        box = PostgresOutbox(request.getfixturevalue("postgres_dsn"),
                             schema=request.getfixturevalue("pg_schema"))
        box.create_schema()
        return box
    return None


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_a_second_worker_waits_out_the_providers_retry_after(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    box = _box(kind, tmp_path, request)
    try:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        assert rig.messenger.send(OFFER, rig.sender, NIGHT, queue=True).queued
        first = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          rig.outbox, senders=[rig.sender])
        second = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                           _SecondWorkersOutbox(rig.outbox, first),  # type: ignore[arg-type]
                           senders=[rig.sender])
        rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=WAIT)

        [result] = second.send_due(MORNING)
        assert result.outcome.value == "pending"
        assert rig.provider.messages == ()
        entry = rig.outbox.get("promo-boiler")
        assert entry is not None
        assert entry.state is OutboxState.DEFERRED
        assert entry.not_before == MORNING + WAIT
        assert rig.messenger.send_due(MORNING + WAIT - timedelta(seconds=1)) == ()
        [sent] = rig.messenger.send_due(MORNING + WAIT)
        assert sent.outcome.value == "sent"
        assert len(rig.provider.messages) == 1
    finally:
        if box is not None:
            box.close()  # type: ignore[attr-defined]
