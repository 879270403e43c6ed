"""The outboxes keep instants, not wall clocks: any zone, around any clock change.

Entries written with times in zones that change their clocks come back as the same
instants from every in-process store, and ``due`` and ``unresolved`` order and release
them by real time: the expected answers are sorted here by UTC.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given

from _dst import around_one_clock_change
from smskit.messenger import MemoryOutbox, Outbox, OutboxEntry, OutboxState, SQLiteOutbox

ALICE = "+12125550123"


def _stores(folder: str) -> list[Outbox]:
    return [MemoryOutbox(), SQLiteOutbox(Path(folder) / "outbox.db", synchronous="normal")]


@given(around_one_clock_change(min_size=3, max_size=13))
def test_due_releases_and_orders_by_real_time(instants: list[datetime]) -> None:
    now, rest = instants[0], instants[1:]
    waits = list(zip(rest[::2], rest[1::2], strict=False))
    with tempfile.TemporaryDirectory() as folder:
        for box in _stores(folder):
            for i, (made, not_before) in enumerate(waits):
                key = f"k{i}"
                box.reserve(OutboxEntry(key, ALICE, "acme", OutboxState.RESERVED, made, made))
                box.update(key, OutboxState.DEFERRED, at=made, not_before=not_before)
                stored = box.get(key)
                assert stored is not None
                assert stored.not_before is not None
                assert stored.not_before.astimezone(UTC) == not_before.astimezone(UTC)
                assert stored.created_at.astimezone(UTC) == made.astimezone(UTC)
            expected = sorted(
                (nb.astimezone(UTC), f"k{i}") for i, (_, nb) in enumerate(waits)
                if nb.astimezone(UTC) <= now.astimezone(UTC)
            )
            assert [e.key for e in box.due(now)] == [key for _, key in expected]
            box.close()


@given(around_one_clock_change())
def test_unresolved_comes_oldest_first_in_real_time(made: list[datetime]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for box in _stores(folder):
            for i, at in enumerate(made):
                box.reserve(OutboxEntry(f"k{i}", ALICE, "acme", OutboxState.RESERVED, at, at))
            expected = sorted((at.astimezone(UTC), f"k{i}") for i, at in enumerate(made))
            assert [e.key for e in box.unresolved()] == [key for _, key in expected]
            box.close()
