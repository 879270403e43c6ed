"""A send recorded with the number as a CRM writes it was never counted.

The engine looks a recipient's sends up by E.164. ``history.record(SendRecord("(503)
555-0123", ...))`` was stored as given, so three marketing texts in an hour to a
Portland number left Oregon's cap of 3 a day unreached: the fourth was allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError
from smskit.timing import MemorySendHistory, SendHistory, SendRecord, SQLiteSendHistory

AT = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)


@pytest.fixture
def histories(tmp_path: Path) -> Iterator[list[SendHistory]]:
    with SQLiteSendHistory(tmp_path / "sends.db") as sqlite:
        yield [MemorySendHistory(), sqlite]


@pytest.mark.parametrize("written", ["(503) 555-0123", "503-555-0123", "15035550123",
                                     "+1 503 555 0123"])
def test_a_number_not_in_e164_is_refused_when_recorded(
    histories: list[SendHistory], written: str
) -> None:
    for history in histories:
        with pytest.raises(ConfigurationError) as caught:
            history.record(SendRecord(written, "+14155550100", AT))
        assert caught.value.field == "recipient"
        assert "E.164" in str(caught.value)
        assert "555-0123" not in str(caught.value)
        assert "5550123" not in str(caught.value)
        assert history.sent_at(since=AT - timedelta(days=1), until=AT) == ()


def test_an_e164_number_is_recorded_and_counted(histories: list[SendHistory]) -> None:
    for history in histories:
        history.record(SendRecord("+15035550123", "+14155550100", AT))
        assert history.sent_at(since=AT - timedelta(days=1), until=AT,
                               recipient="+15035550123") == (AT,)
