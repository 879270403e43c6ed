"""Review of fix29h: a program that builds its profiles in code never runs
``smskit check``; the Messenger and the ConsentLedger, which answer HELP with the
profiles they are given, log ``sender.help_no_contact`` once per profile (masked
number, no text)."""

from __future__ import annotations

import logging

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent import sender as sender_module
from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider

OURS = "+12125550177"
CONTACT = "Acme: help at 1-800-555-0100. Reply STOP to opt out."


@pytest.fixture(autouse=True)
def _forget_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender_module, "_LOGGED", set())


def _messenger(profile: SenderProfile, **options: object) -> Messenger:
    ledger = ConsentLedger(MemoryStore())
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    return Messenger(MemoryProvider(), pipeline, ledger, history, MemoryOutbox(),
                     senders=[profile], **options)  # type: ignore[arg-type]


def _warned(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and "sender.help_no_contact" in r.getMessage()]


def test_messenger_logs_a_default_help_answer_once(caplog: pytest.LogCaptureFixture) -> None:
    profile = SenderProfile(sender_id=OURS, registration=Registration.APPROVED, brand="Acme",
                            help_reply="Acme: reply STOP to opt out.")
    with caplog.at_level(logging.WARNING, logger="smskit"):
        _messenger(profile)
        _messenger(profile)  # a Messenger per request: still one line
    (line,) = _warned(caplog)
    assert "+1********77" in line
    assert "2125550177" not in line
    assert "reply STOP" not in line  # the text is not shown


def test_no_log_with_a_contact_or_switched_off(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="smskit"):
        _messenger(SenderProfile(sender_id=OURS, registration=Registration.APPROVED,
                                 help_reply=CONTACT))
        _messenger(SenderProfile(sender_id=OURS, registration=Registration.APPROVED,
                                 warn_help_without_contact=False))
    assert _warned(caplog) == []


def test_the_provider_answering_does_not_silence_it(
        caplog: pytest.LogCaptureFixture) -> None:
    # smskit still answers on a short code (and AIDE/AYUDA the provider does not match).
    with caplog.at_level(logging.WARNING, logger="smskit"):
        _messenger(SenderProfile(sender_id="12345", route="short_code",
                                 registration="not_required"), keyword_replies="provider")
    (line,) = _warned(caplog)
    assert "12345" in line


def test_ledger_logs_the_profiles_it_answers_with(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="smskit"):
        ConsentLedger(MemoryStore())  # no profile given: nothing to say
        assert _warned(caplog) == []
        ConsentLedger(MemoryStore(), senders={"acme": SenderProfile(sender_id=OURS)})
    assert len(_warned(caplog)) == 1
