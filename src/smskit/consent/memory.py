"""``MemoryStore``: a complete in-process consent store (tests, short-lived tools)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence

from ..errors import closed_store
from ._codec import GENESIS_HASH, event_hash, seal
from .model import ConsentEvent
from .store import Decide, FoldingStore, decided

__all__ = ["MemoryStore"]


class MemoryStore(FoldingStore):
    """Consent events held in memory; safe to share between threads.

    Implements :class:`~smskit.consent.store.ConsentStore` fully (append-only,
    hash-chained); nothing survives the process. It answers as the SQL stores do:
    ``events`` gives a list, every call after :meth:`close` (or the end of a ``with``
    block) raises ``StoreError``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[ConsentEvent] = []
        self._by_recipient: dict[str, list[ConsentEvent]] = {}
        self._head_hash = GENESIS_HASH
        self._closed = False

    def _check_open(self) -> None:
        """Raise if closed; the caller holds the lock."""
        if self._closed:
            raise closed_store(self)

    def __repr__(self) -> str:
        return f"MemoryStore(events={len(self._events)})"

    def append(self, event: ConsentEvent) -> ConsentEvent:
        return self.append_many((event,))[0]

    def append_many(self, events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
        with self._lock:
            self._check_open()
            return self._append(list(events))

    def append_and_read(self, event: ConsentEvent) -> tuple[ConsentEvent, list[ConsentEvent]]:
        sealed, before = self.append_decided(event.recipient, lambda _: (event,))
        return sealed[0], before

    def append_decided(
        self, recipient: str, decide: Decide
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        with self._lock:
            self._check_open()
            read = list(self._by_recipient.get(recipient, ()))
            return self._append(decided(recipient, decide, read)), read

    def _append(self, drafts: list[ConsentEvent]) -> list[ConsentEvent]:
        """Seal and store; the caller holds the lock."""
        sealed: list[ConsentEvent] = []
        head, sequence = self._head_hash, len(self._events)
        for draft in drafts:  # seal all first, so a bad draft stores nothing
            sequence += 1
            event = seal(draft, sequence, head)
            head = event_hash(event)
            sealed.append(event)
        for event in sealed:
            self._events.append(event)
            self._by_recipient.setdefault(event.recipient, []).append(event)
        self._head_hash = head
        return sealed

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        with self._lock:
            self._check_open()
            return list(self._by_recipient.get(recipient, ()))  # a list, as SQL stores give

    def scan(self, *, after: int = 0) -> Iterator[ConsentEvent]:
        with self._lock:
            self._check_open()
            snapshot = tuple(self._events[max(after, 0):])
        return iter(snapshot)

    def head(self) -> tuple[int, str]:
        with self._lock:
            self._check_open()
            return len(self._events), self._head_hash

    def count(self) -> int:
        with self._lock:
            self._check_open()
            return len(self._events)

    def close(self) -> None:
        """Make the store unusable, as the SQL stores' ``close`` does; closing twice is
        fine."""
        with self._lock:
            self._closed = True

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
