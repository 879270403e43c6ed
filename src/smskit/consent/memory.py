"""``MemoryStore``: a complete in-process consent store (tests, short-lived tools)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ._codec import GENESIS_HASH, event_hash, seal
from .model import ConsentEvent
from .store import FoldingStore

__all__ = ["MemoryStore"]


class MemoryStore(FoldingStore):
    """Consent events held in memory; safe to share between threads.

    Implements :class:`~smskit.consent.store.ConsentStore` fully (append-only,
    hash-chained); nothing survives the process.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: list[ConsentEvent] = []
        self._by_recipient: dict[str, list[ConsentEvent]] = {}
        self._head_hash = GENESIS_HASH

    def __repr__(self) -> str:
        return f"MemoryStore(events={len(self._events)})"

    def append(self, event: ConsentEvent) -> ConsentEvent:
        return self.append_many((event,))[0]

    def append_many(self, events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
        drafts = list(events)
        with self._lock:
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
            return tuple(self._by_recipient.get(recipient, ()))

    def events_many(self, recipients: Sequence[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        with self._lock:
            return {
                r: tuple(self._by_recipient[r]) for r in recipients if r in self._by_recipient
            }

    def scan(self) -> Iterator[ConsentEvent]:
        with self._lock:
            snapshot = tuple(self._events)
        return iter(snapshot)

    def head(self) -> tuple[int, str]:
        with self._lock:
            return len(self._events), self._head_hash

    def count(self) -> int:
        with self._lock:
            return len(self._events)

    def close(self) -> None:
        """Nothing to release; kept for the protocol."""
