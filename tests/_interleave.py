"""Two workers on one consent ledger, interleaved at a chosen point without sleeps.

Worker A is stopped inside ``append_decided`` once it has read a person's events and
decided what to write, before the write; meanwhile another thread (worker B) handles
replies, until it has finished or is waiting for A (as the store reports it). Then A
writes. Which of the two happened is decided by the store, never by timing: a store
that keeps the read, the decision and the write one step makes B wait; one that does
not lets B finish in A's gap.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

import _services
from smskit.consent import ConsentEvent, ConsentStore, MemoryStore, SQLiteStore

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


H = TypeVar("H", bound=Hooked)


@contextlib.contextmanager
def racing_stores(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, hook: type[H]
) -> Iterator[tuple[H, H, Callable[[], bool]]]:
    """Worker A's store and worker B's store, each wrapped in ``hook``, on one ledger of
    ``kind`` (memory: one store, two threads; sqlite: two connections to one file;
    postgres: two connections to the real server), and whether B has waited for A."""
    if kind == "memory":
        shared = WatchedMemoryStore()
        yield hook(shared), hook(shared), shared.watched.contended.is_set
    elif kind == "sqlite":
        path = tmp_path / "ledger.db"
        with SQLiteStore(path) as a, SQLiteStore(path) as b:
            hooked_b = hook(b)
            # SQLite cannot tell that a connection waits for the write lock: B has
            # entered append_decided, whose read comes after its BEGIN IMMEDIATE.
            yield hook(a), hooked_b, hooked_b.entered.is_set
    else:
        psycopg = _services.require_module("psycopg", "postgres")
        from smskit.consent.postgres import PostgresConsentStore

        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("pg_schema")
        with psycopg.connect(dsn, autocommit=True) as conn_b, \
                psycopg.connect(dsn, autocommit=True) as watcher, \
                PostgresConsentStore(dsn, schema=schema) as a, \
                PostgresConsentStore(conn_b, schema=schema) as b:
            a.create_schema()
            pid, seen = conn_b.info.backend_pid, []

            def waiting() -> bool:
                # B's session waits for an advisory lock: the chain's, which A holds.
                # (Remembered: the tests ask again once B is through.)
                if not seen:
                    row = watcher.execute(
                        "SELECT count(*) FROM pg_locks WHERE pid = %s "
                        "AND locktype = 'advisory' AND NOT granted", (pid,),
                    ).fetchone()
                    if row and row[0]:
                        seen.append(True)
                return bool(seen)

            yield hook(a), hook(b), waiting
