"""Two workers on one consent ledger, interleaved at a chosen point without sleeps.

Worker A is stopped inside ``append_decided`` once it has read a person's events and
decided what to write, before the write; meanwhile another thread (worker B) handles
replies, until it has finished or is waiting for A (as the store reports it). Then A
writes. Which of the two happened is decided by the store, never by timing: a store
that keeps the read, the decision and the write one step makes B wait; one that does
not lets B finish in A's gap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from smskit.consent import ConsentEvent, ConsentStore, MemoryStore

# Only a guard against a hung test (a worker that never gets going): nothing waits
# for it to pass.
_GUARD_SECONDS = 60.0


class Hooked:
    """A consent store (a proxy) whose next ``append_decided`` runs ``on_decided``
    after its decision and before its write; ``entered`` is set when a call starts."""

    def __init__(self, store: ConsentStore) -> None:
        self.store = store
        self.on_decided: Callable[[], None] | None = None
        self.entered = threading.Event()

    def append_decided(
        self, recipient: str, decide: Callable[[Sequence[ConsentEvent]], Sequence[ConsentEvent]]
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        self.entered.set()

        def stalled(events: Sequence[ConsentEvent]) -> Sequence[ConsentEvent]:
            drafts = decide(events)
            hook, self.on_decided = self.on_decided, None
            if hook is not None:
                hook()
            return drafts

        return self.store.append_decided(recipient, stalled)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def meanwhile(
    a: Hooked, work: Callable[[], None], waiting: Callable[[], bool]
) -> Callable[[], None]:
    """Arm ``a``: between its next decision and its write, ``work`` starts on another
    thread, and A goes on once ``work`` has returned or ``waiting()`` says it waits for
    A. Returns ``join``: call it after A's call; it waits for ``work`` and re-raises
    what it raised."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to join()
            failures.append(exc)

    thread = threading.Thread(target=run, name="worker B")

    def between() -> None:
        thread.start()
        guard = time.monotonic() + _GUARD_SECONDS
        while thread.is_alive() and not waiting():
            if time.monotonic() > guard:
                raise AssertionError("worker B neither finished nor waited for worker A")
            thread.join(0.001)

    a.on_decided = between

    def join() -> None:
        assert a.on_decided is None, "worker A never reached its decision in append_decided"
        thread.join(_GUARD_SECONDS)
        assert not thread.is_alive(), "worker B did not finish"
        if failures:
            raise failures[0]

    return join


class WatchedLock:
    """A lock that records that a thread had to wait for it (``contended``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.contended = threading.Event()

    def __enter__(self) -> None:
        if not self._lock.acquire(blocking=False):
            self.contended.set()
            self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


class WatchedMemoryStore(MemoryStore):
    """A memory store that says when a thread had to wait for its lock."""

    def __init__(self) -> None:
        super().__init__()
        self.watched = WatchedLock()
        self._lock = self.watched  # type: ignore[assignment]
