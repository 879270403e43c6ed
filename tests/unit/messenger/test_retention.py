"""Messenger.prune_outbox and Messenger.prune_history: what they remove, what they refuse.

The refusal's limit comes from the policies' windows as the law and the business set
them: the shipped state caps count 24 hours (Florida FTSA, Fla. Stat. 501.059(8)(a):
3 per 24 hours), a CapLimit its own window, the opt-out confirmation 5 minutes
(47 CFR 64.1200(a)(12)).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.sender import Requirement
from smskit.errors import ConfigurationError
from smskit.messenger import (
    MemoryMessageHistory,
    MemoryOutbox,
    Messenger,
    OutboxEntry,
    OutboxState,
    SendOutcome,
)
from smskit.policy import CompliancePipeline, SendRequest, default_policies
from smskit.providers import MemoryProvider
from smskit.timing import FrequencyCap
from smskit.timing.caps import CapLimit

from .conftest import ALICE, T0, Rig, build_rig, consent

FLORIDA = "+13055550123"


def _request(key: str, to: str = ALICE, subject: str | None = None) -> SendRequest:
    return SendRequest(recipient=to, body="Acme: 20% off today. Reply STOP to opt out",
                       purpose="marketing", idempotency_key=key,  # type: ignore[arg-type]
                       subject=subject)


def _everything(rig: Rig, to: str = ALICE) -> tuple[datetime, ...]:
    return rig.history.sent_at(since=T0 - timedelta(days=400), until=T0 + timedelta(days=400),
                               recipient=to)


def test_prune_history_refuses_a_cut_off_inside_the_caps_window(rig: Rig) -> None:
    consent(rig)
    assert rig.messenger.send(_request("k1"), rig.sender, T0).outcome is SendOutcome.SENT
    now = T0 + timedelta(hours=30)
    with pytest.raises(ConfigurationError) as info:
        rig.messenger.prune_history(now - timedelta(hours=23), at=now)
    assert info.value.field == "before"
    message = str(info.value)
    assert "24 hours" in message
    assert (now - timedelta(hours=24)).isoformat() in message  # the latest cut-off allowed
    assert _everything(rig) == (T0,)  # nothing removed
    assert rig.messenger.prune_history(now - timedelta(hours=24), at=now) == 1
    assert _everything(rig) == ()
    # The messages and delivery reports usage and health read are not send records.
    assert len(rig.history.messages(since=T0 - timedelta(1), until=now)) == 1


def test_a_business_limit_longer_than_the_law_widens_what_must_stay() -> None:
    history = MemoryMessageHistory()
    ledger = ConsentLedger(MemoryStore())
    cap = FrequencyCap(history, limits=[CapLimit("weekly", limit=5, window=timedelta(days=7))])
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history, cap=cap), history=history)
    messenger = Messenger(MemoryProvider(), pipeline, ledger, history, MemoryOutbox())
    with pytest.raises(ConfigurationError, match=r"'weekly'.*7 days"):
        messenger.prune_history(T0 - timedelta(days=6), at=T0)
    assert messenger.prune_history(T0 - timedelta(days=7), at=T0) == 0


def test_caps_decide_the_same_after_a_safe_prune() -> None:
    rig = build_rig()
    consent(rig, FLORIDA)
    ask_at = T0 + timedelta(days=5, hours=5)  # Wednesday 15:00 in Miami
    # Sends in Miami's daytime: two more than 24 hours before, three within.
    for n, hours in enumerate((48, 30, 3, 2, 1)):
        result = rig.messenger.send(_request(f"k{n}", FLORIDA, "sale"), rig.sender,
                                    ask_at - timedelta(hours=hours))
        assert result.outcome is SendOutcome.SENT, result.reason
    ask = _request("ask", FLORIDA, "sale")
    before = rig.messenger.pipeline.decide(ask, rig.sender, ask_at)
    # Florida: 3 per 24 hours on one subject, 3 already sent: the next waits.
    assert before.verdict.value == "defer"
    assert before.not_before == ask_at - timedelta(hours=3) + timedelta(hours=24)
    assert rig.messenger.prune_history(ask_at - timedelta(hours=24), at=ask_at) == 2
    after = rig.messenger.pipeline.decide(ask, rig.sender, ask_at)
    assert (after.verdict, after.not_before, after.findings) == (
        before.verdict, before.not_before, before.findings)


def test_prune_history_is_bounded_by_limit(rig: Rig) -> None:
    consent(rig)
    for n in range(5):
        rig.messenger.send(_request(f"k{n}"), rig.sender, T0 + timedelta(minutes=n))
    now = T0 + timedelta(days=2)
    assert [rig.messenger.prune_history(now - timedelta(days=1), at=now, limit=2)
            for _ in range(4)] == [2, 2, 1, 0]


def test_prune_history_refuses_a_pipeline_that_does_not_list_its_policies() -> None:
    class Decider:
        def __init__(self, pipeline: CompliancePipeline) -> None:
            self._pipeline = pipeline

        def decide(self, *args: Any) -> Any:
            return self._pipeline.decide(*args)

    rig = build_rig()
    history = rig.history
    messenger = Messenger(rig.provider, Decider(rig.messenger.pipeline), rig.ledger,  # type: ignore[arg-type]
                          history, MemoryOutbox(), senders=[rig.sender])
    with pytest.raises(ConfigurationError, match="no policies") as info:
        messenger.prune_history(T0 - timedelta(days=30), at=T0)
    assert info.value.field == "pipeline"


class _OldOutbox(MemoryOutbox):
    """An outbox of one's own written before prune existed."""

    def __getattribute__(self, name: str) -> Any:
        if name == "prune":
            raise AttributeError(name)
        return super().__getattribute__(name)


class _OldHistory(MemoryMessageHistory):
    """A history of one's own written before prune existed."""

    def __getattribute__(self, name: str) -> Any:
        if name == "prune":
            raise AttributeError(name)
        return super().__getattribute__(name)


def test_stores_without_prune_still_send_and_only_the_prune_call_is_refused() -> None:
    outbox, history = _OldOutbox(), _OldHistory()
    ledger = ConsentLedger(MemoryStore())
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    rig = build_rig()
    messenger = Messenger(rig.provider, pipeline, ledger, history, outbox,  # type: ignore[arg-type]
                          senders=[rig.sender])
    rig.ledger = ledger
    consent(rig)
    assert messenger.send(_request("k1"), rig.sender, T0).outcome is SendOutcome.SENT
    with pytest.raises(ConfigurationError, match="_OldOutbox has no prune") as info:
        messenger.prune_outbox(T0 + timedelta(days=1))
    assert info.value.field == "outbox"
    with pytest.raises(ConfigurationError, match="_OldHistory has no prune") as info:
        messenger.prune_history(T0 - timedelta(days=1), at=T0 + timedelta(days=1))
    assert info.value.field == "history"
    entry = outbox.get("k1")
    assert entry is not None
    assert entry.state is OutboxState.SENT


def test_prune_outbox_keeps_queued_entries_and_the_queue_still_sends(rig: Rig) -> None:
    consent(rig)
    assert rig.messenger.send(_request("sent"), rig.sender, T0).outcome is SendOutcome.SENT
    night = T0 + timedelta(hours=13)  # 23:00 in New York: queued for the morning
    queued = rig.messenger.send(_request("queued"), rig.sender, night, queue=True)
    assert queued.outcome is SendOutcome.DEFERRED
    assert queued.not_before is not None
    far = T0 + timedelta(days=365)
    assert rig.messenger.prune_outbox(far) == 1
    assert rig.outbox.get("sent") is None
    entry = rig.outbox.get("queued")
    assert entry is not None
    assert entry.state is OutboxState.DEFERRED
    assert [r.outcome for r in rig.messenger.send_due(queued.not_before)] == [SendOutcome.SENT]
    assert rig.messenger.prune_outbox(far) == 1


def test_prune_calls_refuse_naive_instants(rig: Rig) -> None:
    with pytest.raises(ConfigurationError) as info:
        rig.messenger.prune_outbox(datetime(2026, 1, 1))
    assert info.value.field == "before"
    with pytest.raises(ConfigurationError) as info:
        rig.messenger.prune_history(T0 - timedelta(days=2), at=datetime(2026, 11, 20))
    assert info.value.field == "at"
    with pytest.raises(ConfigurationError) as info:
        rig.messenger.prune_outbox(T0, limit=0)
    assert info.value.field == "limit"


def test_a_policy_of_ones_own_declares_how_far_back_it_reads(rig: Rig) -> None:
    class LastMonth:
        history_window = timedelta(days=30)

        def __call__(self, *args: Any) -> tuple[()]:
            return ()

    pipeline = rig.messenger.pipeline
    own = CompliancePipeline((*pipeline.policies, LastMonth()),  # type: ignore[attr-defined]
                             history=rig.history)
    messenger = Messenger(rig.provider, own, rig.ledger, rig.history, MemoryOutbox(),
                          senders=[rig.sender])
    with pytest.raises(ConfigurationError, match=r"policy LastMonth.*30 days"):
        messenger.prune_history(T0 - timedelta(days=29), at=T0)
    assert messenger.prune_history(T0 - timedelta(days=30), at=T0) == 0


# --- review rev25r: a queued entry settled by another worker and pruned meanwhile ---


class _SettledAndPruned(MemoryOutbox):
    """Right after this worker reads a queued entry (in ``due`` or ``get``), another
    worker sends it and a prune removes it: the race the docs say is lost "as if the
    other had only taken it"."""

    def __init__(self, on: str) -> None:
        super().__init__()
        self.on, self.armed = on, False

    def _settle_and_prune(self, entry: OutboxEntry) -> None:
        self.armed = False
        taken = MemoryOutbox.update(self, entry.key, OutboxState.RESERVED, at=entry.updated_at,
                                    expected=entry)
        MemoryOutbox.update(self, entry.key, OutboxState.SENT, at=taken.updated_at,
                            provider_id="SMother", attempted=True)
        assert MemoryOutbox.prune(self, taken.updated_at + timedelta(seconds=1)) == 1

    def due(self, at: datetime, **options: Any) -> tuple[OutboxEntry, ...]:
        page = super().due(at, **options)
        if self.armed and self.on == "due" and page:
            self._settle_and_prune(page[0])
        return page

    def get(self, key: str) -> OutboxEntry | None:
        entry = super().get(key)
        if self.armed and self.on == "get" and entry is not None \
                and entry.state is OutboxState.DEFERRED:
            self._settle_and_prune(entry)
        return entry


NIGHT = T0 + timedelta(hours=13)  # 23:00 in New York: queued for the morning


@pytest.mark.parametrize("on", ["due", "get"])
def test_send_due_does_not_send_again_what_another_worker_sent_and_a_prune_removed(
    on: str,
) -> None:
    """Review rev25r: send_due read the entry, another worker sent it, a prune removed it;
    send() then found no entry (or reserve() made a new one) and sent it a second time."""
    outbox = _SettledAndPruned(on)
    rig = build_rig(outbox)
    consent(rig)
    queued = rig.messenger.send(_request("k"), rig.sender, NIGHT, queue=True)
    assert queued.outcome is SendOutcome.DEFERRED
    assert queued.not_before is not None
    outbox.armed = True
    results = rig.messenger.send_due(queued.not_before)
    assert not outbox.armed  # the race happened
    assert [r.outcome for r in results] == [SendOutcome.PENDING]
    assert rig.provider.messages == ()
    assert outbox.get("k") is None


def test_a_request_deferred_again_is_not_queued_again_after_another_worker_sent_it() -> None:
    """Review rev25r: a retry of a queued key, deferred again (still night), found its
    entry sent by another worker and pruned: reserve() queued it anew, and send_due sent
    it a second time in the morning."""
    outbox = _SettledAndPruned("get")
    rig = build_rig(outbox)
    consent(rig)
    first = rig.messenger.send(_request("k"), rig.sender, NIGHT, queue=True)
    assert first.outcome is SendOutcome.DEFERRED
    assert first.not_before is not None
    outbox.armed = True
    again = rig.messenger.send(_request("k"), rig.sender, NIGHT + timedelta(minutes=5),
                               queue=True)
    assert not outbox.armed
    assert again.outcome is SendOutcome.PENDING
    assert outbox.get("k") is None
    assert rig.messenger.send_due(first.not_before + timedelta(hours=1)) == ()
    assert rig.provider.messages == ()


def test_a_policy_reading_the_whole_history_refuses_every_prune(rig: Rig) -> None:
    """Review rev25r: history_window = timedelta.max ("all of it") made prune_history
    raise a bare OverflowError (at minus the window is before year 1)."""
    class Forever:
        history_window = timedelta.max

        def __call__(self, *args: Any) -> tuple[()]:
            return ()

    own = CompliancePipeline((*rig.messenger.pipeline.policies, Forever()),  # type: ignore[attr-defined]
                             history=rig.history)
    messenger = Messenger(rig.provider, own, rig.ledger, rig.history, MemoryOutbox(),
                          senders=[rig.sender])
    with pytest.raises(ConfigurationError, match=r"policy Forever.*no send may be pruned") as info:
        messenger.prune_history(T0 - timedelta(days=3650), at=T0)
    assert info.value.field == "before"


def test_an_every_nth_footer_counts_only_the_sends_still_stored(rig: Rig) -> None:
    """What docs/messenger.md (Retention) warns of, found by review rev25r: a prune
    prune_history allows shifts an every-Nth count, so one reminder comes late."""
    consent(rig)
    sender = replace(rig.sender, footer="Reply STOP to opt out",
                     footer_when=Requirement(first_message=True, every_nth=3))

    def update(key: str) -> SendRequest:
        return SendRequest(recipient=ALICE, body="Acme: your order shipped",
                           purpose="informational", idempotency_key=key)  # type: ignore[arg-type]

    footers = []
    for day in range(6):
        result = rig.messenger.send(update(f"k{day}"), sender, T0 + timedelta(days=day))
        assert result.decision is not None
        footers.append("STOP" in result.decision.body)
    assert footers == [True, False, False, True, False, False]  # the 1st and the 4th
    ask = T0 + timedelta(days=40)
    assert "STOP" in rig.messenger.pipeline.decide(update("7th"), sender, ask).body
    assert rig.messenger.prune_history(T0 + timedelta(days=1, hours=12), at=ask) == 2
    assert "STOP" not in rig.messenger.pipeline.decide(update("7th"), sender, ask).body
