"""The ``ConsentStore`` protocol: an append-only home for consent events."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from ._rules import US, ConsentRules
from .fold import ConsentStatus, fold
from .model import Channel, ConsentEvent, ConsentScope, Purpose

__all__ = ["ConsentStore"]


class ConsentStore(Protocol):
    """Protocol: an append-only, hash-chained store of consent events.

    There is no update or delete. ``append`` gives the event the next sequence
    number and the hash of the previous event, atomically, and returns the
    sealed event. ``state`` must be computed with :func:`smskit.consent.fold.fold`
    over ``events(recipient)`` so that stores cannot disagree.
    """

    def append(self, event: ConsentEvent) -> ConsentEvent:
        """Seal and store one draft event (``sequence == 0``); return it sealed."""
        ...

    def append_many(self, events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
        """Seal and store several drafts at once, all or none, in order."""
        ...

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        """One person's events (E.164 number), in sequence order."""
        ...

    def events_many(self, recipients: Sequence[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        """Several people's events at once, by number, each in sequence order.

        One read for the whole list (the engine's batch path); numbers without
        events may be missing or map to ``()``.
        """
        ...

    def state(
        self,
        recipient: str,
        purpose: Purpose,
        *,
        scope: ConsentScope,
        channel: Channel,
        at: datetime,
        known_at: datetime | None = None,
        rules: ConsentRules = US,
    ) -> ConsentStatus:
        """The consent status, folded from ``events(recipient)``."""
        ...

    def scan(self) -> Iterator[ConsentEvent]:
        """Every event in sequence order (for verification and export)."""
        ...

    def head(self) -> tuple[int, str]:
        """``(last sequence, its hash)``; ``(0, GENESIS_HASH)`` when empty."""
        ...

    def count(self) -> int:
        """How many events the store holds."""
        ...

    def close(self) -> None:
        """Release resources; the store is unusable afterwards."""
        ...


class FoldingStore:
    """Mixin for stores: ``state`` folds ``events(recipient)`` with the one shared
    :func:`~smskit.consent.fold.fold`, so no two stores can answer differently."""

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        raise NotImplementedError

    def state(
        self,
        recipient: str,
        purpose: Purpose,
        *,
        scope: ConsentScope,
        channel: Channel,
        at: datetime,
        known_at: datetime | None = None,
        rules: ConsentRules = US,
    ) -> ConsentStatus:
        return fold(
            self.events(recipient), purpose, recipient=recipient, scope=scope,
            channel=channel, at=at, known_at=known_at, rules=rules,
        )
