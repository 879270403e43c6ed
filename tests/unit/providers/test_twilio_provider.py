"""TwilioProvider: the real twilio SDK against a loopback Messages API that fails on purpose.

Every test counts the requests the server received: a retry must be visible as
a second POST, and an ambiguous failure that a lookup resolves must leave one.
"""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest

from fake_twilio_api import ACCOUNT, TOKEN, Action, FakeMessagesApi
from smskit.errors import (
    ConfigurationError,
    MissingExtraError,
    ProviderAmbiguousError,
    ProviderRejectedError,
    ProviderTransportError,
    install_hint,
)
from smskit.providers import (
    AsyncTwilioProvider,
    ErrorCategory,
    MessageStatus,
    OutboundMessage,
    RetryPolicy,
    TwilioProvider,
)
from smskit.testing import FixedClock

from .conftest import NOW

twilio_rest = pytest.importorskip("twilio.rest")
twilio_http = pytest.importorskip("twilio.http.http_client")

TO = "+14155550123"
FROM = "+14155550199"
MSG = OutboundMessage(to=TO, sender=FROM, body="Your table is ready", idempotency_key="k1")


class Sleeps:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def make(
    base_url: str, *, timeout: float = 0.5, attempts: int = 4
) -> tuple[TwilioProvider, Sleeps]:
    http = twilio_http.TwilioHttpClient(timeout=timeout)
    client = twilio_rest.Client(ACCOUNT, TOKEN, http_client=http)
    client.api.base_url = base_url  # the SDK builds every Messages URL from this
    sleeps = Sleeps()
    provider = TwilioProvider(
        client,
        retry=RetryPolicy(attempts=attempts, base_delay=0.5, max_delay=30, jitter=0.1),
        sleep=sleeps,
        random=lambda: 0.5,  # the middle of the jitter range: no spread
        clock=FixedClock(NOW),
    )
    return provider, sleeps


def test_send_passes_every_field_and_returns_the_receipt(fake_api: FakeMessagesApi) -> None:
    provider, sleeps = make(fake_api.base_url)
    message = OutboundMessage(
        to=TO,
        sender=FROM,
        messaging_service="MG" + "1" * 32,
        body="Hello",
        media_urls=("https://example.com/a.jpg", "https://example.com/b.png"),
        status_callback="https://example.com/status",
        validity_period=600,
    )
    receipt = provider.send(message)
    assert len(fake_api.posts) == 1
    form = fake_api.posts[0]
    assert form["To"] == TO
    assert form["From"] == FROM
    assert form["Body"] == "Hello"
    assert form["MessagingServiceSid"] == "MG" + "1" * 32
    assert form["StatusCallback"] == "https://example.com/status"
    assert form["ValidityPeriod"] == "600"
    assert receipt.message_id == fake_api.messages[0]["sid"]
    assert receipt.status is MessageStatus.ACCEPTED
    assert receipt.accepted_at == NOW
    assert receipt.segments is None  # a Messaging Service's "0": not counted yet
    assert not receipt.recovered
    assert sleeps.calls == []


def test_a_messaging_services_zero_segments_is_no_count(fake_api: FakeMessagesApi) -> None:
    # user31: Twilio answers num_segments "0" for a message sent through a Messaging
    # Service (no sender assigned yet); the receipt said 0 segments for a two-segment
    # text, and the messenger's history would have recorded that 0 over its own count.
    provider, _ = make(fake_api.base_url)
    body = "Your technician is on the way and will arrive in about twenty minutes. " * 3
    receipt = provider.send(OutboundMessage(to=TO, messaging_service="MG" + "1" * 32, body=body))
    assert fake_api.messages[0]["num_segments"] == "0"
    assert receipt.segments is None
    receipt = provider.send(OutboundMessage(to=TO, sender=FROM, body="Hello"))
    assert receipt.segments == 1


def test_both_media_urls_reach_the_api(fake_api: FakeMessagesApi) -> None:
    provider, _ = make(fake_api.base_url)
    provider.send(OutboundMessage(to=TO, sender=FROM, media_urls=("https://e/a", "https://e/b")))
    assert fake_api.post_lists[0]["MediaUrl"] == ["https://e/a", "https://e/b"]
    assert "Body" not in fake_api.post_lists[0]


def test_429_without_retry_after_backs_off_then_succeeds(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.extend(
        [
            Action(status=429, body={"code": 20429, "message": "Too Many Requests"}, create=False),
            Action(status=429, body={"code": 20429, "message": "Too Many Requests"}, create=False),
        ]
    )
    provider, sleeps = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert len(fake_api.posts) == 3
    assert len(fake_api.messages) == 1
    assert sleeps.calls == [0.5, 1.0]  # base 0.5 s, doubled; jitter centred by random=0.5
    assert receipt.message_id == fake_api.messages[0]["sid"]


def test_429_honours_retry_after_seconds(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.append(
        Action(status=429, body={"code": 20429}, headers={"Retry-After": "7"}, create=False)
    )
    provider, sleeps = make(fake_api.base_url)
    provider.send(MSG)
    assert sleeps.calls == [7.0]
    assert len(fake_api.posts) == 2


def test_429_honours_retry_after_http_date(fake_api: FakeMessagesApi) -> None:
    later = format_datetime(NOW + timedelta(seconds=12), usegmt=True)
    fake_api.post_script.append(
        Action(status=429, body={"code": 20429}, headers={"Retry-After": later}, create=False)
    )
    provider, sleeps = make(fake_api.base_url)
    provider.send(MSG)
    assert sleeps.calls == [12.0]


def test_429_every_time_gives_up_after_the_attempts(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.extend(
        [Action(status=429, body={"code": 20429}, create=False) for _ in range(3)]
    )
    provider, sleeps = make(fake_api.base_url, attempts=3)
    with pytest.raises(ProviderRejectedError) as caught:
        provider.send(MSG)
    assert caught.value.category is ErrorCategory.RATE_LIMITED
    assert caught.value.retryable is True
    assert caught.value.provider_code == "20429"
    assert len(fake_api.posts) == 3
    assert len(sleeps.calls) == 2
    assert fake_api.messages == []
    assert caught.value.retry_after is None  # Twilio asked for no particular wait


@pytest.mark.parametrize(("header", "wait"), [
    ("90", 90), ("9" * 30, 86400),
    ("Wed, 03 Jun 2026 10:00:00 +99999999999999999999", None),  # unreadable: no wait asked
])
def test_the_last_429s_retry_after_travels_on_the_error(
    fake_api: FakeMessagesApi, header: str, wait: int | None
) -> None:
    # The messenger queues the message for at least that long (Messenger.retry_cap aside).
    fake_api.post_script.append(
        Action(status=429, body={"code": 20429}, headers={"Retry-After": header}, create=False)
    )
    provider, _sleeps = make(fake_api.base_url, attempts=1)
    with pytest.raises(ProviderRejectedError) as caught:
        provider.send(MSG)
    assert caught.value.retry_after == (None if wait is None else timedelta(seconds=wait))


@pytest.mark.parametrize(
    ("status", "code", "category"),
    [
        (400, 21610, ErrorCategory.UNSUBSCRIBED),
        (400, 21211, ErrorCategory.INVALID_NUMBER),
        (400, 21614, ErrorCategory.LANDLINE),
        (400, 21617, ErrorCategory.CONTENT_REJECTED),
        (401, 20003, ErrorCategory.ACCOUNT),
        (400, 29999, ErrorCategory.UNKNOWN),
    ],
)
def test_error_codes_are_refused_once_with_their_category(
    fake_api: FakeMessagesApi, status: int, code: int, category: ErrorCategory
) -> None:
    body = {"code": code, "message": f"The 'To' number {TO} is refused", "status": status}
    fake_api.post_script.append(Action(status=status, body=body, create=False))
    provider, sleeps = make(fake_api.base_url)
    with pytest.raises(ProviderRejectedError) as caught:
        provider.send(MSG)
    error = caught.value
    assert error.category is category
    assert error.provider_code == str(code)
    assert error.status == status
    assert error.retryable is False
    assert TO not in str(error)
    assert TO not in (error.detail or "")
    assert len(fake_api.posts) == 1
    assert sleeps.calls == []
    assert fake_api.gets == []


def test_500_after_creating_is_resolved_by_lookup_without_a_second_post(
    fake_api: FakeMessagesApi,
) -> None:
    fake_api.post_script.append(Action(status=500, body={"code": 20500}, create=True))
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert len(fake_api.posts) == 1
    assert len(fake_api.gets) == 1
    assert fake_api.gets[0]["To"] == TO
    assert fake_api.gets[0]["From"] == FROM
    assert receipt.recovered
    assert receipt.message_id == fake_api.messages[0]["sid"]


def test_503_without_creating_is_sent_again_after_the_lookup(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.append(Action(status=503, body={"code": 20503}, create=False))
    provider, sleeps = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert len(fake_api.posts) == 2
    assert len(fake_api.gets) == 1
    assert len(fake_api.messages) == 1
    assert not receipt.recovered
    assert sleeps.calls == [0.5]


def test_hang_past_the_timeout_after_creating_is_found_not_resent(
    fake_api: FakeMessagesApi,
) -> None:
    fake_api.post_script.append(Action(hang=True, create=True))
    provider, _ = make(fake_api.base_url, timeout=0.3)
    receipt = provider.send(MSG)
    assert len(fake_api.posts) == 1
    assert len(fake_api.messages) == 1
    assert receipt.recovered
    assert receipt.message_id == fake_api.messages[0]["sid"]


def test_malformed_success_body_is_resolved_by_lookup(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.append(Action(status=201, body="<html>oops", create=True))
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert len(fake_api.posts) == 1
    assert receipt.recovered


def test_failed_lookup_raises_ambiguous_and_never_resends(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.append(Action(status=502, body={"code": 20500}, create=True))
    fake_api.get_script.append(Action(status=500, body={"code": 20500}))
    provider, sleeps = make(fake_api.base_url)
    with pytest.raises(ProviderAmbiguousError) as caught:
        provider.send(MSG)
    assert caught.value.idempotency_key == "k1"
    assert caught.value.since == NOW
    assert caught.value.retryable is False
    assert TO not in str(caught.value)
    assert len(fake_api.posts) == 1
    assert sleeps.calls == [0.5]  # the one wait before looking, no resend after it


def test_lookup_ignores_other_bodies_and_old_messages(fake_api: FakeMessagesApi) -> None:
    provider, _ = make(fake_api.base_url)
    provider.send(OutboundMessage(to=TO, sender=FROM, body="something else"))
    assert provider.lookup(MSG, since=NOW) is None
    provider.send(MSG)
    assert provider.lookup(MSG, since=NOW) is not None
    assert provider.lookup(MSG, since=NOW + timedelta(hours=1)) is None  # created before


def test_ambiguous_every_time_and_never_found_ends_with_transport_error(
    fake_api: FakeMessagesApi,
) -> None:
    fake_api.post_script.extend([Action(status=500, create=False) for _ in range(2)])
    provider, _ = make(fake_api.base_url, attempts=2)
    with pytest.raises(ProviderTransportError):
        provider.send(MSG)
    assert len(fake_api.posts) == 2
    assert len(fake_api.gets) == 2
    assert fake_api.messages == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_retried_then_reported_as_not_sent() -> None:
    provider, sleeps = make(f"http://127.0.0.1:{_closed_port()}", attempts=3)
    with pytest.raises(ProviderTransportError) as caught:
        provider.send(MSG)
    assert caught.value.retryable is True
    assert sleeps.calls == [0.5, 1.0]


def test_async_twin_sends_through_the_same_path(fake_api: FakeMessagesApi) -> None:
    fake_api.post_script.append(Action(status=500, create=True))
    provider, _ = make(fake_api.base_url)
    receipt = asyncio.run(AsyncTwilioProvider(provider).send(MSG))
    assert receipt.recovered
    assert len(fake_api.posts) == 1


def test_retry_policy_jitter_spreads_within_bounds() -> None:
    policy = RetryPolicy(base_delay=1.0, jitter=0.1, max_delay=30)
    assert policy.delay(1, 0.0) == pytest.approx(0.9)
    assert policy.delay(1, 0.999999) == pytest.approx(1.1, abs=1e-5)
    assert policy.delay(3, 0.5) == pytest.approx(4.0)
    assert policy.delay(10, 0.5) == pytest.approx(30.0)
    assert policy.delay(1, 0.5, retry_after=100) == 30.0


def test_missing_sdk_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "twilio.base", None)
    with pytest.raises(MissingExtraError) as caught:
        TwilioProvider(object())  # type: ignore[arg-type]
    assert caught.value.extra == "twilio"
    assert install_hint("twilio") in str(caught.value)


# --- review: what the lookup may claim ---------------------------------------------


def _seed(fake_api: FakeMessagesApi, message: OutboundMessage, at: object) -> None:
    """A message Twilio already holds, created at ``at`` (not by the send under test)."""
    real_now = fake_api.now
    fake_api.now = lambda: at
    try:
        fake_api._create({"To": message.to, "From": message.sender or "", "Body": message.body})
    finally:
        fake_api.now = real_now


def test_lookup_does_not_claim_an_older_identical_message(fake_api: FakeMessagesApi) -> None:
    # The same text went to the same person a minute before this send began
    # (a legitimate repeat); this send's create then fails with a 500 without
    # creating anything. The older message is not this one: claiming it would
    # report a message as sent that never was.
    _seed(fake_api, MSG, NOW - timedelta(seconds=60))
    fake_api.post_script.append(Action(status=500, body={"code": 20500}, create=False))
    provider, _ = make(fake_api.base_url)
    with pytest.raises(ProviderAmbiguousError) as caught:
        provider.send(MSG)
    assert caught.value.idempotency_key == "k1"
    assert caught.value.since == NOW
    assert len(fake_api.posts) == 1  # never resent either: it might have been ours
    assert TO not in str(caught.value)


def test_lookup_with_two_matching_messages_does_not_pick_one(fake_api: FakeMessagesApi) -> None:
    # Two identical messages were created inside the window (say, two workers
    # sending the same reminder); which one is this send's cannot be told.
    _seed(fake_api, MSG, NOW)
    _seed(fake_api, MSG, NOW)
    provider, _ = make(fake_api.base_url)
    with pytest.raises(ProviderAmbiguousError) as caught:
        provider.lookup(MSG, since=NOW)
    assert "2 messages" in str(caught.value)


def test_lookup_prefers_the_one_message_created_after_the_send_began(
    fake_api: FakeMessagesApi,
) -> None:
    _seed(fake_api, MSG, NOW - timedelta(seconds=60))  # an earlier, legitimate repeat
    fake_api.post_script.append(Action(status=500, body={"code": 20500}, create=True))
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert receipt.recovered
    assert receipt.message_id == fake_api.messages[1]["sid"]
    assert len(fake_api.posts) == 1


def test_a_create_that_lands_after_the_timeout_is_found_not_sent_twice(
    fake_api: FakeMessagesApi,
) -> None:
    # Twilio is slow: the client times out, and Twilio creates the message a
    # moment later (here: when the provider next waits). Looking it up at once
    # finds nothing; resending then would text the person twice.
    fake_api.post_script.append(Action(hang=True, create=False, create_on_release=True))
    provider, _ = make(fake_api.base_url, timeout=0.3)

    def sleep(seconds: float) -> None:
        fake_api.release.set()
        assert fake_api.created.wait(timeout=5)

    provider._sleep = sleep
    receipt = provider.send(MSG)
    assert len(fake_api.messages) == 1
    assert len(fake_api.posts) == 1
    assert receipt.recovered


def _logged(exc: BaseException) -> str:
    """What ``logger.exception`` would write: the whole chain, causes included."""
    import traceback

    return "".join(traceback.format_exception(exc))


def test_a_refusal_logged_with_its_traceback_does_not_show_the_number(
    fake_api: FakeMessagesApi,
) -> None:
    fake_api.post_script.append(
        Action(
            status=400,
            body={"code": 21211, "message": f"The 'To' number {TO} is not a valid phone number."},
            create=False,
        )
    )
    provider, _ = make(fake_api.base_url)
    with pytest.raises(ProviderRejectedError) as caught:
        provider.send(MSG)
    assert caught.value.provider_code == "21211"
    assert TO[1:] not in _logged(caught.value)


def test_a_failed_lookup_logged_with_its_traceback_does_not_show_the_number() -> None:
    # The lookup's GET carries To and From in its query string, and requests
    # puts that URL in its connection error.
    provider, _ = make(f"http://127.0.0.1:{_closed_port()}")
    with pytest.raises(ProviderTransportError) as caught:
        provider.lookup(MSG, since=NOW)
    logged = _logged(caught.value)
    assert TO[1:] not in logged
    assert FROM[1:] not in logged


# The last: a date whose zone offset overflows the C int email.utils parses it into
# (OverflowError, not ValueError).
@pytest.mark.parametrize("value", [
    "\u00b2", "1\u00b9", "-5", "1e3", "soon", "Wed, 03 Jun 2026 10:00:00 +99999999999999999999",
])
def test_an_unreadable_retry_after_falls_back_to_the_backoff(
    fake_api: FakeMessagesApi, value: str
) -> None:
    # "²" is a digit to str.isdigit (and a Latin-1 header byte) but not a number.
    fake_api.post_script.append(
        Action(status=429, body={"code": 20429}, headers={"Retry-After": value}, create=False)
    )
    provider, sleeps = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert not receipt.recovered
    assert sleeps.calls == [0.5]
    assert len(fake_api.posts) == 2


def test_lookup_with_a_naive_since_says_what_to_fix(fake_api: FakeMessagesApi) -> None:
    from datetime import datetime

    from smskit.errors import ConfigurationError

    provider, _ = make(fake_api.base_url)
    provider.send(MSG)
    with pytest.raises(ConfigurationError, match="naive"):
        provider.lookup(MSG, since=datetime(2026, 12, 3, 19, 0))


def test_a_body_that_cannot_be_encoded_is_refused_before_any_request(
    fake_api: FakeMessagesApi,
) -> None:
    # A lone surrogate cannot be sent as UTF-8: requests raises UnicodeEncodeError
    # (a ValueError) before anything leaves, which is not an unreadable answer.
    from smskit.errors import SmskitError

    provider, sleeps = make(fake_api.base_url)
    with pytest.raises(SmskitError) as caught:
        provider.send(OutboundMessage(to=TO, sender=FROM, body="caf\ud800"))
    assert not isinstance(caught.value, ProviderTransportError | ProviderAmbiguousError)
    assert "index 3" in str(caught.value)
    assert fake_api.posts == []
    assert fake_api.gets == []
    assert sleeps.calls == []


@pytest.mark.parametrize("body", [{}, {"sid": None, "status": "queued"}, {"sid": ""}])
def test_a_success_without_a_message_sid_is_ambiguous_not_a_receipt(
    fake_api: FakeMessagesApi, body: dict[str, object]
) -> None:
    # A 201 whose JSON names no message: the receipt would say message_id "None".
    # Twilio may have created the message; the lookup decides.
    fake_api.post_script.append(Action(status=201, body=body, create=True))
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert receipt.recovered
    assert receipt.message_id == fake_api.messages[0]["sid"]
    assert len(fake_api.posts) == 1


def test_a_client_without_a_timeout_is_warned_about_once_built(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level("WARNING", logger="smskit.providers.twilio"):
        TwilioProvider(twilio_rest.Client(ACCOUNT, TOKEN))  # the SDK's default: no timeout
    [record] = caplog.records
    assert "timeout" in record.getMessage()
    caplog.clear()
    with caplog.at_level("WARNING", logger="smskit.providers.twilio"):
        http = twilio_http.TwilioHttpClient(timeout=10)
        TwilioProvider(twilio_rest.Client(ACCOUNT, TOKEN, http_client=http))
    assert caplog.records == []


def test_lookup_window_is_real_time_across_a_clock_change(fake_api: FakeMessagesApi) -> None:
    # until is 02:59 NZDT (13:59 UTC), a minute before Auckland's clocks go back an
    # hour; with the two minutes' skew the window ends at 14:01 UTC. A message
    # created at 14:30 UTC (02:30 NZST) is outside it, though 03:01 by wall clock
    # would take it in.
    auckland = ZoneInfo("Pacific/Auckland")
    since = datetime(2027, 4, 4, 2, 50, tzinfo=auckland)
    until = datetime(2027, 4, 4, 2, 59, tzinfo=auckland)
    _seed(fake_api, MSG, datetime(2027, 4, 3, 14, 30, tzinfo=UTC))
    provider, _ = make(fake_api.base_url)
    assert provider.lookup(MSG, since=since, until=until) is None
    # And inside the skew after until (14:00:30 UTC, 02:00:30 NZST) it is found.
    _seed(fake_api, MSG, datetime(2027, 4, 3, 14, 0, 30, tzinfo=UTC))
    found = provider.lookup(MSG, since=since, until=until)
    assert found is not None
    assert found.message_id == fake_api.messages[1]["sid"]


def _answered_with_status(fake_api: FakeMessagesApi, status: str) -> None:
    """Script the next create to answer with ``status`` in the message's JSON."""
    created = format_datetime(NOW)
    fake_api.post_script.append(Action(body={
        "sid": "SM" + "a" * 32, "account_sid": ACCOUNT, "to": TO, "from": FROM,
        "body": MSG.body, "status": status, "direction": "outbound-api",
        "num_segments": "1", "num_media": "0", "date_created": created,
        "date_updated": created, "date_sent": None, "error_code": None,
        "error_message": None, "price": None, "price_unit": "USD",
        "api_version": "2010-04-01",
    }))


def test_a_status_smskit_does_not_know_is_unknown_with_the_value_kept(
    fake_api: FakeMessagesApi,
) -> None:
    # As a status callback does: not passed off as "queued", which it may not be.
    _answered_with_status(fake_api, " Pending_Review ")
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert receipt.status is MessageStatus.UNKNOWN
    assert receipt.raw_status == "pending_review"
    assert receipt.reported == "pending_review"
    assert "pending_review" in repr(receipt)


def test_a_known_status_keeps_no_raw_status(fake_api: FakeMessagesApi) -> None:
    _answered_with_status(fake_api, "scheduled")
    provider, _ = make(fake_api.base_url)
    receipt = provider.send(MSG)
    assert receipt.status is MessageStatus.SCHEDULED
    assert receipt.raw_status is None
    assert receipt.reported == "scheduled"


# --- review: the lookup window is real time --------------------------------------------


def test_a_lookup_begun_just_after_the_clocks_go_forward_finds_the_message(
    fake_api: FakeMessagesApi,
) -> None:
    # Auckland's clocks go forward at 02:00 NZST on 26 September 2027 (14:00 UTC) to
    # 03:00 NZDT. A send begun at 03:01 NZDT (14:01 UTC) made a message Twilio dates
    # 14:01:30 UTC. Two minutes of skew before 03:01 by wall clock is 02:59, an hour
    # that does not exist and reads as 14:59 UTC: the window began after the message.
    auckland = ZoneInfo("Pacific/Auckland")
    since = datetime(2027, 9, 26, 3, 1, tzinfo=auckland)
    assert since.astimezone(UTC) == datetime(2027, 9, 25, 14, 1, tzinfo=UTC)
    _seed(fake_api, MSG, datetime(2027, 9, 25, 14, 1, 30, tzinfo=UTC))
    provider, _ = make(fake_api.base_url)
    found = provider.lookup(MSG, since=since)
    assert found is not None
    assert found.message_id == fake_api.messages[0]["sid"]


def test_a_lookup_begun_just_after_the_clocks_go_back_looks_two_minutes_back(
    fake_api: FakeMessagesApi,
) -> None:
    # Auckland's clocks go back at 03:00 NZDT on 4 April 2027 (14:00 UTC) to 02:00 NZST.
    # A send begun at 03:01 NZST (15:01 UTC): two minutes before it by wall clock is
    # 02:59 read as NZDT (13:59 UTC), an hour and two minutes back. The same text sent
    # half an hour earlier (a legitimate repeat) is outside the real skew: this send
    # made nothing, so the answer is "not found" (safe to send), not "ambiguous".
    auckland = ZoneInfo("Pacific/Auckland")
    since = datetime(2027, 4, 4, 3, 1, tzinfo=auckland)
    assert since.astimezone(UTC) == datetime(2027, 4, 3, 15, 1, tzinfo=UTC)
    _seed(fake_api, MSG, datetime(2027, 4, 3, 14, 30, tzinfo=UTC))
    provider, _ = make(fake_api.base_url)
    assert provider.lookup(MSG, since=since) is None


def test_a_naive_clock_is_refused_before_anything_is_posted(fake_api: FakeMessagesApi) -> None:
    # Found only at the lookup after a 500, it would escape as a ConfigurationError the
    # messenger takes for "refused before anything went out" (the key failed, a new
    # key sends again) while Twilio may hold the message.
    class Naive:
        def now(self) -> datetime:
            return NOW.replace(tzinfo=None)

    fake_api.post_script.append(Action(status=500, create=True))
    client = twilio_rest.Client(ACCOUNT, TOKEN, http_client=twilio_http.TwilioHttpClient(timeout=1))
    client.api.base_url = fake_api.base_url
    naive = TwilioProvider(client, clock=Naive(), sleep=Sleeps())
    with pytest.raises(ConfigurationError, match="naive"):
        naive.send(MSG)
    assert fake_api.posts == []
