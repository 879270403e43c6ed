"""Both message histories answer a ``direction`` given as text the same way.

``Direction`` is a string enum and the SQLite history accepted ``"inbound"``;
the memory history compared by identity and silently found nothing, so a test
written against it passed where production (SQLite) would not, or the reverse.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import (
    MemoryMessageHistory,
    MessageHistory,
    MessageRecord,
    SQLiteMessageHistory,
)
from smskit.pricing import Direction

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
OURS = "+12125550199"


def _histories(tmp_path: Path) -> Iterator[MessageHistory]:
    yield MemoryMessageHistory()
    with SQLiteMessageHistory(tmp_path / "history.sqlite3") as sqlite:  # closed: 3.13 warns
        yield sqlite


def test_a_direction_given_as_text_filters_in_every_history(tmp_path: Path) -> None:
    for history in _histories(tmp_path):
        history.record_message(MessageRecord(Direction.INBOUND, OURS, "+12125550123", AT, 1))
        history.record_message(MessageRecord(Direction.OUTBOUND, OURS, "+12125550123", AT, 2))
        window = {"since": AT - timedelta(hours=1), "until": AT}
        found = history.messages(**window, direction="inbound")  # type: ignore[arg-type]
        assert [m.segments for m in found] == [1], type(history).__name__


def test_an_unknown_direction_is_a_configuration_error_in_every_history(tmp_path: Path) -> None:
    for history in _histories(tmp_path):
        with pytest.raises(ConfigurationError, match="direction"):
            history.messages(
                since=AT - timedelta(hours=1), until=AT, direction="sideways"  # type: ignore[arg-type]
            )
