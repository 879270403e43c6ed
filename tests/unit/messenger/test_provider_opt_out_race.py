"""A provider-matched opt-out delivered twice at once, with a START in between.

Twilio's Advanced Opt-Out marks a custom keyword ("QUITACME") with OptOutType=STOP:
the messenger, not the ledger's reply reading, records the revocation. Worker A is
stopped just before it writes it; meanwhile worker B handles the same webhook again
(Twilio's retry) and then the person's START. Expected, from docs/consent.md
("Redelivered webhooks"): one revocation for the message, and the person's last word,
START, holds. Each store is driven through the interleaving of tests/_interleave.py:
memory (two threads), SQLite (two connections to one file), PostgreSQL on the real
server (two connections).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from _interleave import Hooked, meanwhile, racing_stores
from smskit.consent import ConsentEvent, ConsentLedger, ConsentStore, Evidence
from smskit.messenger import MemoryMessageHistory, MemoryOutbox, Messenger
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

from .conftest import ALICE, OURS, T0, build_rig

M = timedelta(minutes=1)

Workers = tuple["_StallsBeforeWriting", "_StallsBeforeWriting", Callable[[], bool]]


class _StallsBeforeWriting(Hooked):
    """Stops before the write whichever way it is made: after the decision inside
    ``append_decided``, or before a plain ``append`` (a check made by an earlier,
    separate read: the mistake this test is about)."""

    def append(self, event: ConsentEvent) -> ConsentEvent:
        hook, self.on_decided = self.on_decided, None
        if hook is not None:
            hook()
        return self.store.append(event)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workers]:
    """Worker A's store, worker B's store, and whether B has waited for A."""
    with racing_stores(request.param, request, tmp_path, _StallsBeforeWriting) as found:
        yield found


def _messenger(store: ConsentStore, provider: MemoryProvider) -> Messenger:
    """One web worker: its own ledger connection, history and outbox."""
    ledger = ConsentLedger(store, clock=FixedClock(T0))
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=store, history=history))
    return Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                     senders=[build_rig().sender])


def _kinds(events: Sequence[ConsentEvent]) -> list[str]:
    return [e.kind.value for e in events]


def test_a_provider_stop_delivered_twice_at_once_is_recorded_once_and_a_start_holds(
    workers: Workers,
) -> None:
    a, b, waiting = workers
    provider = MemoryProvider(clock=FixedClock(T0))
    worker_a = _messenger(a, provider)  # type: ignore[arg-type]
    worker_b = _messenger(b, provider)  # type: ignore[arg-type]
    worker_a.ledger.grant(
        ALICE, scope="acme", purposes=["informational"], kind="express_written",
        source="web_form", at=T0 - 60 * M,
        evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example"),
    )
    quit_ = provider.inbound_params(ALICE, OURS, "QUITACME", message_id="SMquit")
    quit_["OptOutType"] = "STOP"
    start = provider.inbound_params(ALICE, OURS, "START", message_id="SMstart")

    def retry_then_start() -> None:
        again = worker_b.handle_inbound("u", quit_, {}, T0 + 15 * timedelta(seconds=1))
        assert again.opted_out  # as the first delivery answers
        worker_b.handle_inbound("u", start, {}, T0 + M)

    join = meanwhile(a, retry_then_start, waiting)
    first = worker_a.handle_inbound("u", quit_, {}, T0)
    join()
    assert first.opted_out
    assert _kinds(worker_a.ledger.history(ALICE)) == ["granted", "revoked", "regranted"]
    assert waiting()  # B came while A was between its check and its write
    status = worker_a.ledger.status(ALICE, "informational", scope="acme", at=T0 + 2 * M)
    assert status.allows_send
