"""A move the SQLite outbox refuses leaves no transaction open (rev25r): a naive
``at`` raised ``ConfigurationError`` inside ``BEGIN IMMEDIATE``, and every later write
on that store then failed ("cannot start a transaction within a transaction")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import ConfigurationError, OutboxEntry, OutboxState, SQLiteOutbox

T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _entry(key: str) -> OutboxEntry:
    return OutboxEntry(key=key, recipient="+13125550123", sender="+13125550100",
                       state=OutboxState.DEFERRED, created_at=T0, updated_at=T0)


def test_a_naive_instant_is_refused_and_the_store_still_writes(tmp_path: Path) -> None:
    with SQLiteOutbox(tmp_path / "outbox.db") as box:
        box.reserve(_entry("a"))
        with pytest.raises(ConfigurationError):
            box.update("a", OutboxState.RESERVED, at=datetime(2026, 3, 2, 16, 0))
        moved = box.update("a", OutboxState.RESERVED, at=T0 + timedelta(hours=1))
        assert moved.state is OutboxState.RESERVED
        stored, created = box.reserve(_entry("b"))
        assert created
        assert box.get("b") == stored
