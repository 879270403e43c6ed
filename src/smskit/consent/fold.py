"""The one function that turns a person's events into a consent status.

Every store answers ``state`` with :func:`fold`, so two stores holding the same
events can never disagree. The fold is a pure function of its inputs: the
events, the question (purpose, scope, channel, time) and the rules.

Rules, in order:

1. Only events whose scope covers the asked scope, whose channels include the
   asked channel and whose purposes include the asked purpose count; and only
   those that occurred at or before ``at`` (an audit at a past time is answered
   from history). With ``known_at``, only events recorded by then count.
2. Events are replayed in order of ``occurred_at``; at the same instant a
   revocation comes last (it beats a grant or re-grant stamped with the same
   time, whichever was recorded first), other ties are broken by sequence. So
   the answer depends neither on the order the store returns events in nor on
   which of two racing writers recorded first.
3. A revocation suspends every earlier grant and cancels a pending request. A
   later ``REGRANTED`` restores the suspended grants; a later ``GRANTED`` is
   new consent of its own.
4. A grant allows sending only if its kind is accepted for the purpose
   (marketing needs express written consent in the US) and it has not expired
   (implied consent lasts per its basis).
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import MAXYEAR, UTC, datetime, tzinfo
from operator import attrgetter, lt
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, Protocol, TypeVar
from zoneinfo import ZoneInfo

from ..findings import Finding, Severity, reduce_frozen
from ..numbers.parse import mask_number, mask_sender, parse_number
from ._rules import FCC_REVOCATION, SOURCE_STATUS, US, ConsentRules, Period
from .model import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    ConsentState,
    EventKind,
    ImpliedBasis,
    Purpose,
    RevocationMethod,
    require_aware,
)

__all__ = [
    "ConsentStatus",
    "EventFacts",
    "FoldEvent",
    "expiry_of",
    "facts_of",
    "fold",
    "fold_findings",
]

_STRENGTH = {ConsentKind.EXPRESS_WRITTEN: 0, ConsentKind.EXPRESS: 1, ConsentKind.IMPLIED: 2}


@dataclass(frozen=True, slots=True)
class ConsentStatus:
    """The answer to "may we send this purpose to this number, here, now?".

    Attributes:
        recipient: E.164 number (masked in ``repr``).
        purpose, scope, channel, at: the question asked.
        state: granted, pending, revoked, expired or none.
        allows_send: ``True`` only for a live grant of a kind the purpose accepts, or
            for a purpose the rules exempt when nothing is recorded and
            ``ConsentRules.exempt_needs_record`` is off (state ``none``,
            ``consent.exempt``).
        evidence: the events that decided the answer (the grant and its
            confirmation or re-grant, the revocation, the pending request...).
        findings: the finding explaining the answer, with its source.
        expires_at: when the deciding grant stops allowing sends, if it does.
    """

    recipient: str = field(repr=False)
    purpose: Purpose
    scope: ConsentScope
    channel: Channel
    at: datetime
    state: ConsentState
    allows_send: bool
    evidence: tuple[ConsentEvent, ...] = ()
    findings: tuple[Finding, ...] = ()
    expires_at: datetime | None = None
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __repr__(self) -> str:
        return (
            f"ConsentStatus(recipient={mask_number(self.recipient)!r}, "
            f"purpose={self.purpose.value!r}, scope={str(self.scope)!r}, "
            f"channel={self.channel.value!r}, at={self.at.isoformat()!r}, "
            f"state={self.state.value!r}, allows_send={self.allows_send}, "
            f"evidence={[e.sequence for e in self.evidence]})"
        )


class FoldEvent(Protocol):
    """What the fold reads of an event: a :class:`ConsentEvent` or its :class:`EventFacts`."""

    @property
    def kind(self) -> EventKind: ...
    @property
    def recipient(self) -> str: ...
    @property
    def scope(self) -> ConsentScope: ...
    @property
    def channels(self) -> frozenset[Channel]: ...
    @property
    def purposes(self) -> frozenset[Purpose]: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def recorded_at(self) -> datetime | None: ...
    @property
    def consent_kind(self) -> ConsentKind | None: ...
    @property
    def implied_basis(self) -> ImpliedBasis | None: ...
    @property
    def expires_at(self) -> datetime | None: ...
    @property
    def revocation_method(self) -> RevocationMethod | None: ...
    @property
    def confirms(self) -> int | None: ...
    @property
    def sequence(self) -> int: ...


class EventFacts(NamedTuple):
    """The fields of one stored event that decisions read: everything but the
    evidence (of which only the reply text) and the chain link.

    Stores answer :meth:`~smskit.consent.store.ConsentStore.facts_many` with these;
    :func:`facts_of` is the one mapping from an event, and a store that keeps them
    apart (SQLite's projection) is checked against it by ``verify``.

    A named tuple (immutable): SQLite builds one per projection row with a single
    call, where a frozen dataclass needs one call per field (the engine's per-event
    cost). Being a tuple, it also compares equal to a plain tuple of its values.
    """

    sequence: int
    recipient: str
    kind: EventKind
    scope: ConsentScope
    channels: frozenset[Channel]
    purposes: frozenset[Purpose]
    occurred_at: datetime
    source: ConsentSource
    consent_kind: ConsentKind | None = None
    implied_basis: ImpliedBasis | None = None
    expires_at: datetime | None = None
    revocation_method: RevocationMethod | None = None
    confirms: int | None = None
    recorded_at: datetime | None = None
    reply_text: str | None = None
    #: The business's number a reply reached (``ConsentEvent.received_by``).
    received_by: str | None = None

    def __repr__(self) -> str:
        # The numbers masked, the reply text left out (it may quote the person).
        shown = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True)
            if name not in ("recipient", "reply_text", "received_by")
        )
        received = "" if self.received_by is None else (
            f", received_by={mask_sender(self.received_by)!r}")
        return f"EventFacts(recipient={mask_number(self.recipient)!r}, {shown}{received})"


def facts_of(event: ConsentEvent) -> EventFacts:
    """The facts of ``event`` (what :func:`fold_findings` and the opt-out rules read)."""
    return EventFacts(
        sequence=event.sequence, recipient=event.recipient, kind=event.kind,
        scope=event.scope, channels=event.channels, purposes=event.purposes,
        occurred_at=event.occurred_at, source=event.source,
        consent_kind=event.consent_kind, implied_basis=event.implied_basis,
        expires_at=event.expires_at, revocation_method=event.revocation_method,
        confirms=event.confirms, recorded_at=event.recorded_at,
        reply_text=event.evidence.reply_text, received_by=event.received_by,
    )


E = TypeVar("E", bound=FoldEvent)


class _Grant(NamedTuple, Generic[E]):  # a tuple: built once per grant replayed
    event: E
    via: tuple[E, ...]


class _Answer(NamedTuple, Generic[E]):  # a tuple: one per question
    state: ConsentState
    evidence: tuple[E, ...]
    finding: Finding
    expires: datetime | None = None


def add_period(start: datetime, period: Period) -> datetime:
    """``start`` moved by whole calendar years and months (31 Jan + 1 month = 28/29 Feb)."""
    months = start.month - 1 + period.months + 12 * period.years
    year, month = start.year + months // 12, months % 12 + 1
    if year > MAXYEAR:  # past the calendar datetime can hold: the end of time
        return datetime.max.replace(tzinfo=UTC)
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


@functools.lru_cache(maxsize=4096)
def _zones_of(recipient: str) -> tuple[ZoneInfo, ...]:
    """The candidate zones of a stored (E.164) number; none when it no longer parses."""
    try:
        return tuple(ZoneInfo(name) for name in parse_number(recipient).time_zones)
    except ValueError:  # an old event whose number the current metadata refuses
        return ()


@functools.lru_cache(maxsize=65536)  # each grant's end is asked for at every decision
def _local_end(start: datetime, zone_key: tuple[tzinfo | None, int], period: Period,
               recipient: str) -> datetime:
    """``start`` + ``period`` on the recipient's calendar: an inquiry at 23:30 on 29 Feb
    in Vancouver, stamped 1 Mar 07:30 UTC, ends on 29 Aug, not 1 Sep. Counted in each
    of the number's zones and in the stamp's offset, the earliest end is kept
    (fail-safe). ``zone_key`` is ``start``'s tzinfo and fold, there for the cache only."""
    require_aware(start, "occurred_at")  # another FoldEvent's naive stamp: no instant
    end = add_period(start, period)
    for zone in _zones_of(recipient):
        end = min(end, add_period(start.astimezone(zone), period))
    return end


def expiry_of(event: FoldEvent, rules: ConsentRules = US,
              purpose: Purpose | None = None) -> datetime | None:
    """When a granting event stops allowing sends (``None``: until revoked).

    An explicit ``expires_at`` may shorten implied consent, never lengthen it past
    the period its basis allows (the earlier of the two applies). A period that limits
    some purposes only (CASL's conversation: marketing) is ignored for the others, and
    no period limits a purpose the rules exempt from consent (``ConsentRules.exempt``);
    without ``purpose`` it applies (the earliest end).
    """
    if (event.consent_kind is not ConsentKind.IMPLIED or event.implied_basis is None
            or purpose in rules.exempt):  # CASL s.6(6): no consent needed, no period
        return event.expires_at  # no period by rule (express consent lasts until revoked)
    period = rules.implied_periods.get(event.implied_basis)
    if period is None or (
        purpose is not None and period.purposes is not None and purpose not in period.purposes
    ):
        return event.expires_at
    # The zone and fold are part of the cache key: aware datetimes at one instant hash
    # alike whatever their zone (the stamp's calendar is one the end is counted on), and
    # in one zone 01:30 before and after the clocks go back compare equal, an hour apart.
    start = event.occurred_at
    by_rule = _local_end(start, (start.tzinfo, start.fold), period, event.recipient)
    return by_rule if event.expires_at is None else min(event.expires_at, by_rule)


def replay_order(event: FoldEvent) -> tuple[datetime, bool, int]:
    """Sort key replaying events: by time; at one instant revocations last, then by sequence."""
    return (event.occurred_at, event.kind is EventKind.REVOKED, event.sequence)


_occurred_at = attrgetter("occurred_at")


def sort_for_replay(events: list[E]) -> None:
    """Put ``events`` in :func:`replay_order`, in place.

    Stores hand events over in the order they were recorded, which is nearly always
    the order they occurred in: when every event occurred strictly after the one
    before, that order is already the replay order (the time decides alone), found
    with no Python call per event. Otherwise (a tie or an event recorded late) they
    are sorted by the full key.
    """
    times = list(map(_occurred_at, events))
    if not all(map(lt, times, times[1:])):
        events.sort(key=replay_order)


def _applicable(
    events: Iterable[E],
    purpose: Purpose,
    scope: ConsentScope,
    channel: Channel,
    at: datetime,
    known_at: datetime | None,
) -> list[E]:
    # An event's scope covers ``scope`` exactly when its parts are a prefix of
    # ``scope``'s: a set lookup per event rather than a method call (the engine folds
    # every recipient's events, most of them in other scopes).
    covering = {scope.key[:n] for n in range(len(scope.key) + 1)}
    chosen = [
        e
        for e in events
        if purpose in e.purposes
        and e.scope.key in covering
        and channel in e.channels
        and e.occurred_at <= at
        and (known_at is None or e.recorded_at is None or e.recorded_at <= known_at)
    ]
    sort_for_replay(chosen)
    return chosen


def fold(
    events: Iterable[ConsentEvent],
    purpose: Purpose,
    *,
    recipient: str,
    scope: ConsentScope,
    channel: Channel,
    at: datetime,
    known_at: datetime | None = None,
    rules: ConsentRules = US,
) -> ConsentStatus:
    """Replay ``events`` (one person's) and answer for ``purpose`` at ``at``.

    Inputs are assumed validated (the ledger does it); see the module docstring
    for the rules.
    """
    answer = _replay(events, purpose, scope, channel, at, known_at, rules)
    return ConsentStatus(
        recipient, purpose, scope, channel, at, answer.state,
        # A live grant, or an exempt purpose allowed without a record (consent.exempt,
        # INFO): every other answer's finding blocks.
        answer.finding.severity is not Severity.BLOCK, answer.evidence, (answer.finding,),
        answer.expires,
    )


def fold_findings(
    events: Iterable[FoldEvent],
    purpose: Purpose,
    *,
    scope: ConsentScope,
    channel: Channel,
    at: datetime,
    known_at: datetime | None = None,
    rules: ConsentRules = US,
) -> tuple[Finding, ...]:
    """The findings of :func:`fold` (the same replay), for events or their facts.

    The compliance engine reads only the findings, so it folds the lighter
    :class:`EventFacts` a store can hand out without decoding whole events.
    """
    return (_replay(events, purpose, scope, channel, at, known_at, rules).finding,)


def _replay(
    events: Iterable[E],
    purpose: Purpose,
    scope: ConsentScope,
    channel: Channel,
    at: datetime,
    known_at: datetime | None,
    rules: ConsentRules,
) -> _Answer[E]:
    active: list[_Grant[E]] = []
    suspended: list[_Grant[E]] = []
    pending: E | None = None
    revoked_by: E | None = None
    by_sequence: dict[int, E] = {}
    for event in _applicable(events, purpose, scope, channel, at, known_at):
        by_sequence[event.sequence] = event
        if event.kind is EventKind.GRANTED:
            active.append(_Grant(event, (event,)))
            revoked_by = None
        elif event.kind is EventKind.REQUESTED:
            pending = event
        elif event.kind is EventKind.CONFIRMED:
            request = by_sequence.get(event.confirms or 0)
            active.append(_Grant(event, (event,) if request is None else (request, event)))
            if pending is not None and pending is request:
                pending = None
            revoked_by = None
        elif event.kind is EventKind.REVOKED:
            suspended.extend(active)
            active, pending, revoked_by = [], None, event
        elif event.kind is EventKind.REGRANTED and revoked_by is not None:
            active.extend(_Grant(g.event, (*g.via, event)) for g in suspended)
            suspended, revoked_by = [], None
    return _cited(_decide(active, pending, revoked_by, purpose, scope, channel, at, rules))


def event_reference(event: FoldEvent) -> dict[str, Any]:
    """The finding details citing ``event``: its ledger sequence (stable across stores
    and exports: ``ConsentLedger.event`` looks it up), its kind and when it occurred.
    Never the number: the decision already names the recipient."""
    return {"event": event.sequence, "event_kind": event.kind.value,
            "event_at": event.occurred_at}


def _cited(answer: _Answer[E]) -> _Answer[E]:
    # The finding cites the event that decided it (the last of the evidence: the grant,
    # its confirmation or the re-grant that restored it; the revocation; the request)
    # and every event relied on, so a saved decision leads an auditor to its evidence.
    # Written out (no event_reference call, no _replace): it runs once per decision.
    evidence = answer.evidence
    if not evidence:
        return answer
    found, last = answer.finding, evidence[-1]
    details = MappingProxyType({
        "event": last.sequence, "event_kind": last.kind.value, "event_at": last.occurred_at,
        "events": (last.sequence,) if len(evidence) == 1 else
        tuple([e.sequence for e in evidence]),
    })
    return _Answer(answer.state, evidence, Finding(
        found.code, found.severity, found.message, found.source, details, found.status),
        answer.expires)


@functools.lru_cache(maxsize=256)
def _granted(kind: ConsentKind | None, purpose: Purpose, channel: Channel, rules: str,
             source: str, status: str) -> Finding:
    # The same few findings for a whole campaign: built once (findings are immutable).
    return Finding(
        "consent.granted", Severity.INFO,
        f"{kind.value if kind else 'consent'} consent allows {purpose.value} "
        f"over {channel.value} ({rules} rules)",
        source, status=status,
    )


def _granted_finding(event: FoldEvent, purpose: Purpose, channel: Channel,
                     rules: ConsentRules, source: str, at: datetime) -> Finding:
    """The finding of a live grant. An implied grant rests on its basis's period, whose
    mark may differ from the source's (CASL's periods are V/S: "secondary"); an implied
    grant past its period that still allows an exempt purpose says so."""
    kind = event.consent_kind
    period = (rules.implied_periods.get(event.implied_basis)
              if kind is ConsentKind.IMPLIED and event.implied_basis is not None else None)
    if period is None:  # express consent, or implied with no period: the source's mark
        return _granted(kind, purpose, channel, rules.name, source,
                        SOURCE_STATUS.get(source, ""))
    if period.purposes is not None and purpose not in period.purposes:
        # The period never limited this purpose (CASL's conversation: marketing only):
        # nothing lapsed for it, whether or not it is exempt.
        return _granted(kind, purpose, channel, rules.name, source,
                        SOURCE_STATUS.get(source, ""))
    if purpose in rules.exempt:
        ended = expiry_of(event, rules)
        if ended is not None and ended <= at:
            return Finding(
                "consent.granted", Severity.INFO,
                f"implied consent ({event.implied_basis}) lapsed for messages that need "
                f"consent on {ended.isoformat()}; {purpose.value} messages need none under "
                f"{rules.name} rules, so it still allows this one over {channel.value} (it "
                "must still identify the sender and offer an unsubscribe)",
                source, status=SOURCE_STATUS.get(source, ""))
        return _granted(kind, purpose, channel, rules.name, source,
                        SOURCE_STATUS.get(source, ""))
    # The grant is live by the period: cite the period's source and mark, as its expiry does.
    cited = period.source or source
    return _granted(kind, purpose, channel, rules.name, cited,
                    period.status or SOURCE_STATUS.get(cited, ""))


def _decide(
    active: list[_Grant[E]],
    pending: E | None,
    revoked_by: E | None,
    purpose: Purpose,
    scope: ConsentScope,
    channel: Channel,
    at: datetime,
    rules: ConsentRules,
) -> _Answer[E]:
    accepted = rules.accepted[purpose]
    source = rules.sources.get(purpose, "")
    status = _Answer

    usable = [g for g in active if g.event.consent_kind in accepted]
    live = [(g, expiry_of(g.event, rules, purpose)) for g in usable]
    live = [(g, end) for g, end in live if end is None or end > at]
    if len(live) == 1:  # the usual case: no choice to make
        grant, end = live[0]
        return status(
            ConsentState.GRANTED, grant.via,
            _granted_finding(grant.event, purpose, channel, rules, source, at), end,
        )
    if live:
        # The strongest kind, then the latest renewal; grants one re-grant restored
        # together tie on it, and the latest of them decides (its form is the one cited),
        # as it did before the revocation.
        grant, end = min(
            live,
            key=lambda item: (
                _STRENGTH[item[0].event.consent_kind or ConsentKind.IMPLIED],
                -item[0].via[-1].occurred_at.timestamp(),
                -item[0].event.occurred_at.timestamp(),
            ),
        )
        return status(
            ConsentState.GRANTED, grant.via,
            _granted_finding(grant.event, purpose, channel, rules, source, at), end,
        )
    if pending is not None:
        return status(ConsentState.PENDING, (pending,), Finding(
            "consent.pending", Severity.BLOCK,
            "consent was requested but not confirmed (double opt-in pending); do not send",
            source, status=SOURCE_STATUS.get(source, ""),
        ))
    if revoked_by is not None:
        # A START does not lift a wrong number (the ledger ignores it): say what does.
        until = (
            "the person at this number replied it is the wrong number; do not send until "
            "they grant consent themselves (a START or YES from the number does not lift it)"
            if revoked_by.revocation_method is RevocationMethod.WRONG_NUMBER
            else "do not send until the person opts in again"
        )
        return status(ConsentState.REVOKED, (revoked_by,), Finding(
            "consent.revoked", Severity.BLOCK,
            f"consent was revoked ({revoked_by.revocation_method or 'unknown'}) on "
            f"{revoked_by.occurred_at.isoformat()}; {until}",
            FCC_REVOCATION, status=SOURCE_STATUS[FCC_REVOCATION],
        ))
    if usable:
        latest = max(usable, key=lambda g: expiry_of(g.event, rules, purpose) or at)
        end = expiry_of(latest.event, rules, purpose)
        basis = latest.event.implied_basis
        # An exempt purpose has no period: only the event's own expires_at ended it.
        period = (None if basis is None or purpose in rules.exempt
                  else rules.implied_periods.get(basis))
        return status(ConsentState.EXPIRED, latest.via, Finding(
            "consent.expired", Severity.BLOCK,
            f"implied consent expired on {end.isoformat() if end else '?'}; ask for express "
            "consent",
            (cited := period.source if period is not None and period.source else source),
            status=(period.status if period is not None and period.status else
                    SOURCE_STATUS.get(cited, "")),
        ), end)
    if active:
        kinds = sorted({g.event.consent_kind.value for g in active if g.event.consent_kind})
        return status(ConsentState.NONE, tuple(g.event for g in active), Finding(
            "consent.insufficient", Severity.BLOCK,
            f"{purpose.value} needs {' or '.join(sorted(k.value for k in accepted))} consent "
            f"under {rules.name} rules; recorded consent is only {', '.join(kinds)}",
            source, status=SOURCE_STATUS.get(source, ""),
        ))
    # A grant defaults to SMS: an MMS of listing photos to someone who agreed by web
    # form to "text messages" is refused here, so say which grant would allow it.
    hint = (
        "" if channel is Channel.SMS else
        f"; consent over another channel does not cover {channel.value}: if the person "
        f"agreed to it, record it with channels including {channel.value!r}"
    )
    if purpose in rules.exempt and purpose is not Purpose.MARKETING:
        # The law asks no consent here; refusing without a record is our default, and
        # ConsentRules.exempt_needs_record=False switches it off. Never for marketing:
        # no consent exemption covers it (ConsentRules refuses it in ``exempt``; this
        # guard holds even for rules built around that check).
        if not rules.exempt_needs_record:
            return status(ConsentState.NONE, (), Finding(
                "consent.exempt", Severity.INFO,
                f"no consent recorded for {purpose.value} over {channel.value} in scope "
                f"{scope}; {rules.name} rules need none for it and exempt_needs_record is "
                "off, so it is allowed: the message must only be about an existing "
                "purchase, account or agreed transaction, and must still identify the "
                "sender and offer an unsubscribe",
                source, status=SOURCE_STATUS.get(source, ""),
            ))
        return status(ConsentState.NONE, (), Finding(
            "consent.missing", Severity.BLOCK,
            f"no consent or relationship recorded for {purpose.value} over {channel.value} "
            f"in scope {scope}{hint}; {rules.name} rules need no consent for a message "
            "about an existing purchase, account or agreed transaction, but smskit asks "
            "for a record of it (a default of smskit's, not the law): record the purchase "
            "or contract as implied consent",
            source, status="default",
        ))
    return status(ConsentState.NONE, (), Finding(
        "consent.missing", Severity.BLOCK,
        f"no consent recorded for {purpose.value} over {channel.value} in scope {scope}{hint}",
        source, status=SOURCE_STATUS.get(source, ""),
    ))
