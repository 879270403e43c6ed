"""``MemoryProvider.lookup`` answers as ``TwilioProvider.lookup`` does (review rev31m).

Twilio's Messages API has no idempotency key: a lookup matches a message by its
recipient, sender, messaging service and body, and several matches are reported
(``ProviderAmbiguousError``), never picked from. The memory provider matched the whole
message, idempotency key included, and returned the newest: a test of "the same
reminder sent twice, both hand-overs lost" reconciled each to its own receipt in
memory, while Twilio raises for both in production.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from fake_twilio_api import FakeMessagesApi
from smskit.errors import ProviderAmbiguousError
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

from .conftest import NOW
from .test_twilio_provider import MSG, make

SECOND = replace(MSG, idempotency_key="k2")  # the same text to the same person again


def _memory() -> MemoryProvider:
    provider = MemoryProvider(clock=FixedClock(NOW))
    provider.send(MSG)
    provider.send(SECOND)
    return provider


def test_two_identical_texts_are_ambiguous_in_memory_as_in_twilio(
    fake_api: FakeMessagesApi,
) -> None:
    twilio, _ = make(fake_api.base_url)
    twilio.send(MSG)
    twilio.send(SECOND)
    with pytest.raises(ProviderAmbiguousError, match="2 messages"):
        twilio.lookup(SECOND, since=NOW)
    with pytest.raises(ProviderAmbiguousError, match="2 messages") as caught:
        _memory().lookup(SECOND, since=NOW)
    assert caught.value.idempotency_key == "k2"
    assert caught.value.since == NOW
    assert MSG.to not in str(caught.value)


def test_the_key_is_not_matched_in_memory_as_twilio_cannot(fake_api: FakeMessagesApi) -> None:
    twilio, _ = make(fake_api.base_url)
    sent = twilio.send(MSG)
    other_key = replace(MSG, idempotency_key="another")
    found = twilio.lookup(other_key, since=NOW)
    assert found is not None
    assert found.message_id == sent.message_id
    memory = MemoryProvider(clock=FixedClock(NOW))
    taken = memory.send(MSG)
    got = memory.lookup(other_key, since=NOW)
    assert got is not None
    assert got.message_id == taken.message_id
    assert got.recovered


@pytest.mark.parametrize(("earlier", "ambiguous"), [
    (timedelta(minutes=1), True),  # within Twilio's lookup_skew (2 minutes by default)
    (timedelta(minutes=3), False),
])
def test_an_identical_text_taken_just_before_the_window_counts_as_twilio_counts_it(
    fake_api: FakeMessagesApi, earlier: timedelta, ambiguous: bool
) -> None:
    # A worker reserved the same reminder a minute after the first went out and died
    # before handing it over; reconcile looks it up. Twilio's lookup cannot tell the
    # first text (created within lookup_skew before since) from this one with the
    # clocks apart, and reports it; the memory provider ignored anything before since,
    # so reconcile sent it again in tests (review of rev31m).
    clock = FixedClock(NOW)
    fake_api.now = clock.now
    twilio, _ = make(fake_api.base_url)
    memory = MemoryProvider(clock=clock)
    for provider in (twilio, memory):
        provider.send(MSG)
    clock.advance(earlier)
    for provider in (twilio, memory):
        if ambiguous:
            with pytest.raises(ProviderAmbiguousError, match="1 messages"):
                provider.lookup(SECOND, since=clock.now())
        else:
            assert provider.lookup(SECOND, since=clock.now()) is None
