"""Caps counted in a send history of their own (PostgresSendHistory, shared by every
host) see the messenger's sends: the messenger used to record them only in its message
history, so such a cap never counted anything and Oregon's third solicitation was not the
last."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemorySendHistory,
    MemoryStore,
    Messenger,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteMessageHistory,
    SQLiteSendHistory,
    default_policies,
)
from smskit.testing import FixedClock

# 10:00 in Portland (Pacific), a Wednesday: inside Oregon's 08:00-20:00.
AT = datetime(2026, 12, 9, 18, 0, tzinfo=UTC)
PORTLAND = "+15035550123"
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


def _host(store: MemoryStore, shared: MemorySendHistory) -> Messenger:
    """One host: its own message history and provider, the shared ledger and cap history."""
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=store, history=shared), history=shared)
    return Messenger(MemoryProvider(clock=FixedClock(AT)), pipeline, ConsentLedger(store),
                     history, MemoryOutbox(), senders=[ACME])


def test_a_cap_on_a_shared_history_counts_sends_from_every_host() -> None:
    store, shared = MemoryStore(), MemorySendHistory()
    ConsentLedger(store).grant(
        PORTLAND, scope="acme", purposes="marketing", kind="express_written",
        source="web_form", at=AT - timedelta(days=1),
        evidence=Evidence(consent_text="Acme offers by text", form_url="https://acme.example"))
    hosts = [_host(store, shared), _host(store, shared)]
    outcomes = []
    for i in range(4):
        request = SendRequest(PORTLAND, body=f"Acme: offer {i}. Reply STOP to opt out",
                              purpose="marketing", idempotency_key=f"offer-{i}")
        outcomes.append(hosts[i % 2].send(request, ACME, AT + timedelta(minutes=i)))
    # Oregon HB 3865: at most 3 solicitations per 24 h (docs/engine.md, rule data).
    assert [r.outcome.value for r in outcomes] == ["sent", "sent", "sent", "deferred"]
    assert "cap" in outcomes[3].decision.codes[0]
    assert len(shared.sent_at(since=AT - timedelta(hours=1), until=AT + timedelta(hours=1),
                              recipient=PORTLAND)) == 3


def test_a_send_history_on_the_messengers_own_file_is_not_written_twice(tmp_path: Path) -> None:
    # The cap reads the file the messenger writes, through another object: one record a
    # send, or the cap would count each send twice.
    store = MemoryStore()
    ConsentLedger(store).grant(
        PORTLAND, scope="acme", purposes="marketing", kind="express_written",
        source="web_form", at=AT - timedelta(days=1),
        evidence=Evidence(consent_text="Acme offers by text", form_url="https://acme.example"))
    path = tmp_path / "history.db"
    with SQLiteMessageHistory(path) as history, SQLiteSendHistory(str(path)) as sends:
        pipeline = CompliancePipeline(default_policies(store=store, history=sends), history=sends)
        messenger = Messenger(MemoryProvider(clock=FixedClock(AT)), pipeline, ConsentLedger(store),
                              history, MemoryOutbox(), senders=[ACME])
        requests = [SendRequest(PORTLAND, body=f"Acme: offer {i}. Reply STOP to opt out",
                                purpose="marketing", idempotency_key=f"o-{i}") for i in range(4)]
        outcomes = [messenger.send(r, ACME, AT + timedelta(minutes=i)).outcome.value
                    for i, r in enumerate(requests)]
        assert outcomes == ["sent", "sent", "sent", "deferred"]
        assert len(sends.sent_at(since=AT - timedelta(hours=1), until=AT + timedelta(hours=1),
                                 recipient=PORTLAND)) == 3
