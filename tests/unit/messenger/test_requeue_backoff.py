"""Requeueing after a retryable failure: backoff, the provider's delay, a bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.consent import Evidence
from smskit.errors import ConfigurationError
from smskit.messenger import Messenger, OutboxState, SendOutcome
from smskit.policy import SendRequest
from smskit.providers import ErrorCategory

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent

MINUTE = timedelta(minutes=1)


def _request(purpose: str = "marketing") -> SendRequest:
    return SendRequest(
        recipient=ALICE, body="Acme: 20% off today. Reply STOP to opt out",
        purpose=purpose, idempotency_key="k1",  # type: ignore[arg-type]
    )


def _rig(**options: object) -> Rig:
    rig = build_rig()
    rig.messenger = Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
        senders=[rig.sender], **options,  # type: ignore[arg-type]
    )
    consent(rig)
    return rig


def _waits(rig: Rig, failures: int) -> list[timedelta]:
    """Fail ``failures`` sends in a row; the wait the messenger set after each."""
    rig.provider.time_out_next(failures)
    result = rig.messenger.send(_request(), rig.sender, T0)
    at, waits = T0, []
    while result.queued:
        assert result.not_before is not None
        waits.append(result.not_before - at)
        at = result.not_before
        [result] = rig.messenger.send_due(at)
    return waits


def test_waits_double_from_retry_after_up_to_the_cap() -> None:
    rig = _rig(retry_after=MINUTE, retry_cap=timedelta(minutes=10), max_attempts=8)
    assert _waits(rig, 6) == [MINUTE * m for m in (1, 2, 4, 8, 10, 10)]
    assert len(rig.provider.messages) == 1  # the seventh attempt went


def test_the_attempts_are_bounded_and_end_failed() -> None:
    rig = _rig(max_attempts=3)
    waits = _waits(rig, 10)
    assert len(waits) == 2  # two requeues, then the third failure gives up
    assert rig.provider.attempts == 3
    entry = rig.outbox.get("k1")
    assert entry is not None
    assert entry.state is OutboxState.FAILED
    assert "3 attempts" in (entry.error or "")
    assert rig.messenger.send_due(T0 + timedelta(days=1)) == ()
    again = rig.messenger.send(_request(), rig.sender, T0 + timedelta(days=1))
    assert again.outcome is SendOutcome.FAILED
    assert "new key" in again.reason


def test_the_last_failed_attempt_says_it_gave_up() -> None:
    rig = _rig(max_attempts=1)
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED)
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.outcome is SendOutcome.FAILED
    assert not result.queued
    assert result.not_before is None
    assert result.category is ErrorCategory.RATE_LIMITED
    assert "gave up after 1 attempt" in result.reason


def test_the_providers_retry_after_is_honoured() -> None:
    rig = _rig(retry_after=MINUTE, retry_cap=timedelta(hours=1))
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=timedelta(minutes=7))
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.queued
    assert result.not_before == T0 + timedelta(minutes=7)
    # Shorter than the backoff: the backoff wins (never sooner than either asks).
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=timedelta(seconds=5))
    [result] = rig.messenger.send_due(T0 + timedelta(minutes=7))
    assert result.not_before == T0 + timedelta(minutes=9)


def test_a_providers_delay_longer_than_the_cap_is_capped() -> None:
    rig = _rig(retry_cap=timedelta(minutes=30))
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=timedelta(days=3))
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.not_before == T0 + timedelta(minutes=30)


@pytest.mark.parametrize(("name", "value"), [
    ("max_attempts", 0), ("max_attempts", 2.5), ("max_attempts", True),
    ("retry_cap", timedelta(0)), ("retry_cap", 60), ("retry_after", timedelta(0)),
    ("retry_after", 60),
])
def test_bad_settings_are_refused(name: str, value: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        _rig(**{name: value})
    assert info.value.field == name


def test_retry_after_longer_than_the_cap_is_refused_unless_the_cap_is_default() -> None:
    with pytest.raises(ConfigurationError, match="retry_cap") as info:
        _rig(retry_after=timedelta(hours=2), retry_cap=timedelta(hours=1))
    assert info.value.field == "retry_after"
    rig = _rig(retry_after=timedelta(hours=2))  # the default cap follows it
    assert _waits(rig, 2) == [timedelta(hours=2), timedelta(hours=2)]


@given(
    st.integers(1, 600), st.integers(1, 24 * 60), st.integers(1, 12),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_a_wait_is_never_past_the_cap_nor_sooner_than_asked(
    base: int, cap: int, failures: int, provider: int | None
) -> None:
    base_d, cap_d = timedelta(seconds=base), timedelta(minutes=cap)
    if base_d > cap_d:
        return
    rig = _rig(retry_after=base_d, retry_cap=cap_d, max_attempts=failures + 1)
    given_delay = None if provider is None else timedelta(seconds=provider)
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, failures, retry_after=given_delay)
    # Transactional: no quiet hours to defer a retry that lands at night.
    result = rig.messenger.send(_request("transactional"), rig.sender, T0)
    at: datetime = T0
    previous = timedelta(0)
    for _ in range(failures):
        assert result.queued
        assert result.not_before is not None
        wait = result.not_before - at
        assert wait <= cap_d
        assert wait >= min(cap_d, base_d)
        assert wait >= previous  # backoff only grows
        if given_delay is not None:
            assert wait >= min(given_delay, cap_d)
        previous, at = wait, result.not_before
        [result] = rig.messenger.send_due(at)
    assert result.outcome is SendOutcome.SENT


def test_many_attempts_with_a_long_wait_do_not_overflow() -> None:
    # A day doubled 40 times is past what a timedelta holds; the cap must apply first.
    day = timedelta(days=1)
    rig = _rig(retry_after=day, retry_cap=timedelta(days=30), max_attempts=50)
    waits = _waits(rig, 45)
    assert waits[:6] == [day * n for n in (1, 2, 4, 8, 16, 30)]
    assert set(waits[5:]) == {timedelta(days=30)}


@pytest.mark.parametrize("value", [timedelta(seconds=-1), 30])
def test_fail_next_refuses_a_bad_retry_after(value: object) -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError) as info:
        rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=value)  # type: ignore[arg-type]
    assert info.value.field == "retry_after"


def test_the_wait_is_counted_in_real_time_across_a_clock_change() -> None:
    # 01:30 happens twice in New York on 2026-11-01; fold=1 is the second one (EST,
    # 06:30 UTC). Wall-clock arithmetic on it puts "a minute later" at 01:31 EDT,
    # an hour before it: the message would be due at once, whatever the wait.
    at = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York"))
    rig = build_rig()
    rig.ledger.grant(
        ALICE, scope="acme", purposes=["transactional"], kind="express_written",
        source="web_form", at=datetime(2026, 10, 1, tzinfo=UTC),
        evidence=Evidence(consent_text="I agree to texts from Acme",
                          form_url="https://acme.example/join"),
    )
    rig.provider.time_out_next(1)
    result = rig.messenger.send(_request("transactional"), rig.sender, at)
    assert result.queued
    assert result.not_before is not None
    assert result.not_before.astimezone(UTC) == datetime(2026, 11, 1, 6, 31, tzinfo=UTC)
    assert rig.messenger.send_due(datetime(2026, 11, 1, 6, 30, 30, tzinfo=UTC)) == ()


def test_sending_the_key_again_before_its_wait_does_not_hand_it_over() -> None:
    # The key is the caller's job id, so a job retried on "failed" sends it again: that
    # must not go to the provider before the wait it asked for (nor use up attempts).
    rig = _rig(max_attempts=3)
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED, retry_after=timedelta(minutes=10))
    first = rig.messenger.send(_request("transactional"), rig.sender, T0)
    assert first.queued
    again = rig.messenger.send(_request("transactional"), rig.sender, T0 + timedelta(seconds=5))
    assert again.outcome is SendOutcome.DEFERRED
    assert again.queued
    assert again.not_before == T0 + timedelta(minutes=10)
    assert rig.provider.attempts == 1
    entry = rig.outbox.get("k1")
    assert entry is not None
    assert (entry.state, entry.attempts) == (OutboxState.DEFERRED, 1)
    # Its time come, the same call sends it.
    done = rig.messenger.send(_request("transactional"), rig.sender, T0 + timedelta(minutes=10))
    assert done.outcome is SendOutcome.SENT
    assert len(rig.provider.messages) == 1


def _until_given_up(rig: Rig) -> datetime:
    """Send k1 and its queued retries until the messenger gives up; when it did."""
    result = rig.messenger.send(_request(), rig.sender, T0)
    at = T0
    while result.queued:
        assert result.not_before is not None
        at = result.not_before
        [result] = rig.messenger.send_due(at)
    assert result.outcome is SendOutcome.FAILED
    assert "gave up" in result.reason
    return at


def test_a_give_up_after_refusals_counts_once_as_a_failed_message_in_health() -> None:
    # Refused three times as unreachable (a handset that is off): the message never
    # went, as surely as one refused outright, and health counts it the same way.
    rig = _rig(max_attempts=3)
    rig.provider.fail_next(ErrorCategory.UNREACHABLE, times=3)
    at = _until_given_up(rig)
    health = rig.messenger.health(OURS, at)
    assert health.sent == 1
    assert dict(health.failures) == {"unreachable": 1}
    # Queued retries on the way were not failures yet.
    assert rig.provider.attempts == 3


def test_queued_retries_are_not_counted_before_the_give_up() -> None:
    rig = _rig(max_attempts=3)
    rig.provider.fail_next(ErrorCategory.UNREACHABLE, times=1)
    result = rig.messenger.send(_request(), rig.sender, T0)
    assert result.queued
    health = rig.messenger.health(OURS, T0)
    assert (health.sent, dict(health.failures)) == (0, {})


def test_a_give_up_after_transport_errors_is_not_a_delivery_failure() -> None:
    # The provider never answered: nothing about this sender's traffic, and an
    # outage would otherwise halt every sender's marketing for a day after it.
    rig = _rig(max_attempts=3)
    rig.provider.time_out_next(3)
    at = _until_given_up(rig)
    health = rig.messenger.health(OURS, at)
    assert (health.sent, dict(health.failures)) == (0, {})


@pytest.mark.parametrize("category", [ErrorCategory.RATE_LIMITED, ErrorCategory.TEMPORARY])
def test_a_give_up_while_the_provider_is_busy_or_broken_is_not_a_delivery_failure(
    category: ErrorCategory,
) -> None:
    # Refused to the end with 429s (Twilio: "never processed"), a queue overflow or
    # Twilio's own internal error: the account's throughput or the platform, as with an
    # outage, says nothing of this sender's traffic. Counted, a 429 storm would read as
    # a 100% error rate and halt every sender's marketing for a day.
    rig = _rig(max_attempts=3)
    rig.provider.fail_next(category, times=3)
    at = _until_given_up(rig)
    assert rig.provider.attempts == 3
    health = rig.messenger.health(OURS, at)
    assert (health.sent, dict(health.failures)) == (0, {})
    assert rig.history.deliveries(since=T0, until=at) == ()
