"""MemoryProvider: records, fails as told, reports statuses, keeps time by the clock given."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest

from smskit import testing
from smskit.errors import ProviderAmbiguousError, ProviderRejectedError, ProviderTransportError
from smskit.providers import (
    AsyncMemoryProvider,
    AsyncProvider,
    Capabilities,
    ErrorCategory,
    InboundParser,
    MemoryProvider,
    MessageLookup,
    MessageStatus,
    OutboundMessage,
    Provider,
    StatusParser,
)
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TO = "+14155550123"
FROM = "+14155550199"


def msg(body: str = "Hello", **kw: object) -> OutboundMessage:
    return OutboundMessage(to=TO, sender=FROM, body=body, **kw)  # type: ignore[arg-type]


def test_exported_from_testing_and_plays_every_role() -> None:
    assert testing.MemoryProvider is MemoryProvider
    assert testing.AsyncMemoryProvider is AsyncMemoryProvider
    provider = MemoryProvider()
    roles: tuple[Provider, MessageLookup, InboundParser, StatusParser] = (provider,) * 4
    assert all(role is provider for role in roles)
    twin: AsyncProvider = AsyncMemoryProvider(provider)
    assert twin.name == "memory"


def test_records_every_message_with_the_clock_time() -> None:
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    first = provider.send(msg("one", idempotency_key="a"))
    clock.advance(timedelta(minutes=3))
    second = provider.send(msg("two" * 60))
    assert provider.messages == (msg("one", idempotency_key="a"), msg("two" * 60))
    assert [r.accepted_at for r in provider.receipts] == [T0, T0 + timedelta(minutes=3)]
    assert first.idempotency_key == "a"
    assert first.segments == 1
    assert second.segments == 2  # 180 GSM-7 characters: 153 + 27
    assert first.message_id != second.message_id
    assert provider.attempts == 2


@pytest.mark.parametrize("category", list(ErrorCategory))
def test_fails_in_each_category(category: ErrorCategory) -> None:
    provider = MemoryProvider(clock=FixedClock(T0))
    provider.fail_next(category)
    with pytest.raises(ProviderRejectedError) as caught:
        provider.send(msg())
    assert caught.value.category is category
    assert caught.value.retryable is category.retryable
    assert provider.messages == ()
    provider.send(msg())  # only the next one failed
    assert len(provider.messages) == 1


def test_fails_by_twilio_code_and_keeps_it() -> None:
    provider = MemoryProvider()
    provider.fail_next(21610, times=2)
    for _ in range(2):
        with pytest.raises(ProviderRejectedError) as caught:
            provider.send(msg())
        assert caught.value.provider_code == "21610"
        assert caught.value.category is ErrorCategory.UNSUBSCRIBED
    provider.send(msg())
    assert provider.attempts == 3


def test_time_out_before_or_after_taking_the_message() -> None:
    provider = MemoryProvider(clock=FixedClock(T0))
    provider.time_out_next()
    with pytest.raises(ProviderTransportError):
        provider.send(msg())
    assert provider.messages == ()
    provider.time_out_next(processed=True)
    with pytest.raises(ProviderAmbiguousError) as caught:
        provider.send(msg(idempotency_key="k"))
    assert caught.value.idempotency_key == "k"
    assert caught.value.since == T0
    found = provider.lookup(msg(idempotency_key="k"), since=T0)
    assert found is not None
    assert found.recovered
    assert found.message_id == provider.receipts[0].message_id
    # Taken only within Twilio's 2-minute lookup_skew before since: an earlier identical
    # text or this one with the clocks apart, as TwilioProvider.lookup reports it.
    with pytest.raises(ProviderAmbiguousError, match="1 messages"):
        provider.lookup(msg(idempotency_key="k"), since=T0 + timedelta(seconds=1))
    assert provider.lookup(msg(idempotency_key="k"), since=T0 + timedelta(minutes=3)) is None
    assert provider.lookup(msg("other"), since=T0) is None


def test_capabilities_are_enforced_with_twilio_codes() -> None:
    caps = Capabilities(mms=False, max_media_count=0, max_media_bytes=None, max_body_chars=10,
                        reports_delivery=True)  # fmt: skip
    provider = MemoryProvider(capabilities=caps)
    with pytest.raises(ProviderRejectedError) as too_long:
        provider.send(msg("x" * 11))
    assert too_long.value.provider_code == "21617"
    with pytest.raises(ProviderRejectedError) as media:
        provider.send(msg("x", media_urls=("https://e/a",)))
    assert media.value.provider_code == "21623"
    assert provider.capabilities is caps


@pytest.mark.parametrize("status", list(MessageStatus))
def test_reports_each_delivery_status(status: MessageStatus) -> None:
    provider = MemoryProvider()
    receipt = provider.send(msg())
    report = provider.report(receipt.message_id, status)
    assert report.status is status
    assert report.message_id == receipt.message_id
    assert report.to == TO
    assert report.dedup_key == f"{receipt.message_id}:{status.value}"


def test_status_with_error_code_and_carrier_time() -> None:
    provider = MemoryProvider()
    receipt = provider.send(msg())
    params = provider.status_params(receipt.message_id, MessageStatus.UNDELIVERED,
                                    error_code=30003, raw_dlr_done_date="2612010905")  # fmt: skip
    assert params["ErrorCode"] == "30003"
    report = provider.parse_status(params)
    assert report.category is ErrorCategory.UNREACHABLE
    assert report.carrier_done_at == datetime(2026, 12, 1, 9, 5, tzinfo=UTC)
    with pytest.raises(KeyError):
        provider.status_params("SMnope", MessageStatus.SENT)


def test_a_status_given_as_twilio_writes_it() -> None:
    # status_params(sid, "delivered") ended in AttributeError: 'str' object has no
    # attribute 'value'; a status Twilio adds later must be postable too, to test it.
    provider = MemoryProvider()
    receipt = provider.send(msg())
    assert provider.status_params(receipt.message_id, "delivered")["MessageStatus"] == "delivered"
    assert provider.report(receipt.message_id, "delivered").status is MessageStatus.DELIVERED
    later = provider.report(receipt.message_id, "held_by_carrier")
    assert later.status is MessageStatus.UNKNOWN
    assert later.raw_status == "held_by_carrier"


def test_inbound_params_round_trip() -> None:
    provider = MemoryProvider()
    inbound = provider.parse_inbound(provider.inbound_params(TO, FROM, "STOP"))
    assert inbound.sender == TO
    assert inbound.to == FROM
    assert inbound.body == "STOP"


def test_thread_safe_under_concurrent_sends() -> None:
    provider = MemoryProvider()
    provider.fail_next(ErrorCategory.TEMPORARY, times=50)
    failures: list[int] = []

    def worker() -> None:
        for _ in range(50):
            try:
                provider.send(msg())
            except ProviderRejectedError:
                failures.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert provider.attempts == 400
    assert len(failures) == 50
    assert len(provider.messages) == 350
    assert len({r.message_id for r in provider.receipts}) == 350


def test_async_twin_shares_the_records() -> None:
    shared = MemoryProvider()
    twin = AsyncMemoryProvider(shared)
    shared.fail_next(ErrorCategory.RATE_LIMITED)

    async def run() -> None:
        with pytest.raises(ProviderRejectedError):
            await twin.send(msg())
        await twin.send(msg())

    asyncio.run(run())
    assert len(shared.messages) == 1
    assert twin.capabilities == shared.capabilities


def test_inbound_params_get_new_ids_unless_replayed() -> None:
    provider = MemoryProvider()
    first = provider.inbound_params(TO, FROM, "STOP")
    second = provider.inbound_params(TO, FROM, "STOP")
    assert first["MessageSid"] != second["MessageSid"]
    replay = provider.inbound_params(TO, FROM, "STOP", message_id=first["MessageSid"])
    assert provider.parse_inbound(replay).dedup_key == provider.parse_inbound(first).dedup_key


def test_lookup_with_a_naive_since_says_what_to_fix() -> None:
    from smskit.errors import ConfigurationError

    provider = MemoryProvider(clock=FixedClock(datetime(2026, 12, 1, 9, tzinfo=UTC)))
    message = OutboundMessage(to="+14155550123", sender="+14155550199", body="Hi")
    provider.send(message)
    with pytest.raises(ConfigurationError, match="naive"):
        provider.lookup(message, since=datetime(2026, 12, 1, 8))


def test_a_category_named_as_text_fails_in_that_category_not_as_an_unknown_code() -> None:
    # fail_next("unsubscribed") was read as a Twilio code "unsubscribed": the
    # test then exercised an unknown error instead of an opt-out.
    provider = MemoryProvider()
    provider.fail_next("unsubscribed")
    with pytest.raises(ProviderRejectedError) as caught:
        provider.send(msg())
    assert caught.value.category is ErrorCategory.UNSUBSCRIBED
    assert caught.value.provider_code == "21610"


@pytest.mark.parametrize("reason", ["unsubscribd", "", True, 3.5])
def test_a_reason_that_is_neither_a_category_nor_a_code_is_refused(reason: object) -> None:
    from smskit.errors import ConfigurationError

    provider = MemoryProvider()
    with pytest.raises(ConfigurationError) as caught:
        provider.fail_next(reason)  # type: ignore[arg-type]
    assert caught.value.field == "reason"
    provider.send(msg())  # nothing was queued


def test_the_body_limit_counts_utf16_units_as_twilio_does() -> None:
    # Twilio 21617: non-GSM characters may count as more; U+1F600 is two UTF-16 units.
    caps = Capabilities(mms=False, max_media_count=0, max_media_bytes=None, max_body_chars=10,
                        reports_delivery=True)  # fmt: skip
    provider = MemoryProvider(capabilities=caps)
    with pytest.raises(ProviderRejectedError) as too_long:
        provider.send(msg("\U0001f600" * 6))  # 6 characters, 12 units
    assert too_long.value.provider_code == "21617"
    provider.send(msg("\U0001f600" * 5))
