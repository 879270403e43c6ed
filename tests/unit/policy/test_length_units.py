"""Every length limit counts UTF-16 code units, as Twilio's 1,600 does (error 21617:
non-GSM characters may count as more than one; an emoji is a surrogate pair)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from smskit import CompliancePipeline, SenderProfile, SendRequest
from smskit.consent.sender import ServiceLevel
from smskit.content import LintConfig, lint
from smskit.policy import ContentPolicy, LengthPolicy

AT = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
EMOJI = "\U0001f600"  # U+1F600, outside the BMP: two UTF-16 units


def _codes(
    body: str, sender: SenderProfile, content: ContentPolicy | None = None
) -> tuple[str, ...]:
    engine = CompliancePipeline((LengthPolicy(), content or ContentPolicy()))
    return engine.decide(SendRequest("+14155550123", body=body), sender, AT).codes


def test_the_service_level_counts_an_emoji_twice() -> None:
    sender = SenderProfile(service_level=ServiceLevel("basic", max_characters=10))
    assert "length.over_service_level" in _codes(EMOJI * 6, sender)  # 6 characters, 12 units
    assert "length.over_service_level" not in _codes(EMOJI * 5, sender)  # 10 units


def test_the_lint_follows_the_senders_provider_limit_in_the_engine() -> None:
    # A provider that takes 5,000: the lint's 1,600 (Twilio's) must not block 2,000.
    roomy = SenderProfile(max_body_characters=5000)
    assert "content.too_long" not in _codes("a" * 2000, roomy)
    assert "length.over_provider_max" not in _codes("a" * 2000, roomy)
    tight = SenderProfile(max_body_characters=320)
    assert "length.over_provider_max" in _codes("a" * 321, tight)


def test_one_body_over_the_providers_limit_is_one_finding() -> None:
    # The lint and LengthPolicy would both say "over the provider's limit" for the same
    # limit; the engine's finding (Twilio 21617, not switched off by a lint config) stays.
    for sender in (SenderProfile(), SenderProfile(max_body_characters=320)):
        body = "a" * (sender.max_body_characters + 1)
        codes = _codes(body, sender)
        assert [c for c in codes if c in ("content.too_long", "length.over_provider_max")] == [
            "length.over_provider_max"]
    # A lint limit of its own that happens to equal the provider's is the same problem.
    same = _codes("a" * 321, SenderProfile(max_body_characters=320),
                  ContentPolicy(LintConfig(max_characters=320)))
    assert "content.too_long" not in same
    assert "length.over_provider_max" in same


def test_an_explicit_lint_limit_still_applies_in_the_engine() -> None:
    codes = _codes("a" * 200, SenderProfile(), ContentPolicy(LintConfig(max_characters=100)))
    assert "content.too_long" in codes


def test_lint_alone_uses_twilios_1600() -> None:
    assert LintConfig().max_characters is None
    assert [f.code for f in lint("a" * 1601, purpose="transactional", first_message=False)
            ] == ["content.too_long"]
    assert lint("a" * 1600, purpose="transactional", first_message=False) == []


@given(st.integers(1, 40), st.integers(0, 30), st.integers(0, 30))
def test_service_level_limit_matches_utf16_units(limit: int, plain: int, emoji: int) -> None:
    body = "a" * plain + EMOJI * emoji
    if not body:
        return
    sender = SenderProfile(service_level=ServiceLevel("plan", max_characters=limit))
    units = len(body.encode("utf-16-le")) // 2  # independent of the code under test
    assert ("length.over_service_level" in _codes(body, sender)) is (units > limit)


def test_both_length_findings_word_the_count_alike() -> None:
    sender = SenderProfile(
        max_body_characters=10, service_level=ServiceLevel("basic", max_characters=8)
    )
    engine = CompliancePipeline((LengthPolicy(),))
    emoji = engine.decide(SendRequest("+14155550123", body="ab" + EMOJI * 5), sender, AT)
    messages = {f.code: f.message for f in emoji.findings}
    assert messages["length.over_provider_max"].startswith(
        "7 characters (12 UTF-16 units: emoji count twice), 2 over the provider's 10")
    assert messages["length.over_service_level"].startswith(
        "7 characters (12 UTF-16 units: emoji count twice), 4 over the basic plan's 8")
    plain = engine.decide(SendRequest("+14155550123", body="a" * 11), sender, AT)
    messages = {f.code: f.message for f in plain.findings}
    assert messages["length.over_provider_max"].startswith("11 characters, 1 over")
    assert messages["length.over_service_level"].startswith("11 characters, 3 over")
