"""A grant over SMS alone does not cover MMS; the refusal says which grant would."""

from __future__ import annotations

from datetime import UTC, datetime

from smskit.consent import ConsentLedger, Evidence, MemoryStore

SIGNUP = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _ledger() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant("+13125550123", scope="lv", purposes="marketing", kind="express_written",
                 source="web_form", at=SIGNUP,  # channels: SMS, the default
                 evidence=Evidence(consent_text="Yes, text me listings",
                                   form_url="https://lv.example/join"))
    return ledger


def test_an_mms_to_an_sms_only_grant_says_how_to_record_mms() -> None:
    status = _ledger().status("+13125550123", "marketing", scope="lv", at=LATER,
                              channel="mms")
    assert status.findings[0].code == "consent.missing"
    message = status.findings[0].message
    assert message.startswith("no consent recorded for marketing over mms in scope lv")
    assert "channels including 'mms'" in message
    assert "5550123" not in message


def test_an_sms_refusal_keeps_its_short_message() -> None:
    status = ConsentLedger(MemoryStore()).status("+13125550123", "marketing", scope="lv",
                                                 at=LATER)
    assert status.findings[0].message == "no consent recorded for marketing over sms in scope lv"
