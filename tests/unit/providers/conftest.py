"""Fixtures for the provider tests: the loopback Messages API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from fake_twilio_api import FakeMessagesApi

NOW = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


@pytest.fixture
def fake_api() -> Iterator[FakeMessagesApi]:
    api = FakeMessagesApi(now=lambda: NOW)
    api.thread.start()
    try:
        yield api
    finally:
        api.release.set()
        api.server.shutdown()
        api.server.server_close()
