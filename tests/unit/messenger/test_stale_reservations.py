"""Two callers resolving one stale reservation send its message once.

A ``RESERVED`` entry left by a crash is stale once older than ``in_flight``;
whoever finds it looks the message up and, not found, queues it and sends it.
Moving it out of ``RESERVED`` is a compare-and-set against the entry as read,
so a second caller holding the same stale read cannot queue it again while the
first is sending it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smskit.messenger import (
    MemoryOutbox,
    Messenger,
    Outbox,
    OutboxEntry,
    OutboxState,
    SendOutcome,
    SendResult,
    SQLiteOutbox,
)
from smskit.pricing import Direction
from smskit.providers import MemoryProvider, OutboundMessage, SendReceipt

from .conftest import ALICE, OURS, T0, Rig, build_rig

LATER = T0 + timedelta(minutes=5)


class _DiedError(Exception):
    """Stands for the process being killed inside the provider call."""


def _dying(message: OutboundMessage) -> SendReceipt:
    raise _DiedError


def _leave_a_stale_reply(rig: Rig, monkeypatch: pytest.MonkeyPatch) -> str:
    """A HELP whose answer was reserved and never handed over (the process died)."""
    sid = "SM" + "7" * 32
    params = rig.provider.inbound_params(ALICE, OURS, "HELP", message_id=sid)
    with monkeypatch.context() as patch, contextlib.suppress(_DiedError):
        patch.setattr(rig.provider, "send", _dying)
        rig.messenger.handle_inbound("u", params, {}, T0)
    key = f"reply:{sid}"
    entry = rig.outbox.get(key)
    assert entry is not None
    assert entry.state is OutboxState.RESERVED
    return key


class _StaleUnresolved:
    """An outbox whose ``unresolved()`` answers what it read before another
    process resolved the entry (the window between reading and moving it)."""

    def __init__(self, outbox: Outbox, snapshot: tuple[OutboxEntry, ...]) -> None:
        self._outbox = outbox
        self._snapshot = snapshot

    def unresolved(self) -> tuple[OutboxEntry, ...]:
        return self._snapshot

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outbox, name)


def _with_stale_read(rig: Rig, snapshot: tuple[OutboxEntry, ...]) -> Messenger:
    """A second messenger on the same stores whose outbox read ``snapshot`` earlier."""
    return Messenger(
        rig.provider,
        rig.messenger.pipeline,
        rig.ledger,
        rig.history,
        _StaleUnresolved(rig.outbox, snapshot),  # type: ignore[arg-type]
        senders=[rig.sender],
    )


def test_a_second_reconcile_with_a_stale_read_does_not_resend_what_the_first_is_sending(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _leave_a_stale_reply(rig, monkeypatch)
    snapshot = rig.outbox.unresolved()
    assert [e.key for e in snapshot] == [key]
    other = _with_stale_read(rig, snapshot)
    real_send = rig.provider.send
    theirs: list[tuple[SendResult, ...]] = []

    def racing(message: OutboundMessage) -> SendReceipt:
        # The first caller found nothing, queued the entry and took it again; while
        # it hands the message over, the second resolves its stale read of the entry.
        if not theirs:
            theirs.append(other.reconcile(LATER))
        return real_send(message)

    monkeypatch.setattr(rig.provider, "send", racing)
    [mine] = rig.messenger.reconcile(LATER)
    assert mine.outcome is SendOutcome.SENT
    [[second]] = theirs
    assert second.outcome is SendOutcome.PENDING
    assert len(rig.provider.messages) == 1
    stored = rig.outbox.get(key)
    assert stored is not None
    assert stored.state is OutboxState.SENT


def test_a_second_resolver_finding_the_message_sent_does_not_record_it_twice(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same race when the lookup finds the message: one records it as sent;
    # the other, resolving its stale read, answers pending instead of failing.
    _leave_a_stale_reply(rig, monkeypatch)
    snapshot = rig.outbox.unresolved()
    [entry] = snapshot
    [first] = rig.messenger.reconcile(LATER)
    assert first.outcome is SendOutcome.SENT
    other = _with_stale_read(rig, snapshot)
    [second] = other.reconcile(LATER + timedelta(seconds=1))
    assert second.outcome is SendOutcome.PENDING
    assert len(rig.provider.messages) == 1
    outbound = rig.history.messages(
        since=T0 - timedelta(days=1), until=LATER + timedelta(days=1), direction=Direction.OUTBOUND
    )
    assert len(outbound) == 1
    assert entry.state is OutboxState.RESERVED


class _Rendezvous(MemoryProvider):
    """A memory provider whose lookups wait for each other: every caller has
    read the stale entry and found nothing before any of them moves it."""

    def __init__(self, parties: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.barrier = threading.Barrier(parties, timeout=30)

    def lookup(
        self, message: OutboundMessage, since: datetime, until: datetime | None = None
    ) -> SendReceipt | None:
        self.barrier.wait()
        return super().lookup(message, since, until)


def _race(
    open_outbox: Callable[[int], Outbox], monkeypatch: pytest.MonkeyPatch, callers: int = 3
) -> None:
    # Real threads, each with its own messenger and its own outbox connection.
    first = open_outbox(0)
    rig = build_rig(first)  # type: ignore[arg-type]
    provider = _Rendezvous(callers, clock=rig.clock)
    rig.provider = provider
    rig.messenger = Messenger(
        provider, rig.messenger.pipeline, rig.ledger, rig.history, first, senders=[rig.sender]
    )
    key = _leave_a_stale_reply(rig, monkeypatch)
    results: list[SendResult] = []
    errors: list[BaseException] = []
    boxes = [first, *(open_outbox(n) for n in range(1, callers))]

    def resolve(box: Outbox) -> None:
        messenger = Messenger(
            provider, rig.messenger.pipeline, rig.ledger, rig.history, box, senders=[rig.sender]
        )
        try:
            results.extend(messenger.reconcile(LATER))
        except BaseException as exc:  # reported below, with the others' results
            errors.append(exc)

    threads = [threading.Thread(target=resolve, args=(box,)) for box in boxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert len(provider.messages) == 1
        assert sorted(r.outcome.value for r in results) == ["pending"] * (callers - 1) + ["sent"]
        stored = first.get(key)
        assert stored is not None
        assert stored.state is OutboxState.SENT
    finally:
        for box in boxes:
            box.close()


@pytest.mark.parametrize("trial", range(10))
def test_threads_resolving_one_stale_entry_in_sqlite_send_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trial: int
) -> None:
    _race(lambda n: SQLiteOutbox(tmp_path / "outbox.sqlite3"), monkeypatch)


@pytest.mark.parametrize("trial", range(10))
def test_threads_resolving_one_stale_entry_in_memory_send_it_once(
    monkeypatch: pytest.MonkeyPatch, trial: int
) -> None:
    shared = MemoryOutbox()
    _race(lambda n: _Unclosed(shared), monkeypatch)


@pytest.mark.parametrize("trial", range(10))
def test_threads_resolving_one_stale_entry_in_postgres_send_it_once(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, trial: int
) -> None:
    from smskit.messenger import PostgresOutbox

    dsn = request.getfixturevalue("postgres_dsn")
    schema = request.getfixturevalue("pg_schema")
    with PostgresOutbox(dsn, schema=schema) as setup:
        setup.create_schema()
    _race(lambda n: PostgresOutbox(dsn, schema=schema), monkeypatch)


class _Unclosed:
    """One shared memory outbox handed to several callers (closing is a no-op)."""

    def __init__(self, outbox: MemoryOutbox) -> None:
        self._outbox = outbox

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outbox, name)
