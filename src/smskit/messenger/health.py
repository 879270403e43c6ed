"""Delivery health per sender: rolling opt-out and error rates, provider early warnings.

No carrier publishes the opt-out or error rates that get a number filtered or
suspended. The defaults below are heuristics relayed by providers and resellers,
labelled ``unverified`` in every finding, and every one is configurable:

* opt-out rate (unique opted-out recipients / unique recipients, rolling 24 h):
  Flowroute attributes "5% flagged, 10% possible suspension" to carriers
  (https://support.flowroute.com/624359-Messaging-Guidelines---Monitoring); a
  HighLevel reseller page warns at 2% and suspends at 3%
  (https://help.relentless-digital.com/error-and-opt-out-rate-monitoring-for-sms-compliance).
  Default: warn at 2%, halt at 5%.
* error rate (failed reports / messages sent, rolling 24 h): the same reseller
  page warns at 8% and suspends at 12.5%. Default: the same.
* Twilio error 30026 says 70% of the T-Mobile daily cap is used; it raises a
  finding at once, whatever the rates (https://www.twilio.com/docs/api/errors/30026).
  30027 (the cap reached) halts marketing until the window rolls on
  (https://www.twilio.com/docs/api/errors/30027).
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType

from ..errors import ConfigurationError, InvalidPhoneNumber
from ..findings import Finding, Severity, reduce_frozen
from ..numbers.parse import mask_number, mask_sender, parse_number
from ..policy import PolicyContext, SenderProfile, SendRequest
from ..pricing import Direction
from ..purpose import Purpose
from .history import DeliveryRecord, MessageHistory, _aware, _elapsed

__all__ = ["HealthPolicy", "HealthThresholds", "SenderHealth", "SuppressionPolicy", "sender_health"]

FLOWROUTE_MONITORING = "https://support.flowroute.com/624359-Messaging-Guidelines---Monitoring"
RESELLER_MONITORING = (
    "https://help.relentless-digital.com/error-and-opt-out-rate-monitoring-for-sms-compliance"
)
TWILIO_30026 = "https://www.twilio.com/docs/api/errors/30026"
TWILIO_30027 = "https://www.twilio.com/docs/api/errors/30027"

#: Finding codes (public API, never renamed).
OPT_OUT_WARNING = "health.opt_out_rate_warning"
OPT_OUT_HALT = "health.opt_out_rate_halt"
ERROR_WARNING = "health.error_rate_warning"
ERROR_HALT = "health.error_rate_halt"
DAILY_CAP_WARNING = "health.daily_cap_warning"
DAILY_CAP_REACHED = "health.daily_cap_reached"
SUPPRESSED = "delivery.suppressed"

#: Error categories that count towards suppressing a number.
SUPPRESSING = frozenset({"invalid_number", "landline", "unreachable"})
# Reports that a message reached the phone (read follows delivered on RCS).
_REACHED = frozenset({"delivered", "read"})

_FAILED = frozenset({"failed", "undelivered"})


def _rate(value: object, name: str) -> Decimal:
    if not isinstance(value, Decimal) or not Decimal(0) < value <= Decimal(1):
        raise ConfigurationError(
            f"{name} must be a Decimal fraction in (0, 1], e.g. Decimal('0.05'), got {value!r}",
            field=name,
        )
    return value


@dataclass(frozen=True, slots=True)
class HealthThresholds:
    """When a sender's delivery health warns and when it halts marketing.

    Attributes:
        opt_out_warn, opt_out_halt: opt-out rate fractions (heuristics, unverified).
        error_warn, error_halt: error rate fractions (heuristics, unverified).
        window: the rolling window (24 h as the sources use).
        min_recipients: below this many recipients in the window, rates are not
            judged (one STOP among three recipients is not a trend).
        cap_warning_codes: provider codes that warn at once (Twilio 30026).
        cap_reached_codes: provider codes that halt marketing at once (Twilio 30027).
    """

    opt_out_warn: Decimal = Decimal("0.02")
    opt_out_halt: Decimal = Decimal("0.05")
    error_warn: Decimal = Decimal("0.08")
    error_halt: Decimal = Decimal("0.125")
    window: timedelta = timedelta(hours=24)
    min_recipients: int = 20
    cap_warning_codes: frozenset[str] = frozenset({"30026"})
    cap_reached_codes: frozenset[str] = frozenset({"30027"})

    def __post_init__(self) -> None:
        for name in ("opt_out_warn", "opt_out_halt", "error_warn", "error_halt"):
            _rate(getattr(self, name), name)
        if self.opt_out_warn > self.opt_out_halt:
            raise ConfigurationError(
                "opt_out_warn must not exceed opt_out_halt", field="opt_out_warn"
            )
        if self.error_warn > self.error_halt:
            raise ConfigurationError("error_warn must not exceed error_halt", field="error_warn")
        if self.window <= timedelta(0):
            raise ConfigurationError("window must be positive", field="window")
        if self.min_recipients < 1:
            raise ConfigurationError("min_recipients must be at least 1", field="min_recipients")
        object.__setattr__(self, "cap_warning_codes", frozenset(self.cap_warning_codes))
        object.__setattr__(self, "cap_reached_codes", frozenset(self.cap_reached_codes))


@dataclass(frozen=True, slots=True)
class SenderHealth:
    """One sender's delivery health over ``(since, until]``.

    Counted by message (provider id), so a delivery report recorded twice
    counts once, and both rates stay between 0 and 1.

    Attributes:
        recipients: unique recipients of the messages counted in ``sent``.
        opted_out: those of them who opted out (STOP replies, provider-reported
            opt-outs such as Twilio 21610).
        sent: outbound messages, and messages reported failed (a report now for
            a message sent before the window, or one the provider refused).
        failures: messages reported failed or undelivered, by the error category
            of the latest such report.
        findings: warnings and halts, each citing its source and marked unverified
            where the number is a heuristic.
    """

    sender: str
    since: datetime
    until: datetime
    recipients: int
    opted_out: int
    sent: int
    failures: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    findings: tuple[Finding, ...] = ()
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __repr__(self) -> str:
        # The sending number masked, as in SenderProfile's repr.
        rest = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)[1:])
        return f"{type(self).__name__}(sender={mask_sender(self.sender)!r}, {rest})"

    @property
    def opt_out_rate(self) -> Decimal:
        """Unique opted-out / unique recipients (0 without recipients)."""
        return Decimal(self.opted_out) / self.recipients if self.recipients else Decimal(0)

    @property
    def error_rate(self) -> Decimal:
        """Failed messages / messages sent (0 without messages)."""
        return Decimal(sum(self.failures.values())) / self.sent if self.sent else Decimal(0)

    @property
    def halted(self) -> bool:
        """Whether marketing from this sender should wait (a halt finding)."""
        return any(f.severity is Severity.DEFER for f in self.findings)


# A phone number perhaps written for people, perhaps behind a channel prefix
# ("whatsapp:+1 212 555 0199"); E.164 as the history records it.
_WRITTEN_NUMBER = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)?(\+?[0-9 ().-]+)")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# A sender that starts as a number does (any script's digits: \d is Unicode), after a
# channel prefix; a named sender or messaging-service id starts with a letter.
_NUMBER_FIRST = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*:)?[\s(]*[+\uff0b]?[\s(]*\d")
# The same number followed by an extension, as a desk phone's contact card writes it
# ("+1 (212) 555-0199 ext 5", "x5", ";ext=5", "#5", or the dialer's pause ",5").
_WITH_EXTENSION = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*:)?(\+?[0-9 ().-]*[0-9])\s*"
    r"(?:(?:ext(?:ension)?|x)\.?\s*=?|#|[,;]+\s*(?:ext(?:ension)?\.?\s*=?)?)\s*[0-9]+\s*",
    re.IGNORECASE,
)


def sending_id(sender: str | SenderProfile) -> str:
    """The number (or ID) the history records ``sender``'s messages under.

    ``send`` takes the profile, so health and usage take it too; anything else
    would match no record (or fail in SQLite's parameter binding).
    """
    if isinstance(sender, SenderProfile):
        # A Messaging Service's messages are recorded under its SID.
        return sender.sender_id or sender.messaging_service
    if not isinstance(sender, str):
        raise ConfigurationError(
            f"sender must be the sending number (str) or its SenderProfile, not "
            f"{type(sender).__name__}",
            field="sender",
        )
    found = _WRITTEN_NUMBER.fullmatch(sender)
    extended = None if found else _WITH_EXTENSION.fullmatch(sender)
    if extended is not None and sum(c.isdigit() for c in extended[2]) >= 7:
        # Passed through as written, it matched no record: usage 0, health clean.
        raise ConfigurationError(
            f"sender {(extended[1] or '') + mask_number(extended[2])!r} is followed by an "
            "extension, which is no part of an SMS sender (texts reach the number, never "
            "an extension): give the number alone in E.164 with its country code "
            "(+14155550123), or pass the SenderProfile",
            field="sender",
        )
    if found is None and sum(c.isdecimal() for c in sender) >= 7 and _NUMBER_FIRST.match(sender):
        # Written some other way ("(ext 5)", "extn 5", another script's digits): as
        # written it would match no record, and answer 0 messages, a clean bill.
        raise ConfigurationError(
            f"sender {mask_sender(sender)!r} is not a number as the history records it: "
            "give the number alone in E.164 with its country code (+14155550123), or "
            "pass the SenderProfile",
            field="sender",
        )
    if found is None or sum(c.isdigit() for c in sender) < 7:
        return sender  # a short code, a named sender, a messaging service: as recorded
    prefix, number = found[1] or "", found[2]
    if _E164.fullmatch(number):
        return sender
    # The history records E.164: "+1 (212) 555-0199" matched no record and a
    # manager's usage report read 0 messages and 0 cost for a busy number.
    if number.startswith("+"):
        try:
            return prefix + parse_number(number).e164
        except InvalidPhoneNumber:
            pass
    raise ConfigurationError(
        f"sender {mask_sender(sender)!r} is not a number as the history records it: "
        "give it in E.164 with its country code (+14155550123), or pass the SenderProfile",
        field="sender",
    )


def sender_health(
    history: MessageHistory,
    sender: str | SenderProfile,
    at: datetime,
    thresholds: HealthThresholds | None = None,
) -> SenderHealth:
    """The delivery health of ``sender`` (its number, or its profile) over the window
    ending at ``at``."""
    sender = sending_id(sender)
    limits = thresholds or HealthThresholds()
    since = _window_start(at, limits.window)
    messages = history.messages(since=since, until=at, sender=sender)
    deliveries = history.deliveries(since=since, until=at, sender=sender)
    # Counted by message, not by record: a report retried after a partial failure
    # is recorded twice, and a message can be reported failed more than once.
    # A message is its provider id (an outbound record without one stands alone).
    outbound = {
        m.provider_id or f"record:{n}": m.contact
        for n, m in enumerate(messages)
        if m.direction is Direction.OUTBOUND
    }
    failed = _failed_messages(deliveries)
    attempted = {**{pid: contact for pid, (contact, _) in failed.items()}, **outbound}
    # Rates are of the window's own messages and recipients: a failure reported
    # now for a message sent before the window counts that message as sent too,
    # and an opt-out from someone not messaged in the window is not "of" it.
    recipients = set(attempted.values())
    opted_out = recipients & (
        {m.contact for m in messages if m.direction is Direction.INBOUND and m.reply == "opt_out"}
        | {d.contact for d in deliveries if d.category == "unsubscribed"}
    )
    failures = Counter(category for _, category in failed.values())
    codes = {d.code for d in deliveries if d.code}
    health = SenderHealth(
        sender,
        since,
        at,
        len(recipients),
        len(opted_out),
        len(attempted),
        MappingProxyType(dict(sorted(failures.items()))),
    )
    findings: list[Finding] = []
    if len(recipients) >= limits.min_recipients:
        findings += _judge(
            "opt-out",
            health.opt_out_rate,
            limits.opt_out_warn,
            limits.opt_out_halt,
            (OPT_OUT_WARNING, OPT_OUT_HALT),
            f"{FLOWROUTE_MONITORING} ; {RESELLER_MONITORING}",
            limits.window,
        )
        findings += _judge(
            "error",
            health.error_rate,
            limits.error_warn,
            limits.error_halt,
            (ERROR_WARNING, ERROR_HALT),
            RESELLER_MONITORING,
            limits.window,
        )
    if codes & limits.cap_warning_codes:
        findings.append(
            Finding(
                DAILY_CAP_WARNING,
                Severity.WARNING,
                f"the provider reports 70% of the daily carrier cap used by {mask_sender(sender)} "
                f"(code {', '.join(sorted(codes & limits.cap_warning_codes))}); slow down",
                TWILIO_30026,
                {"status": "verified"},
            )
        )
    if codes & limits.cap_reached_codes:
        findings.append(
            Finding(
                DAILY_CAP_REACHED,
                Severity.DEFER,
                f"the provider reports the daily carrier cap reached for {mask_sender(sender)}; "
                "marketing waits until the window rolls on",
                TWILIO_30027,
                {"status": "verified"},
            )
        )
    return SenderHealth(
        health.sender,
        since,
        at,
        health.recipients,
        health.opted_out,
        health.sent,
        health.failures,
        tuple(findings),
    )


def _window_start(at: datetime, window: timedelta) -> datetime:
    """``window`` of real time before ``at``, in ``at``'s zone. Plain ``at - window``
    counts wall-clock time, so 24 h before a New York time just after the clocks
    went back would be 25 real hours (and 23 in spring)."""
    _aware(at, "at")
    return _elapsed(at, -window)


def _failed_messages(deliveries: Iterable[DeliveryRecord]) -> dict[str, tuple[str, str]]:
    """``{provider id: (contact, category)}`` of the messages reported failed; a message
    reported failed several times keeps its latest report's category."""
    latest: dict[str, DeliveryRecord] = {}
    for report in deliveries:
        if report.status not in _FAILED:
            continue
        seen = latest.get(report.provider_id)
        if seen is None or (report.at, report.category or "") > (seen.at, seen.category or ""):
            latest[report.provider_id] = report
    return {pid: (d.contact, d.category or "unknown") for pid, d in latest.items()}


def _judge(
    what: str,
    rate: Decimal,
    warn: Decimal,
    halt: Decimal,
    codes: tuple[str, str],
    source: str,
    window: timedelta,
) -> list[Finding]:
    if rate < warn:
        return []
    halting = rate >= halt
    limit = halt if halting else warn
    return [
        Finding(
            codes[halting],
            Severity.DEFER if halting else Severity.WARNING,
            f"{what} rate {rate:.1%} over {_span(window)} is at or above {limit:.1%} "
            f"({'halt: marketing waits' if halting else 'warning'}; a heuristic no carrier "
            "publishes, configurable in HealthThresholds)",
            source,
            {"rate": rate, "threshold": limit, "status": "unverified"},
            "unverified",
        )
    ]


def _span(window: timedelta) -> str:
    hours, rest = divmod(window, timedelta(hours=1))
    return f"{hours} h" if not rest else str(window)


@dataclass(frozen=True, slots=True)
class HealthPolicy:
    """A policy: marketing from a sender whose health halts waits (``DEFER``).

    Add it to the :class:`~smskit.policy.CompliancePipeline`. Each halt finding
    is repeated with ``not_before`` one ``recheck`` later; the engine asks again
    then, so the deferral ends when the rolling window has moved past the
    trouble. Warnings pass through as warnings, for every purpose.

    Args:
        history: the message history the messenger writes.
        thresholds: when to warn and halt.
        recheck: how far to move a deferral before asking again.
    """

    history: MessageHistory
    thresholds: HealthThresholds = field(default_factory=HealthThresholds)
    recheck: timedelta = timedelta(hours=1)

    def __post_init__(self) -> None:
        if self.recheck <= timedelta(0):
            raise ConfigurationError("recheck must be positive", field="recheck")

    def __call__(
        self, request: SendRequest, sender: SenderProfile, context: PolicyContext, at: datetime, /
    ) -> Iterable[Finding]:
        """The sender's health findings; halts defer marketing only."""
        sid = sending_id(sender)
        if not sid:
            return ()
        health = sender_health(self.history, sid, at, self.thresholds)
        found = []
        for finding in health.findings:
            if finding.severity is Severity.DEFER and request.purpose is not Purpose.MARKETING:
                finding = replace(finding, severity=Severity.WARNING)
            elif finding.severity is Severity.DEFER:
                details = {**finding.details, "not_before": _elapsed(at, self.recheck)}
                finding = replace(finding, details=MappingProxyType(details))
            found.append(finding)
        return found


@dataclass(frozen=True, slots=True)
class SuppressionPolicy:
    """A policy: a number that kept failing as invalid, landline or unreachable is blocked.

    Args:
        history: the message history with the delivery reports.
        after: failures of those categories that suppress the number (with
            ``reset_on_delivery``, of messages sent after the last one delivered).
        window: how far back failures count.
        reset_on_delivery: count only failures of messages sent after the last one
            delivered to the number (smskit's default, not a provider's rule; False
            counts every failure in the window).
        reset_on_inbound: count only failures of messages first reported after the
            number's last text to us, not at its instant (smskit's default, not a
            provider's rule: a phone that texts us is reachable; False ignores
            inbound messages). Needs a history
            whose ``messages`` takes ``contact=`` (smskit's do); with another the
            inbound messages are not read.
    """

    history: MessageHistory
    after: int = 3
    window: timedelta = timedelta(days=90)
    reset_on_delivery: bool = True
    reset_on_inbound: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.after, bool) or not isinstance(self.after, int) or self.after < 1:
            raise ConfigurationError("after must be an int of at least 1", field="after")
        if self.window <= timedelta(0):
            raise ConfigurationError("window must be positive", field="window")
        if not isinstance(self.reset_on_delivery, bool):
            raise ConfigurationError(
                "reset_on_delivery must be True or False", field="reset_on_delivery"
            )
        if not isinstance(self.reset_on_inbound, bool):
            raise ConfigurationError(
                "reset_on_inbound must be True or False", field="reset_on_inbound"
            )

    def failures(self, contact: str, at: datetime) -> int:
        """Failures of ``contact`` that count, in the window ending at ``at``: those of
        messages sent after its last delivered one and first reported after its last
        text to us (a number that works is not dead)."""
        since = _window_start(at, self.window)
        reports = self.history.deliveries(since=since, until=at, contact=contact)
        # A delivery shows the number reaches a phone: only the failures of messages
        # sent after the last one delivered count ("kept failing"), or a phone switched
        # off on a trip now and then would end up suppressed for months. Messages are
        # ordered by their first report (Twilio's "sent" as one leaves; a refusal's own
        # report), not their last: a late "delivered" for an old message (a webhook
        # retried after an outage) says nothing of the failures sent since. Reports
        # come oldest first, so a message's place is where its id first appears.
        order: dict[str, int] = {}
        first: dict[str, datetime] = {}
        for report in reports:
            if report.provider_id not in order:
                order[report.provider_id] = len(order)
                first[report.provider_id] = report.at
        reached = max(
            (order[d.provider_id] for d in reports if d.status in _REACHED), default=-1
        ) if self.reset_on_delivery else -1
        # A text from the number shows a phone answers there too: only messages first
        # reported after it count. Not read when no failure would count anyway.
        heard = None
        if self.reset_on_inbound and any(d.category in SUPPRESSING for d in reports):
            heard = self._last_inbound(contact, since, at)
        # One per message: a report retried after a partial failure is recorded twice.
        return len({
            d.provider_id for d in reports
            if d.category in SUPPRESSING and order[d.provider_id] > reached
            and (heard is None or first[d.provider_id] > heard)
        })

    def _last_inbound(self, contact: str, since: datetime, at: datetime) -> datetime | None:
        """When ``contact`` last texted us in ``(since, at]``, or ``None``."""
        read = self.history.messages
        try:
            takes_contact = "contact" in inspect.signature(read).parameters
        except (TypeError, ValueError):
            takes_contact = False
        if not takes_contact:
            return None  # a history of one's own: every inbound row would be read
        found = read(  # type: ignore[call-arg]
            since=since, until=at, direction=Direction.INBOUND, contact=contact
        )
        # Instants compare in UTC whatever each record's offset.
        return max((m.at for m in found if m.contact == contact), default=None)

    def suppressed(self, contact: str, at: datetime) -> bool:
        """Whether ``contact`` (E.164) is suppressed at ``at``."""
        return self.failures(contact, at) >= self.after

    def __call__(
        self, request: SendRequest, sender: SenderProfile, context: PolicyContext, at: datetime, /
    ) -> Iterable[Finding]:
        """Blocks a suppressed recipient."""
        if context.phone is None:
            return ()
        count = self.failures(context.phone.e164, at)
        if count < self.after:
            return ()
        return (
            Finding(
                SUPPRESSED,
                Severity.BLOCK,
                f"this number failed {count} times as invalid, landline or unreachable in "
                f"the last {self.window.days} days (suppressed after {self.after}); "
                "fix the number before sending again",
                "sender configuration (SuppressionPolicy)",
                {"failures": count, "after": self.after},
                "policy",
            ),
        )
