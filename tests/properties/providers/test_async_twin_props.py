"""For any answer Telnyx's API may give, the async twin ends as the synchronous one does.

Both twins send to the same loopback fake, which gives each the same scripted answer
(status, body, Retry-After); the outcome compared is the receipt, or the error's class,
category, status, code, retryable flag and wait. Run with one attempt and with two, so a
429 is both retried and final.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_telnyx_api import API_KEY, Action, FakeTelnyxApi
from smskit.errors import ProviderError
from smskit.providers import (
    AsyncTelnyxProvider,
    OutboundMessage,
    RetryPolicy,
    TelnyxProvider,
)
from smskit.testing import FixedClock

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")

statuses = st.sampled_from([200, 201, 202, 301, 400, 401, 403, 404, 408, 409, 422, 429, 500, 503])
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.text(max_size=8), st.integers()),
        "parts": st.one_of(st.integers(-1, 5), st.text(max_size=2)),
        "to": st.lists(st.fixed_dictionaries({"status": st.text(max_size=12)}), max_size=2),
        "received_at": st.sampled_from(["2026-03-01T12:00:05+00:00", "yesterday", ""]),
    },
)
bodies = st.one_of(
    st.none(),  # the fake's own message record
    st.builds(lambda d: {"data": d}, records),
    st.builds(
        lambda code, detail: {"errors": [{"code": code, "detail": detail}]},
        st.sampled_from(["10011", "40300", "40001", "99999", 40008]),
        st.sampled_from(["", "to +14155550123 refused"]),
    ),
    st.text(max_size=20),
)
waits = st.one_of(st.none(), st.sampled_from(["0", "3", "Sun, 01 Mar 2026 12:00:09 GMT", "soon"]))


@pytest.fixture(scope="module")
def api() -> Iterator[FakeTelnyxApi]:
    fake = FakeTelnyxApi().start()
    yield fake
    fake.stop()


def _outcome(send: Any) -> object:
    try:
        return send()
    except ProviderError as exc:
        return (
            type(exc), getattr(exc, "category", None), getattr(exc, "status", None),
            getattr(exc, "provider_code", None), exc.retryable,
            getattr(exc, "retry_after", None), str(exc),
        )  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(st.tuples(statuses, bodies, waits), min_size=2, max_size=2),
    attempts=st.sampled_from([1, 2]),
)
def test_sync_and_async_twins_end_alike(
    api: FakeTelnyxApi, answers: list[tuple[int, Any, str | None]], attempts: int
) -> None:
    def provider(sleeps: list[float]) -> TelnyxProvider:
        return TelnyxProvider(
            API_KEY, base_url=api.base_url, retry=RetryPolicy(attempts=attempts, jitter=0.0),
            sleep=sleeps.append, clock=FixedClock(NOW), timeout=5.0,
        )  # fmt: skip

    def script() -> None:
        api.script.clear()
        for status, body, wait in answers:
            api.script.append(Action(status, body, {} if wait is None else {"Retry-After": wait}))

    sync_sleeps: list[float] = []
    async_sleeps: list[float] = []
    script()
    expected = _outcome(lambda: provider(sync_sleeps).send(MSG))
    script()
    twin = AsyncTelnyxProvider(provider(async_sleeps))
    got = _outcome(lambda: asyncio.run(twin.send(MSG)))
    assert got == expected
    assert async_sleeps == sync_sleeps
