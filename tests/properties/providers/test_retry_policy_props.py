"""RetryPolicy: every wait is bounded, and without jitter the backoff doubles until capped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import ConfigurationError
from smskit.providers import RetryPolicy

policies = st.builds(
    RetryPolicy,
    attempts=st.integers(1, 10),
    base_delay=st.floats(0, 10),
    max_delay=st.floats(0, 120),
    jitter=st.floats(0, 0.99),
)


@given(policies, st.integers(1, 60), st.floats(0, 1, exclude_max=True))
def test_waits_are_bounded(policy: RetryPolicy, retry: int, uniform: float) -> None:
    wait = policy.delay(retry, uniform)
    backoff = min(policy.base_delay * 2.0 ** (retry - 1), policy.max_delay)
    assert 0 <= wait <= policy.max_delay
    assert wait >= backoff * (1 - policy.jitter) - 1e-9


@given(policies, st.integers(1, 30))
def test_centred_jitter_doubles_until_the_cap(policy: RetryPolicy, retry: int) -> None:
    first, second = policy.delay(retry, 0.5), policy.delay(retry + 1, 0.5)
    assert second == min(2 * first, policy.max_delay) or first == policy.max_delay


@given(policies, st.floats(-10, 1e6, allow_nan=False), st.integers(1, 5))
def test_retry_after_replaces_backoff_within_bounds(
    policy: RetryPolicy, retry_after: float, retry: int
) -> None:
    wait = policy.delay(retry, 0.5, retry_after=retry_after)
    assert wait == min(max(retry_after, 0.0), policy.max_delay)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_delay": float("inf")},  # a Retry-After of days would then be slept in full
        {"max_delay": float("nan")},
        {"base_delay": float("nan")},  # time.sleep(nan) raises ValueError
        {"base_delay": float("inf")},
    ],
)
def test_delays_must_be_finite(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**kwargs)


def test_a_late_retry_is_capped_not_an_overflow() -> None:
    # 2.0 ** 1024 overflows a float: a policy with thousands of attempts crashed.
    assert RetryPolicy(attempts=5000, jitter=0).delay(1500, 0.5) == 30.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        # An int skew was accepted, then raised TypeError inside lookup: during
        # the recovery from an ambiguous failure, the one moment it is needed.
        ({"lookup_skew": 120}, "lookup_skew"),
        # A negative skew starts the window after the send began: the message a
        # timed-out request created is "not found" and sent a second time.
        ({"lookup_skew": timedelta(minutes=-5)}, "lookup_skew"),
        ({"attempts": 2.5}, "attempts"),
        ({"attempts": "3"}, "attempts"),  # was a bare TypeError
        ({"attempts": True}, "attempts"),
        ({"lookup_limit": 0}, "lookup_limit"),  # the SDK reads 0 as "no limit"
        ({"lookup_limit": -1}, "lookup_limit"),
        ({"lookup_limit": 2.5}, "lookup_limit"),
        ({"base_delay": "1"}, "base_delay"),  # was a bare TypeError
        ({"jitter": "0.1"}, "jitter"),
    ],
)
def test_wrong_types_and_signs_are_refused_when_built(
    kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
