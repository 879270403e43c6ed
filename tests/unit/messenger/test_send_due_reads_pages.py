"""``send_due(limit=)`` reads the queue a page at a time (found by user25).

``limit`` bounded the entries decided, but ``send_due`` still read every due row
first: with 100,000 queued rows, 302 MB per worker on every call, to decide ten.
It now asks the outbox for ``limit`` rows at a time, each page after the last row
read, so an entry it skips (no profile for its number: it stays due, first in
line) is read once per call, not on every page, and never makes it read the rest.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.consent.sender import Registration, SenderProfile
from smskit.errors import ConfigurationError
from smskit.messenger import (
    MemoryOutbox,
    Messenger,
    Outbox,
    OutboxEntry,
    OutboxState,
    SQLiteOutbox,
)
from smskit.providers import ErrorCategory

from .conftest import ALICE, OURS, T0, Rig, build_rig, consent

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 09:00
RETIRED = SenderProfile(sender_id="+12125550188", registration=Registration.APPROVED,
                        consent_scope="acme", brand="Acme")


class _Counting:
    """A real outbox that notes what its ``due`` was asked for and the rows it gave."""

    def __init__(self, inner: Outbox) -> None:
        self.inner = inner
        self.limits: list[int | None] = []
        self.read: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def due(
        self, at: datetime, *, limit: int | None = None, after: OutboxEntry | None = None
    ) -> tuple[OutboxEntry, ...]:
        found = self.inner.due(at, limit=limit, after=after)
        self.limits.append(limit)
        self.read.extend(e.key for e in found)
        return found


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def counting(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[_Counting]:
    inner: Outbox
    if request.param == "memory":
        inner = MemoryOutbox()
    elif request.param == "sqlite":
        inner = SQLiteOutbox(tmp_path / "outbox.db")
    else:  # the real server: its row-value comparison is what pages it (review rev24d)
        from smskit.messenger import PostgresOutbox

        inner = PostgresOutbox(
            request.getfixturevalue("postgres_dsn"), schema=request.getfixturevalue("pg_schema")
        )
        inner.create_schema()
    yield _Counting(inner)
    inner.close()


def _offer(key: str) -> SendRequest:
    return SendRequest(recipient=ALICE, body=f"Acme: offer {key}. Reply STOP to opt out",
                       idempotency_key=key)


def _rig(outbox: _Counting) -> Rig:
    rig = build_rig(outbox)  # type: ignore[arg-type]
    consent(rig)
    return rig


def test_a_bounded_batch_reads_only_its_rows(counting: _Counting) -> None:
    rig = _rig(counting)
    for n in range(30):
        assert rig.messenger.send(_offer(f"offer-{n:02d}"), rig.sender, NIGHT, queue=True).queued
    results = rig.messenger.send_due(MORNING, limit=5)
    assert [r.outcome.value for r in results] == ["sent"] * 5
    assert counting.limits == [5]
    assert counting.read == [f"offer-{n:02d}" for n in range(5)]


def test_skipped_entries_are_read_once_and_the_batch_still_fills(counting: _Counting) -> None:
    rig = _rig(counting)
    before = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       counting, senders=[rig.sender, RETIRED])  # type: ignore[arg-type]
    retired = [f"a-retired-{n:02d}" for n in range(7)]  # due first: key order
    for key in retired:
        assert before.send(_offer(key), RETIRED, NIGHT, queue=True).queued
    for n in range(6):
        later = NIGHT + timedelta(minutes=1 + n)
        assert rig.messenger.send(_offer(f"current-{n}"), rig.sender, later, queue=True).queued
    counting.read.clear()
    results = rig.messenger.send_due(MORNING, limit=3)
    assert [r.key for r in results if r.outcome.value == "pending"] == retired
    assert [r.key for r in results if r.outcome.value == "sent"] == [
        "current-0", "current-1", "current-2"
    ]
    assert set(counting.limits) == {3}
    assert len(counting.read) == len(set(counting.read))  # no row read twice in one call
    # Pages of 3 over 7 skipped and 3 decided: at most the last page's tail is spare.
    assert len(counting.read) <= 7 + 3 + 2
    entry = counting.get("current-3")
    assert entry is not None
    assert entry.state is OutboxState.DEFERRED  # the next batch's


def test_a_queue_of_skipped_entries_only_is_read_to_its_end_and_stops(
    counting: _Counting,
) -> None:
    rig = _rig(counting)
    before = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       counting, senders=[rig.sender, RETIRED])  # type: ignore[arg-type]
    for n in range(5):
        assert before.send(_offer(f"retired-{n}"), RETIRED, NIGHT, queue=True).queued
    results = rig.messenger.send_due(MORNING, limit=2)
    assert [r.outcome.value for r in results] == ["pending"] * 5
    assert sorted(counting.read) == [f"retired-{n}" for n in range(5)]


def test_the_whole_queue_is_one_read_without_a_limit(counting: _Counting) -> None:
    rig = _rig(counting)
    for n in range(4):
        assert rig.messenger.send(_offer(f"offer-{n}"), rig.sender, NIGHT, queue=True).queued
    assert len(rig.messenger.send_due(MORNING)) == 4
    assert counting.limits == [None]


def _expired_replies(box: Outbox, count: int) -> None:
    """``count`` queued HELP answers whose deadline has passed (each one marked
    failed by ``send_due``: decided, cheaply, without a send)."""
    rig = build_rig(box)  # type: ignore[arg-type]
    rig.provider.fail_next(ErrorCategory.RATE_LIMITED)  # the HELP answer is queued
    rig.messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, OURS, "HELP"), {}, T0)
    [queued] = box.due(T0 + timedelta(hours=1))
    assert '"send_by": null' in queued.payload
    payload = queued.payload.replace('"send_by": null', f'"send_by": "{T0.isoformat()}"')
    box.update(queued.key, OutboxState.FAILED, at=T0)
    for n in range(count):
        box.reserve(replace(queued, key=f"reply:{n:05d}", payload=payload))


def _peak(messenger: Messenger, limit: int | None) -> tuple[int, int]:
    tracemalloc.start()
    try:
        results = messenger.send_due(T0 + timedelta(days=1), limit=limit)
        return len(results), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_bounded_batch_does_not_load_the_queue(tmp_path: Path) -> None:
    # Two outboxes with one queue each, so that both reads see all of it; SQLite
    # builds every row it returns, which is what cost user25 its 302 MB.
    with (
        SQLiteOutbox(tmp_path / "bounded.db", synchronous="normal") as bounded,
        SQLiteOutbox(tmp_path / "whole.db", synchronous="normal") as whole,
    ):
        for box in (bounded, whole):
            _expired_replies(box, 5_000)
        small = _peak(build_rig(bounded).messenger, 10)  # type: ignore[arg-type]
        large = _peak(build_rig(whole).messenger, None)  # type: ignore[arg-type]
    assert small[0] == 10
    assert large[0] == 5_000
    assert small[1] * 50 < large[1]


def test_an_outbox_whose_due_takes_no_limit_is_refused() -> None:
    class _Old:
        """A third party's outbox written before ``due`` took ``limit=`` and ``after=``."""

        def __init__(self) -> None:
            self.inner = MemoryOutbox()

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def due(self, at: datetime) -> tuple[OutboxEntry, ...]:
            return self.inner.due(at)

    rig = build_rig()
    with pytest.raises(ConfigurationError, match=r"due must accept limit= and after=") as raised:
        Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                  _Old(), senders=[rig.sender])  # type: ignore[arg-type]
    assert raised.value.field == "outbox"


def test_an_outbox_that_ignores_after_is_refused_not_read_forever(
    counting: _Counting,
) -> None:
    # Review rev24d: a `due(at, **options)` that drops after= passes the check at
    # construction; a page of skipped entries came back the same forever, and
    # send_due looped, its results growing, never returning.
    class _IgnoresAfter:
        def __init__(self, inner: _Counting) -> None:
            self.inner = inner
            self.calls = 0

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

        def due(self, at: datetime, **options: object) -> tuple[OutboxEntry, ...]:
            self.calls += 1
            assert self.calls < 50, "send_due read the same page forever"
            return self.inner.due(at, limit=options.get("limit"))  # type: ignore[arg-type]

    rig = _rig(counting)
    before = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                       counting, senders=[rig.sender, RETIRED])  # type: ignore[arg-type]
    for n in range(3):
        assert before.send(_offer(f"retired-{n}"), RETIRED, NIGHT, queue=True).queued
    ignores = _IgnoresAfter(counting)
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history,
                          ignores, senders=[rig.sender])  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match=r"_IgnoresAfter\.due.*after=") as raised:
        messenger.send_due(MORNING, limit=2)
    assert raised.value.field == "outbox"
    assert ignores.calls == 2
