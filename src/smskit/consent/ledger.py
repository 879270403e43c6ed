"""``ConsentLedger``: record consent, answer "may we send?", handle STOP/START/HELP.

The ledger validates input, normalises numbers to E.164, builds events and
hands them to a :class:`~smskit.consent.store.ConsentStore`; answers come from
:func:`smskit.consent.fold.fold`. It never reads the wall clock to decide: every
question takes ``at``. Only ``recorded_at`` (when an event was written) comes
from the injected :class:`Clock`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType, TracebackType
from typing import IO, Any, Protocol

from ..errors import ConfigurationError, ConsentError, LedgerIntegrityError, StoreError
from ..findings import Finding, Severity, _shown, escaped
from ..keywords._data import TWILIO_23002
from ..keywords.classify import Confidence, KeywordMatch, MatchKind, classify_reply
from ..numbers.parse import mask_number
from ..routes import Route
from ._codec import (
    GENESIS_HASH,
    event_from_record,
    event_hash,
    event_record,
    newer_value_error,
    unknown_value,
    verify_chain,
)
from ._rules import (
    FCC_CONFIRMATION,
    FCC_REVOCATION,
    FCC_REVOKE_ALL,
    REVOKE_ALL_CHANNELS,
    US,
    ConsentRules,
)
from .fold import ConsentStatus, event_reference, expiry_of, facts_of, replay_order
from .model import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    EventKind,
    Evidence,
    ImpliedBasis,
    Purpose,
    RevocationMethod,
    coerce_enum,
    coerce_enum_set,
    normalize_recipient,
    require_aware,
)
from .replies import (
    OPT_OUT_CONFIRMATION_WINDOW,
    TEXT_CHANNELS,
    AutoReply,
    ReplyOutcome,
    SenderProfile,
    lifts_network_stop,
    network_hold,
    network_opt_in,
)
from .sender import _route_of_sender_id, log_advice
from .store import ConsentStore

__all__ = [
    "Clock",
    "ConsentLedger",
    "SystemClock",
]

logger = logging.getLogger("smskit.consent")

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_ALL_PURPOSES = frozenset(Purpose)
_END = datetime.max.replace(tzinfo=UTC)  # "whatever happened since"
# verify_incremental(): counts taken while other writers append, before giving up.
_COUNT_ROUNDS = 5


class Clock(Protocol):
    """Protocol: where ``recorded_at`` comes from (inject a fixed one in tests)."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The system clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def _later(at: datetime, delta: timedelta) -> datetime:
    """``delta`` of real time after ``at``, in ``at``'s zone, or the last (first, for a
    negative ``delta``) time of the calendar when that is past year 9999 (before year 1).

    In UTC: plain ``at + delta`` adds wall-clock time, an hour off across a clock change."""
    try:
        return (at.astimezone(UTC) + delta).astimezone(at.tzinfo)
    except OverflowError:
        pass
    # The instant has no UTC form only within a day of the calendar's ends (year 1 at a
    # positive offset, 9999 at a negative one), where no zone of the tz database changes
    # its clocks: there the zone's own arithmetic is real time.
    try:
        return at + delta
    except OverflowError:
        end = datetime.max if delta > timedelta(0) else datetime.min
        return end.replace(tzinfo=at.tzinfo)


def _from_reply(
    event: ConsentEvent, message_id: str, scope: ConsentScope, reply_text: str | None
) -> bool:
    """Whether ``event`` is the revocation :meth:`ConsentLedger.handle_reply` recorded
    for the inbound message ``message_id`` at ``scope``.

    The scope and the text are part of it: message ids are unique per provider, not
    across the providers and senders one ledger serves, and a STOP that happens to
    carry the same id must be recorded, not taken for a replay (a redelivery carries
    the very same text; another message with the id, after a START, would be lost).
    """
    return (
        event.kind is EventKind.REVOKED
        and event.evidence.reference == message_id
        and event.evidence.actor == "smskit.handle_reply"
        and event.scope == scope
        and event.evidence.reply_text == reply_text
    )


def _handled(event: ConsentEvent, message_id: str, scope: ConsentScope) -> bool:
    """Whether ``event`` is what :meth:`ConsentLedger.handle_reply` recorded, whatever
    its kind, for the inbound message ``message_id`` sent to ``scope``.

    It may sit above ``scope``: a confirmation is recorded at its request's scope, a
    re-grant at the profile's ``revocation_scope``. (Taking another sender's message
    with the same id for this one skips an opt-in: the person can send it again.)
    """
    return (
        event.evidence.reference == message_id
        and event.evidence.actor == "smskit.handle_reply"
        and event.scope.covers(scope)
    )


def _pending_request(
    events: Iterable[ConsentEvent], scope: ConsentScope, at: datetime
) -> ConsentEvent | None:
    """The request a YES in ``scope`` at ``at`` would confirm: the latest not yet
    confirmed or revoked, at ``scope`` or above it."""
    pending: ConsentEvent | None = None
    for event in sorted(events, key=replay_order):
        if event.occurred_at > at or not event.scope.covers(scope):
            continue
        if event.kind is EventKind.REQUESTED:
            pending = event
        elif pending is not None and (
            event.kind is EventKind.REVOKED
            or (event.kind is EventKind.CONFIRMED and event.confirms == pending.sequence)
        ):
            pending = None
    return pending


def _method_name(revocation: ConsentEvent) -> str:
    method = revocation.revocation_method
    return f"by {method.value}" if method is not None else "revoked"


def _revoked_reference(
    events: Iterable[ConsentEvent], draft: ConsentEvent
) -> tuple[ConsentEvent, ConsentEvent] | None:
    """The earlier grant with ``draft``'s evidence reference and the revocation that
    ended it, when nothing has lifted that revocation by ``draft``'s time.

    A reference names one act of consent (a form submission, a signed paper): that
    act, revoked by a STOP or a "wrong number", is no consent for a later grant to
    restore. A CRM that records the consent again on every sync of the record
    would otherwise lift each opt-out the next night. A re-grant (START) or a grant
    with other evidence since the revocation is the person's new word: recording the
    old act again then changes nothing, and is left alone.
    """
    # Compared as written but for the spaces around it (a CRM export pads a cell now
    # and then); case is kept, as ids may be case-sensitive.
    reference = (draft.evidence.reference or "").strip()
    # From the FCC revoke-all date an opt-out in any scope of the caller ends this one
    # too (the engine's OptOutPolicy reads it so): such opt-outs, and what lifts them,
    # count wherever in the caller's scopes they are. A revocation made from that date
    # on ends it whatever purposes and channels it names (the engine reads it as
    # covering every text of the caller).
    wide = FCC_REVOKE_ALL.in_force(draft.occurred_at)

    def related(event: ConsentEvent) -> bool:
        if (event.kind is EventKind.REVOKED and event.scope.key[0] == draft.scope.key[0]
                and FCC_REVOKE_ALL.in_force(event.occurred_at)
                and not event.channels.isdisjoint(REVOKE_ALL_CHANNELS)):
            return True
        in_line = event.scope.covers(draft.scope) or draft.scope.covers(event.scope)
        caller = wide and event.scope.key[0] == draft.scope.key[0] and (
            event.kind is not EventKind.REVOKED or event.purposes >= _ALL_PURPOSES)
        return (
            (in_line or caller)
            and bool(event.purposes & draft.purposes)
            and bool(event.channels & draft.channels)
        )

    earlier: ConsentEvent | None = None
    revocation: ConsentEvent | None = None
    for event in sorted(events, key=replay_order):
        if event.occurred_at > draft.occurred_at or not related(event):
            continue
        if event.kind is EventKind.GRANTED and (
            (event.evidence.reference or "").strip() == reference
        ):
            earlier = earlier or event
        elif earlier is None:
            continue
        elif event.kind is EventKind.REVOKED:
            revocation = revocation or event
        # The person's own later word: nothing to protect. From the revoke-all date
        # only for the purposes it names (the engine lifts such an opt-out per
        # purpose): after "I still want reminders", the old act re-recorded would
        # lift it for the offers the person refused.
        elif event.kind in (EventKind.REGRANTED, EventKind.GRANTED, EventKind.CONFIRMED) and (
            revocation is None or not (FCC_REVOKE_ALL.in_force(revocation.occurred_at)
                                       and not event.purposes >= draft.purposes)):
            revocation = None
    if earlier is None or revocation is None:
        return None
    return earlier, revocation


def _confirmed(
    request: ConsentEvent, at: datetime, source: ConsentSource, evidence: Evidence,
    recorded_at: datetime, received_by: str | None = None,
) -> ConsentEvent:
    """The draft confirming ``request`` (at its scope, for its purposes and channels)."""
    return ConsentEvent(
        kind=EventKind.CONFIRMED, recipient=request.recipient, scope=request.scope,
        channels=request.channels, purposes=request.purposes, occurred_at=at,
        source=source, evidence=evidence, consent_kind=request.consent_kind,
        confirms=request.sequence, recorded_at=recorded_at, received_by=received_by,
    )


@dataclass(frozen=True, slots=True)
class _Reply:
    """One opt-out or opt-in reply being handled, as its decision reads it."""

    match: KeywordMatch
    profile: SenderProfile
    recipient: str
    scope: ConsentScope  # where an opt-out or a re-grant is recorded
    reply_scope: ConsentScope  # the scope it was sent to (a request's, a note's)
    channels: frozenset[Channel]
    channel: Channel
    at: datetime
    evidence: Evidence
    recorded_at: datetime
    body: str
    confirm_only: bool  # a toll-free YES: it may confirm a request, never re-grant
    received_by: str | None  # the business's number it reached, when known
    to_toll_free: bool  # that number is toll-free (its network holds a STOP itself)


def _wrong_number_held(events: Sequence[ConsentEvent], reply: _Reply) -> Finding | None:
    """Why an opt-in did not lift the "wrong number" holding its channel (the latest such
    reply cited), for a reply whose channel one holds."""
    wrong = max(
        (e for e in events
         if e.kind is EventKind.REVOKED and e.revocation_method is RevocationMethod.WRONG_NUMBER
         and e.occurred_at <= reply.at and reply.channel in e.channels
         and e.scope.key[0] == reply.scope.key[0]),
        key=replay_order, default=None,
    )
    if wrong is None:  # not reached: the held channel came from such an event
        return None
    return Finding(
        "consent.revoked", Severity.BLOCK,
        f"an opt-in reply does not lift, over {reply.channel.value}, the reply of "
        f"{wrong.occurred_at.isoformat()} that this is the wrong number: the consent on "
        "file was someone else's, so nothing is allowed there again and no answer is "
        "sent. If this person wants texts, record their own consent with grant() and "
        "its evidence",
        FCC_REVOCATION, MappingProxyType(event_reference(wrong)), "default",
    )


def _refused_by_name(
    events: Iterable[ConsentEvent], scope: ConsentScope, channels: frozenset[Channel],
    at: datetime, rules: ConsentRules,
) -> frozenset[Purpose]:
    """From the FCC revoke-all date, the purposes a revocation of some purposes named
    ("no more offers") in the caller's scopes and no later grant over ``scope`` and
    one of ``channels`` (the re-grant's), of a kind ``rules`` accept for the purpose
    and not expired at ``at``, gave back. A START then re-grants the others
    only: it asks for texts again, not for what the person refused by name. Pieces
    that together name every purpose are a whole opt-out, which START lifts as it
    lifts a STOP."""
    refused: set[Purpose] = set()
    replayed = sorted(
        (e for e in events if e.occurred_at <= at and e.scope.key[0] == scope.key[0]),
        key=replay_order,
    )
    for event in replayed:
        if (event.kind is EventKind.REVOKED and not event.purposes >= _ALL_PURPOSES
                and event.revocation_method is not RevocationMethod.WRONG_NUMBER
                and FCC_REVOKE_ALL.in_force(event.occurred_at)
                and not event.channels.isdisjoint(REVOKE_ALL_CHANNELS)):
            refused |= event.purposes
        # A grant gives a purpose back only over the channels it names (the engine
        # lifts so): offers by e-mail or by phone are no offers by text. (rev30s)
        elif (event.kind in (EventKind.GRANTED, EventKind.CONFIRMED, EventKind.REGRANTED)
                and event.scope.covers(scope) and not event.channels.isdisjoint(channels)):
            # Nor a grant too weak to send for the purpose (an implied "consent" to
            # offers from a purchase): re-granted, offers would go on the old written
            # sign-up the person refused; nor one expired by now (thirty days of
            # offers). A re-grant names no kind: it restores.
            refused -= {p for p in event.purposes if event.kind is EventKind.REGRANTED
                        or (event.consent_kind in rules.accepted[p]
                            and (expiry_of(event, rules, p) or _END) > at)}
    return frozenset(refused) if refused < _ALL_PURPOSES else frozenset()


def _lifts_hold(reply: _Reply, events: Sequence[ConsentEvent]) -> bool:
    """Whether ``reply`` is a START or UNSTOP reaching a toll-free number whose network
    still holds an earlier STOP to it (:func:`~smskit.consent.replies.network_hold`)."""
    if not reply.to_toll_free or reply.received_by is None or not network_opt_in(reply.body):
        return False
    return network_hold(
        (facts_of(e) for e in events if e.occurred_at <= reply.at), reply.received_by
    ) is not None


@dataclass(slots=True)
class _Decision:
    """What a reply decided from the events read in the store's atomic step: the
    answer, and the draft to record, which is the answer's event unless ``noted``."""

    outcome: ReplyOutcome
    draft: ConsentEvent | None = None
    noted: bool = False


def _checked_head(head: object, name: str = "since_head") -> tuple[int, str]:
    # A wrong head must be a mistake named as such, never "the last events were
    # edited or removed": a false tamper alarm in an audit.
    if (
        not isinstance(head, tuple | list) or len(head) != 2
        or not isinstance(head[0], int) or isinstance(head[0], bool)
        or not isinstance(head[1], str)
    ):
        hint = (
            " (the SEQ:HASH text the command line prints is (int(seq), hash))"
            if isinstance(head, str) else ""
        )
        raise TypeError(f"{name}: give the (sequence, hash) tuple that verify() returned{hint}")
    if head[0] < 0 or not re.fullmatch("[0-9a-f]{64}", head[1]):
        raise ConfigurationError(
            f"{name}: give a sequence of 0 or more and a 64-digit hex hash, as verify() "
            "returns", field=name,
        )
    return head[0], head[1]


def _senders_by_scope(
    senders: Mapping[str, SenderProfile] | None,
) -> dict[ConsentScope, SenderProfile]:
    """``senders=`` as parsed scopes. A list of profiles (what ``Messenger`` takes) is
    refused with the mapping to write instead, not an ``AttributeError``."""
    if senders is None:
        return {}
    if not isinstance(senders, Mapping):
        raise ConfigurationError(
            "ConsentLedger senders= maps a consent scope to its SenderProfile, e.g. "
            "{p.consent_scope: p for p in profiles}; got a "
            f"{type(senders).__name__}", field="senders",
        )
    parsed: dict[ConsentScope, SenderProfile] = {}
    given: dict[ConsentScope, object] = {}
    for scope, profile in senders.items():
        # Keyed by sending number ({p.sender_id: p}) it parses as a scope of its own
        # name, and replies in the profile's scope would get the default profile.
        if isinstance(scope, str) and scope.startswith("+") and _route_of_sender_id(scope):
            raise ConfigurationError(
                "ConsentLedger senders= is keyed by consent scope "
                "({p.consent_scope: p for p in profiles}), not by the sending number "
                f"{mask_number(scope)}", field="senders",
            )
        if not isinstance(profile, SenderProfile):
            raise ConfigurationError(
                f"ConsentLedger senders=: the value for scope {scope!r:.40} must be a "
                f"SenderProfile; got a {type(profile).__name__}", field="senders",
            )
        key = ConsentScope.parse(scope)
        if key in parsed:
            # Scopes compare case-insensitively ("Acme" is "acme"): two entries for one
            # scope would leave which profile handles its replies to dict order.
            raise ConfigurationError(
                f"ConsentLedger senders=: scopes {str(given[key])!r:.40} and "
                f"{str(scope)!r:.40} are one scope (scopes ignore case); keep one entry",
                field="senders",
            )
        parsed[key], given[key] = profile, scope
    return parsed


class ConsentLedger:
    """The consent ledger over a store.

    Args:
        store: where events live (:class:`~smskit.consent.MemoryStore`,
            :class:`~smskit.consent.SQLiteStore`).
        rules: which consent each purpose needs (default: US TCPA/CTIA).
        clock: source of ``recorded_at``.
        senders: reply handling per scope (``"acme"`` or ``"acme/app-7"``); the
            most specific scope covering a reply's scope wins.
        default_sender: used when no entry of ``senders`` covers the scope.
        region: region assumed for numbers written without a country code.
    """

    def __init__(
        self,
        store: ConsentStore,
        *,
        rules: ConsentRules = US,
        clock: Clock | None = None,
        senders: Mapping[str, SenderProfile] | None = None,
        default_sender: SenderProfile | None = None,
        region: str = "US",
    ) -> None:
        # A store written before append_decided existed would fail only at the first
        # reply, as an AttributeError that a webhook retries forever: the STOP unrecorded.
        if not callable(getattr(store, "append_decided", None)):
            raise ConfigurationError(
                "store has no append_decided (added to ConsentStore so that a reply is "
                "checked and recorded in one step): add append_decided(recipient, decide) "
                "to your store, reading the person's events, calling decide(events) and "
                "appending the drafts it returns under one lock or transaction (see "
                "docs/consent.md, \"Integrity and stores\")",
                field="store",
            )
        # A name ("casl") was kept and failed later, at the first status, as an
        # AttributeError: refuse it here with the object to pass.
        if not isinstance(rules, ConsentRules):
            raise ConfigurationError(
                f"rules must be a ConsentRules, not {type(rules).__name__}: pass "
                "smskit.consent.CASL (Canada) or smskit.consent.US (the default)",
                field="rules",
            )
        self.store = store
        self.rules = rules
        self._clock = clock or SystemClock()
        self._senders = _senders_by_scope(senders)
        self._default_sender = default_sender or SenderProfile()
        # The profiles given answer HELP: one whose answer gives no contact is logged
        # once (sender.help_no_contact), as `smskit check` prints it for a sender.toml.
        log_advice([*self._senders.values(), *([default_sender] if default_sender else [])],
                   logger)
        self._region = region

    def __repr__(self) -> str:
        return f"ConsentLedger(store={self.store!r}, rules={self.rules.name!r})"

    @property
    def region(self) -> str:
        """The region assumed for numbers written without a country code."""
        return self._region

    def close(self) -> None:
        """Close the store (a SQLite file's connection); the ledger is unusable afterwards."""
        self.store.close()

    def __enter__(self) -> ConsentLedger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- recording -----------------------------------------------------------

    def _now(self) -> datetime:
        return require_aware(self._clock.now(), "clock.now()")

    def _record(self, **fields: object) -> ConsentEvent:
        event = ConsentEvent(recorded_at=self._now(), **fields)  # type: ignore[arg-type]
        return self._logged(self.store.append(event))

    def _logged(self, sealed: ConsentEvent) -> ConsentEvent:
        logger.info(
            "consent %s recorded for %s in %s (sequence %d)",
            # A scope is the caller's text: a control character in it (ESC) is escaped.
            sealed.kind.value, mask_number(sealed.recipient), escaped(str(sealed.scope)),
            sealed.sequence,
        )
        return sealed

    def grant(
        self,
        number: str,
        *,
        scope: ConsentScope | str,
        purposes: Iterable[Purpose | str] | Purpose | str,
        kind: ConsentKind | str,
        source: ConsentSource | str,
        at: datetime,
        channels: Iterable[Channel | str] | Channel | str = (Channel.SMS,),
        evidence: Evidence | None = None,
        implied_basis: ImpliedBasis | str | None = None,
        expires_at: datetime | None = None,
    ) -> ConsentEvent:
        """Record consent that is given now (single opt-in, paper, import...).

        Express written consent needs ``evidence.consent_text`` (the disclosure
        shown) and a locator (``form_url``, ``reference`` or ``reply_text``).

        Raises:
            ConsentError: an invalid field (``field`` names it); with
                ``field="evidence.reference"``, the act of consent this reference names
                was revoked since it was recorded and nothing new came after: a sync
                recording many customers skips that row on this field alone.
        """
        return self._granting(
            EventKind.GRANTED, number, scope, purposes, kind, source, at, channels,
            evidence, implied_basis, expires_at,
        )

    def request(
        self,
        number: str,
        *,
        scope: ConsentScope | str,
        purposes: Iterable[Purpose | str] | Purpose | str,
        kind: ConsentKind | str,
        source: ConsentSource | str,
        at: datetime,
        channels: Iterable[Channel | str] | Channel | str = (Channel.SMS,),
        evidence: Evidence | None = None,
    ) -> ConsentEvent:
        """Record a pending request (double opt-in): nothing may be sent until confirmed."""
        return self._granting(
            EventKind.REQUESTED, number, scope, purposes, kind, source, at, channels,
            evidence, None, None,
        )

    def _granting(
        self,
        event_kind: EventKind,
        number: str,
        scope: ConsentScope | str,
        purposes: object,
        kind: ConsentKind | str,
        source: ConsentSource | str,
        at: datetime,
        channels: object,
        evidence: Evidence | None,
        implied_basis: ImpliedBasis | str | None,
        expires_at: datetime | None,
    ) -> ConsentEvent:
        draft = ConsentEvent(
            kind=event_kind,
            recipient=normalize_recipient(number, region=self._region),
            scope=ConsentScope.parse(scope),
            channels=coerce_enum_set(channels, Channel, "channels"),
            purposes=coerce_enum_set(purposes, Purpose, "purposes"),
            occurred_at=require_aware(at, "at"),
            source=coerce_enum(source, ConsentSource, "source"),
            evidence=evidence or Evidence(),
            consent_kind=coerce_enum(kind, ConsentKind, "kind"),
            implied_basis=(
                None if implied_basis is None
                else coerce_enum(implied_basis, ImpliedBasis, "implied_basis")
            ),
            expires_at=expires_at,
            recorded_at=self._now(),
        )
        if event_kind is not EventKind.GRANTED or not (draft.evidence.reference or "").strip():
            return self._logged(self.store.append(draft))

        def unless_revoked(events: Sequence[ConsentEvent]) -> list[ConsentEvent]:
            revoked = _revoked_reference(events, draft)
            if revoked is not None:
                earlier, revocation = revoked
                raise ConsentError(
                    "evidence.reference: the consent with reference "
                    f"{_shown(draft.evidence.reference):.60} "
                    f"(ledger event {earlier.sequence}) was revoked on "
                    f"{revocation.occurred_at.isoformat()} (event {revocation.sequence}, "
                    f"{_method_name(revocation)}); recording it again would send to someone "
                    "who opted out. Record new consent only with the new act's own "
                    "evidence.reference (a new form submission, a new signed paper), and "
                    "stop re-recording consent on every sync of the customer's record",
                    field="evidence.reference",
                )
            return [draft]

        # Read and written in one step: a STOP landing between a check and the append
        # would otherwise be lifted by the grant it came to end.
        sealed, _ = self.store.append_decided(draft.recipient, unless_revoked)
        return self._logged(sealed[0])

    def confirm(
        self,
        number: str,
        *,
        scope: ConsentScope | str,
        at: datetime,
        source: ConsentSource | str = ConsentSource.KEYWORD,
        evidence: Evidence | None = None,
    ) -> ConsentEvent:
        """Confirm the latest pending request in ``scope`` (the person replied YES).

        Raises:
            ConsentError: (``field="number"``) no pending request to confirm.
        """
        recipient = normalize_recipient(number, region=self._region)
        scope_ = ConsentScope.parse(scope)
        at = require_aware(at, "at")
        source_ = coerce_enum(source, ConsentSource, "source")
        now = self._now()

        def confirmation(events: Sequence[ConsentEvent]) -> list[ConsentEvent]:
            request = _pending_request(events, scope_, at)
            if request is None:
                raise ConsentError(
                    f"number: {mask_number(recipient)} has no pending consent request in "
                    f"scope {scope_}; record one with request() first",
                    field="number",
                )
            return [_confirmed(request, at, source_, evidence or Evidence(), now)]

        # Read and written in one step: two confirmations at once confirm the request once.
        sealed, _ = self.store.append_decided(recipient, confirmation)
        return self._logged(sealed[0])

    def revoke(
        self,
        number: str,
        *,
        scope: ConsentScope | str,
        at: datetime,
        method: RevocationMethod | str = RevocationMethod.API,
        source: ConsentSource | str = ConsentSource.API,
        purposes: Iterable[Purpose | str] | Purpose | str = _ALL_PURPOSES,
        channels: Iterable[Channel | str] | Channel | str = frozenset(Channel),
        evidence: Evidence | None = None,
    ) -> ConsentEvent:
        """Record a revocation; it takes effect at ``at``, beating every earlier grant.

        By default it covers every purpose and channel in ``scope``: a person who
        says stop is presumed to mean everything (FCC 64.1200(a)(12): no answer
        to "which messages?" means all).
        """
        return self._logged(self.store.append(self._revocation(
            number, scope, at, method, source, purposes, channels, evidence or Evidence(),
        )))

    def revoke_once(
        self,
        number: str,
        *,
        scope: ConsentScope | str,
        at: datetime,
        evidence: Evidence,
        method: RevocationMethod | str = RevocationMethod.API,
        source: ConsentSource | str = ConsentSource.API,
        profile: SenderProfile | None = None,
    ) -> ConsentEvent:
        """:meth:`revoke` for one provider message (a reply, a delivery report), named
        by ``evidence.reference`` (e.g. its provider id): recorded unless a revocation
        with the same ``evidence`` in ``scope`` is there already, which is then
        returned instead.

        ``profile``: the profile of the number the message reached, for an opt-out
        reply (the provider matched STOP): its ``sender_id`` is recorded as the
        event's ``received_by``, so a STOP to a toll-free number is held for that
        number until START or UNSTOP reaches it (as the network holds it).

        A provider's opt-out webhook delivered twice (a retry, two workers) records
        one revocation: recorded again later, it would undo a START sent in between.
        The check and the write are one step of the store (``append_decided``).

        Raises:
            ConsentError: (``field="evidence"``) no ``evidence.reference``.
        """
        if not isinstance(evidence, Evidence) or not (evidence.reference or "").strip():
            raise ConsentError(
                "evidence: revoke_once needs evidence.reference naming the message "
                "(its provider id); use revoke() for a revocation not tied to one",
                field="evidence",
            )
        draft = self._revocation(
            number, scope, at, method, source, _ALL_PURPOSES, frozenset(Channel), evidence
        )
        if profile is not None and profile.sender_id:
            draft = replace(draft, received_by=profile.sender_id)
        earlier: list[ConsentEvent] = []

        def once(events: Sequence[ConsentEvent]) -> list[ConsentEvent]:
            earlier[:] = [
                e for e in events
                if e.kind is EventKind.REVOKED and e.evidence == evidence
                and e.scope == draft.scope
            ]
            return [] if earlier else [draft]

        sealed, _ = self.store.append_decided(draft.recipient, once)
        return self._logged(sealed[0]) if sealed else earlier[0]

    def _revocation(
        self, number: str, scope: ConsentScope | str, at: datetime,
        method: RevocationMethod | str, source: ConsentSource | str, purposes: object,
        channels: object, evidence: Evidence,
    ) -> ConsentEvent:
        return ConsentEvent(
            kind=EventKind.REVOKED,
            recipient=normalize_recipient(number, region=self._region),
            scope=ConsentScope.parse(scope),
            channels=coerce_enum_set(channels, Channel, "channels"),
            purposes=coerce_enum_set(purposes, Purpose, "purposes"),
            occurred_at=require_aware(at, "at"),
            source=coerce_enum(source, ConsentSource, "source"),
            evidence=evidence,
            revocation_method=coerce_enum(method, RevocationMethod, "method"),
            recorded_at=self._now(),
        )

    def regrant(
        self,
        number: str,
        *,
        scope: ConsentScope | str,
        at: datetime,
        source: ConsentSource | str = ConsentSource.KEYWORD,
        purposes: Iterable[Purpose | str] | Purpose | str = _ALL_PURPOSES,
        channels: Iterable[Channel | str] | Channel | str = TEXT_CHANNELS,
        evidence: Evidence | None = None,
    ) -> ConsentEvent:
        """Record an explicit re-grant (START after STOP): restores the grants it suspended."""
        return self._record(
            kind=EventKind.REGRANTED,
            recipient=normalize_recipient(number, region=self._region),
            scope=ConsentScope.parse(scope),
            channels=coerce_enum_set(channels, Channel, "channels"),
            purposes=coerce_enum_set(purposes, Purpose, "purposes"),
            occurred_at=require_aware(at, "at"),
            source=coerce_enum(source, ConsentSource, "source"),
            evidence=evidence or Evidence(),
        )

    # -- answering -----------------------------------------------------------

    def status(
        self,
        number: str,
        purpose: Purpose | str,
        *,
        scope: ConsentScope | str,
        at: datetime,
        channel: Channel | str = Channel.SMS,
        known_at: datetime | None = None,
    ) -> ConsentStatus:
        """May ``purpose`` be sent to ``number`` from ``scope`` over ``channel`` at ``at``?

        ``at`` in the past answers from history ("was it allowed when we sent
        it?"). ``known_at`` limits the answer to events recorded by then (what
        the sender could have known).
        """
        return self.store.state(
            normalize_recipient(number, region=self._region),
            coerce_enum(purpose, Purpose, "purpose"),
            scope=ConsentScope.parse(scope),
            channel=coerce_enum(channel, Channel, "channel"),
            at=require_aware(at, "at"),
            known_at=None if known_at is None else require_aware(known_at, "known_at"),
            rules=self.rules,
        )

    def history(self, number: str) -> tuple[ConsentEvent, ...]:
        """Every event recorded for ``number``, in ledger order."""
        return tuple(self.store.events(normalize_recipient(number, region=self._region)))

    def event(self, sequence: int) -> ConsentEvent:
        """The event at ``sequence``: the one a decision's finding cites
        (``details["event"]``, :attr:`~smskit.policy.Decision.consent_events`), with
        its evidence. Sequences survive :meth:`export_jsonl`/:meth:`import_jsonl`, so
        a decision saved against one store is looked up in its copy.

        Raises:
            ConsentError: (``field="sequence"``) not a sequence this ledger holds.
        """
        if type(sequence) is not int or sequence < 1:
            raise ConsentError("sequence: give a ledger sequence, a whole number from 1",
                               field="sequence")
        # SQLite and PostgreSQL read the one row: a scan reads a batch, and from 0 it
        # starts SQLite's integrity check of the whole file. Other stores are scanned.
        lookup = getattr(self.store, "event_by_sequence", None)
        if callable(lookup):
            found: ConsentEvent | None = lookup(sequence)
        else:
            events = self.store.scan(after=sequence - 1)
            try:
                found = next(events, None)
            finally:
                close = getattr(events, "close", None)  # a generator holding a read open
                if close is not None:
                    close()
        if found is None or found.sequence != sequence:
            raise ConsentError(
                f"sequence: the ledger holds no event {sequence} (its head is "
                f"{self.store.head()[0]}); was the decision made against another ledger?",
                field="sequence",
            )
        return found

    @staticmethod
    def _opt_out_to_lift(
        events: Iterable[ConsentEvent], scope: ConsentScope, channels: frozenset[Channel],
        at: datetime, *, toll_free: bool, start: bool = False,
    ) -> tuple[frozenset[Channel], frozenset[Channel]]:
        """The channels of ``channels`` on which an opt-out (a revocation of every
        purpose, as the opt-out policy reads it) in the caller's scopes (FCC revoke-all
        reaches sibling scopes) is not yet lifted by a later re-grant over that channel
        in its scope or in ``scope``; and those on which a "wrong number" is (a reply
        may not lift those).

        A revocation of some purposes (an agent's "no more offers") or of other
        channels ("stop calling me") is no opt-out: a "Yes" must not undo it. On a
        toll-free number the network holds a keyword STOP until START/UNSTOP, so a
        re-grant by another word (YES to a long code) does not lift it there.

        From the FCC revoke-all date such a revocation stops every text of the caller
        (the engine's OptOutPolicy reads it so): with ``start`` (the reply is START or
        UNSTOP, the person asking for every text again) it is an opt-out on every
        channel of ``channels`` too, so START lifts it; a "Yes" still does not.
        """
        replayed = sorted(
            (e for e in events if e.occurred_at <= at and e.scope.key[0] == scope.key[0]),
            key=replay_order,
        )
        held: list[tuple[ConsentEvent, Channel]] = []
        for event in replayed:
            if (start and event.kind is EventKind.REVOKED
                    and event.revocation_method is not RevocationMethod.WRONG_NUMBER
                    and FCC_REVOKE_ALL.in_force(event.occurred_at)
                    and not event.channels.isdisjoint(REVOKE_ALL_CHANNELS)):
                held += [(event, channel) for channel in channels]
            elif event.kind is EventKind.REVOKED and event.purposes >= _ALL_PURPOSES:
                held += [(event, channel) for channel in event.channels & channels]
            elif event.kind is EventKind.REGRANTED:
                held = [
                    (stop, channel) for stop, channel in held
                    if channel not in event.channels
                    or not (event.scope.covers(stop.scope) or event.scope.covers(scope))
                    or (toll_free and stop.source is ConsentSource.KEYWORD
                        and not lifts_network_stop(event.source, event.evidence.reply_text))
                ]
            elif event.kind is EventKind.GRANTED:
                # The new owner's own consent ends a "wrong number" (as the opt-out
                # policy reads it): their later STOP must then be liftable by START.
                held = [
                    (stop, channel) for stop, channel in held
                    if stop.revocation_method is not RevocationMethod.WRONG_NUMBER
                    or channel not in event.channels
                    or not (event.scope.covers(stop.scope) or event.scope.covers(scope))
                ]
        # A "wrong number" still in force is no opt-out a reply may lift: the consent on
        # file was someone else's, so only a new grant (GRANTED) ends it. On a channel
        # that grant covered, the new owner's own later STOP is theirs to lift.
        wrong = {channel for stop, channel in held
                 if stop.revocation_method is RevocationMethod.WRONG_NUMBER}
        liftable = frozenset(channel for _, channel in held if channel not in wrong)
        return liftable, frozenset(wrong)

    @staticmethod
    def _already_revoked(
        before: Iterable[ConsentEvent], scope: ConsentScope, channel: Channel, at: datetime
    ) -> bool:
        relevant = [
            e for e in before
            if e.occurred_at <= at and channel in e.channels and e.scope.covers(scope)
            and e.kind is not EventKind.NOTED  # no consent effect: not the last word
        ]
        if not relevant:
            return False
        last = max(relevant, key=replay_order)
        # Only a revocation of everything makes a new STOP a repeat: after an agent
        # revoked marketing alone, the person's STOP still earns its one confirmation.
        return last.kind is EventKind.REVOKED and last.purposes >= _ALL_PURPOSES

    @staticmethod
    def _confirmation(
        profile: SenderProfile, revocation: ConsentEvent, language: str | None
    ) -> AutoReply:
        """The one FCC confirmation of ``revocation``, due within 5 minutes of it, in
        the ``language`` of the opt-out word."""
        return AutoReply(
            profile.reply_in("opt_out_reply", language), MatchKind.OPT_OUT,
            _later(revocation.occurred_at, OPT_OUT_CONFIRMATION_WINDOW), FCC_CONFIRMATION,
        )

    def _replayed_stop(
        self, profile: SenderProfile, events: Sequence[ConsentEvent], message_id: str | None,
        scope: ConsentScope, channel: Channel, at: datetime, reply_text: str | None,
        language: str | None,
    ) -> ReplyOutcome | None:
        """What a STOP already recorded from message ``message_id`` answered, or ``None``.

        A webhook retried after a crash between the ledger write and the reply
        carries the same message id: it must not record the STOP again, and it
        must still get the confirmation the first delivery would have sent,
        but only within 5 minutes of the opt-out (as ``ConfirmationPolicy``
        judges: late when more than 5 minutes after it).
        """
        if message_id is None:
            return None
        first = next(
            (e for e in events if _from_reply(e, message_id, scope, reply_text)), None
        )
        if first is None:
            return None
        before = [e for e in events if e.sequence < first.sequence]
        # A "wrong number" was never confirmed: its redelivery is not either.
        if first.revocation_method is RevocationMethod.WRONG_NUMBER or self._already_revoked(
            before, first.scope, channel, first.occurred_at
        ):
            return ReplyOutcome(None, first)
        reply = self._confirmation(profile, first, language)
        if reply.send_by is not None and at > reply.send_by:
            return ReplyOutcome(None, first)
        # Re-subscribed since (START): "you are unsubscribed" would now be false.
        # (Judged no earlier than the opt-out: another host's clock may lag.)
        if not self._already_revoked(events, first.scope, channel, max(at, first.occurred_at)):
            return ReplyOutcome(None, first)
        return ReplyOutcome(None, first, reply)

    def _replayed_opt_in(
        self, profile: SenderProfile, events: Sequence[ConsentEvent], message_id: str | None,
        scope: ConsentScope, channel: Channel, at: datetime, language: str | None,
    ) -> ReplyOutcome | None:
        """What an opt-in already handled from message ``message_id`` answered, or ``None``.

        A retried YES/START webhook is the same message: recording it again would
        turn a confirmed double opt-in into a re-grant of every purpose, or undo a
        STOP the person sent since. Its reply is answered again only while the
        person is still opted in. One that changed nothing the first time (noted)
        changes nothing now, whatever was recorded since; so does a message id
        recorded as anything else (the same message cannot be two replies).
        """
        if message_id is None:
            return None
        first = next((e for e in events if _handled(e, message_id, scope)), None)
        if first is None:
            return None
        if first.kind not in (EventKind.CONFIRMED, EventKind.REGRANTED):
            return ReplyOutcome(None)
        if self._already_revoked(events, first.scope, channel, max(at, first.occurred_at)):
            return ReplyOutcome(None, first)
        reply = (
            AutoReply(profile.reply_in("confirm_reply", language), MatchKind.OPT_IN)
            if first.kind is EventKind.CONFIRMED
            else AutoReply(
                profile.reply_in("opt_in_reply", language), MatchKind.OPT_IN,
                source=TWILIO_23002,
            )
        )
        return ReplyOutcome(None, first, reply)

    def sender(self, scope: ConsentScope | str) -> SenderProfile:
        """The reply-handling profile for ``scope`` (most specific covering entry)."""
        return self._configured(ConsentScope.parse(scope)) or self._default_sender

    def _configured(self, scope: ConsentScope) -> SenderProfile | None:
        best: tuple[int, SenderProfile] | None = None
        for key, profile in self._senders.items():
            if key.covers(scope) and (best is None or len(key.parts) > best[0]):
                best = (len(key.parts), profile)
        return None if best is None else best[1]

    def handle_reply(
        self,
        number: str,
        body: str,
        *,
        scope: ConsentScope | str,
        at: datetime,
        channel: Channel | str = Channel.SMS,
        message_id: str | None = None,
        profile: SenderProfile | None = None,
    ) -> ReplyOutcome:
        """Classify an inbound reply, record what it asks for, return the auto-reply.

        The texts, keywords and route are those of this ledger's profile for
        ``scope`` (``senders=``), else of ``profile`` (the profile of the number the
        reply was sent to, as the messenger passes it), else ``default_sender``.
        The number the reply reached is ``profile``'s ``sender_id`` (not known without
        ``profile``): every event the reply leaves records it as ``received_by``. A
        START or UNSTOP to a toll-free number whose STOP is still held there (a START
        to another number lifted the opt-out) leaves a ``NOTED`` event even without a
        ``message_id``, so that the engine's hold for that number lifts.

        * Opt-out (``EXACT`` or ``PHRASE``): a revocation, effective at ``at``,
          with the reply as evidence, and one confirmation text to send within
          5 minutes; none if the number was already opted out. A STOP with a
          ``message_id`` already recorded (a webhook retried after a crash) is
          not recorded again: it answers with the first one's event and, within
          5 minutes of that opt-out and while the person is still opted out (no
          START since), its confirmation (send it under an idempotency key made
          from the message id, so it goes once).
        * Opt-in: confirms a pending double opt-in request, or re-grants after a
          opt-out not yet lifted (a revocation of every purpose over the reply's
          channels, or on START/UNSTOP from the FCC revoke-all date one of any
          purpose or channel: see ``_opt_out_to_lift``); returns the matching
          confirmation.
          From someone with neither, it grants nothing and asks no reply (an
          opt-in word is never consent of its own: record a keyword sign-up with
          :meth:`grant`); with a ``message_id`` it records a ``NOTED`` event (no
          consent effect, not in ``event``) so the message is known as handled.
          One with a ``message_id`` already recorded is not acted on again, whatever
          was recorded since (its reply is answered again only while the person is
          still opted in).
        * Help: the help text; nothing recorded (a redelivery answers it again:
          send it under the message id's idempotency key).
        * ``FUZZY``: nothing recorded, nothing sent; ``needs_review`` is set.

        The rule for redeliveries: every opt-out or opt-in with a ``message_id``
        leaves one event carrying it, and a redelivery of that id (to the same scope,
        the event at it or above it) records nothing. An opt-out is taken for a
        redelivery only of a recorded opt-out with the same text, never of another
        kind: a STOP is not dropped on a doubtful match. The check, the decision and
        the write are one step of the store (``append_decided``): a reply from the same
        number handled meanwhile, on any worker, waits for it.
        """
        recipient = normalize_recipient(number, region=self._region)
        scope_ = ConsentScope.parse(scope)
        at = require_aware(at, "at")
        channel_ = coerce_enum(channel, Channel, "channel")
        if isinstance(message_id, str) and not message_id.strip():
            # A blank id names no message: every reply carrying one would be taken for
            # a redelivery of the first (a later STOP not recorded, a START dropped).
            message_id = None
        # The number the reply reached is the caller's profile's (the messenger passes
        # the profile of the number the reply was sent to), and only that: the ledger's
        # own profile for the scope, which sets the texts and keywords, may stand for
        # several numbers, and the messenger passes none for a reply to a number missing
        # from its senders= (a pool number), which is then surely not the configured one.
        reached = profile
        profile = self._configured(scope_) or profile or self._default_sender
        match = classify_reply(body, keywords=profile.keywords, route=profile.route)
        confirm_only = False
        if match is None and profile.route is Route.TOLL_FREE:
            # The carrier lifts a STOP block only for START/UNSTOP, so YES must not
            # re-grant there; it still answers a pending double opt-in request.
            unrouted = classify_reply(body, keywords=profile.keywords)
            if unrouted is not None and unrouted.kind is MatchKind.OPT_IN:
                match, confirm_only = unrouted, True
        if match is None:
            return ReplyOutcome(None)
        if not match.actionable:
            logger.info("possible opt-out from %s needs review", mask_number(recipient))
            return ReplyOutcome(match, needs_review=True)
        # Half a surrogate pair (a UCS-2 reply split between segments) cannot be
        # stored as UTF-8; the opt-out must still be recorded.
        evidence = Evidence(
            reply_text=_LONE_SURROGATE.sub("\ufffd", body), reference=message_id,
            actor="smskit.handle_reply",
        )
        channels = profile.reply_channels | {channel_}
        reply_scope = scope_
        if profile.revocation_scope is not None:
            wider = ConsentScope.parse(profile.revocation_scope)
            if not wider.covers(scope_):
                raise ConfigurationError(
                    f"revocation_scope: {wider} does not cover the reply's scope {scope_}",
                    field="revocation_scope",
                )
            reply_scope, scope_ = scope_, wider
        if match.kind is MatchKind.HELP:
            return ReplyOutcome(
                match, None,
                AutoReply(profile.reply_in("help_reply", match.language), MatchKind.HELP),
            )
        reply = _Reply(
            match, profile, recipient, scope_, reply_scope,
            coerce_enum_set(channels, Channel, "channels"), channel_, at, evidence,
            self._now(), body, confirm_only,
            None if reached is None else reached.sender_id or None,
            reached is not None and reached.route is Route.TOLL_FREE,
        )
        decision = _Decision(ReplyOutcome(match))

        def decide(events: Sequence[ConsentEvent]) -> list[ConsentEvent]:
            nonlocal decision
            decision = (
                self._stop_decision(reply, events) if reply.match.kind is MatchKind.OPT_OUT
                else self._opt_in_decision(reply, events)
            )
            return [] if decision.draft is None else [decision.draft]

        # "Was this message handled?", "already opted out?" and the write are one step
        # of the store: a redelivery handled on another worker meanwhile waits for this
        # one and finds its event (it cannot re-grant after a STOP sent in between), and
        # of two simultaneous STOPs exactly one is recorded and confirmed.
        sealed, _ = self.store.append_decided(recipient, decide)
        if not sealed:
            return decision.outcome
        event = self._logged(sealed[0])
        return decision.outcome if decision.noted else replace(decision.outcome, event=event)

    def _stop_decision(self, reply: _Reply, events: Sequence[ConsentEvent]) -> _Decision:
        """An opt-out: a redelivery answers as its first delivery did; a new one is
        recorded, and confirmed unless the person was opted out already."""
        replayed = self._replayed_stop(
            reply.profile, events, reply.evidence.reference, reply.scope, reply.channel,
            reply.at, reply.evidence.reply_text, reply.match.language,
        )
        if replayed is not None:
            return _Decision(replace(replayed, match=reply.match))
        method = (
            RevocationMethod.WRONG_NUMBER if reply.match.wrong_number
            else RevocationMethod.KEYWORD if reply.match.confidence is Confidence.EXACT
            else RevocationMethod.PHRASE
        )
        draft = ConsentEvent(
            kind=EventKind.REVOKED, recipient=reply.recipient, scope=reply.scope,
            channels=reply.channels, purposes=_ALL_PURPOSES, occurred_at=reply.at,
            source=ConsentSource.KEYWORD, evidence=reply.evidence, revocation_method=method,
            recorded_at=reply.recorded_at, received_by=reply.received_by,
        )
        repeat = self._already_revoked(events, reply.scope, reply.channel, reply.at)
        # No "you are unsubscribed, reply START" to the stranger who answered: the FCC
        # allows one confirmation, it does not require it, and a START would not lift this.
        answer = None if repeat or reply.match.wrong_number else self._confirmation(
            reply.profile, draft, reply.match.language
        )
        return _Decision(ReplyOutcome(reply.match, draft, answer), draft)

    def _lift(
        self, reply: _Reply, events: Sequence[ConsentEvent]
    ) -> tuple[frozenset[Channel], frozenset[Channel]]:
        """:meth:`_opt_out_to_lift` for an opt-in reply."""
        return self._opt_out_to_lift(
            events, reply.scope, reply.channels, reply.at,
            toll_free=reply.profile.route is Route.TOLL_FREE or network_opt_in(reply.body),
            start=network_opt_in(reply.body),
        )

    def _wrong_number_flag(self, reply: _Reply, events: Sequence[ConsentEvent]) -> Finding | None:
        """The finding for an opt-in from a number a "wrong number" holds on its channel."""
        return (
            _wrong_number_held(events, reply) if reply.channel in self._lift(reply, events)[1]
            else None
        )

    def _opt_in_decision(self, reply: _Reply, events: Sequence[ConsentEvent]) -> _Decision:
        """An opt-in: a redelivery changes nothing; a new one confirms a pending request,
        re-grants after an opt-out not yet lifted, or (with a message id) is noted."""
        profile, match = reply.profile, reply.match
        replayed = self._replayed_opt_in(
            profile, events, reply.evidence.reference, reply.reply_scope, reply.channel,
            reply.at, match.language,
        )
        if replayed is not None:
            # As the first delivery answered: a toll-free YES that confirmed
            # nothing was no match.
            unmatched = reply.confirm_only and replayed.event is None
            outcome = replace(replayed, match=None if unmatched else match)
            if not reply.confirm_only:
                # Flagged again, as the first delivery was (a retry may be all that
                # is left of it after a crash); the state at the reply's own time.
                held = self._wrong_number_flag(reply, events)
                outcome = replace(outcome, needs_review=held is not None, finding=held)
            return _Decision(outcome)
        # A double opt-in request lives at the reply's own scope, not the brand's.
        request = _pending_request(events, reply.reply_scope, reply.at)
        if request is not None:
            draft = _confirmed(
                request, reply.at, ConsentSource.KEYWORD, reply.evidence, reply.recorded_at,
                reply.received_by,
            )
            answer = AutoReply(profile.reply_in("confirm_reply", match.language), MatchKind.OPT_IN)
            return _Decision(ReplyOutcome(match, draft, answer), draft)
        # An opt-in reply that changes nothing is noted, so that a redelivery of its
        # message (same id) after a later STOP does not re-grant. Without an id there
        # is nothing to recognise a redelivery by, so nothing is recorded, unless it
        # lifts a toll-free number's network hold (a START to that number after a
        # START to another one lifted the opt-out): the engine must learn it did, at
        # the scope the STOP was recorded at (revocation_scope may widen it), or the
        # hold stays in that scope and every scope below it but the reply's.
        lifts = _lifts_hold(reply, events)
        note = None if reply.evidence.reference is None and not lifts else ConsentEvent(
            kind=EventKind.NOTED, recipient=reply.recipient,
            scope=reply.scope if lifts else reply.reply_scope,
            channels=reply.channels, purposes=_ALL_PURPOSES, occurred_at=reply.at,
            source=ConsentSource.KEYWORD, evidence=reply.evidence,
            recorded_at=reply.recorded_at, received_by=reply.received_by,
        )
        if reply.confirm_only:
            return _Decision(ReplyOutcome(None), note, noted=True)
        # START/UNSTOP is the word a toll-free number's network honours: whichever
        # number it came to, a keyword STOP the ledger holds may have gone to a
        # toll-free one (the engine holds it there until START/UNSTOP), so one
        # lifted by YES alone is still to lift for it.
        lifted, wrong_held = self._lift(reply, events)
        # Flagged when the channel the reply came on is held: a wrong number still
        # holding MMS after the new owner's SMS-only grant is theirs to widen, not news.
        held = _wrong_number_held(events, reply) if reply.channel in wrong_held else None
        if not lifted:
            # "Yes" answering "Reply C to confirm" is no re-subscription: grant
            # nothing and send no "resubscribed"; the caller sees the match. From a
            # number a "wrong number" holds, the sender is told why nothing happened
            # (no text to the person: the consent on file was someone else's).
            return _Decision(
                ReplyOutcome(match, needs_review=held is not None, finding=held), note,
                noted=True,
            )
        # Not over a channel a "wrong number" still holds (the new owner's grant was
        # for SMS only, say).
        channels = reply.channels - wrong_held
        draft = ConsentEvent(
            kind=EventKind.REGRANTED, recipient=reply.recipient, scope=reply.scope,
            channels=channels,
            purposes=_ALL_PURPOSES - _refused_by_name(
                events, reply.scope, channels, reply.at, self.rules),
            occurred_at=reply.at,
            source=ConsentSource.KEYWORD, evidence=reply.evidence,
            recorded_at=reply.recorded_at, received_by=reply.received_by,
        )
        if self._already_revoked([*events, draft], reply.scope, reply.channel, _END):
            # A STOP sent after this START (its webhook handled first) holds:
            # "you are resubscribed" would be false, a text after an opt-out.
            return _Decision(ReplyOutcome(match, draft, None, held is not None, held), draft)
        answer = AutoReply(
            profile.reply_in("opt_in_reply", match.language), MatchKind.OPT_IN,
            source=TWILIO_23002,
        )
        return _Decision(ReplyOutcome(match, draft, answer, held is not None, held), draft)

    # -- integrity and audits ------------------------------------------------

    def verify(self, *, expected_head: tuple[int, str] | None = None) -> tuple[int, str]:
        """Check the whole hash chain; return the head ``(sequence, hash)``.

        Keep the head somewhere else (a log, a ticket, a signed report): passing
        it back as ``expected_head`` also detects edits to, or removal of, the
        newest events, which a chain alone cannot.

        Raises:
            LedgerIntegrityError: naming the first event that was edited,
                deleted or reordered.
        """
        if expected_head is not None:
            expected_head = _checked_head(expected_head, "expected_head")
        return verify_chain(self.store.scan(), expected_head=expected_head)

    def verify_incremental(self, since_head: tuple[int, str]) -> tuple[int, str]:
        """Check what was appended since a head verified before; return the new head.

        Cheap enough to run before every campaign: it reads the event at
        ``since_head`` and those after it, and compares the number of events
        with the head's sequence (a deleted row anywhere, such as someone with
        file access removing a STOP, makes them differ). An edit to an older
        event that keeps every count is found by :meth:`verify` alone: run
        ``verify(expected_head=...)`` on a schedule as well.

        Args:
            since_head: a head returned by :meth:`verify` or by this method,
                kept outside the ledger.

        Other writers may append while it runs (a shared PostgreSQL ledger): the
        returned head then includes what they appended.

        Raises:
            LedgerIntegrityError: the event at ``since_head`` changed or went
                missing, a later event does not chain, or events were deleted.
            StoreError: (``retryable``) writers appended during every one of
                several counts, so a deletion could not be ruled out; call again.
        """
        sequence, digest = _checked_head(since_head)
        events = self.store.scan(after=max(sequence - 1, 0))
        if sequence:
            anchor = next(events, None)
            if anchor is None or anchor.sequence != sequence or event_hash(anchor) != digest:
                raise LedgerIntegrityError(
                    f"ledger event {sequence} no longer matches the head kept for it: it was "
                    "edited or removed; run verify() and restore from a verified export",
                    sequence=sequence,
                )
        elif digest != GENESIS_HASH:
            raise LedgerIntegrityError("a head at sequence 0 must carry the genesis hash")
        head = verify_chain(events, start=(sequence, digest))
        # Other writers (hosts) may append between the scan and the count. So read on
        # from the head after counting: every counted event is then in the chain read,
        # and the count must equal its end. A count below the end may be a deletion or
        # appends that raced the count: count again, a bounded number of times.
        for _ in range(_COUNT_ROUNDS):
            count = self.store.count()
            reached = verify_chain(self.store.scan(after=head[0]), start=head)
            if count == reached[0]:
                return reached
            if count < head[0] or count > reached[0]:
                break
            head = reached
        else:
            raise StoreError(
                f"the ledger kept growing while it was verified ({_COUNT_ROUNDS} counts); "
                "call verify_incremental() again",
                retryable=True,
            )
        raise LedgerIntegrityError(
            f"the ledger holds {count} events but its chain ends at event {reached[0]}: "
            "events were deleted; run verify() to find the first one",
            sequence=reached[0],
        )

    def export_jsonl(self, out: IO[str]) -> tuple[int, str]:
        """Write every event, one canonical JSON object per line, with its hash.

        Returns the head ``(sequence, hash)`` of what was written. The chain is
        verified while writing, so a broken ledger is never exported silently.

        Raises:
            ConfigurationError: ``out`` is not a file open for text (a path, a
                binary file); nothing is read.
        """
        try:
            out.write("")  # writes nothing to a text file; refuses a binary one
        except (AttributeError, TypeError):
            raise ConfigurationError(
                f"export_jsonl writes to an open text file, not a {type(out).__name__}: "
                "open(path, 'w', encoding='utf-8')", field="out",
            ) from None
        def lines() -> Iterable[ConsentEvent]:
            for event in self.store.scan():
                record = event_record(event)
                record["hash"] = event_hash(event)
                out.write(json.dumps(record, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False) + "\n")
                yield event
        return verify_chain(lines())

    def import_jsonl(
        self, source: IO[str], *, expected_head: tuple[int, str] | None = None
    ) -> tuple[int, str]:
        """Load an export into this ledger's empty store, verifying it line by line.

        Returns the head ``(sequence, hash)`` imported.

        Raises:
            LedgerIntegrityError: the store is not empty, or a line does not
                parse, does not match its hash or does not chain (nothing from
                that line on is imported), or the head differs from
                ``expected_head``.
        """
        if expected_head is not None:
            expected_head = _checked_head(expected_head, "expected_head")
        if self.store.count():
            raise LedgerIntegrityError("import_jsonl needs an empty store; give a new one")
        expected_seq, previous = 1, GENESIS_HASH
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                claimed = record.pop("hash")
            except (ValueError, KeyError, AttributeError, TypeError, RecursionError):
                raise LedgerIntegrityError(
                    f"export line {number} is not a ledger event", sequence=expected_seq
                ) from None
            try:
                event = event_from_record(record, sequence_hint=expected_seq)
            except LedgerIntegrityError:
                # A line as written (its hash matches) holding a value this smskit
                # lacks came from a newer smskit: importing it is restoring an export,
                # so "corrupt; restore from an export" would send the user in a circle.
                unknown = unknown_value(record)
                if unknown is not None and _digest(record) == claimed:
                    raise newer_value_error(
                        f"export line {number} (event {expected_seq})", *unknown,
                        expected_seq, "the line was edited with its hash recomputed",
                    ) from None
                raise
            if event_hash(event) != claimed:
                raise LedgerIntegrityError(
                    f"export line {number} (event {event.sequence}) does not match its hash: "
                    "it was edited",
                    sequence=event.sequence,
                )
            if event.sequence != expected_seq or event.prev_hash != previous:
                raise LedgerIntegrityError(
                    f"export line {number} (event {event.sequence}) does not chain to the "
                    f"event before it: events were deleted, inserted or reordered",
                    sequence=event.sequence,
                )
            sealed = self.store.append(replace(event, sequence=0, prev_hash=""))
            if sealed != event:
                raise LedgerIntegrityError(
                    f"event {event.sequence} did not re-seal identically; the store is not empty "
                    "or is shared with another writer",
                    sequence=event.sequence,
                )
            expected_seq, previous = expected_seq + 1, claimed
        head = (expected_seq - 1, previous)
        if expected_head is not None and tuple(expected_head) != head:
            raise LedgerIntegrityError(
                f"imported head {head[0]} differs from the expected head {expected_head[0]}: "
                "the export is incomplete or was altered",
                sequence=head[0],
            )
        return head


def _digest(record: Mapping[str, Any]) -> str:
    """SHA-256 of ``record`` in the canonical encoding (what an event's hash covers)."""
    return hashlib.sha256(json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")).hexdigest()
