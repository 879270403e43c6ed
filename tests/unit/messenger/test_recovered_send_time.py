"""A message found by lookup after an ambiguous hand-over is recorded when it went out.

It was recorded at the entry's ``created_at``: for a message queued on Friday evening
and handed over on Monday morning, Friday evening. The send history then showed a
marketing text sent in the sender's closed hours, and a 24-hour cap did not count it on
Monday: the next marketing text to the same person went out the same morning.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from smskit import (
    CapLimit,
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    FrequencyCap,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    QuietHours,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.testing import FixedClock
from smskit.timing.quiet_rules import WEEKDAYS, SendWindow

FRIDAY_EVENING = datetime(2026, 11, 20, 19, 0, tzinfo=UTC) + timedelta(hours=5)  # 19:00 NY
MONDAY_OPEN = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
ALICE = "+12125550123"
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")


def test_a_send_found_by_lookup_counts_when_it_went_out() -> None:
    clock = FixedClock(MONDAY_OPEN)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    one_a_day = CapLimit("one marketing text a day", 1, timedelta(hours=24),
                         purposes=frozenset({"marketing"}))
    hours = QuietHours(sender_windows=[SendWindow(time(9), time(18), days=WEEKDAYS)])
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history, quiet_hours=hours,
                         cap=FrequencyCap(history, limits=[one_a_day])),
        history=history,
    )
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(), senders=[ACME])
    ledger.grant(ALICE, scope="acme", purposes=["marketing"], kind="express_written",
                 source="web_form", at=FRIDAY_EVENING - timedelta(days=1),
                 evidence=Evidence(consent_text="Texts from Acme",
                                   form_url="https://acme.example/join"))
    review = SendRequest(recipient=ALICE, body="Acme: how did we do? Reply STOP to opt out",
                         idempotency_key="job-7-review")
    queued = messenger.send(review, ACME, FRIDAY_EVENING, queue=True)
    assert queued.not_before == MONDAY_OPEN
    provider.time_out_next(processed=True)  # Monday: taken, but the answer is lost
    [lost] = messenger.send_due(MONDAY_OPEN)
    assert lost.outcome.value == "pending"
    [found] = messenger.reconcile(MONDAY_OPEN + timedelta(minutes=5))
    assert found.reason == "found by lookup"
    [record] = history.messages(since=FRIDAY_EVENING - timedelta(days=1),
                                until=MONDAY_OPEN + timedelta(days=1))
    assert record.at == MONDAY_OPEN
    offer = SendRequest(recipient=ALICE, body="Acme: 10% off a boiler check. Reply STOP to opt out",
                        idempotency_key="promo-boiler")
    second = messenger.send(offer, ACME, MONDAY_OPEN + timedelta(hours=1))
    assert second.outcome.value == "deferred"
    assert len(provider.messages) == 1
