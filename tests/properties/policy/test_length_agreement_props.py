"""The engine's provider limit and the lint's content.too_long measure a body the same
way (an emoji is two UTF-16 units, Twilio 21617): the engine never allows a body the
lint would refuse, nor the other way round, and one problem is one finding."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import astral_text, sendable_text

from smskit import CompliancePipeline, SenderProfile, SendRequest
from smskit.content import LintConfig
from smskit.policy import ContentPolicy, LengthPolicy

AT = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
bodies = st.one_of(sendable_text, st.tuples(sendable_text, astral_text).map("".join))


@given(body=bodies.filter(bool), limit=st.integers(min_value=1, max_value=500),
       gap=st.integers(min_value=-3, max_value=3))
def test_the_provider_limit_and_the_lint_agree(body: str, limit: int, gap: int) -> None:
    lint_limit = max(limit + gap, 1)
    engine = CompliancePipeline(
        (LengthPolicy(), ContentPolicy(LintConfig(max_characters=lint_limit))))
    sender = SenderProfile(max_body_characters=limit)
    decision = engine.decide(SendRequest("+14155550123", body=body), sender, AT)
    units = len(body.encode("utf-16-le")) // 2  # independent of both counters
    assert ("length.over_provider_max" in decision.codes) is (units > limit)
    # At the provider's own limit the lint's finding would say the same again: left out.
    lint_says = units > lint_limit and lint_limit != limit
    assert ("content.too_long" in decision.codes) is lint_says
