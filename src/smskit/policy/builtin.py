"""The built-in policies: each wraps a check smskit already has.

Every policy is a frozen dataclass called as ``policy(request, sender, context, at)``
and returns findings; none re-implements a check. :func:`default_policies` builds
the usual set. The codes they add (beyond those of the checks they wrap) are in
:data:`POLICY_FINDING_CODES`, with their severity and source.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import ClassVar, Final

from ..consent._rules import (
    CASL,
    CASL_GUIDE,
    EARLIEST_US_ZONE,
    FCC_CONFIRMATION,
    FCC_REVOCATION,
    FCC_REVOKE_ALL,
    REVOKE_ALL_CHANNELS,
    US,
    ConsentRules,
    RevokeAllRule,
)
from ..consent.fold import EventFacts, event_reference, fold_findings, replay_order, sort_for_replay
from ..consent.model import Channel, ConsentScope, ConsentSource, EventKind, RevocationMethod
from ..consent.replies import OPT_OUT_CONFIRMATION_WINDOW, lifts_network_stop, network_hold
from ..consent.sender import TEXT_CHANNELS, SenderProfile
from ..consent.sqlite import SQLiteStore
from ..consent.store import ConsentStore
from ..content.checks import (
    DEFAULT_CONFIG,
    LintConfig,
    _unaccented,
    extract_hosts,
    lint,
    promotion,
)
from ..errors import ConfigurationError, SmskitError
from ..findings import Finding, Severity
from ..mms.policy import LimitScope, MediaScope, MmsPolicy, SizeLimit
from ..numbers.parse import LineType, mask_sender
from ..purpose import Purpose
from ..routes import Route
from ..segments.encoding import Encoding, non_gsm_characters, utf16_units
from ..timing.caps import FrequencyCap, SendHistory, SendRecord
from ..timing.quiet_hours import MAX_YEAR, QuietHours, allowed_finding
from .model import Policy, PolicyContext, SendRequest

#: Where the pipeline's read of every send starts (``CompliancePipeline.decide_many``).
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_END = datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)

__all__ = [
    "POLICY_FINDING_CODES",
    "US_BOUND_REGIONS",
    "CodeInfo",
    "ConfirmationPolicy",
    "ConsentPolicy",
    "ContentPolicy",
    "FrequencyCapPolicy",
    "LengthPolicy",
    "MediaPolicy",
    "NumberPolicy",
    "OptOutPolicy",
    "QuietHoursPolicy",
    "RegistrationPolicy",
    "default_policies",
]

TWILIO_21614 = "https://www.twilio.com/docs/api/errors/21614/"
TWILIO_21635 = "https://www.twilio.com/docs/api/errors/21635"
TWILIO_10DLC = (
    "https://support.twilio.com/hc/en-us/articles/14910496447771-Shutdown-of-Unregistered-10DLC-"
    "Messaging-FAQ ; https://github.com/department-of-veterans-affairs/notification-api/issues/1376"
)
TWILIO_30032 = "https://static0.twilio.com/docs/api/errors/30032"
TWILIO_21610 = "https://www.twilio.com/docs/api/errors/21610"
TWILIO_TF_STOP = (
    "https://support.twilio.com/hc/en-us/articles/360058144374-Opt-out-keyword-handling-SMS-STOP-"
    "Filtering-for-Toll-Free-SMS"
)
TWILIO_21617 = "https://twilio.com/docs/api/errors/21617"
TWILIO_21623 = "https://twilio.com/docs/api/errors/21623"
MMS_DISABLED = "sender configuration (SenderProfile.mms_enabled)"
SERVICE_LEVEL = "sender configuration (SenderProfile.service_level)"
SMSKIT = "smskit"
TS_23040_PARTS = "3GPP TS 23.040 9.2.3.24.1 (the count of concatenated parts is one octet)"
#: The subject to record the opt-out confirmation under in the send history.
CONFIRMATION_SUBJECT: Final = "opt_out_confirmation"

#: "US-bound" traffic for the 10DLC registration block: US, PR, VI, Guam, American
#: Samoa; Canada-bound traffic is not affected (Twilio FAQ).
US_BOUND_REGIONS: Final = frozenset({"US", "PR", "VI", "GU", "AS"})
_TOLL_FREE_REGIONS: Final = frozenset({*US_BOUND_REGIONS, "CA"})


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One finding code the built-in policies add: its usual severity and source."""

    severity: Severity
    source: str
    status: str
    meaning: str


#: Every code the built-in policies add themselves (the wrapped checks' own codes
#: are in CONTENT_FINDING_CODES, MMS_FINDING_CODES and the timing and consent docs).
POLICY_FINDING_CODES: Final[Mapping[str, CodeInfo]] = MappingProxyType({
    "number.invalid": CodeInfo(Severity.BLOCK, TWILIO_21614, "verified",
                               "the recipient is not a valid phone number"),
    "number.landline": CodeInfo(Severity.BLOCK, TWILIO_21635, "verified",
                                "the recipient is a landline: it cannot receive texts"),
    "number.line_type_unknown": CodeInfo(
        Severity.WARNING, SMSKIT, "default",
        "the numbering plan cannot tell the line type (configurable severity)"),
    "registration.10dlc_unregistered": CodeInfo(
        Severity.BLOCK, TWILIO_10DLC, "verified",
        "US-bound traffic from a 10DLC number without an approved brand and campaign "
        "(provider error 30034)"),
    "registration.toll_free_unverified": CodeInfo(
        Severity.BLOCK, TWILIO_30032, "verified",
        "traffic from a toll-free number that is not verified (provider error 30032)"),
    "consent.scope_missing": CodeInfo(
        Severity.BLOCK, SMSKIT, "",
        "neither the request nor the sender profile names a consent scope"),
    "opt_out.active": CodeInfo(Severity.BLOCK, TWILIO_21610, "verified",
                               "the recipient opted out (provider error 21610)"),
    "opt_out.toll_free_network": CodeInfo(
        Severity.BLOCK, TWILIO_TF_STOP, "verified",
        "a STOP on a toll-free number is held by the network until START/UNSTOP"),
    "opt_out.wrong_number": CodeInfo(
        Severity.BLOCK, FCC_REVOCATION, "default",
        "the person replied that this is the wrong number (a revocation by reasonable "
        "means); only a new grant lifts it"),
    "opt_out.revoke_all": CodeInfo(
        Severity.BLOCK, FCC_REVOKE_ALL.source, FCC_REVOKE_ALL.status,
        "from 2027-01-31 (its first moment in the US: 00:00 in Guam, 14:00 UTC the day "
        "before) an opt-out in one scope revokes every scope of the caller"),
    "opt_out_confirmation.no_opt_out": CodeInfo(
        Severity.BLOCK, FCC_CONFIRMATION, "verified",
        "a confirmation is only allowed after an opt-out"),
    "opt_out_confirmation.late": CodeInfo(
        Severity.BLOCK, FCC_CONFIRMATION, "verified",
        "the confirmation must go within 5 minutes of the opt-out"),
    "opt_out_confirmation.repeat": CodeInfo(
        Severity.BLOCK, FCC_CONFIRMATION, "verified", "only one confirmation is allowed"),
    "opt_out_confirmation.marketing": CodeInfo(
        Severity.BLOCK, FCC_CONFIRMATION, "verified",
        "the confirmation may carry no marketing (no links, no offer such as \"20% off\" or a "
        "promo code, not a marketing purpose)"),
    "opt_out_confirmation.allowed": CodeInfo(
        Severity.INFO, FCC_CONFIRMATION, "verified",
        "the one confirmation after an opt-out, within 5 minutes"),
    "mms.not_enabled": CodeInfo(Severity.BLOCK, MMS_DISABLED, "policy",
                                "the sender is not enabled for MMS"),
    "mms.limits_unknown": CodeInfo(Severity.WARNING, SMSKIT, "default",
                                   "no MMS limits are known for this route"),
    "length.over_provider_max": CodeInfo(
        Severity.BLOCK, TWILIO_21617, "verified",
        "the body is longer than the provider accepts (1,600 characters at Twilio; an "
        "emoji counts as two UTF-16 units, as in the lint)"),
    "length.over_service_level": CodeInfo(
        Severity.BLOCK, SERVICE_LEVEL, "policy",
        "the body is longer than the plan allows (in UTF-16 units: an emoji counts two)"),
    "length.service_level_encoding": CodeInfo(
        Severity.BLOCK, SERVICE_LEVEL, "policy",
        "the plan allows GSM-7 text only and the body needs UCS-2"),
    "prepare.segments_changed": CodeInfo(
        Severity.INFO, SMSKIT, "", "the prefix or footer changed the segment count"),
    "cost.unpriced": CodeInfo(Severity.WARNING, SMSKIT, "",
                              "the rate card has no price for this message"),
    "casl.contact_missing": CodeInfo(
        Severity.WARNING, CASL_GUIDE, "secondary",
        "a commercial text to Canada gives no contact (no link, e-mail or phone number): "
        "CASL wants a mailing address and a phone, e-mail or web address, or a link to them"),
    "engine.no_time_found": CodeInfo(
        Severity.BLOCK, SMSKIT, "",
        "the deferring rules never allow the message at once, or another rule blocks it by "
        "the time they do"),
    "engine.too_many_segments": CodeInfo(
        Severity.BLOCK, TS_23040_PARTS, "verified",
        "the message needs more than the 255 segments a concatenated message can have"),
})


_LIFTING: Final = frozenset({EventKind.GRANTED, EventKind.CONFIRMED, EventKind.REGRANTED})
_EVERY_PURPOSE: Final = frozenset(Purpose)  # a revocation of these is an opt-out


def _finding(code: str, message: str, severity: Severity | None = None, **details: object
             ) -> Finding:
    info = POLICY_FINDING_CODES[code]
    return Finding(code, severity or info.severity, message, info.source,
                   MappingProxyType(details), info.status)


def _scope(request: SendRequest, sender: SenderProfile) -> ConsentScope | None:
    value = request.scope or sender.consent_scope
    return None if value is None else _parse_scope(value)


@functools.lru_cache(maxsize=1024)
def _parse_scope(value: str) -> ConsentScope:
    # A campaign asks for the same scope once per policy per recipient.
    return ConsentScope.parse(value)


# -- numbers and registration --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberPolicy:
    """Invalid numbers and landlines block; an unknown line type warns (configurable).

    Args:
        unknown_line_type: severity for a number whose line type the metadata
            cannot tell at all; ``None`` reports nothing.
    """

    unknown_line_type: Severity | None = Severity.WARNING

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        if phone is None:
            return (_finding("number.invalid", "the recipient is not a valid phone number: "
                             "check it (the number is not shown here)"),)
        if phone.line_type is LineType.FIXED_LINE:
            return (_finding("number.landline", "the recipient is a landline and cannot "
                             "receive texts; use another number", line_type=phone.line_type.value),)
        if phone.line_type is LineType.UNKNOWN and self.unknown_line_type is not None:
            return (_finding("number.line_type_unknown", "the line type of this number is "
                             "unknown; it may not receive texts", self.unknown_line_type),)
        return ()


@dataclass(frozen=True, slots=True)
class RegistrationPolicy:
    """US-bound traffic from an unregistered 10DLC number, and any traffic from an
    unverified toll-free number, is blocked by the carriers: block it first."""

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        if phone is None or sender.registration.cleared:
            return ()
        state = sender.registration.value
        if sender.route is Route.TEN_DLC and phone.region in US_BOUND_REGIONS:
            return (_finding(
                "registration.10dlc_unregistered",
                f"the sending 10DLC number's brand and campaign are {state}, not approved: "
                "US carriers block it (provider error 30034); finish A2P 10DLC registration",
                registration=state, provider_error="30034"),)
        if sender.route is Route.TOLL_FREE and phone.region in _TOLL_FREE_REGIONS:
            return (_finding(
                "registration.toll_free_unverified",
                f"the toll-free number's verification is {state}: traffic is blocked "
                "(provider error 30032); complete toll-free verification",
                registration=state, provider_error="30032"),)
        return ()


# -- consent and opt-outs ----------------------------------------------------------


def _check_store(store: object) -> None:
    """Refuse, when a policy is built, a store the engine cannot read."""
    if not callable(getattr(store, "events_many", None)):
        raise ConfigurationError("store must be a ConsentStore (ledger.store)", field="store")
    if not callable(getattr(store, "facts_many", None)):
        raise ConfigurationError(
            "store has no facts_many (added to ConsentStore for the engine): add "
            "facts_many(recipients, *, verify=False, scopes=None) to your store, e.g. "
            "return {r: [facts_of(e) for e in events] for r, events in "
            "self.events_many(recipients).items()}, or subclass "
            "smskit.consent.store.FoldingStore", field="store")
    if not _takes_scopes(store.facts_many):  # type: ignore[attr-defined]
        raise ConfigurationError(
            "store's facts_many takes no scopes= (the engine passes the batch's consent "
            "scopes): make it facts_many(recipients, *, verify=False, scopes=None); it may "
            "ignore scopes and return every event", field="store")


def _takes_scopes(method: object) -> bool:
    # Told when the policy is built, not by a TypeError in the middle of a campaign.
    try:
        parameters = inspect.signature(method).parameters.values()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True  # no signature to read (a C method): let the call tell
    return any(p.name == "scopes" or p.kind is p.VAR_KEYWORD for p in parameters)


class _BatchFacts:
    """A batch's facts as read by ``prefetch``: ``scopes`` is the filter the read used
    (``None``: every event), so a policy sharing the read can tell whether it holds
    every event its question may need."""

    __slots__ = ("_opt_outs", "_read", "_served", "facts", "scopes")

    def __init__(self, facts: Mapping[str, Sequence[EventFacts]],
                 scopes: tuple[ConsentScope, ...] | None,
                 read: Callable[[tuple[ConsentScope, ...]], Mapping[str, Sequence[EventFacts]]]
                 | None = None,
                 opt_outs: tuple[tuple[str, ...], datetime, datetime] | None = None) -> None:
        self.facts = facts
        self.scopes = scopes
        self._read = read  # reads the batch again on other scopes (None: not again)
        # (caller key, at, revoke-all's start) of a read that also holds, of the
        # caller's other scopes, what an opt-out question at or after at needs, reading
        # revocations from that start as revoke-all does (SQLiteStore.facts_for_opt_outs).
        self._opt_outs = opt_outs
        # Asked once per policy per recipient: keyed by the folded parts (a tuple hashes in C,
        # a scope through its dataclass __hash__).
        self._served: dict[tuple[str, ...], bool] = {}

    def serves(self, scope: ConsentScope) -> bool:
        served = self._served.get(scope.key)
        if served is None:
            # A read filtered on s holds every event related to a scope s covers.
            served = self.scopes is None or any(s.covers(scope) for s in self.scopes)
            if not served and self._read is not None and self.scopes is not None:
                # A policy sharing the read needs more than the one that read (an
                # opt-out policy with a revoke-all date of its own): read the batch
                # once more on the callers of every scope, not once per recipient.
                wider = tuple(sorted({*(ConsentScope(s.parts[:1]) for s in self.scopes),
                                      ConsentScope(scope.parts[:1])}))
                self.facts, self.scopes, self._read = self._read(wider), wider, None
                self._opt_outs = None  # the wider read holds every event of the callers
                self._served.clear()
                served = True
            self._served[scope.key] = served
        return served

    def serves_opt_out(self, caller: ConsentScope, at: datetime, channel: Channel,
                       since: datetime | None) -> bool:
        """Whether the read holds what an opt-out question in every scope of ``caller``
        at ``at`` over ``channel`` needs (revoke-all from ``since``): a read cut for
        another start may have left out events from before a revocation it counted."""
        cut = self._opt_outs
        if cut is None or since != cut[2]:
            return self.serves(caller)
        return caller.key == cut[0] and at >= cut[1] and channel in TEXT_CHANNELS


def _batch_scopes(scopes: Collection[str] | None, wide: bool) -> tuple[ConsentScope, ...] | None:
    """The scopes a batch's read is filtered on (their callers' under revoke-all);
    ``None`` (every event) when the pipeline gave none or one does not parse (the
    policy reports it when it decides)."""
    if scopes is None:
        return None
    try:
        parsed = {_parse_scope(text) for text in scopes}
    except SmskitError:
        return None
    if wide:
        parsed = {ConsentScope(s.parts[:1]) for s in parsed}
    return tuple(sorted(parsed))


def _prefetch_facts(store: ConsentStore, recipients: Sequence[str], verify: bool,
                    scopes: Collection[str] | None, since: datetime | None, at: datetime
                    ) -> _BatchFacts:
    """The batch's read; ``since``: revoke-all's first instant when it applies at ``at``."""
    wide = since is not None
    def read(wider: tuple[ConsentScope, ...]) -> Mapping[str, Sequence[EventFacts]]:
        return store.facts_many(recipients, verify=verify, scopes=wider)

    narrow = _batch_scopes(scopes, False)
    # Under revoke-all, SQLite can leave out what no opt-out question can need: a
    # person's events in the caller's other scopes from before their last opt-out (a
    # subclass reading its own way is read through its facts_many).
    if (wide and not verify and narrow and isinstance(store, SQLiteStore)
            and type(store).facts_many is SQLiteStore.facts_many):
        found = store.facts_for_opt_outs(recipients, scopes=narrow, at=at, since=since)
        if found is not None and since is not None:
            # In UTC: two datetimes sharing one ZoneInfo compare by wall clock, and in a
            # repeated hour an earlier question would pass serves_opt_out's at >= test.
            return _BatchFacts(found, narrow, read,
                               (narrow[0].key[:1], at.astimezone(UTC), since))
    batch = _batch_scopes(scopes, wide)
    return _BatchFacts(store.facts_many(recipients, verify=verify, scopes=batch), batch, read)


def _facts(store: ConsentStore, policy: object, context: PolicyContext, e164: str,
           verify: bool, need: ConsentScope, opt_out_at: datetime | None = None,
           since: datetime | None = None) -> Sequence[EventFacts]:
    """``e164``'s facts holding at least every event related to ``need`` (with
    ``opt_out_at``: what an opt-out question then in every scope of the caller
    ``need`` needs): from the batch's read when it has them, else read now."""
    batch = context.prefetched.get(id(policy))
    if isinstance(batch, _BatchFacts) and (
        # A replay (known_at) may need what the opt-out cut left out: events before an
        # opt-out recorded after known_at.
        batch.serves(need) if opt_out_at is None or context.known_at is not None
        else batch.serves_opt_out(need, opt_out_at, context.channel, since)
    ):
        return batch.facts.get(e164, ())
    return store.facts_many((e164,), verify=verify, scopes=(need,)).get(e164, ())


#: Consent rules per recipient country: Canadian numbers get CASL, the rest the US rules.
DEFAULT_CONSENT_RULES: Final[Mapping[str, ConsentRules]] = MappingProxyType(
    {"US": US, "CA": CASL}
)


@dataclass(frozen=True, slots=True)
class ConsentPolicy:
    """Consent for the purpose, under the rules of the recipient's country.

    Args:
        store: the ledger's store (``ledger.store``).
        rules: rules per recipient country (ISO 3166-1); a business may override
            one country. Default: CASL for Canada, US (TCPA/CTIA) elsewhere.
        default: rules for countries not in ``rules``.
        verify_reads: read the hash-checked events rather than the store's
            projection of them (:meth:`~smskit.consent.ConsentStore.facts_many`);
            slower. Either way ``ConsentLedger.verify`` is what checks the chain.
    """

    store: ConsentStore
    rules: Mapping[str, ConsentRules] = field(default_factory=lambda: DEFAULT_CONSENT_RULES)
    default: ConsentRules = US
    verify_reads: bool = False

    def __post_init__(self) -> None:
        _check_store(self.store)
        # Looked up by the number's region ("CA"): a lower-case or long key never matched
        # and a name instead of the rules failed mid-campaign; refuse both here.
        for country, rules in self.rules.items():
            if not (isinstance(country, str) and len(country) == 2 and country.isascii()
                    and country.isalpha() and country.isupper()):
                raise ConfigurationError(
                    f"rules: key {country!r} is not an ISO 3166-1 country code in capitals "
                    "(e.g. 'CA')", field="rules")
            if not isinstance(rules, ConsentRules):
                raise ConfigurationError(
                    f"rules[{country!r}] must be a ConsentRules, not {type(rules).__name__}: "
                    "pass smskit.consent.CASL or smskit.consent.US", field="rules")
        if not isinstance(self.default, ConsentRules):
            raise ConfigurationError(
                f"default must be a ConsentRules, not {type(self.default).__name__}: pass "
                "smskit.consent.US or smskit.consent.CASL", field="default")

    @property
    def prefetch_key(self) -> object:
        """Policies over the same store share one read per batch."""
        return ("consent-facts", id(self.store), self.verify_reads)

    #: ``decide_many`` passes ``prefetch`` the batch's consent scopes.
    prefetch_scopes: ClassVar[bool] = True

    def prefetch(self, recipients: Sequence[str], at: datetime, *,
                 scopes: Collection[str] | None = None) -> object:
        """Every recipient's events (their facts) in one read; with the batch's
        ``scopes``, only the events in scopes related to them. From the FCC
        revoke-all date on, the scopes' callers: the read is shared with the
        default :class:`OptOutPolicy`, which then needs them (consent needs less)."""
        since = FCC_REVOKE_ALL.starts if FCC_REVOKE_ALL.in_force(at) else None
        return _prefetch_facts(self.store, recipients, self.verify_reads, scopes, since, at)

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        if phone is None:
            return ()
        scope = _scope(request, sender)
        if scope is None:  # also for a confirmation: its opt-out is looked up in a scope
            return (_finding("consent.scope_missing", "no consent scope: set "
                             "SendRequest.scope or SenderProfile.consent_scope"),)
        if request.opt_out_confirmation:
            return ()
        rules = self.rules.get(phone.region, self.default)
        return fold_findings(
            _facts(self.store, self, context, phone.e164, self.verify_reads, scope),
            request.purpose,
            scope=scope, channel=context.channel, at=at, known_at=context.known_at, rules=rules,
        )


def _revoke_all_start(rule: RevokeAllRule | None) -> str:
    """When the rule starts, in UTC and why: "from 2027-01-30 14:00 UTC, when that day
    begins in Guam, the first US place it does"."""
    if rule is None:  # not reached: the finding needs the rule in force
        return "from ?"
    if rule.zone == "UTC":
        return f"from {rule.effective.isoformat()} 00:00 UTC"
    where = (", when that day begins in Guam, the first US place it does"
             if rule.zone == EARLIEST_US_ZONE else f", 00:00 {rule.zone}")
    return f"from {rule.starts:%Y-%m-%d %H:%M} UTC{where}"


def _lifts_network_stop(event: EventFacts) -> bool:
    """A keyword re-grant the carrier honours on a toll-free number: START or UNSTOP.
    A ledger whose reply profile is not toll-free re-grants on YES too; the reply
    text kept as evidence tells."""
    return event.kind is EventKind.REGRANTED and lifts_network_stop(
        event.source, event.reply_text
    )


def _caller(scope: ConsentScope) -> ConsentScope:
    """The scope's first part (its caller, for revoke-all): asked once per decision."""
    return _caller_of(scope.parts[0])


@functools.lru_cache(maxsize=1024)
def _caller_of(part: str) -> ConsentScope:
    # Cached by the text (hashed in C), not by the scope (its dataclass __hash__).
    return ConsentScope((part,))


def _opt_out_state(facts: Iterable[EventFacts], scope: ConsentScope, channel: Channel,
                   at: datetime, *, wide: bool, toll_free: bool, sender_id: str = "",
                   known_at: datetime | None = None, since: datetime | None = None,
                   purpose: Purpose | None = None,
                   ) -> tuple[EventFacts | None, EventFacts | None]:
    """``(the opt-out in force, a toll-free STOP the network still holds)`` for a question
    in ``scope`` at ``at`` (``wide``: under revoke-all, every scope of the caller counts).

    ``since`` (with ``wide``: the revoke-all rule's first instant): a revocation made then
    or later is an opt-out whatever purposes and channels it names (a request made in
    response to one type of message covers every robotext of the caller), and only a
    later grant, confirmation or re-grant for ``purpose`` (the one asked about) lifts it.
    Before ``since`` only a revocation of every purpose on ``channel`` is an opt-out, and
    any of those events lifts it, as before the rule.

    Replayed from the person's last opt-out on: nothing before it can change the answer
    (it is the opt-out whatever came before, and the network hold is set anew when it is
    lifted). tests/_reference.py replays every event, for the property tests.

    On a toll-free sender (``sender_id`` its number) a STOP recorded as reaching that
    number and not followed by START/UNSTOP reaching it is held too, however the opt-out
    was lifted (:func:`~smskit.consent.replies.network_hold`); it is the hold returned
    when there is one, being the one that names the number to text.
    """
    caller = scope.key[0]
    if not wide:
        since = None

    def revoke_all(event: EventFacts) -> bool:  # a revocation read under revoke-all
        # Of a robocall or robotext: an e-mail unsubscribe alone stops no text.
        return (since is not None and event.kind is EventKind.REVOKED
                and event.occurred_at >= since
                and not event.channels.isdisjoint(REVOKE_ALL_CHANNELS))

    # Under revoke-all every scope of the caller counts (covering ones among them), and
    # a revocation on any channel from its date on.
    events = [e for e in facts if e.occurred_at <= at
              and (channel in e.channels or revoke_all(e))
              and (e.scope.key[0] == caller if wide else e.scope.covers(scope))
              and (known_at is None or e.recorded_at is None or e.recorded_at <= known_at)]
    sort_for_replay(events)

    def opt_out(event: EventFacts) -> bool:
        return event.kind is EventKind.REVOKED and (
            (event.purposes >= _EVERY_PURPOSE and channel in event.channels)
            or revoke_all(event))

    first = len(events) - 1
    while first >= 0 and not opt_out(events[first]):
        first -= 1
    if first < 0:
        return None, None  # never opted out: nothing to lift, nothing held
    # The STOP to this number may be older than the last opt-out: read every event (on
    # this channel: the network holds a STOP on its own terms, not revoke-all's).
    at_number = (network_hold([e for e in events if channel in e.channels], sender_id)
                 if toll_free and sender_id else None)
    revoked: EventFacts | None = None
    network: EventFacts | None = None
    for event in events[first:]:
        if event.kind is EventKind.REVOKED:
            if opt_out(event):
                revoked = event
            continue
        # Under revoke-all a sibling scope's opt-out is lifted, for this scope, by
        # consent given again in (or above) this scope; one made from the rule's date
        # on only by consent to the purpose asked about (the person's clarification
        # that they still want reminders is recorded as such a grant).
        if event.kind not in _LIFTING or revoked is None or not (
            event.scope.covers(revoked.scope) or revoked.scope.covers(event.scope)
            or (wide and event.scope.covers(scope))
        ) or (revoke_all(revoked) and purpose is not None
              and purpose not in event.purposes):
            # Asked only when it can change something: it may classify the reply.
            if network is not None and _lifts_network_stop(event):
                network = None
            continue
        held = (toll_free and revoked.source is ConsentSource.KEYWORD
                and revoked.revocation_method is not RevocationMethod.WRONG_NUMBER
                and not _lifts_network_stop(event))
        network = revoked if held else None
        revoked = None
    if wide and revoked is None:
        # Revoke-all adds opt-outs, it never lifts one: the replay from the caller's last
        # opt-out forgets an older one in this scope (or a toll-free hold) that nothing in
        # this scope lifted, so what the scope's own replay finds still holds. Only for a
        # person whose opt-outs were all lifted (first >= 0 here). (rev29c)
        narrow, held_here = _opt_out_state(
            events, scope, channel, at, wide=False, toll_free=toll_free,
            sender_id=sender_id, known_at=known_at)
        if narrow is not None:
            return narrow, None
        return None, at_number or network or held_here
    return revoked, at_number or network


@dataclass(frozen=True, slots=True)
class OptOutPolicy:
    """Whether the person opted out, whatever the purpose.

    A revocation of every purpose that no later grant or re-grant lifted blocks.
    On a toll-free sender, a keyword STOP is held by the network itself: only a
    START/UNSTOP reply (a keyword re-grant) lifts it, not a web form; and a STOP
    recorded as reaching the sender's own number (``received_by``) is lifted only by a
    START/UNSTOP reaching that number, not one texted to another of the business's
    numbers. With
    ``revoke_all`` in force (dated, switchable), an opt-out in any scope of the
    same caller (the scope's first part) counts, and a revocation made from the rule's
    start is an opt-out whatever purposes and channels it names, lifted only by a later
    grant, confirmation or re-grant for the purpose being sent.

    Args:
        store: the ledger's store.
        revoke_all: the FCC revoke-all rule and its date; ``None`` switches it off.
        verify_reads: as for :class:`ConsentPolicy`.
    """

    store: ConsentStore
    revoke_all: RevokeAllRule | None = FCC_REVOKE_ALL
    verify_reads: bool = False

    def __post_init__(self) -> None:
        _check_store(self.store)

    @property
    def prefetch_key(self) -> object:
        """Policies over the same store share one read per batch."""
        return ("consent-facts", id(self.store), self.verify_reads)

    #: ``decide_many`` passes ``prefetch`` the batch's consent scopes.
    prefetch_scopes: ClassVar[bool] = True

    def _since(self, at: datetime) -> datetime | None:
        """The revoke-all rule's first instant when it applies at ``at``, else ``None``."""
        rule = self.revoke_all
        return rule.starts if rule is not None and rule.in_force(at) else None

    def prefetch(self, recipients: Sequence[str], at: datetime, *,
                 scopes: Collection[str] | None = None) -> object:
        """Every recipient's events (their facts) in one read; with the batch's
        ``scopes``, only the events in scopes related to them (to their callers'
        under revoke-all)."""
        return _prefetch_facts(self.store, recipients, self.verify_reads, scopes,
                               self._since(at), at)

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        scope = _scope(request, sender)
        if phone is None or scope is None or request.opt_out_confirmation:
            return ()
        since = self._since(at)
        wide = since is not None
        need = _caller(scope) if wide else scope
        toll_free = sender.route is Route.TOLL_FREE
        revoked, network = _opt_out_state(
            _facts(self.store, self, context, phone.e164, self.verify_reads, need,
                   at if wide else None, since),
            scope, context.channel, at, wide=wide, toll_free=toll_free,
            sender_id=sender.sender_id, known_at=context.known_at, since=since,
            purpose=request.purpose)
        if revoked is None:
            if network is None:
                return ()
            if toll_free and sender.sender_id and network.received_by == sender.sender_id:
                number = mask_sender(sender.sender_id)
                return (_finding(
                    "opt_out.toll_free_network",
                    f"the person texted STOP to this toll-free number ({number}) on "
                    f"{network.occurred_at.isoformat()}: its network refuses every send from "
                    f"it (error 21610) until they text START or UNSTOP to {number} itself; "
                    "a START to another of your numbers does not lift it",
                    opted_out_at=network.occurred_at, **event_reference(network)),)
            return (_finding(
                "opt_out.toll_free_network",
                "the person texted STOP to this toll-free number: the network blocks sends "
                "until they reply START or UNSTOP, whatever consent was given since",
                opted_out_at=network.occurred_at, **event_reference(network)),)
        if not revoked.scope.covers(scope):
            return (_finding(
                "opt_out.revoke_all",
                f"the person opted out in scope {revoked.scope} on "
                f"{revoked.occurred_at.isoformat()}; under the FCC revoke-all rule "
                f"({_revoke_all_start(self.revoke_all)}) that covers every message of "
                "the caller",
                opted_out_at=revoked.occurred_at, scope=str(revoked.scope),
                **event_reference(revoked)),)
        if revoked.revocation_method is RevocationMethod.WRONG_NUMBER:
            return (_finding(
                "opt_out.wrong_number",
                f"the person at this number replied on {revoked.occurred_at.isoformat()} "
                "that it is the wrong number: the consent on file was someone else's (a "
                "reassigned or mistyped number); do not send until this person grants "
                "consent (a START or YES from the number does not lift it)",
                opted_out_at=revoked.occurred_at, **event_reference(revoked)),)
        if not (revoked.purposes >= _EVERY_PURPOSE and context.channel in revoked.channels):
            # Counted only under revoke-all: the ledger's status still says GRANTED for
            # this purpose and channel, so the finding says why it blocks.
            named = ("every purpose" if revoked.purposes >= _EVERY_PURPOSE
                     else ", ".join(sorted(p.value for p in revoked.purposes)))
            over = ", ".join(sorted(c.value for c in revoked.channels))
            return (_finding(
                "opt_out.active",
                f"the person revoked consent to {named} over {over} on "
                f"{revoked.occurred_at.isoformat()}; under the FCC revoke-all rule "
                f"({_revoke_all_start(self.revoke_all)}) that stops every text of the "
                f"caller until they grant consent to {request.purpose.value} again (record "
                "their \"I still want these\" as a new grant)",
                opted_out_at=revoked.occurred_at, **event_reference(revoked)),)
        return (_finding(
            "opt_out.active",
            f"the person opted out on {revoked.occurred_at.isoformat()}; do not send until "
            "they opt in again (the provider refuses it, error 21610, only after an opt-out "
            "it matched itself: a BAJA or a request in words reaches it as a message)",
            opted_out_at=revoked.occurred_at, **event_reference(revoked)),)


@dataclass(frozen=True, slots=True)
class ConfirmationPolicy:
    """The one text confirming an opt-out (FCC 47 CFR 64.1200(a)(12)): allowed once,
    within 5 minutes of the opt-out, only if it carries no marketing.

    Args:
        store: the ledger's store (to find the opt-out).
        history: the sends already made (to see an earlier confirmation, recorded
            with ``subject="opt_out_confirmation"``); ``None``: not checked.
    """

    store: ConsentStore
    history: SendHistory | None = None

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        scope = _scope(request, sender)
        if not request.opt_out_confirmation or phone is None or scope is None:
            return ()
        known = context.known_at
        revocations = [
            e for e in self.store.events(phone.e164)
            if e.kind is EventKind.REVOKED and e.occurred_at <= at and e.scope.covers(scope)
            and (known is None or e.recorded_at is None or e.recorded_at <= known)
        ]
        if not revocations:
            return (_finding("opt_out_confirmation.no_opt_out",
                             "no opt-out to confirm: this would be an unsolicited message"),)
        revoked = max(revocations, key=replay_order)
        found: list[Finding] = []
        # In UTC: two times of one zone subtract by wall clock.
        if at.astimezone(UTC) - revoked.occurred_at.astimezone(UTC) > OPT_OUT_CONFIRMATION_WINDOW:
            found.append(_finding(
                "opt_out_confirmation.late",
                f"the opt-out was at {revoked.occurred_at.isoformat()}: a confirmation is "
                "presumed compliant only within 5 minutes; do not send it now",
                opted_out_at=revoked.occurred_at))
        # A replay knows of the sends made by known_at only.
        until = at if known is None or known.astimezone(UTC) >= at.astimezone(UTC) else known
        if self.history is not None and self.history.sent_at(
            since=revoked.occurred_at - timedelta(microseconds=1), until=until,
            recipient=phone.e164, subject=CONFIRMATION_SUBJECT,
        ):
            earlier = self.history.sent_at(
                since=revoked.occurred_at - timedelta(microseconds=1), until=until,
                recipient=phone.e164)
            if earlier:
                found.append(_finding("opt_out_confirmation.repeat",
                                      "a confirmation was already sent for this opt-out"))
        text = _unled(context.body, sender)
        # An offer with no link is promotional too (rev30e: "use code BACK20 for 20% off"
        # went out as the confirmation).
        offer = promotion(text, names=_names(sender))
        if request.purpose is Purpose.MARKETING or extract_hosts(text) or offer:
            found.append(_finding(
                "opt_out_confirmation.marketing",
                "the confirmation may only confirm the opt-out: no links, offers or "
                "marketing purpose" + (f" (it offers {offer!r})" if offer else ""),
                offer=offer))
        if not found:
            found.append(_finding("opt_out_confirmation.allowed",
                                  "the one confirmation of this opt-out"))
        return tuple(found)


def _unled(body: str, sender: SenderProfile) -> str:
    """``body`` without the "Brand: " lead the ledger puts on its replies: a brand
    written as a domain ("Acme.com") names the sender, it is no link to sell with."""
    brand = sender.brand.strip()
    lead = f"{brand}:"
    # A brand with a path ("acme.com/deals") is a link to a page: it stays in.
    if brand and "/" not in brand and body[:len(lead)].casefold() == lead.casefold():
        return body[len(lead):]
    return body


# -- time ---------------------------------------------------------------------------


def _deferred(findings: Iterable[Finding], when: datetime | None) -> tuple[Finding, ...]:
    out = []
    for finding in findings:
        if finding.severity is Severity.DEFER and when is not None:
            finding = replace(finding, details=MappingProxyType(
                {**finding.details, "not_before": when}))
        out.append(finding)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class QuietHoursPolicy:
    """Quiet hours in the recipient's zone (:class:`~smskit.timing.QuietHours`): defer
    to the next allowed instant."""

    quiet_hours: QuietHours = field(default_factory=QuietHours)

    def prefetch(self, recipients: Sequence[str], at: datetime) -> object:
        """An empty memo for the batch (nothing is read): the answer at the batch's
        ``at`` is the same for every recipient of one location and purpose."""
        return _QuietMemo(at)

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        if phone is None or request.opt_out_confirmation:
            return ()
        memo = context.prefetched.get(id(self))
        key: tuple[object, ...] | None = None
        kept: dict[tuple[object, ...], tuple[Finding, ...]] | None = None
        if isinstance(memo, _QuietMemo) and at is memo.at:  # not a deferral's later look
            # Everything QuietHours.check reads of the number and the request (its own
            # plan key), so equal keys get equal answers; a request it would refuse
            # raises before anything is kept.
            key = (phone.region, phone.subdivisions, phone.time_zones, request.purpose,
                   request.recipient_zone, request.recipient_region, request.prior_consent)
            kept = memo.found
            found = kept.get(key)
            if found is not None:
                return found
        decision = self.quiet_hours.check(
            phone, at, purpose=request.purpose, recipient_zone=request.recipient_zone,
            recipient_region=request.recipient_region, prior_consent=request.prior_consent,
        )
        # An allowed instant says which windows, in which zones, allowed it.
        found = ((allowed_finding(decision, request.purpose),) if decision.allowed
                 else _deferred(decision.findings, decision.next_allowed))
        if kept is not None and key is not None:
            kept[key] = found
        return found


class _QuietMemo:
    """One batch's quiet-hours answers at the batch's ``at``, by recipient location."""

    __slots__ = ("at", "found")

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.found: dict[tuple[object, ...], tuple[Finding, ...]] = {}


class _BatchSends:
    """A batch's sends by recipient as a read-only :class:`SendHistory` for the cap.

    ``FrequencyCapPolicy.prefetch`` reads every recipient's sends in ``(since, until]``
    once; the cap then asks this for one recipient at a time, as it would ask the
    store (the same instants, UTC, ascending). A question outside what was read (a
    deferral re-asks the cap at a later instant, when the store may hold sends made
    after the batch's ``at``) or not per recipient goes to the store itself.
    """

    __slots__ = ("_history", "_records", "_since", "_until")

    def __init__(self, records: Mapping[str, Sequence[SendRecord]], *, since: datetime,
                 until: datetime, history: SendHistory) -> None:
        self._records = records
        self._since, self._until = since.astimezone(UTC), until.astimezone(UTC)
        self._history = history

    def record(self, send: SendRecord) -> None:
        raise ConfigurationError("a batch's prefetched sends are read-only", field="history")

    def prune(self, before: datetime, *, limit: int = 1000) -> int:
        raise ConfigurationError("a batch's prefetched sends are read-only", field="history")

    def has_sends(self, recipient: str) -> bool:
        """Whether the batch read holds any send to ``recipient`` (in any window)."""
        return bool(self._records.get(recipient))

    def sent_at(
        self,
        *,
        since: datetime,
        until: datetime,
        recipient: str | None = None,
        sender: str | None = None,
        subject: str | None = None,
        purposes: frozenset[Purpose] = frozenset(Purpose),
    ) -> tuple[datetime, ...]:
        # Aware datetimes of different zones compare as instants; the bounds are
        # made UTC so a send recorded in the same zone is not compared by wall clock.
        low, high = since.astimezone(UTC), until.astimezone(UTC)
        if recipient is None or low < self._since or high > self._until:
            return self._history.sent_at(since=since, until=until, recipient=recipient,
                                         sender=sender, subject=subject, purposes=purposes)
        records = self._records.get(recipient)
        if not records:
            return ()
        return tuple(
            s.at.astimezone(UTC) for s in records
            if low < s.at <= high
            and (sender is None or s.sender == sender)
            and (subject is None or s.subject in (subject, None))
            and s.purpose in purposes
        )

    def records_many(
        self, recipients: Sequence[str], *, since: datetime, until: datetime
    ) -> Mapping[str, Sequence[SendRecord]]:
        low, high = since.astimezone(UTC), until.astimezone(UTC)
        if low < self._since or high > self._until:
            return self._history.records_many(recipients, since=since, until=until)
        return {r: tuple(s for s in self._records.get(r, ()) if low < s.at <= high)
                for r in recipients}


@dataclass(frozen=True, slots=True)
class FrequencyCapPolicy:
    """Frequency caps (:class:`~smskit.timing.FrequencyCap`): defer until one more fits."""

    cap: FrequencyCap

    def _window(self) -> timedelta:
        windows = [r.window for r in self.cap.rules] + [lim.window for lim in self.cap.limits]
        return max(windows, default=timedelta(0))

    @property
    def reads_history(self) -> SendHistory:
        """The send history the cap counts in (the pipeline may hand over its read)."""
        return self.cap.history

    def prefetch(self, recipients: Sequence[str], at: datetime, *,
                 sends: Mapping[str, Sequence[SendRecord]] | None = None) -> object:
        """Every recipient's sends within the longest cap window, in one read: the
        batch's cap reads them (built once per batch, not per recipient).

        ``sends``: every send to each recipient, before and after ``at``, already read
        from :attr:`reads_history` (the pipeline reads them for first-message
        detection); then nothing is read again, not even when a deferral asks the cap
        at a later instant.
        """
        if any(not lim.per_recipient for lim in self.cap.limits):
            return None  # sender-wide limits need the whole history: read it per message
        if sends is not None:
            since, until = _EPOCH, _END
        else:  # read after at too: a deferral asks the cap again at a later instant
            since, until = at.astimezone(UTC) - self._window(), _END
            sends = self.cap.history.records_many(recipients, since=since, until=until)
        read = _BatchSends(sends, since=since, until=until, history=self.cap.history)
        return _CapBatch(replace(self.cap, history=read), read, at)

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        phone = context.phone
        if phone is None or request.opt_out_confirmation:
            return ()
        batch = context.prefetched.get(id(self))
        cap = self.cap
        # A send through a Messaging Service is recorded (and capped) under its SID.
        ours = sender.sender_id or sender.messaging_service
        key: tuple[object, ...] | None = None
        kept: dict[tuple[object, ...], tuple[Finding, ...]] | None = None
        if isinstance(batch, _CapBatch):
            cap = batch.cap
            if at is batch.at and not batch.sends.has_sends(phone.e164):
                # Nothing sent to this recipient (the batch read covers every window at
                # the batch's at): the answer depends only on what check reads besides
                # the sends, so recipients alike share it. Refused input raises before
                # anything is kept.
                key = (phone.region, phone.subdivisions, phone.time_zones, ours,
                       request.purpose, request.subject, request.recipient_region)
                kept = batch.memo
                found = kept.get(key)
                if found is not None:
                    return found
        known = context.known_at
        if known is not None and known.astimezone(UTC) < at.astimezone(UTC):
            # A replay counts only the sends made by known_at (a send is known once made).
            cap = replace(cap, history=_KnownSends(cap.history, known))
        decision = cap.check(
            phone, at, sender=ours or "default", purpose=request.purpose,
            subject=request.subject, recipient_region=request.recipient_region,
        )
        found = () if decision.allowed else _deferred(decision.findings, decision.next_allowed)
        if kept is not None and key is not None:
            kept[key] = found
        return found


class _KnownSends:
    """A :class:`SendHistory` read as known at an instant: the sends made by then."""

    __slots__ = ("_history", "_known")

    def __init__(self, history: SendHistory, known_at: datetime) -> None:
        self._history, self._known = history, known_at.astimezone(UTC)

    def record(self, send: SendRecord) -> None:
        raise ConfigurationError("a replay's sends are read-only", field="history")

    def prune(self, before: datetime, *, limit: int = 1000) -> int:
        raise ConfigurationError("a replay's sends are read-only", field="history")

    def sent_at(
        self,
        *,
        since: datetime,
        until: datetime,
        recipient: str | None = None,
        sender: str | None = None,
        subject: str | None = None,
        purposes: frozenset[Purpose] = frozenset(Purpose),
    ) -> tuple[datetime, ...]:
        until = min(until.astimezone(UTC), self._known)
        if since.astimezone(UTC) >= until:
            return ()
        return self._history.sent_at(since=since, until=until, recipient=recipient,
                                     sender=sender, subject=subject, purposes=purposes)

    def records_many(
        self, recipients: Sequence[str], *, since: datetime, until: datetime
    ) -> Mapping[str, Sequence[SendRecord]]:
        until = min(until.astimezone(UTC), self._known)
        if since.astimezone(UTC) >= until:
            return dict.fromkeys(recipients, ())
        return self._history.records_many(recipients, since=since, until=until)


class _CapBatch:
    """A batch's cap (answering from the batch's sends), and its answers at the batch's
    ``at`` for recipients without sends."""

    __slots__ = ("at", "cap", "memo", "sends")

    def __init__(self, cap: FrequencyCap, sends: _BatchSends, at: datetime) -> None:
        self.cap, self.sends, self.at = cap, sends, at
        self.memo: dict[tuple[object, ...], tuple[Finding, ...]] = {}


# -- the message ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContentPolicy:
    """Content lint (:func:`~smskit.content.lint`) on the prepared body.

    Without a ``LintConfig.max_characters`` of its own, ``content.too_long`` uses the
    sender's ``max_body_characters`` (its provider's limit), not Twilio's 1,600.

    Beside :class:`LengthPolicy` (as in :func:`default_policies`), the engine keeps one
    finding for a body over that limit: ``length.over_provider_max``, which cites the
    provider's error and is not switched off by a ``LintConfig``. Without it (a pipeline
    of your own), ``content.too_long`` still blocks the body.

    Args:
        config: rule switches and severities.
        casl_purposes: the purposes whose every message to Canada is checked for the
            sender's name and an unsubscribe, as a first message is (CASL s.6(2) asks
            both of every commercial electronic message). Marketing, and transactional:
            s.6(6) lifts only the consent requirement from such a message. Reading a
            ``transactional`` text as an s.6(6) message is smskit's (a labelled
            default); ``frozenset({Purpose.MARKETING})`` checks marketing only.
    """

    config: LintConfig = DEFAULT_CONFIG
    casl_purposes: frozenset[Purpose] = frozenset({Purpose.MARKETING, Purpose.TRANSACTIONAL})
    # lint is a pure function of these inputs; a campaign repeats a few bodies.
    _memo: dict[tuple[object, ...], tuple[Finding, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # The config with each sender limit filled in, built once (LintConfig checks itself).
    _limited: dict[int, LintConfig] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        # CASL wants the sender named in every commercial message, not only the first:
        # a promotion to a Canadian number or address is linted as a first message is.
        # The opt-out confirmation only confirms: no commercial message (CASL s.1(2)), and
        # the link a contact finding would ask for is what FCC 64.1200(a)(12) forbids.
        commercial = (request.purpose in self.casl_purposes
                      and not request.opt_out_confirmation and _canadian(request, context))
        casl = not context.first_message and commercial
        first = context.first_message or casl
        key = (context.body, request.purpose, first, casl, sender.brand,
               sender.prefix, bool(request.media), sender.max_body_characters)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= 4096:
                self._memo.clear()
            config = self.config
            if config.max_characters is None:
                limit = sender.max_body_characters
                config = self._limited.get(limit) or self._limited.setdefault(
                    limit, replace(config, max_characters=limit))
            found = self._memo[key] = tuple(
                _as_casl(f, request.purpose) if casl else f for f in lint(
                    context.body, purpose=request.purpose, first_message=first,
                    brand=_names(sender) or None, has_media=bool(request.media),
                    config=config))
        if commercial and not _gives_contact(context.body):
            found = (*found, _finding(
                "casl.contact_missing",
                "a commercial message to Canada must give the sender's contact information "
                "(a mailing address and a phone number, e-mail or web address), or a link to "
                "a page with it (CASL s.6(2)); this one has no link, e-mail or phone number"
                + (" (a transactional one too: s.6(6) lifts the consent requirement only)"
                   if request.purpose is Purpose.TRANSACTIONAL else "")))
        return found


#: A phone number as a text gives it (ten digits, NANP-style, or a +country number), a
#: toll-free vanity number ("1-800-FLOWERS", in capitals: "800 items" is none), or an
#: e-mail address: either is contact information a recipient can use. Digits may be
#: parted by the Unicode hyphens and dashes (U+2010-U+2015, U+2212) a template may hold.
_SEP: Final = r"[\s.\-\u2010-\u2015\u2212]"
_CONTACT: Final = re.compile(
    rf"(?<![\w])(?:\+?1{_SEP}?)?\(?\d{{3}}\)?{_SEP}?\d{{3}}{_SEP}?\d{{4}}(?!\d)"
    rf"|(?<![\w])(?:\+?1{_SEP}?)?\(?8(?:00|33|44|55|66|77|88)\)?{_SEP}?"
    rf"(?:[A-Z0-9]{_SEP}?){{6}}[A-Z0-9](?![A-Za-z0-9])"
    rf"|\+\d(?:\d|{_SEP}){{7,}}\d"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def _gives_contact(body: str) -> bool:
    """Whether ``body`` holds a link, an e-mail address or a phone number (CASL contact
    information, or the link to a page with it). Necessary, not sufficient: the mailing
    address CASL also asks for is not looked for (a link to a page holding both is the
    usual way in a text)."""
    return _CONTACT.search(body) is not None or bool(extract_hosts(body))


def _canadian(request: SendRequest, context: PolicyContext) -> bool:
    """A message that may reach someone in Canada (the number's country, or an address
    in Canada; ``CA`` on a US number reads both ways, so it counts)."""
    region = (request.recipient_region or "").upper()  # validated in any case ("ca-bc")
    return (context.phone is not None and context.phone.region == "CA") or (
        region == "CA" or region.startswith("CA-"))


def _as_casl(found: Finding, purpose: Purpose) -> Finding:
    """A sender-ID or unsubscribe finding on a later message says why it applies (CASL,
    not first)."""
    # s.6(6) exempts a transactional message from consent, not from s.6(2).
    also = (" (a transactional one too: s.6(6) lifts the consent requirement only)"
            if purpose is Purpose.TRANSACTIONAL else "")
    if found.code == "content.opt_out_missing":  # keep the record true: not a first message
        details = {**found.details, "first_message": False}
        if purpose is Purpose.MARKETING:
            return replace(found, details=details)
        return replace(found, details=details, message=(
            f"CASL: every commercial message to Canada must offer an unsubscribe{also}: "
            "e.g. 'Reply STOP to opt out'"))
    if found.code not in ("content.sender_id_missing", "content.sender_id_unchecked"):
        return found
    why = (f"CASL: every commercial message to Canada must name the sender{also}: include "
           "the brand name" if found.code == "content.sender_id_missing" else
           f"CASL: every commercial message to Canada must name the sender{also}, but no "
           "brand was given: pass brand= to check it")
    return replace(found, message=why)


def _names(sender: SenderProfile) -> tuple[str, ...]:
    """The names a first message may identify the sender by: the brand, and the name
    its identification prefix gives when that shares a word with the brand (``"FixIt: "``
    for "FixIt Home Services"; a prefix such as ``"Reminder: "`` names nobody)."""
    brand = sender.brand.strip()
    short = _PREFIX_EDGES.sub("", sender.prefix)
    # Words compared as the check reads the text: "Cafe" is a word of "Café Lumière".
    shared = set(_WORDS.findall(_unaccented(short.casefold()))) & set(
        _WORDS.findall(_unaccented(brand.casefold()))
    )
    return tuple(name for name in (brand, short if shared else "") if name)


_PREFIX_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class MediaPolicy:
    """MMS rules (:class:`~smskit.mms.MmsPolicy`) for the sender's route and provider,
    with its attachment count and size limit."""

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        if not request.media:
            return ()
        if not sender.mms_enabled:
            return (_finding("mms.not_enabled", "this sender is not enabled for MMS: remove "
                             "the media or send from an MMS-enabled number"),)
        if sender.route is Route.INTERNATIONAL:
            return (_finding("mms.limits_unknown", "no MMS limits are known for international "
                             "routes; check the provider's"),)
        extra = () if sender.max_mms_bytes is None else (SizeLimit(
            max_bytes=sender.max_mms_bytes, scope=LimitScope.MESSAGE, media=MediaScope.ALL,
            source="sender configuration (SenderProfile.max_mms_bytes)", status="policy"),)
        policy = MmsPolicy(route=sender.route, provider=sender.mms_provider,
                           max_attachments=sender.max_media, extra_limits=extra)
        return policy.check(request.media, text=context.body).findings


def _counted(length: int, units: int) -> str:
    """``"N characters"``, with the UTF-16 units when emoji make them differ."""
    return f"{length} characters" + (
        f" ({units} UTF-16 units: emoji count twice)" if units != length else "")


@dataclass(frozen=True, slots=True)
class LengthPolicy:
    """The provider's maximum body and the account's service level."""

    def __call__(self, request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterable[Finding]:
        found: list[Finding] = []
        length = len(context.body)
        # Count as the lint does (content.too_long): an emoji or other astral character
        # is two UTF-16 units, and Twilio 21617 says non-GSM characters may count as more
        # than one. Counting code points would allow what the lint and provider refuse.
        units = utf16_units(context.body)
        if units > sender.max_body_characters:
            over = units - sender.max_body_characters
            found.append(_finding(
                "length.over_provider_max",
                f"{_counted(length, units)}, {over} over the provider's "
                f"{sender.max_body_characters} (error 21617): shorten the message",
                characters=length, utf16_units=units, limit=sender.max_body_characters,
                over=over))
        level = sender.service_level
        if level is not None:
            if level.max_characters is not None and units > level.max_characters:
                over = units - level.max_characters
                found.append(_finding(
                    "length.over_service_level",
                    f"{_counted(length, units)}, {over} over the {level.name} plan's "
                    f"{level.max_characters}: shorten it or upgrade the plan",
                    characters=length, utf16_units=units, limit=level.max_characters,
                    over=over, service_level=level.name))
            if level.gsm_only and context.encoding is Encoding.UCS2:
                chars = sorted({c.char for c in non_gsm_characters(context.body)})
                found.append(_finding(
                    "length.service_level_encoding",
                    f"the {level.name} plan sends GSM-7 text only; remove {chars[:5]!a}",
                    characters=tuple(chars), service_level=level.name))
        return tuple(found)


def default_policies(
    *,
    store: ConsentStore | None = None,
    history: SendHistory | None = None,
    quiet_hours: QuietHours | None = None,
    cap: FrequencyCap | None = None,
    lint_config: LintConfig = DEFAULT_CONFIG,
    consent_rules: Mapping[str, ConsentRules] = DEFAULT_CONSENT_RULES,
    revoke_all: RevokeAllRule | None = FCC_REVOKE_ALL,
    unknown_line_type: Severity | None = Severity.WARNING,
    verify_reads: bool = False,
) -> tuple[Policy, ...]:
    """The built-in policies; consent, opt-out and confirmation need ``store``, caps
    need ``history`` (or ``cap``). ``verify_reads``: consent and opt-out read
    hash-checked events rather than the store's projection (see
    :class:`ConsentPolicy`)."""
    if store is not None:
        _check_store(store)
    policies: list[Policy] = [
        NumberPolicy(unknown_line_type), RegistrationPolicy(),
        QuietHoursPolicy(quiet_hours or QuietHours()), ContentPolicy(lint_config),
        MediaPolicy(), LengthPolicy(),
    ]
    if store is not None:
        policies += [ConsentPolicy(store, consent_rules, verify_reads=verify_reads),
                     OptOutPolicy(store, revoke_all, verify_reads=verify_reads),
                     ConfirmationPolicy(store, history)]
    if cap is None and history is not None:
        cap = FrequencyCap(history)
    if cap is not None:
        policies.append(FrequencyCapPolicy(cap))
    return tuple(policies)

