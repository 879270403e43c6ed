"""The loopback Twilio API writes its dates as Twilio does: in GMT.

The SDK reads every RFC 2822 date as UTC, whatever offset it carries. The fake wrote
its clock's own offset, so a test clock in New York made every receipt's accepted_at
(and every lookup's creation time) four or five hours off.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fake_twilio_api import ACCOUNT, TOKEN, FakeMessagesApi
from smskit.providers import OutboundMessage, TwilioProvider
from smskit.testing import FixedClock

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

NEW_YORK = datetime(2026, 11, 19, 9, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def api() -> Iterator[FakeMessagesApi]:
    clock = FixedClock(NEW_YORK)
    fake = FakeMessagesApi(now=clock.now)
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


def test_a_receipt_from_a_clock_outside_utc_is_the_same_instant(api: FakeMessagesApi) -> None:
    client = twilio_rest.Client(ACCOUNT, TOKEN,
                                http_client=twilio_http.TwilioHttpClient(timeout=2))
    client.api.base_url = api.base_url
    provider = TwilioProvider(client, clock=FixedClock(NEW_YORK))
    receipt = provider.send(OutboundMessage(to="+14155550123", sender="+14155550199",
                                            body="Dave is on his way", idempotency_key="k1"))
    assert receipt.accepted_at == NEW_YORK  # 14:00 UTC, not 09:00 UTC
    assert api.messages[0]["date_created"].endswith("GMT")
