"""ContentPolicy in a pipeline of the user's own choosing, without LengthPolicy, still
refuses a body over the provider's limit; with LengthPolicy the problem is one finding.

Which one is dropped is the engine's call, made on the findings both policies return,
not ContentPolicy's guess that LengthPolicy runs beside it."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit import CompliancePipeline, SenderProfile, SendRequest
from smskit.content import LintConfig
from smskit.policy import ContentPolicy, LengthPolicy, Verdict, default_policies

AT = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
TO = "+14155550123"
LENGTH_CODES = ("content.too_long", "length.over_provider_max")


def _length_codes(engine: CompliancePipeline, body: str, sender: SenderProfile) -> list[str]:
    decision = engine.decide(SendRequest(TO, body=body), sender, AT)
    return [c for c in decision.codes if c in LENGTH_CODES]


def test_content_policy_alone_blocks_a_body_over_the_providers_limit() -> None:
    engine = CompliancePipeline((ContentPolicy(),))
    for sender in (SenderProfile(), SenderProfile(max_body_characters=320)):
        body = "a" * (sender.max_body_characters + 1)
        decision = engine.decide(SendRequest(TO, body=body), sender, AT)
        assert decision.verdict is Verdict.BLOCK
        assert "content.too_long" in decision.codes


def test_with_length_policy_one_problem_is_one_finding_in_any_order() -> None:
    for policies in ((ContentPolicy(), LengthPolicy()), (LengthPolicy(), ContentPolicy()),
                     (LengthPolicy(), ContentPolicy(LintConfig(max_characters=320)))):
        engine = CompliancePipeline(policies)
        sender = SenderProfile(max_body_characters=320)
        assert _length_codes(engine, "a" * 321, sender) == ["length.over_provider_max"]


def test_a_lint_limit_of_its_own_is_reported_beside_the_providers() -> None:
    engine = CompliancePipeline((ContentPolicy(LintConfig(max_characters=300)), LengthPolicy()))
    sender = SenderProfile(max_body_characters=320)
    assert _length_codes(engine, "a" * 310, sender) == ["content.too_long"]
    assert sorted(_length_codes(engine, "a" * 321, sender)) == list(LENGTH_CODES)


def test_default_policies_and_a_campaign_agree() -> None:
    engine = CompliancePipeline(default_policies())
    sender = SenderProfile()
    body = "a" * 1601
    one = _length_codes(engine, body, sender)
    many = engine.decide_many([SendRequest(TO, body=body)], sender, AT).decisions[0]
    assert one == ["length.over_provider_max"]
    assert [c for c in many.codes if c in LENGTH_CODES] == one
