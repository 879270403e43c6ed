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
