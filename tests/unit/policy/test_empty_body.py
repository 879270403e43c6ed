"""An empty body and the sender's footer: no stray newline, no footer-only SMS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import tests.media_helpers as mh
from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.content import mentions_opt_out
from smskit.policy import prepare_body

LEAD = "+12125550123"  # New York
AT = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 in New York, a Tuesday
FOOTER = "Reply STOP to opt out"


def _sender(**changes: object) -> SenderProfile:
    base: dict[str, object] = {"sender_id": "+14155550100", "registration": Registration.APPROVED,
                               "brand": "Acme", "consent_scope": "acme", "footer": FOOTER}
    base.update(changes)
    return SenderProfile(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("blank", ["", " ", "\n\t "])
def test_a_blank_body_gets_the_footer_alone(blank: str) -> None:
    prepared = prepare_body(blank, _sender(), purpose=Purpose.MARKETING, first=True,
                            sent_before=0)
    assert prepared == FOOTER


def test_a_blank_body_with_a_prefix_gets_prefix_then_footer() -> None:
    prepared = prepare_body("", _sender(prefix="Acme: "), purpose=Purpose.MARKETING,
                            first=True, sent_before=0)
    assert prepared == "Acme:\n" + FOOTER


def _engine() -> CompliancePipeline:
    store = MemoryStore()
    ConsentLedger(store).grant(
        LEAD, scope="acme", purposes=["marketing"], kind="express_written", source="web_form",
        at=datetime(2026, 3, 1, tzinfo=UTC),
        evidence=Evidence(consent_text="I agree to marketing texts from Acme",
                          form_url="https://acme.example/signup"))
    return CompliancePipeline(default_policies(store=store))


def test_an_empty_sms_is_blocked_not_sent_as_a_footer() -> None:
    decision = _engine().decide(SendRequest(LEAD, body="", purpose=Purpose.MARKETING),
                                _sender(), AT)
    assert decision.verdict is Verdict.BLOCK
    assert "content.empty" in decision.codes


@given(st.text(alphabet=" \t\n", max_size=5), st.text(max_size=40),
       st.sampled_from(["", "Acme: "]))
def test_preparing_adds_no_leading_newline_and_keeps_an_opt_out(
    pad: str, text: str, prefix: str
) -> None:
    original = pad + text
    prepared = prepare_body(original, _sender(prefix=prefix), purpose=Purpose.MARKETING,
                            first=True, sent_before=0)
    if prepared.startswith("\n"):
        assert original.startswith("\n")  # the caller's, not ours
    assert mentions_opt_out(prepared)
    if not original.strip():
        assert prepared == (prefix.strip() + "\n" if prefix else "") + FOOTER


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_mms_with_media_is_still_allowed_with_prefix_and_footer(blank: str) -> None:
    # The guard against a footer-only SMS must not block a picture sent without text.
    store = MemoryStore()
    ConsentLedger(store).grant(
        LEAD, scope="acme", purposes=["marketing"], kind="express_written", source="web_form",
        at=datetime(2026, 3, 1, tzinfo=UTC), channels=("sms", "mms"),
        evidence=Evidence(consent_text="I agree to marketing texts from Acme",
                          form_url="https://acme.example/signup"))
    engine = CompliancePipeline(default_policies(store=store))
    decision = engine.decide(
        SendRequest(LEAD, body=blank, media=(mh.png(3, 2),), purpose=Purpose.MARKETING),
        _sender(prefix="Acme: "), AT)
    assert decision.verdict is Verdict.ALLOW
    assert decision.body == "Acme:\n" + FOOTER
