"""``CompliancePipeline``: every policy, run on one message or a whole campaign.

The pipeline prepares the message (renders the template, adds the sender's
identification prefix and opt-out footer where required), runs every policy
(never stopping at the first problem), and combines the findings into one
:class:`~smskit.policy.Decision`. Findings are sorted, so the order of the
policies never changes the answer.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from types import MappingProxyType
from typing import Any, TypeVar

from ..consent.model import Channel
from ..consent.sender import SenderProfile
from ..content.checks import mentions_opt_out
from ..errors import ConfigurationError, InvalidPhoneNumber, MessageTooLongError, RateCardError
from ..findings import Finding, Severity, reduce_frozen
from ..numbers.parse import PhoneNumber, parse_number
from ..pricing import Direction, RateCard
from ..pricing.campaign import _MONEY
from ..purpose import Purpose
from ..segments import MAX_SEGMENTS, Encoding, detect_encoding, segment
from ..timing.caps import SendHistory, SendRecord
from ..timing.quiet_hours import MAX_YEAR
from ._audit import stamp
from .builtin import TS_23040_PARTS
from .model import Decision, Policy, PolicyContext, SendRequest, Verdict

__all__ = ["CampaignDecisions", "CompliancePipeline", "prepare_body"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: The batch reads every send, those after ``at`` too (a deferral asks the caps later).
_END = datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
#: Rounds of "move to the latest not_before and ask again" before giving up: each
#: round moves past at least one deferring rule's window.
_MAX_ROUNDS = 32
_DESCENDING = {severity: -severity.rank for severity in Severity}

_T = TypeVar("_T")


def _setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[object, object], None], ...]:
    assert tuple(f.name for f in fields(cls)) == names
    assert "__post_init__" not in vars(cls)  # nothing to check that a build would skip
    return tuple(getattr(cls, name).__set__ for name in names)


# A decision and its context are built per recipient through their slot setters, what
# their frozen __init__ calls one object.__setattr__ lookup at a time (about half the
# cost of building them).
_DECISION_FIELDS = _setters(Decision, (
    "verdict", "at", "not_before", "findings", "body", "encoding", "segments",
    "segments_before", "cost", "currency", "reason", "recipient", "idempotency_key",
    "known_at", "smskit_version", "rules_fingerprint"))
_CONTEXT_FIELDS = _setters(PolicyContext, (
    "phone", "body", "encoding", "segments", "channel", "first_message", "sent_before",
    "prefetched", "known_at"))


def _build(cls: type[_T], setters: tuple[Callable[[object, object], None], ...],
           values: tuple[object, ...]) -> _T:
    built = object.__new__(cls)
    for setter, value in zip(setters, values, strict=True):
        setter(built, value)
    return built


def _require_aware(at: object, name: str = "at") -> datetime:
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise ConfigurationError(
            f"{name} must be a timezone-aware datetime, e.g. "
            "datetime(2026, 5, 1, 9, 30, tzinfo=ZoneInfo('America/New_York'))",
            field=name,
        )
    return at


def prepare_body(
    text: str, sender: SenderProfile, *, purpose: Purpose, first: bool, sent_before: int
) -> str:
    """``text`` with the sender's prefix and footer added where required and missing.

    The prefix counts as present when the text starts with it or names the
    brand; the footer when the text already tells how to opt out in any words
    the content lint recognises ("Text STOP to end" counts) or holds the footer
    itself (a French "Reply ARRET ..." footer is not added twice). A blank text
    (a media-only MMS) gets the prefix and footer alone, without a blank line
    before them; the engine does not prepare a blank text without media, which
    has nothing to deliver (``content.empty`` blocks it).
    """
    prefix, footer = sender_additions(
        text, sender, purpose=purpose, first=first, sent_before=sent_before
    )
    return add_sender_text(text, sender, prefix=prefix, footer=footer)


def sender_additions(
    text: str, sender: SenderProfile, *, purpose: Purpose, first: bool, sent_before: int
) -> tuple[bool, bool]:
    """Whether :func:`prepare_body` adds the sender's prefix, and its footer, to ``text``
    (``smskit estimate`` asks it of each row as sent)."""
    marketing = purpose is Purpose.MARKETING
    folded = text.casefold()
    prefix = sender.prefix
    add_prefix = bool(prefix) and sender.prefix_when.applies(
        first=first, marketing=marketing, sent_before=sent_before
    ) and not (
        folded.lstrip().startswith(prefix.strip().casefold())
        or bool(sender.brand and _names(folded, sender.brand.casefold()))
    )
    if add_prefix:
        folded = prefix.casefold() + folded
    footer = sender.footer
    add_footer = bool(footer) and sender.footer_when.applies(
        first=first, marketing=marketing, sent_before=sent_before
    ) and not (footer.strip().casefold() in folded
               or mentions_opt_out(prefix + text if add_prefix else text))
    return add_prefix, add_footer


def add_sender_text(text: str, sender: SenderProfile, *, prefix: bool, footer: bool) -> str:
    """``text`` with the sender's prefix before it and its footer on a line after it, as
    asked (a blank text gets the footer alone, without a blank line before it)."""
    if prefix and sender.prefix:
        text = sender.prefix + text
    if footer and sender.footer:
        kept = text.rstrip()
        text = f"{kept}\n{sender.footer}" if kept else sender.footer
    return text


def _one_length_finding(found: list[Finding]) -> list[Finding]:
    """``found`` without a ``content.too_long`` at a limit ``length.over_provider_max``
    already reports: one problem, one finding. Decided here, on what the policies said, so
    ``ContentPolicy`` without ``LengthPolicy`` (a pipeline of one's own) still blocks."""
    limits = {f.details.get("limit") for f in found if f.code == "length.over_provider_max"}
    if not limits:
        return found
    return [f for f in found
            if f.code != "content.too_long" or f.details.get("limit") not in limits]


def _names(folded: str, brand: str) -> bool:
    """Whether ``folded`` names ``brand`` as a word ("Macmed" does not name "acme")."""
    return re.search(rf"(?<!\w){re.escape(brand.strip())}(?!\w)", folded) is not None


@dataclass(frozen=True, slots=True)
class CampaignDecisions:
    """What :meth:`CompliancePipeline.decide_many` answers.

    Attributes:
        decisions: one per request, in the order given.
        by_verdict: how many of each verdict.
        by_code: how many decisions carry each finding code (once per decision).
        cost_by_verdict: the cost of the messages of each verdict (rate card given), in
            ``currency``: messages priced in another currency are not in it.
        currency: the one currency every priced message is in (CAD for a campaign to
            Toronto alone on a card pricing Canada in CAD), else the rate card's;
            ``None`` without a rate card.
        cost_by_currency: what the messages allowed now or deferred cost, per currency:
            a card may price a country in its own (Canada in CAD), and such amounts
            cannot be added to the card's.
    """

    decisions: tuple[Decision, ...]
    by_verdict: Mapping[Verdict, int]
    by_code: Mapping[str, int]
    cost_by_verdict: Mapping[Verdict, Decimal]
    currency: str | None
    cost_by_currency: Mapping[str, Decimal] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (worker processes, copy.deepcopy) though the counts are read-only.
        return reduce_frozen(self)

    @property
    def total_cost(self) -> Decimal:
        """The cost of every message allowed now or deferred (blocked ones are not sent),
        in ``currency``.

        Raises:
            RateCardError: some of those messages are priced in another currency (the
                card prices a country in its own): read ``cost_by_currency``.
        """
        others = sorted(c for c in self.cost_by_currency if c != self.currency)
        if others:
            # The card's amount alone would read as the campaign's cost.
            raise RateCardError(
                f"the messages sent now or later cost amounts in {self.currency} and "
                f"{', '.join(others)}, which cannot be added into one total: read "
                "cost_by_currency"
            )
        return sum(
            (self.cost_by_verdict.get(v, Decimal(0)) for v in (Verdict.ALLOW, Verdict.DEFER)),
            Decimal(0),
        )


@dataclass(frozen=True, slots=True)
class CompliancePipeline:
    """Immutable: a set of policies, and optionally a rate card and a send history.

    Args:
        policies: the rules to run (:mod:`smskit.policy.builtin` or your own).
        rates: prices each decision's message when given.
        history: the sends already made; tells the engine whether a message is
            the first to a recipient (and the how-many-th, for "every Nth"
            footers) when the request does not say.
    """

    policies: tuple[Policy, ...]
    rates: RateCard | None = None
    history: SendHistory | None = None
    _prefetchers: tuple[Policy, ...] = field(init=False, repr=False, compare=False)
    # (smskit version, rules fingerprint): what every decision's record names as its maker.
    _stamp: tuple[str, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        policies = tuple(self.policies)
        for policy in policies:
            if not callable(policy):
                raise ConfigurationError(
                    f"policies must be callables (request, sender, context, at) -> findings, "
                    f"got {type(policy).__name__}",
                    field="policies",
                )
        if self.rates is not None and not isinstance(self.rates, RateCard):
            raise ConfigurationError("rates must be a RateCard", field="rates")
        object.__setattr__(self, "policies", policies)
        object.__setattr__(
            self, "_prefetchers",
            tuple(p for p in policies if callable(getattr(p, "prefetch", None))),
        )
        object.__setattr__(self, "_stamp", stamp())

    # -- one message -----------------------------------------------------------

    def decide(self, request: SendRequest, sender: SenderProfile, at: datetime, *,
               known_at: datetime | None = None) -> Decision:
        """May ``request`` go from ``sender`` at ``at``? If not now, when?

        ``known_at`` replays the question with only what was recorded by then: ledger
        events recorded later (a STOP that reached the ledger late) and sends made
        later are left out, so an audit can tell what the business knew when it sent
        (``known_at=at``) from what it knows now (``None``, the default).

        Raises:
            ConfigurationError: a naive ``at`` or ``known_at``, or a request or
                profile that is not one (a problem with the message is a finding).
            TemplateError: the template lacks a value (templates render strictly).
        """
        _check_inputs(request, sender)
        return self._decide(request, sender, _require_aware(at), MappingProxyType({}), None,
                            known_at=_known(known_at))

    def schedule(
        self, request: SendRequest, sender: SenderProfile, desired_at: datetime
    ) -> datetime | None:
        """The first instant at or after ``desired_at`` when the message would be allowed.

        ``None`` when it is blocked (deferring does not help).
        """
        decision = self.decide(request, sender, desired_at)
        if decision.verdict is Verdict.ALLOW:
            return desired_at
        if decision.verdict is Verdict.DEFER:
            return decision.not_before
        return None

    # -- a campaign ------------------------------------------------------------

    def decide_many(
        self,
        requests: Iterable[SendRequest],
        sender: SenderProfile,
        at: datetime,
        *,
        batch_size: int = 2000,
        known_at: datetime | None = None,
    ) -> CampaignDecisions:
        """Decide every request; stores are read once per batch, not once per recipient.

        Decisions are the same as :meth:`decide` would give one by one (``known_at``
        as there). While a
        batch is decided the cyclic garbage collector is paused (and restored
        after, as it was): on a large campaign it otherwise takes a quarter of
        the time walking the decisions already made.
        """
        _require_aware(at)
        known_at = _known(known_at)
        if type(batch_size) is not int or batch_size < 1:
            raise ConfigurationError("batch_size must be a whole number of at least 1",
                                     field="batch_size")
        out: list[Decision] = []
        batch: list[SendRequest] = []
        for request in requests:
            _check_inputs(request, sender)
            batch.append(request)
            if len(batch) >= batch_size:
                with _gc_paused():
                    out.extend(self._decide_batch(batch, sender, at, known_at))
                batch = []
        if batch:
            with _gc_paused():
                out.extend(self._decide_batch(batch, sender, at, known_at))
        return _totals(out, self.rates)

    def _decide_batch(
        self, batch: Sequence[SendRequest], sender: SenderProfile, at: datetime,
        known_at: datetime | None,
    ) -> list[Decision]:
        phones = [_parse(r) for r in batch]
        numbers = sorted({p.e164 for p in phones if p is not None})
        sends: Mapping[str, Sequence[SendRecord]] | None = None
        if self.history is not None and any(r.first_message is None for r in batch):
            # Sends after at too (deciding for a past instant): a deferral asks the
            # caps again at not_before, and they count what was sent by then.
            sends = self.history.records_many(numbers, since=_EPOCH, until=_END)
        prefetched: dict[int, object] = {}
        shared: dict[object, object] = {}  # policies reading the same store read it once
        # The consent scopes asked in this batch: a ledger read needs no other scope's events.
        scopes = frozenset(s for r in batch if (s := r.scope or sender.consent_scope))
        for policy in self._prefetchers:
            key = getattr(policy, "prefetch_key", None) or id(policy)
            if key not in shared:
                if sends is not None and getattr(policy, "reads_history", None) is self.history:
                    # The caps count in the sends just read: hand them over, not read twice.
                    shared[key] = policy.prefetch(  # type: ignore[attr-defined]
                        numbers, at, sends=sends)
                elif getattr(policy, "prefetch_scopes", False):
                    shared[key] = policy.prefetch(  # type: ignore[attr-defined]
                        numbers, at, scopes=scopes)
                else:
                    shared[key] = policy.prefetch(numbers, at)  # type: ignore[attr-defined]
            prefetched[id(policy)] = shared[key]
        frozen = MappingProxyType(prefetched)
        bodies: dict[tuple[object, ...], str] = {}  # one campaign text, prepared once
        return [
            self._decide(r, sender, at, frozen, sends, phone, bodies, known_at)
            for r, phone in zip(batch, phones, strict=True)
        ]

    # -- the work ----------------------------------------------------------------

    def _decide(
        self,
        request: SendRequest,
        sender: SenderProfile,
        at: datetime,
        prefetched: Mapping[int, object],
        sends: Mapping[str, Sequence[SendRecord]] | None,
        phone: PhoneNumber | bool | None = False,
        bodies: dict[tuple[object, ...], str] | None = None,
        known_at: datetime | None = None,
    ) -> Decision:
        if phone is False:
            phone = _parse(request)
        assert phone is None or isinstance(phone, PhoneNumber)
        # A replay knows of the sends made by known_at only (a send is known once made).
        first, sent_before = self._first(
            request, sender, phone,
            at if known_at is None or known_at.astimezone(UTC) >= at.astimezone(UTC)
            else known_at, sends)
        original = (
            request.body if request.body is not None
            else request.template.render(request.values)  # type: ignore[union-attr]
        )
        # prepare_body is a pure function of these (the sender is the batch's own).
        key = (original, request.purpose, first, sent_before)
        body = None if bodies is None else bodies.get(key)
        if not (original.strip() or request.media):
            body = original  # nothing to deliver: a footer alone must not go out
        elif body is None:
            body = prepare_body(
                original, sender, purpose=request.purpose, first=first, sent_before=sent_before
            )
            if bodies is not None:
                bodies[key] = body
        before, after = _measure(original), _measure(body)
        channel = Channel.MMS if request.media and request.channel is Channel.SMS else (
            request.channel
        )
        context = _build(PolicyContext, _CONTEXT_FIELDS, (
            phone, body, after[0], after[1], channel, first, sent_before, prefetched,
            known_at))
        findings = self._run(request, sender, context, at)
        if after[1] > MAX_SEGMENTS:
            findings = _sorted([*findings, Finding(
                "engine.too_many_segments", Severity.BLOCK,
                # MessageTooLongError.segments: a lower bound once past 255 full parts.
                f"the message needs at least {after[1]} segments; a concatenated message "
                f"has at most {MAX_SEGMENTS}: shorten it or send it as several messages",
                TS_23040_PARTS, details={"segments": after[1], "limit": MAX_SEGMENTS},
            )])
        verdict = _verdict(findings)
        not_before: datetime | None = None
        if verdict is Verdict.DEFER:
            not_before, findings = self._earliest(request, sender, context, at, findings)
            if not_before is None:
                verdict = Verdict.BLOCK
                findings = _sorted([*findings, Finding(
                    "engine.no_time_found", Severity.BLOCK,
                    "no instant was found when every rule allows the message (a deferral "
                    "without a time, windows that never meet, or a rule that blocks it by "
                    "the time the deferring rules allow it)",
                    "smskit",
                )])
        if after[1] != before[1]:
            findings = _sorted([*findings, Finding(
                "prepare.segments_changed", Severity.INFO,
                f"the prefix/footer make this {after[1]} segments (the text alone is "
                f"{before[1]})",
                details={"before": before[1], "after": after[1]},
            )])
        cost, currency, cost_finding = self._cost(phone, sender, context)
        if cost_finding is not None:
            findings = _sorted([*findings, cost_finding])
        return _build(Decision, _DECISION_FIELDS, (
            verdict, at, not_before, tuple(findings), body, after[0], after[1], before[1],
            cost, currency, _reason(verdict, findings, not_before),
            phone.e164 if phone is not None else "", request.idempotency_key,
            known_at, *self._stamp,
        ))

    def _first(
        self,
        request: SendRequest,
        sender: SenderProfile,
        phone: PhoneNumber | None,
        at: datetime,
        sends: Mapping[str, Sequence[SendRecord]] | None,
    ) -> tuple[bool, int]:
        if request.first_message is not None or phone is None or self.history is None:
            first = True if request.first_message is None else request.first_message
            return first, 0 if first else 1
        if sends is not None:
            # UTC: a send recorded in at's own zone would compare by wall clock (fold
            # ignored), and 01:40 EDT is not after 01:20 EST.
            records = sends.get(phone.e164)
            if not records:  # most of a campaign: nothing sent yet
                return True, 0
            until = at.astimezone(UTC)
            # A send through a Messaging Service is recorded under its SID.
            ours = sender.sender_id or sender.messaging_service
            earlier = sum(
                1 for s in records
                if (not ours or s.sender == ours) and s.at <= until
            )
        else:
            earlier = len(self.history.sent_at(
                since=_EPOCH, until=at, recipient=phone.e164,
                sender=sender.sender_id or sender.messaging_service or None,
            ))
        return earlier == 0, earlier

    def _run(
        self, request: SendRequest, sender: SenderProfile, context: PolicyContext, at: datetime
    ) -> list[Finding]:
        found: list[Finding] = []
        for policy in self.policies:
            for finding in policy(request, sender, context, at):
                if not isinstance(finding, Finding):
                    raise ConfigurationError(
                        f"policy {policy!r} returned {type(finding).__name__}, not a Finding",
                        field="policies",
                    )
                if finding.severity.__class__ is not Severity:
                    # The sort and totals look severities up in tables: the text "block"
                    # would find BLOCK's rank there, yet the verdict reads the member.
                    raise ConfigurationError(
                        f"policy {policy!r} returned a finding whose severity is "
                        f"{finding.severity!r}, not a Severity member (e.g. Severity.BLOCK)",
                        field="policies",
                    )
                if finding.status:
                    found.append(finding)
                    continue
                status = finding.details.get("status")
                if isinstance(status, str):
                    # What replace(finding, status=status) builds, without its field
                    # lookup (half the findings of a campaign pass here).
                    finding = Finding(
                        finding.code, finding.severity, finding.message, finding.source,
                        finding.details, status,
                    ) if type(finding) is Finding else replace(finding, status=status)
                found.append(finding)
        if len(found) > 1:
            found = _one_length_finding(found)
        return _sorted(found)

    def _earliest(
        self,
        request: SendRequest,
        sender: SenderProfile,
        context: PolicyContext,
        at: datetime,
        findings: list[Finding],
    ) -> tuple[datetime | None, list[Finding]]:
        """The earliest instant no policy defers: move to the latest ``not_before`` and
        ask every policy again, until none defers (each round passes one window)."""
        current = findings
        when = at
        for _ in range(_MAX_ROUNDS):
            deferring = [f for f in current if f.severity is Severity.DEFER]
            if not deferring:
                return when, findings
            times = [f.details.get("not_before") for f in deferring]
            if any(not isinstance(t, datetime) or t.utcoffset() is None for t in times):
                return None, findings
            # In UTC: policies give times in at's zone, and two times of one zone compare
            # by wall clock, so in the hour a clock change repeats a later one reads as
            # earlier (or equal: an hour's recheck before the clocks go back).
            later = max((t for t in times if isinstance(t, datetime)),
                        key=lambda t: t.astimezone(UTC))
            if later.astimezone(UTC) <= when.astimezone(UTC):  # a policy that defers
                return None, findings  # without moving forward
            when = later.astimezone(at.tzinfo)
            current = self._run(request, sender, context, when)
            # A rule that blocks by then (consent that expires overnight) makes the
            # deferral useless: say so, with its findings, rather than defer to a block.
            blocking = [f for f in current if f.severity is Severity.BLOCK]
            if blocking:
                return None, _sorted([*findings, *(
                    replace(f, details=MappingProxyType({**f.details, "judged_at": when}))
                    for f in blocking
                )])
        return None, findings

    def _cost(
        self, phone: PhoneNumber | None, sender: SenderProfile, context: PolicyContext
    ) -> tuple[Decimal | None, str | None, Finding | None]:
        if self.rates is None or phone is None:
            return None, None, None
        # In estimate()'s 60-digit context: a caller's (prec=4) rounded 1.0001 to 1.000.
        with localcontext(_MONEY):
            return self._priced(self.rates, phone, sender, context)

    def _priced(
        self, rates: RateCard, phone: PhoneNumber, sender: SenderProfile,
        context: PolicyContext,
    ) -> tuple[Decimal | None, str | None, Finding | None]:
        route = sender.route
        try:
            found = rates.route_rates(phone.region, route)
        except RateCardError as exc:
            return None, None, Finding(
                "cost.unpriced", Severity.WARNING, f"no price for this message: {exc}",
            )
        rate = found.rate(Direction.OUTBOUND)
        if rate is None:
            return Decimal(0), found.currency, None
        if context.channel is Channel.MMS:
            if rate.mms_per_message is None:
                return None, found.currency, Finding(
                    "cost.unpriced", Severity.WARNING,
                    f"the rate card has no MMS price for {phone.region} on {route.value}",
                )
            return rate.mms_per_message + rate.mms_carrier_fee_per_message, found.currency, None
        parts = context.segments
        return (rate.sms_per_segment + rate.sms_carrier_fee_per_segment) * parts, (
            found.currency
        ), None


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for one batch, then restored as it was.

    A batch allocates many small objects and no reference cycles; each collection
    the allocations trigger also walks every decision already made, so on a large
    campaign the collector took a quarter of the time. Reference counting still
    frees everything; cycles made elsewhere meanwhile wait until the batch ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.lru_cache(maxsize=4096)
def _measure(text: str) -> tuple[Encoding, int]:
    """Encoding and segment count; a campaign repeats a few bodies many times."""
    try:
        found = segment(text)
    except MessageTooLongError as exc:  # a finding of the decision, not an error
        return detect_encoding(text), exc.segments
    return found.encoding, found.segment_count


def _known(known_at: datetime | None) -> datetime | None:
    return None if known_at is None else _require_aware(known_at, "known_at")


def _check_inputs(request: object, sender: object) -> None:
    if not isinstance(request, SendRequest):
        raise ConfigurationError(f"expected a SendRequest, got {type(request).__name__}",
                                 field="request")
    if not isinstance(sender, SenderProfile):
        raise ConfigurationError(f"expected a SenderProfile, got {type(sender).__name__}",
                                 field="sender")


def _parse(request: SendRequest) -> PhoneNumber | None:
    if isinstance(request.recipient, PhoneNumber):
        return request.recipient
    try:
        return parse_number(request.recipient, region=request.region)
    except InvalidPhoneNumber:
        return None


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple[int, str, str, str]:
    # Most serious first: the rank looked up directly (Severity.rank is a property).
    return (_DESCENDING[finding.severity], finding.code, finding.message, finding.source)


def _verdict(findings: Sequence[Finding]) -> Verdict:
    """The verdict of findings sorted by ``_sorted``: the first is the most serious."""
    worst = findings[0].severity if findings else Severity.INFO
    if worst is Severity.BLOCK:
        return Verdict.BLOCK
    if worst is Severity.DEFER:
        return Verdict.DEFER
    return Verdict.ALLOW


def _reason(verdict: Verdict, findings: Sequence[Finding], not_before: datetime | None) -> str:
    if verdict is Verdict.ALLOW:
        warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
        noun = "warning" if warnings == 1 else "warnings"
        return "allowed" + (f" with {warnings} {noun}" if warnings else "")
    wanted = Severity.BLOCK if verdict is Verdict.BLOCK else Severity.DEFER
    # A block found only at the later instant a deferral would have gone (a STOP that
    # came in after `at`) is not the reason at `at`: the record would say "consent was
    # revoked" of a time when it was not.
    first = next((f for f in findings if f.severity is wanted and "judged_at" not in f.details),
                 None)
    later = next((f for f in findings if "judged_at" in f.details), None)
    if (verdict is Verdict.BLOCK and later is not None and first is not None
            and first.code == "engine.no_time_found"):
        when = later.details["judged_at"]
        deferring = next((f for f in findings if f.severity is Severity.DEFER), first)
        stamp = when.isoformat() if isinstance(when, datetime) else str(when)
        return (f"blocked: deferred ({deferring.code}) to {stamp}, when it would be "
                f"blocked: {later.message}")
    if verdict is Verdict.DEFER and not_before is not None:
        return f"deferred until {not_before.isoformat()}: {first.message if first else ''}"
    if first is not None and first.code == "engine.no_time_found":
        deferring = next((f for f in findings if f.severity is Severity.DEFER), first)
        return f"blocked: no time found when every rule allows it ({deferring.code})"
    return f"blocked: {first.message if first else ''}"


def _totals(decisions: list[Decision], rates: RateCard | None) -> CampaignDecisions:
    with localcontext(_MONEY):  # a caller's decimal context never rounds the sums
        return _summed(decisions, rates)


def _summed(decisions: list[Decision], rates: RateCard | None) -> CampaignDecisions:
    by_verdict: Counter[Verdict] = Counter()
    by_code: Counter[str] = Counter()
    cost: dict[Verdict, Decimal] = {}
    currency = rates.currency if rates is not None else None
    priced = {d.currency for d in decisions if d.cost is not None and d.currency}
    if len(priced) == 1:  # a campaign to Toronto alone costs CAD, as estimate() says
        (currency,) = priced
    sent: dict[str, Decimal] = {}  # allowed or deferred, per currency
    for decision in decisions:
        by_verdict[decision.verdict] += 1
        by_code.update({f.code for f in decision.findings})
        if decision.cost is None:
            continue
        # A country priced in another currency (CAD on a USD card) was added to the
        # card's amounts and labelled in the first row's currency.
        if decision.currency in (None, currency):
            cost[decision.verdict] = cost.get(decision.verdict, Decimal(0)) + decision.cost
        if decision.verdict is not Verdict.BLOCK:
            key = decision.currency or currency or ""
            sent[key] = sent.get(key, Decimal(0)) + decision.cost
    return CampaignDecisions(
        decisions=tuple(decisions),
        by_verdict=MappingProxyType(dict(by_verdict)),
        by_code=MappingProxyType(dict(sorted(by_code.items()))),
        cost_by_verdict=MappingProxyType(cost),
        currency=currency,
        cost_by_currency=MappingProxyType(dict(sorted(sent.items()))),
    )

