"""fix29v: a keyword set built directly (``KeywordSet(...)``, ``dataclasses.replace``)
skips the check ``KeywordSet.of``/``.without`` make; a profile that may text US numbers
warns of it in ``advice()``, and the Messenger logs it once, number masked."""

from __future__ import annotations

import importlib
import logging

import pytest

from smskit.cli import main
from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent import sender as sender_module
from smskit.consent.sender import Registration, SenderProfile
from smskit.keywords import KeywordSet
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider
from smskit.routes import Route

CODE = "sender.keywords_missing_revocation_words"
US = "+12125550177"
CARE = "Acme: help at 1-800-555-0100. Reply STOP to opt out."


def _no_cancel() -> KeywordSet:
    full = SenderProfile().keywords
    return KeywordSet(tuple(k for k in full.keywords if k.word.casefold() != "cancel"),
                      full.phrases, full.fuzzy)


def _codes(profile: SenderProfile) -> list[str]:
    return [f.code for f in profile.advice()]


@pytest.fixture(autouse=True)
def _forget_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender_module, "_LOGGED", set())


def test_a_us_number_without_cancel_is_warned() -> None:
    profile = SenderProfile(sender_id=US, registration=Registration.APPROVED,
                            keywords=_no_cancel(), warn_help_without_contact=False)
    (finding,) = profile.advice()
    assert finding.code == CODE
    assert finding.details["words"] == ("cancel",)
    assert finding.message.startswith("the keyword set does not act on CANCEL as an opt-out")
    assert "64.1200(a)(10)" in finding.message
    assert finding.source.startswith("https://www.govinfo.gov/")
    assert finding.status == "verified"
    assert "2125550177" not in finding.message


@pytest.mark.parametrize(("sender_id", "route", "registration"), [
    ("", Route.TEN_DLC, Registration.NONE),
    ("12345", Route.SHORT_CODE, Registration.NOT_REQUIRED),
    ("+18005550100", Route.TOLL_FREE, Registration.VERIFIED),
])
def test_other_us_senders_are_warned(sender_id: str, route: Route,
                                     registration: Registration) -> None:
    profile = SenderProfile(sender_id=sender_id, route=route, registration=registration,
                            keywords=_no_cancel())
    assert CODE in _codes(profile)


def test_the_default_set_is_not_warned() -> None:
    assert CODE not in _codes(SenderProfile(sender_id=US, registration=Registration.APPROVED))


@pytest.mark.parametrize("sender_id", ["+447700900123", "AcmeShop", ""])
def test_senders_outside_the_us_are_not_warned(sender_id: str) -> None:
    profile = SenderProfile(sender_id=sender_id, route=Route.INTERNATIONAL,
                            registration=Registration.NOT_REQUIRED, keywords=_no_cancel())
    assert CODE not in _codes(profile)


def test_the_messenger_logs_it_once_without_the_number(
    caplog: pytest.LogCaptureFixture,
) -> None:
    profile = SenderProfile(sender_id=US, registration=Registration.APPROVED,
                            keywords=_no_cancel(), help_reply=CARE)
    with caplog.at_level(logging.WARNING, logger="smskit"):
        for _ in range(2):  # a Messenger per request: still one line
            ledger = ConsentLedger(MemoryStore())
            history = MemoryMessageHistory()
            pipeline = CompliancePipeline(
                default_policies(store=ledger.store, history=history), history=history)
            Messenger(MemoryProvider(), pipeline, ledger, history, MemoryOutbox(),
                      senders=[profile])
    (line,) = [r.getMessage() for r in caplog.records if CODE in r.getMessage()]
    assert "CANCEL" in line
    assert "+1********77" in line
    assert "2125550177" not in line


def test_check_prints_it_on_stderr(monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    # A sender.toml cannot set keywords: the profile is handed to the CLI as if loaded.
    profile = SenderProfile(sender_id=US, registration=Registration.APPROVED,
                            keywords=_no_cancel(), help_reply=CARE)
    engine = importlib.import_module("smskit.cli._engine")
    monkeypatch.setattr(engine, "load_sender", lambda path: profile)
    code = main(["check", "+1 212 555 0123", "--at", "2026-03-03T12:00:00-05:00",
                 "--sender", "sender.toml", "--body", "Acme: hi. Reply STOP to opt out",
                 "--purpose", "informational"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert f"smskit: warning: sender.toml: {CODE}: " in err
    assert CODE not in out
    assert "2125550177" not in err
