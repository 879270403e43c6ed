"""The asyncio twins' construction and lookup, beside their synchronous twins.

Each twin wraps a synchronous provider. ``TelnyxProvider`` takes the API key first and
``MemoryProvider`` a clock, so ``AsyncTelnyxProvider("KEY...")`` and
``AsyncMemoryProvider(clock)`` read naturally, were accepted, and failed at the first
send with ``AttributeError: 'str' object has no attribute 'send'``.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from fake_twilio_api import ACCOUNT, TOKEN, Action, FakeMessagesApi
from smskit.errors import ConfigurationError, ProviderAmbiguousError
from smskit.providers import (
    AsyncMemoryProvider,
    AsyncTelnyxProvider,
    AsyncTwilioProvider,
    MemoryProvider,
    OutboundMessage,
    RetryPolicy,
    TelnyxProvider,
    TwilioProvider,
)
from smskit.testing import FixedClock

from .conftest import NOW

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")


@pytest.mark.parametrize(
    ("twin", "wrong", "wanted"),
    [
        (AsyncTelnyxProvider, "KEY0123456789", "TelnyxProvider"),
        (AsyncTwilioProvider, object(), "TwilioProvider"),
        (AsyncMemoryProvider, FixedClock(NOW), "MemoryProvider"),
    ],
)
def test_a_twin_refuses_what_is_not_its_synchronous_provider(
    twin: type, wrong: object, wanted: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        twin(wrong)
    assert caught.value.field == "provider"
    assert f"{twin.__name__}({wanted}(" in str(caught.value)
    assert "KEY0123456789" not in str(caught.value)  # a key given by mistake is not echoed


def test_the_memory_twin_still_builds_its_own_provider() -> None:
    assert isinstance(AsyncMemoryProvider().wrapped, MemoryProvider)
    assert isinstance(AsyncTelnyxProvider(TelnyxProvider("KEY0123456789")).provider, TelnyxProvider)


def test_the_twilio_twin_looks_up_off_the_event_loop(fake_api: FakeMessagesApi) -> None:
    # A 500 that created the message: the sync twin's lookup finds it. The async twin
    # offers the same lookup, run in a worker thread, not the loop's own.
    twilio_rest = pytest.importorskip("twilio.rest")
    twilio_http = pytest.importorskip("twilio.http.http_client")
    client = twilio_rest.Client(ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=2))
    client.api.base_url = fake_api.base_url
    provider = TwilioProvider(client, retry=RetryPolicy(attempts=1), clock=FixedClock(NOW))
    fake_api.post_script.append(Action(status=201))
    sent = provider.send(MSG)
    threads: list[threading.Thread] = []
    real_list = client.messages.list

    def listing(**filters: object) -> object:
        threads.append(threading.current_thread())
        return real_list(**filters)

    client.messages.list = listing  # type: ignore[method-assign]

    async def main() -> object:
        return await AsyncTwilioProvider(provider).lookup(MSG, NOW)

    found = asyncio.run(main())
    assert found == provider.lookup(MSG, NOW)
    assert getattr(found, "message_id", None) == sent.message_id
    assert threads[0] is not threading.main_thread()  # asyncio.run's loop runs here


def test_the_memory_twin_looks_up_as_the_twilio_twin_does() -> None:
    # Code written against AsyncTwilioProvider reconciles with ``await twin.lookup``;
    # the memory twin, which stands in for it in tests, answers the same call.
    shared = MemoryProvider(clock=FixedClock(NOW))
    shared.time_out_next(processed=True)
    twin = AsyncMemoryProvider(shared)

    async def main() -> object:
        with pytest.raises(ProviderAmbiguousError):
            await twin.send(MSG)
        return await twin.lookup(MSG, NOW)

    found = asyncio.run(main())
    assert found == shared.lookup(MSG, NOW)
    assert getattr(found, "recovered", False) is True
    assert getattr(found, "message_id", None) == shared.receipts[0].message_id


def test_an_async_sleep_is_refused_when_the_provider_is_built() -> None:
    # From asyncio code ``sleep=asyncio.sleep`` reads naturally; the provider calls it
    # in its worker thread and never awaits it, so it did not wait at all: retries went
    # out at once, ignoring Retry-After, and the lookup after an ambiguous failure ran
    # before a late-created message could show, so the message was sent twice.
    twilio_rest = pytest.importorskip("twilio.rest")
    client = twilio_rest.Client(ACCOUNT, TOKEN)
    builders = [
        lambda: TwilioProvider(client, sleep=asyncio.sleep),  # type: ignore[arg-type]
        lambda: TelnyxProvider("KEY0123456789", sleep=asyncio.sleep),  # type: ignore[arg-type]
    ]
    for build in builders:
        with pytest.raises(ConfigurationError) as caught:
            build()
        assert caught.value.field == "sleep"
        assert "time.sleep" in str(caught.value)


def test_a_client_on_the_sdks_async_http_client_is_refused() -> None:
    # docs/providers.md names AsyncTwilioHttpClient as the SDK's async way; a Client built
    # on it and given to TwilioProvider had every request return a coroutine nobody
    # awaited: nothing was sent, yet each send ended "Twilio may have taken the message
    # ... do not resend" (the AttributeError reading a coroutine passed for an unreadable
    # answer, and the lookup failed the same way), so the outbox held it as ambiguous.
    pytest.importorskip("aiohttp")
    twilio_rest = pytest.importorskip("twilio.rest")
    async_http = pytest.importorskip("twilio.http.async_http_client")

    async def main() -> ConfigurationError:
        http = async_http.AsyncTwilioHttpClient(timeout=2)  # needs a running loop
        try:
            with pytest.raises(ConfigurationError) as caught:
                TwilioProvider(twilio_rest.Client(ACCOUNT, TOKEN, http_client=http))
            return caught.value
        finally:
            await http.close()

    error = asyncio.run(main())
    assert error.field == "client"
    assert "AsyncTwilioHttpClient" in str(error)
    assert "AsyncTwilioProvider(TwilioProvider(" in str(error)


class _AsyncPacer:
    """A rate limiter's wait as a callable object: ``async def __call__``."""

    async def __call__(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def test_a_callable_object_with_an_async_call_is_refused_as_sleep() -> None:
    # inspect.iscoroutinefunction is False for the object itself: it was accepted, and
    # each wait was a coroutine never awaited, no wait at all, as with asyncio.sleep.
    twilio_rest = pytest.importorskip("twilio.rest")
    client = twilio_rest.Client(ACCOUNT, TOKEN)
    for build in (
        lambda: TwilioProvider(client, sleep=_AsyncPacer()),  # type: ignore[arg-type]
        lambda: TelnyxProvider("KEY0123456789", sleep=_AsyncPacer()),  # type: ignore[arg-type]
    ):
        with pytest.raises(ConfigurationError) as caught:
            build()
        assert caught.value.field == "sleep"


def test_blocking_sleeps_of_every_shape_are_kept() -> None:
    # The refusal must not catch a legitimate blocking wait: a partial, a bound method,
    # a callable object, a list's append (a recorder in tests).
    import functools
    import time

    class Pacer:
        def __call__(self, seconds: float) -> None:
            time.sleep(0)

    twilio_rest = pytest.importorskip("twilio.rest")
    client = twilio_rest.Client(ACCOUNT, TOKEN)
    recorded: list[float] = []
    for sleep in (functools.partial(time.sleep), Pacer(), recorded.append, threading.Event().wait):
        TwilioProvider(client, sleep=sleep)  # type: ignore[arg-type]
        TelnyxProvider("KEY0123456789", sleep=sleep)  # type: ignore[arg-type]
