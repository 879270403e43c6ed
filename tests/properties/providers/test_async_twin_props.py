"""For any answer Telnyx's or Twilio's API may give, the async twin ends as the sync one does.

Both twins send to the same loopback fake, which gives each the same scripted answer
(status, body, Retry-After; for Twilio whether the message was created, which its lookup
after an ambiguous answer finds); the outcome compared is the receipt, or the error's class,
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


twilio_statuses = st.sampled_from([200, 201, 400, 401, 404, 429, 500, 502, 503])
twilio_bodies = st.one_of(
    st.none(),  # the created message's record
    st.builds(
        lambda code, message: {"code": code, "message": message, "status": 400},
        st.sampled_from([21610, 21211, 20429, 30007, 99999]),
        st.sampled_from(["", "The 'To' number +14155550123 is not valid"]),
    ),
    st.sampled_from(["null", "[]", '"text"', "<html>Bad gateway</html>", '{"sid": null}']),
)


@pytest.fixture(scope="module")
def twilio_api() -> Iterator[Any]:
    fake_twilio_api = pytest.importorskip("fake_twilio_api")
    pytest.importorskip("twilio.rest")
    fake = fake_twilio_api.FakeMessagesApi(now=lambda: NOW)
    fake.thread.start()
    yield fake
    fake.release.set()
    fake.server.shutdown()
    fake.server.server_close()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.lists(
        st.tuples(twilio_statuses, twilio_bodies, st.booleans(), waits), min_size=2, max_size=2
    ),
    attempts=st.sampled_from([1, 2]),
)
def test_sync_and_async_twilio_twins_end_alike(
    twilio_api: Any, answers: list[tuple[int, Any, bool, str | None]], attempts: int
) -> None:
    from twilio.http.http_client import TwilioHttpClient
    from twilio.rest import Client

    from fake_twilio_api import ACCOUNT, TOKEN
    from fake_twilio_api import Action as TwilioAction
    from smskit.providers import AsyncTwilioProvider, TwilioProvider

    def provider(sleeps: list[float]) -> TwilioProvider:
        client = Client(ACCOUNT, TOKEN, http_client=TwilioHttpClient(timeout=5))
        client.api.base_url = twilio_api.base_url
        return TwilioProvider(
            client, retry=RetryPolicy(attempts=attempts, jitter=0.0), sleep=sleeps.append,
            clock=FixedClock(NOW),
        )  # fmt: skip

    def script() -> None:
        twilio_api.messages.clear()
        twilio_api.post_script.clear()
        for status, body, create, wait in answers:
            headers = {} if wait is None else {"Retry-After": wait}
            twilio_api.post_script.append(TwilioAction(status, body, headers, create=create))

    sync_sleeps: list[float] = []
    async_sleeps: list[float] = []
    script()
    before = len(twilio_api.posts)
    expected = _outcome(lambda: provider(sync_sleeps).send(MSG))
    sync_posts = len(twilio_api.posts) - before
    script()
    twin = AsyncTwilioProvider(provider(async_sleeps))
    got = _outcome(lambda: asyncio.run(twin.send(MSG)))
    assert got == expected
    assert async_sleeps == sync_sleeps
    assert len(twilio_api.posts) - before - sync_posts == sync_posts
