"""The asyncio twins when the await is cancelled (a task cancelled, ``asyncio.wait_for``).

The worker thread cannot stop a request already on the wire, but it must not start a
new one for a caller that has gone: a resend after the caller's cancellation is a text
the caller may send again (docs/providers.md tells it to treat a cancelled send as
ambiguous, look it up and resend). Each test holds the retry wait open with an event,
cancels during it, then releases it; ``asyncio.run`` waits for the worker thread before
returning, so the requests counted afterwards are all there will be.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest

from fake_telnyx_api import API_KEY, FakeTelnyxApi
from fake_telnyx_api import Action as TelnyxAction
from fake_twilio_api import ACCOUNT, TOKEN, Action, FakeMessagesApi
from smskit.providers import (
    AsyncTelnyxProvider,
    AsyncTwilioProvider,
    OutboundMessage,
    RetryPolicy,
    TelnyxProvider,
    TwilioProvider,
)
from smskit.testing import FixedClock

from .conftest import NOW

MSG = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="k")
# An outbox key built from the number, as a caller may: logged, it must be masked too.
KEYED = OutboundMessage(
    to="+14155550123", sender="+14155550199", body="Hi", idempotency_key="+14155550123/7"
)


class HeldSleep:
    """A retry wait that lasts until the test releases it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.entered.set()
        assert self.gate.wait(timeout=10), "the test never released the wait"


def _cancel_during_wait(sleep: HeldSleep, send: Callable[[], Coroutine[Any, Any, Any]]) -> None:
    async def main() -> None:
        task = asyncio.create_task(send())
        entered = await asyncio.to_thread(sleep.entered.wait, 10)
        assert entered, "the send never reached its retry wait"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sleep.gate.set()  # the worker thread goes on from here, with nobody awaiting it

    asyncio.run(main())  # returns once the default executor's threads are done


@pytest.fixture
def telnyx_api() -> Iterator[FakeTelnyxApi]:
    fake = FakeTelnyxApi().start()
    yield fake
    fake.stop()


def _twilio(fake_api: FakeMessagesApi, sleep: HeldSleep) -> TwilioProvider:
    twilio_rest = pytest.importorskip("twilio.rest")
    twilio_http = pytest.importorskip("twilio.http.http_client")
    client = twilio_rest.Client(
        ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=2)
    )
    client.api.base_url = fake_api.base_url
    return TwilioProvider(
        client, retry=RetryPolicy(attempts=3, jitter=0.0), sleep=sleep, clock=FixedClock(NOW)
    )


def test_twilio_sends_nothing_more_after_a_cancel_during_the_429_wait(
    fake_api: FakeMessagesApi,
) -> None:
    fake_api.post_script.append(Action(status=429, body={"code": 20429}, create=False))
    sleep = HeldSleep()
    twin = AsyncTwilioProvider(_twilio(fake_api, sleep))
    _cancel_during_wait(sleep, lambda: twin.send(MSG))
    assert len(fake_api.posts) == 1  # was 2: the retry went out for nobody
    assert fake_api.messages == []


def test_twilio_neither_looks_up_nor_resends_after_a_cancel_during_the_ambiguous_wait(
    fake_api: FakeMessagesApi,
) -> None:
    # A 500 that created nothing: the lookup would find nothing and the loop resend.
    fake_api.post_script.append(Action(status=500, body={"code": 20500}, create=False))
    sleep = HeldSleep()
    twin = AsyncTwilioProvider(_twilio(fake_api, sleep))
    _cancel_during_wait(sleep, lambda: twin.send(MSG))
    assert len(fake_api.posts) == 1
    assert fake_api.gets == []


def test_telnyx_sends_nothing_more_after_a_cancel_during_the_429_wait(
    telnyx_api: FakeTelnyxApi,
) -> None:
    telnyx_api.script.append(TelnyxAction(status=429, body={"errors": [{"code": "10011"}]}))
    sleep = HeldSleep()
    provider = TelnyxProvider(
        API_KEY, base_url=telnyx_api.base_url, retry=RetryPolicy(attempts=3, jitter=0.0),
        sleep=sleep, clock=FixedClock(NOW), timeout=2.0,
    )  # fmt: skip
    twin = AsyncTelnyxProvider(provider)
    _cancel_during_wait(sleep, lambda: twin.send(MSG))
    assert len(telnyx_api.requests) == 1


def test_an_uncancelled_send_still_retries(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.append(Action(status=429, body={"code": 20429}, create=False))
    sleep = HeldSleep()
    sleep.gate.set()
    receipt = asyncio.run(AsyncTwilioProvider(_twilio(fake_api, sleep)).send(MSG))
    assert len(fake_api.posts) == 2
    assert receipt.message_id == fake_api.messages[0]["sid"]


def test_the_default_wait_ends_at_the_cancel_and_frees_the_worker_thread(
    fake_api: FakeMessagesApi,
) -> None:
    # An hour's Retry-After-sized wait with time.sleep held a default-executor thread
    # (about six of them on a small machine, shared with the loop's DNS lookups) for
    # nothing after the cancel. The join bound only keeps a regression from hanging.
    fake_api.post_script.append(Action(status=429, body={"code": 20429}, create=False))
    twilio_rest = pytest.importorskip("twilio.rest")
    twilio_http = pytest.importorskip("twilio.http.http_client")
    client = twilio_rest.Client(ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=2))
    client.api.base_url = fake_api.base_url
    waiting = threading.Event()

    def random() -> float:  # drawn just before the wait
        waiting.set()
        return 0.5

    provider = TwilioProvider(
        client, retry=RetryPolicy(attempts=3, base_delay=3600, max_delay=3600, jitter=0.0),
        random=random, clock=FixedClock(NOW),
    )  # fmt: skip

    async def main() -> None:
        task = asyncio.create_task(AsyncTwilioProvider(provider).send(MSG))
        assert await asyncio.to_thread(waiting.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    runner = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    runner.start()
    runner.join(timeout=30)
    assert not runner.is_alive(), "the worker thread slept on after the cancel"
    assert len(fake_api.posts) == 1


def test_twilio_does_not_resend_after_a_cancel_during_the_lookup(
    fake_api: FakeMessagesApi,
) -> None:
    # The cancel arrives while the lookup's list request is out; the lookup then finds
    # nothing, which for a caller still awaiting means "send again".
    fake_api.post_script.append(Action(status=500, body={"code": 20500}, create=False))
    sleep = HeldSleep()
    sleep.gate.set()
    provider = _twilio(fake_api, sleep)
    listing, gate = threading.Event(), threading.Event()
    real_list = provider._client.messages.list

    def held_list(**filters: object) -> object:
        listing.set()
        assert gate.wait(timeout=10)
        return real_list(**filters)

    provider._client.messages.list = held_list  # type: ignore[method-assign]

    async def main() -> None:
        task = asyncio.create_task(AsyncTwilioProvider(provider).send(MSG))
        assert await asyncio.to_thread(listing.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()

    asyncio.run(main())
    assert len(fake_api.gets) == 1
    assert len(fake_api.posts) == 1


def test_a_message_twilio_took_after_the_cancel_is_logged_not_dropped(
    fake_api: FakeMessagesApi, caplog: pytest.LogCaptureFixture
) -> None:
    # A 500 that created the message; the cancel lands while the lookup is out, and the
    # lookup then finds it. asyncio drops a cancelled worker's result: its SID was lost,
    # with nothing anywhere saying the text went out.
    fake_api.post_script.append(Action(status=500, body={"code": 20500}, create=True))
    sleep = HeldSleep()
    sleep.gate.set()
    provider = _twilio(fake_api, sleep)
    listing, gate = threading.Event(), threading.Event()
    real_list = provider._client.messages.list

    def held_list(**filters: object) -> object:
        listing.set()
        assert gate.wait(timeout=10)
        return real_list(**filters)

    provider._client.messages.list = held_list  # type: ignore[method-assign]

    async def main() -> None:
        task = asyncio.create_task(AsyncTwilioProvider(provider).send(MSG))
        assert await asyncio.to_thread(listing.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()

    with caplog.at_level("WARNING", logger="smskit"):
        asyncio.run(main())
    sid = fake_api.messages[0]["sid"]
    logged = [r.getMessage() for r in caplog.records if sid in r.getMessage()]
    assert len(logged) == 1, caplog.text
    assert "cancelled" in logged[0]
    assert "+14155550123" not in caplog.text  # the number masked, as everywhere


def test_a_message_telnyx_took_after_the_cancel_is_logged_not_dropped(
    telnyx_api: FakeTelnyxApi, caplog: pytest.LogCaptureFixture
) -> None:
    # Telnyx has no lookup: the id in the answer the caller no longer awaits is the one
    # trace of the text; it was dropped.
    provider = TelnyxProvider(
        API_KEY, base_url=telnyx_api.base_url, clock=FixedClock(NOW), timeout=5.0
    )
    sending, gate = threading.Event(), threading.Event()
    real_exchange = provider._exchange

    def held_exchange(*args: Any) -> Any:
        sending.set()
        assert gate.wait(timeout=10)
        return real_exchange(*args)

    provider._exchange = held_exchange  # type: ignore[method-assign]

    async def main() -> None:
        task = asyncio.create_task(AsyncTelnyxProvider(provider).send(KEYED))
        assert await asyncio.to_thread(sending.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()

    with caplog.at_level("WARNING", logger="smskit"):
        asyncio.run(main())
    assert len(telnyx_api.requests) == 1
    logged = [r.getMessage() for r in caplog.records if "cancelled" in r.getMessage()]
    assert len(logged) == 1, caplog.text
    assert "telnyx took the message" in logged[0]
    assert "4031938a-0000-4000-8000-00000000beef" in logged[0]  # the fake's record id
    assert "+14155550123" not in caplog.text


def test_a_subclass_send_still_runs_and_still_stops_after_a_cancel(
    fake_api: FakeMessagesApi,
) -> None:
    # The twin accepts a TwilioProvider subclass; calling the private _send skipped its
    # send (an audit log, a metric) without a word. Through send, the cancel must still
    # keep the worker from retrying.
    fake_api.post_script.append(Action(status=429, body={"code": 20429}, create=False))
    sleep = HeldSleep()
    base = _twilio(fake_api, sleep)
    seen: list[str] = []

    class Audited(TwilioProvider):
        def send(self, message: OutboundMessage) -> Any:
            seen.append(message.idempotency_key or "")
            return super().send(message)

    provider = Audited(
        base._client, retry=RetryPolicy(attempts=3, jitter=0.0), sleep=sleep, clock=FixedClock(NOW)
    )
    _cancel_during_wait(sleep, lambda: AsyncTwilioProvider(provider).send(MSG))
    assert seen == ["k"]
    assert len(fake_api.posts) == 1
