"""A reply handled on one worker while another handles the same person's replies.

``handle_reply`` reads whether a message was handled, decides and writes in one step
of the store (``append_decided``): a redelivered "Yes" that reaches a second worker
while the first delivery is between its read and its write waits for it, and a STOP
sent in between holds. Each store is driven through the same interleaving (see
tests/_interleave.py): memory (one store, two threads), SQLite (two connections to one
file), PostgreSQL on the real server (two connections).

Expected values come from the rules in docs/consent.md ("Redelivered webhooks"): the
person's last word holds, and every message leaves at most one event.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from _interleave import Hooked, WatchedMemoryStore, meanwhile, racing_stores
from smskit.consent import ConsentEvent, ConsentLedger, EventKind, MemoryStore, SQLiteStore
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
H = timedelta(hours=1)

Workers = tuple[Hooked, Hooked, Callable[[], bool]]


class _ReadsBeforeLocking(MemoryStore):
    """The mistake this fix is about: the decision is taken on a read made before the
    write's lock (a separate "handled?" call), so another worker can act in between."""

    def append_decided(
        self, recipient: str, decide: Callable[[Sequence[ConsentEvent]], Sequence[ConsentEvent]]
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        read = list(self.events(recipient))
        return self.append_many(decide(read)), read


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workers]:
    """Worker A's store, worker B's store, and whether B has waited for A."""
    with racing_stores(request.param, request, tmp_path, Hooked) as found:
        yield found


def _ledgers(a: Hooked, b: Hooked) -> tuple[ConsentLedger, ConsentLedger]:
    worker_a = ConsentLedger(a, clock=FixedClock(T0))  # type: ignore[arg-type]
    worker_b = ConsentLedger(b, clock=FixedClock(T0))  # type: ignore[arg-type]
    worker_a.grant(N, scope="fixit", purposes="informational", kind="express",
                   source="api", at=T0)
    return worker_a, worker_b


def _allowed(ledger: ConsentLedger, at: datetime) -> bool:
    return ledger.status(N, "informational", scope="fixit", at=at).allows_send


def _yes_stop_and_retry(a: Hooked, b: Hooked, waiting: Callable[[], bool]) -> ConsentLedger:
    # Worker A has read "nothing handled, nothing to lift" for the "Yes" (SM1) and
    # stalls; the person's STOP (SM2) is handled, and the retried "Yes" (a Twilio retry
    # after 15 s without an answer) reaches worker B.
    worker_a, worker_b = _ledgers(a, b)

    def stop_and_retry() -> None:
        worker_b.handle_reply(N, "STOP", scope="fixit", at=T0 + 2 * H, message_id="SM2")
        worker_b.handle_reply(N, "Yes", scope="fixit", at=T0 + 2 * H + timedelta(seconds=15),
                              message_id="SM1")

    join = meanwhile(a, stop_and_retry, waiting)
    worker_a.handle_reply(N, "Yes", scope="fixit", at=T0 + H, message_id="SM1")
    join()
    return worker_a


def test_a_redelivery_racing_the_first_delivery_of_a_yes_waits_and_the_stop_holds(
    workers: Workers,
) -> None:
    a, b, waiting = workers
    ledger = _yes_stop_and_retry(a, b, waiting)
    assert waiting()  # B came while A was between its read and its write
    assert not _allowed(ledger, T0 + 3 * H)
    # The "Yes" noted once, the STOP recorded; the retry found SM1 and recorded nothing.
    assert [(e.kind, e.evidence.reference) for e in ledger.history(N)] == [
        (EventKind.GRANTED, None), (EventKind.NOTED, "SM1"), (EventKind.REVOKED, "SM2")]


def test_the_interleaving_is_the_race_when_the_decision_reads_before_the_lock() -> None:
    # The same interleaving against a store that decides on a read made before its
    # write: B does not wait, re-grants on the retry, and the STOP is undone. This is
    # what the one-step append_decided of every store prevents.
    store = _ReadsBeforeLocking()
    ledger = _yes_stop_and_retry(Hooked(store), Hooked(store), lambda: False)
    assert _allowed(ledger, T0 + 3 * H)
    assert [e.kind for e in ledger.history(N)] == [
        EventKind.GRANTED, EventKind.REVOKED, EventKind.REGRANTED, EventKind.NOTED]


def test_two_deliveries_of_one_stop_at_once_record_it_once_and_confirm_it_once(
    workers: Workers,
) -> None:
    a, b, waiting = workers
    worker_a, worker_b = _ledgers(a, b)
    answers = []

    def redelivery() -> None:
        answers.append(worker_b.handle_reply(N, "STOP", scope="fixit", at=T0 + H,
                                             message_id="SM9"))

    join = meanwhile(a, redelivery, waiting)
    first = worker_a.handle_reply(N, "STOP", scope="fixit", at=T0 + H, message_id="SM9")
    join()
    assert waiting()
    assert [e.kind for e in worker_a.history(N)] == [EventKind.GRANTED, EventKind.REVOKED]
    # The messenger sends the confirmation under reply:<MessageSid>: both answer it,
    # it goes once.
    assert first.reply is not None
    assert answers[0].event == first.event
    assert answers[0].reply == first.reply


@st.composite
def _deliveries(draw: st.DrawFn) -> tuple[list[str], list[int], list[bool]]:
    """What the person sent (in order), the order in which deliveries reach the
    ledger (message indices: each message's first delivery in the order sent, its
    redeliveries anywhere after it), and which delivery stalls between its decision and
    its write until the next one arrives."""
    words = draw(st.lists(st.sampled_from(["STOP", "Yes", "START"]), min_size=1, max_size=5))
    order = list(range(len(words)))
    for message in range(len(words)):
        for _ in range(draw(st.integers(0, 2))):
            first = order.index(message)
            order.insert(draw(st.integers(first + 1, len(order))), message)
    stalls = draw(st.lists(st.booleans(), min_size=len(order), max_size=len(order)))
    return words, order, stalls


def _deliver_all(
    stores: Sequence[Hooked], waiting: Callable[[int], bool], clear: Callable[[], None],
    words: list[str], order: list[int], stalls: list[bool],
) -> None:
    """Delivery ``i`` goes through ``stores[i]``; one that stalls starts the next on a
    thread of its own and writes once that one has finished or waits for it."""
    threads: list[threading.Thread] = []
    failures: list[BaseException] = []

    def run(i: int) -> None:
        try:
            if i == len(order):
                return
            ledger = ConsentLedger(stores[i], clock=FixedClock(T0))  # type: ignore[arg-type]
            message = order[i]
            # The last delivery has no next one to let in: it does not stall (asking
            # whether delivery len(order) waits would ask a store that is not there).
            stalled = stalls[i] and i + 1 < len(order)
            if stalled:
                after = threading.Thread(target=run, args=(i + 1,))
                threads.append(after)

                def between() -> None:
                    clear()
                    after.start()
                    while after.is_alive() and not waiting(i + 1):
                        after.join(0.001)

                stores[i].on_decided = between
            ledger.handle_reply(N, words[message], scope="fixit", at=T0 + (i + 1) * H,
                                message_id=f"SM{message}")
            if not stalled:
                run(i + 1)
        except BaseException as exc:  # re-raised by the test's thread
            failures.append(exc)

    run(0)
    while threads:
        threads.pop(0).join(60)
    if failures:
        raise failures[0]


def _check_last_word_and_one_event_per_message(
    ledger: ConsentLedger, words: list[str]
) -> None:
    # The person's last word holds: they started opted in, a STOP opts them out and
    # an opt-in word after a STOP opts them back in.
    assert _allowed(ledger, T0 + 100 * H) is (words[-1] != "STOP")
    # Every message leaves exactly one event, whatever its deliveries: none lost,
    # none recorded twice.
    grant, *replies = [e.evidence.reference for e in ledger.history(N)]
    assert grant is None
    assert sorted(map(str, replies)) == sorted(f"SM{message}" for message in range(len(words)))


@given(case=_deliveries())
@settings(max_examples=60, deadline=None)
def test_any_interleaving_of_deliveries_leaves_the_last_word_and_each_message_once(
    case: tuple[list[str], list[int], list[bool]],
) -> None:
    words, order, stalls = case
    store = WatchedMemoryStore()
    stores = [Hooked(store) for _ in order]
    ConsentLedger(store, clock=FixedClock(T0)).grant(
        N, scope="fixit", purposes="informational", kind="express", source="api", at=T0)
    _deliver_all(stores, lambda _: store.watched.contended.is_set(),
                 store.watched.contended.clear, words, order, stalls)
    _check_last_word_and_one_event_per_message(ConsentLedger(store), words)


@given(case=_deliveries())
@example(case=(["Yes", "STOP"], [0, 1], [False, True]))  # the last delivery stalls
@settings(max_examples=15, deadline=None)
def test_any_interleaving_on_sqlite_connections_leaves_the_last_word_and_each_message_once(
    case: tuple[list[str], list[int], list[bool]], tmp_path_factory: pytest.TempPathFactory,
) -> None:
    words, order, stalls = case
    path = tmp_path_factory.mktemp("race") / "ledger.db"
    with contextlib.ExitStack() as opened:
        first = opened.enter_context(SQLiteStore(path, durable=False))
        stores = [Hooked(opened.enter_context(SQLiteStore(path, durable=False)))
                  for _ in order]
        ConsentLedger(first, clock=FixedClock(T0)).grant(
            N, scope="fixit", purposes="informational", kind="express", source="api", at=T0)
        # A delivery on its own connection has come to its write step (SQLite cannot
        # tell that it waits for the lock; its read comes after it has the lock).
        _deliver_all(stores, lambda i: stores[i].entered.is_set(), lambda: None,
                     words, order, stalls)
        _check_last_word_and_one_event_per_message(ConsentLedger(first), words)
