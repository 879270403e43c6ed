"""RetryPolicy: every wait is bounded, and without jitter the backoff doubles until capped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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
