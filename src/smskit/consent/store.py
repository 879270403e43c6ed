"""The ``ConsentStore`` protocol: an append-only home for consent events."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from ..errors import ConsentError
from ._rules import US, ConsentRules
from .fold import ConsentStatus, EventFacts, facts_of, fold
from .model import Channel, ConsentEvent, ConsentScope, Purpose

__all__ = ["ConsentStore"]

#: What :meth:`ConsentStore.append_decided` asks: given one person's events, the
#: drafts to append for them (none to record nothing).
Decide = Callable[[Sequence[ConsentEvent]], Sequence[ConsentEvent]]


def related_scope(scope: ConsentScope, scopes: Collection[ConsentScope]) -> bool:
    """Whether ``scope`` covers, or is covered by, one of ``scopes``: an event in
    ``scope`` can count for a question asked in one of them (its consent or
    revocation covers it) or in a scope above it (under revoke-all, opt-outs
    anywhere below the caller's scope count)."""
    return any(scope.covers(s) or s.covers(scope) for s in scopes)


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

    def append_and_read(self, event: ConsentEvent) -> tuple[ConsentEvent, list[ConsentEvent]]:
        """Append one draft and return it sealed, with the recipient's events that
        were stored before it, read in the same atomic step as the append
        (``append_decided`` with a decision that always appends ``event``).

        Two concurrent STOP replies for one number each need to know whether the
        other came first (only one confirmation may be sent); a separate read and
        append would let both see "not yet revoked".
        """
        ...

    def append_decided(
        self, recipient: str, decide: Decide
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        """Read ``recipient``'s events, call ``decide`` with them, and append the drafts
        it returns, in one atomic step; return ``(sealed drafts, events read)``.

        No other append, from any thread, process or host sharing the store, lands
        between the read and the write, and a concurrent ``append_decided`` for the
        person waits for this one: a decision never rests on a ledger that changed
        under it. A reply handled on two workers needs it: checking "was this message
        handled?" and appending as separate calls let a redelivered "Yes" re-grant
        after a STOP while its first delivery was still between the two.

        ``decide`` runs while the store holds its write lock: it must be quick, must
        not call the store, and must have no effect but its answer (a database store
        calls it again when contention rolls the transaction back; only the drafts
        of the call that commits are stored). Every draft must be for ``recipient``.

        Raises:
            ConsentError: (``field="recipient"``) a draft for someone else; nothing
                is stored.
        """
        ...

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        """One person's events (E.164 number), in sequence order."""
        ...

    def events_many(self, recipients: Iterable[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        """Several people's events at once: ``{recipient: events(recipient)}``.

        Every recipient asked for is a key (with no events when there are
        none). Database stores answer a batch with one query, so checking a
        campaign does not cost one round trip per person.
        """
        ...

    def facts_many(
        self,
        recipients: Iterable[str],
        *,
        verify: bool = False,
        scopes: Collection[ConsentScope] | None = None,
    ) -> Mapping[str, Sequence[EventFacts]]:
        """What decisions read of several people's events, in sequence order:
        ``{recipient: [facts_of(e) for e in events(recipient)]}``, one query per batch.

        A store may answer from a projection kept beside the chain (SQLite does)
        without re-hashing each event: checking the chain is ``verify``'s job,
        and ``verify`` also checks the projection against it. ``verify=True``
        reads and hash-checks the events themselves.

        With ``scopes``, the store may leave out the events whose scope neither
        covers nor is covered by any of them (:func:`related_scope`): no
        question asked in those scopes can read them. It must keep every other
        event (in order); keeping all is correct too.
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

    def scan(self, *, after: int = 0) -> Iterator[ConsentEvent]:
        """Every event with a sequence above ``after``, in sequence order (for
        verification and export)."""
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


def decided(recipient: str, decide: Decide, read: Sequence[ConsentEvent]) -> list[ConsentEvent]:
    """``decide(read)``, checked to be drafts for ``recipient`` only (every store's
    ``append_decided`` uses it, so none can store a decision about someone else)."""
    drafts = list(decide(read))
    if any(draft.recipient != recipient for draft in drafts):
        raise ConsentError(
            "recipient: append_decided stores drafts for the person whose events were "
            "read; a decision returned a draft for someone else (nothing stored)",
            field="recipient",
        )
    return drafts


class FoldingStore:
    """Mixin for stores: ``state`` folds ``events(recipient)`` with the one shared
    :func:`~smskit.consent.fold.fold`, so no two stores can answer differently."""

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        raise NotImplementedError

    def events_many(self, recipients: Iterable[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        return {recipient: self.events(recipient) for recipient in recipients}

    def facts_many(
        self,
        recipients: Iterable[str],
        *,
        verify: bool = False,
        scopes: Collection[ConsentScope] | None = None,
    ) -> Mapping[str, Sequence[EventFacts]]:
        # Stores without a projection derive the facts from their (checked) events.
        return {
            recipient: [
                facts_of(event) for event in events
                if scopes is None or related_scope(event.scope, scopes)
            ]
            for recipient, events in self.events_many(recipients).items()
        }

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
