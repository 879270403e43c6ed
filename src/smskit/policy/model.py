"""The engine's values: what is asked (:class:`SendRequest`), what is answered
(:class:`Decision`), and what a policy is (:class:`Policy`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..consent.model import Channel
from ..consent.sender import SenderProfile
from ..errors import ConfigurationError
from ..findings import (
    Finding,
    Severity,
    _shown,
    escaped_json,
    masked_repr,
    masked_text,
    reduce_frozen,
)
from ..mms.policy import MediaInfo
from ..numbers.parse import PhoneNumber, mask_number
from ..pricing.templates import Template
from ..purpose import Purpose
from ..segments.encoding import Encoding
from ..timing.quiet_hours import validate_region
from ..timing.quiet_rules import load_recipient_zone

__all__ = [
    "Decision",
    "Policy",
    "PolicyContext",
    "SendRequest",
    "Verdict",
]

MediaItem = MediaInfo | bytes | Path
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class Verdict(StrEnum):
    """The engine's answer. Values are stored in audit records: never renamed."""

    ALLOW = "allow"
    DEFER = "defer"
    BLOCK = "block"


def _empty() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class SendRequest:
    """One message to one person, as an application asks to send it.

    Attributes:
        recipient: the number as text (``"+14155550123"``) or a parsed
            :class:`PhoneNumber`. An invalid number is not an error here: the
            number policy blocks it with a finding.
        body: the text; give ``body`` or ``template``, not both.
        template: a :class:`~smskit.pricing.Template` rendered strictly with ``values``.
        values: the template's values.
        media: attachments (sniffed :class:`MediaInfo`, raw bytes or paths).
        purpose: why the message is sent (decides consent, quiet hours, footer).
        channel: SMS, MMS or RCS (media on SMS is judged as MMS).
        scope: the consent scope to check (``"acme/store-7"``); ``None``: the
            sender profile's ``consent_scope``.
        subject: the campaign or subject, for "same subject" frequency caps.
        idempotency_key: the application's key for this send, kept in the decision.
        first_message: whether this is the first message from this sender to
            this recipient; ``None``: the engine tells from the send history.
        recipient_zone: the recipient's IANA zone when known (an address): a
            place's (``America/New_York``); a fixed offset such as ``EST``,
            ``UTC`` or ``Etc/GMT+5`` is refused (no daylight saving).
        recipient_region: ``"US-TX"``/``"CA-ON"`` when known; overrides the
            area-code guess. Checked here (``JurisdictionError``), as
            ``recipient_zone`` is (``ConfigurationError``), so one bad row does
            not stop ``decide_many``. A state written alone is refused unless its
            letters are a country's: on a US number ``"GA"`` then counts as both
            Georgia and Gabon (both must allow); write ``"US-GA"``.
        opt_out_confirmation: this message is the one confirmation after an
            opt-out (FCC 47 CFR 64.1200(a)(12)).
        prior_consent: the recipient gave prior express consent to be contacted at
            any hour, which waives the quiet-hours rules that say so (Virginia, Utah).
        region: region assumed for a number written without a country code.
        send_by: the last instant (aware) the message is worth sending, for a
            time-sensitive text ("your technician is on the way"): the
            :class:`~smskit.messenger.Messenger` never sends it after that
            instant, whether retried, deferred or queued; it marks it expired.
            ``None``: no limit. The engine's decision does not read it.
    """

    recipient: str | PhoneNumber = field(repr=False)
    body: str | None = None
    template: Template | None = None
    values: Mapping[str, object] = field(default_factory=_empty, repr=False)
    media: tuple[MediaItem, ...] = field(default=(), repr=False)
    purpose: Purpose = Purpose.MARKETING
    channel: Channel = Channel.SMS
    scope: str | None = None
    subject: str | None = None
    idempotency_key: str | None = None
    first_message: bool | None = None
    recipient_zone: str | None = None
    recipient_region: str | None = None
    opt_out_confirmation: bool = False
    prior_consent: bool = False
    region: str = "US"
    send_by: datetime | None = None

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        if self.send_by is not None and (
            not isinstance(self.send_by, datetime) or self.send_by.utcoffset() is None
        ):
            # A naive instant would be read in the host's zone: on a server in UTC a
            # 17:00 local deadline in Chicago would pass five hours early.
            raise ConfigurationError(
                "send_by must be an aware datetime (with tzinfo, e.g. "
                "datetime(2026, 5, 1, 17, 0, tzinfo=ZoneInfo('America/Chicago'))) or None, "
                # A naive datetime is shown; anything else by its type only: a phone
                # number slipped into the wrong field would be written out in full.
                + (f"not {self.send_by!r:.60}" if isinstance(self.send_by, datetime)
                   else f"not a {type(self.send_by).__name__}"),
                field="send_by",
            )
        if not isinstance(self.recipient, str | PhoneNumber):
            raise ConfigurationError(
                "recipient must be a phone number as text or a PhoneNumber", field="recipient"
            )
        if (self.body is None) == (self.template is None):
            raise ConfigurationError(
                "give the message as body= or as template= (with values=), exactly one",
                field="body",
            )
        if self.body is not None and not isinstance(self.body, str):
            raise ConfigurationError("body must be text", field="body")
        if self.body is not None and _LONE_SURROGATE.search(self.body):
            raise ConfigurationError(
                "body holds half of a surrogate pair (broken UTF-16 input): it cannot be "
                "sent; decode the text again from its source",
                field="body",
            )
        if self.template is not None and not isinstance(self.template, Template):
            raise ConfigurationError(
                "template must be a smskit.Template; build it with Template(text)",
                field="template",
            )
        if not isinstance(self.values, Mapping):
            raise ConfigurationError("values must be a mapping of names to values",
                                     field="values")
        setattr_(self, "values", MappingProxyType(dict(self.values)))
        if isinstance(self.media, bytes | bytearray | str | MediaInfo | Path):
            raise ConfigurationError("media is a list of attachments; wrap one in a list",
                                     field="media")
        setattr_(self, "media", tuple(self.media))
        for name, enum in (("purpose", Purpose), ("channel", Channel)):
            try:
                setattr_(self, name, enum(getattr(self, name)))
            except ValueError:
                raise ConfigurationError(
                    f"{name} must be one of {[m.value for m in enum]}, not "
                    f"{_shown(getattr(self, name))}",
                    field=name,
                ) from None
        for name in ("scope", "subject", "idempotency_key", "recipient_zone",
                     "recipient_region"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ConfigurationError(f"{name} must be a non-empty text or None", field=name)
        if self.idempotency_key is not None and _LONE_SURROGATE.search(self.idempotency_key):
            # No outbox can store it: SQLite's and PostgreSQL's raised UnicodeEncodeError
            # when the messenger looked the key up, before deciding (review of audit30).
            raise ConfigurationError(
                "idempotency_key holds half of a surrogate pair (broken UTF-16 input); "
                "decode the key again from its source",
                field="idempotency_key",
            )
        if self.recipient_zone is not None:
            load_recipient_zone(self.recipient_zone)
        if self.recipient_region is not None:  # not at decide time, for the whole campaign
            validate_region(self.recipient_region)
        if self.first_message is not None and type(self.first_message) is not bool:
            raise ConfigurationError("first_message must be True, False or None",
                                     field="first_message")
        for name in ("opt_out_confirmation", "prior_consent"):
            if type(getattr(self, name)) is not bool:
                raise ConfigurationError(f"{name} must be True or False", field=name)
        if not isinstance(self.region, str) or len(self.region) != 2:
            raise ConfigurationError("region must be a two-letter region such as 'US'",
                                     field="region")

    def __reduce__(self) -> tuple[Any, ...]:
        # Picklable (queues, copy.deepcopy) though values is a read-only mapping.
        return reduce_frozen(self)

    def __repr__(self) -> str:
        number = self.recipient.e164 if isinstance(self.recipient, PhoneNumber) else self.recipient
        return (
            f"SendRequest(recipient={mask_number(number)!r}, purpose={self.purpose.value!r}, "
            f"channel={self.channel.value!r}, scope={self.scope!r}, "
            f"subject={_shown(self.subject)})"
        )

    @property
    def number_text(self) -> str:
        """The recipient as written (E.164 when a :class:`PhoneNumber` was given)."""
        return self.recipient.e164 if isinstance(self.recipient, PhoneNumber) else self.recipient


@dataclass(frozen=True, slots=True)
class PolicyContext:
    """What the engine worked out before the policies run; the same for every policy.

    Attributes:
        phone: the parsed recipient, ``None`` when the number is invalid.
        body: the prepared body (prefix and footer added, template rendered).
        encoding: its encoding; ``segments``: its SMS segment count.
        channel: the channel judged (MMS when the request carries media).
        first_message: whether this is the first message to the recipient.
        sent_before: messages this sender already sent to the recipient (as far
            as the send history tells; 0 without one).
        prefetched: data read in bulk by :meth:`CompliancePipeline.decide_many`,
            keyed by ``id(policy)``; a policy reads its own entry, or its store
            when there is none.
        known_at: judge with only what was recorded by this instant (``None``:
            everything recorded): a policy reading a store leaves out the events
            recorded later (an audit's replay; see docs/engine.md).
    """

    phone: PhoneNumber | None
    body: str
    encoding: Encoding
    segments: int
    channel: Channel
    first_message: bool
    sent_before: int = 0
    # repr=False: batch reads are keyed by the recipients' numbers in full.
    prefetched: Mapping[int, object] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    known_at: datetime | None = None
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen


class Policy(Protocol):
    """Protocol: one rule of the engine. A plain function with this signature is one.

    It returns every finding it has (never raises for a problem with the
    message: a problem is a finding). A ``DEFER`` finding carries
    ``details["not_before"]``, the earliest instant (aware) this policy would
    allow the message, or none when it cannot tell.

    A policy that reads a store may also define
    ``prefetch(recipients: Sequence[str], at: datetime) -> object``:
    :meth:`CompliancePipeline.decide_many` calls it once per batch and passes the
    result in ``context.prefetched[id(policy)]``. Policies with equal
    ``prefetch_key`` attributes (the same store) share one read. A policy whose
    ``prefetch_scopes`` attribute is true is called with ``scopes=``, the consent
    scopes (text) the batch's requests are checked in.
    """

    def __call__(
        self,
        request: SendRequest,
        sender: SenderProfile,
        context: PolicyContext,
        at: datetime,
        /,
    ) -> Iterable[Finding]:
        """The findings about ``request`` sent by ``sender`` at ``at``."""
        ...


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's answer to "may this message go to this person now, and if not, when?".

    Attributes:
        verdict: allow, defer or block.
        at: the instant asked about.
        not_before: for a deferral, the earliest instant at or after ``at`` when no
            policy defers (exact across daylight-saving changes); else ``None``.
        findings: every finding of every policy, most serious first.
        body: the prepared body that would be sent.
        encoding: its encoding; ``segments``: its segment count (0 for MMS).
        segments_before: the segment count before the prefix and footer.
        cost: the price with the pipeline's rate card, ``None`` without one.
        currency: the cost's currency.
        reason: one line saying why.
        recipient: the E.164 number (masked in ``repr``); ``""`` when invalid.
        idempotency_key: the request's key.
        known_at: the decision was judged with only the ledger events recorded by
            then (a replay); ``None``: with every event recorded.
        smskit_version: the smskit version that decided (``None`` in a record
            written before it was kept). Not compared: two equal decisions made
            by two versions are equal.
        rules_fingerprint: a short digest of the rule data bundled with that
            version (:func:`~smskit.policy.rules_fingerprint`); not compared either.
    """

    verdict: Verdict
    at: datetime
    not_before: datetime | None
    findings: tuple[Finding, ...]
    body: str = field(repr=False)
    encoding: Encoding
    segments: int
    segments_before: int
    cost: Decimal | None
    currency: str | None
    reason: str
    recipient: str = field(default="", repr=False)
    idempotency_key: str | None = None
    known_at: datetime | None = None
    # Which code and rule data decided: metadata of the record, not part of the answer.
    smskit_version: str | None = field(default=None, compare=False, repr=False)
    rules_fingerprint: str | None = field(default=None, compare=False, repr=False)
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __repr__(self) -> str:
        # A CRM builds its keys from the number ("lead-12125550123-reminder").
        return masked_repr(self, "idempotency_key")

    @property
    def allowed(self) -> bool:
        """The message may go now."""
        return self.verdict is Verdict.ALLOW

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding codes, in order."""
        return tuple(f.code for f in self.findings)

    def explain(self) -> str:
        """The decision as text for a person: verdict, reason, every finding and source."""
        lines = [f"{self.verdict.value.upper()}: {self.reason}"]
        if self.known_at is not None:
            lines.append(f"as known at {self.known_at.isoformat()}: ledger events recorded "
                         "later left out")
        if self.not_before is not None:
            lines.append(f"not before {self.not_before.isoformat()}")
        change = (
            f" (was {self.segments_before} before the prefix/footer)"
            if self.segments != self.segments_before else ""
        )
        noun = "segment" if self.segments == 1 else "segments"
        lines.append(f"{self.encoding.value}, {self.segments} {noun}{change}")
        if self.cost is not None:
            lines.append(f"cost {self.cost} {self.currency or ''}".rstrip())
        for finding in self.findings:
            label = "" if finding.verified else f" [{finding.status}: labelled default]"
            lines.append(f"- {finding.severity.value} {finding.code}: {finding.message}{label}")
            if finding.source:
                lines.append(f"  source: {finding.source}")
            judged = finding.details.get("judged_at")
            if isinstance(judged, datetime):
                # Found at the instant a deferral would have gone, not at `at`.
                lines.append(f"  judged at: {judged.isoformat()} (when the deferring rules "
                             f"would allow it; not at {self.at.isoformat()})")
            cited = evidence_line(finding)
            if cited:
                lines.append(f"  evidence: {cited}")
        return "\n".join(lines)

    @property
    def consent_events(self) -> tuple[int, ...]:
        """The ledger sequences of the consent events the findings cite as deciding
        them (``ConsentLedger.event(sequence)`` reads one back), in finding order."""
        cited = (f.details.get("event") for f in self.findings if _cites_ledger(f))
        return tuple(dict.fromkeys(s for s in cited if type(s) is int))

    # -- audit records --------------------------------------------------------

    def to_dict(self, *, mask: bool = False) -> dict[str, Any]:
        """Plain JSON-able data; ``mask`` hides the number (for logs and terminals): the
        recipient, and the runs of digits of the idempotency key."""
        return {
            "verdict": self.verdict.value,
            "at": self.at.isoformat(),
            "at_zone": _zone_key(self.at),
            "not_before": None if self.not_before is None else self.not_before.isoformat(),
            "not_before_zone": _zone_key(self.not_before),
            "reason": self.reason,
            "recipient": mask_number(self.recipient) if mask and self.recipient else
            self.recipient,
            # A CRM builds its keys from the number ("lead-12125550123-reminder").
            "idempotency_key": masked_text(self.idempotency_key)
            if mask and self.idempotency_key else self.idempotency_key,
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "known_at_zone": _zone_key(self.known_at),
            "smskit_version": self.smskit_version,
            "rules_fingerprint": self.rules_fingerprint,
            "body": self.body,
            "encoding": self.encoding.value,
            "segments": self.segments,
            "segments_before": self.segments_before,
            "cost": None if self.cost is None else str(self.cost),
            "currency": self.currency,
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "message": f.message,
                    "source": f.source,
                    "status": f.status,
                    "verified": f.verified,
                    "details": {k: _encode(v) for k, v in f.details.items()},
                }
                for f in self.findings
            ],
        }

    def to_json(self, *, mask: bool = False) -> str:
        """The decision as a JSON audit record; :meth:`from_json` reads it back equal.
        With ``mask`` (for logs and terminals) the number is hidden as in :meth:`to_dict`,
        and control, bidirectional and lone surrogate characters are ``\\uXXXX`` escapes."""
        text = json.dumps(self.to_dict(mask=mask), ensure_ascii=False, sort_keys=True)
        return escaped_json(text) if mask else text

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        """Read back :meth:`to_dict` output.

        Raises:
            ConfigurationError: ``data`` is not a decision record.
        """
        try:
            for name in ("body", "reason"):
                if not isinstance(data[name], str):
                    raise TypeError(f"{name} must be text")
            for name in ("segments", "segments_before"):
                if type(data[name]) is not int:
                    raise TypeError(f"{name} must be a whole number")
            if not isinstance(data["findings"], list) or not all(
                isinstance(f, dict) and isinstance(f.get("details"), dict)
                and all(isinstance(f.get(k), str) for k in ("code", "message", "source"))
                for f in data["findings"]
            ):
                raise TypeError("findings must be a list of finding records")
            return cls(
                verdict=Verdict(data["verdict"]),
                at=_read_time(data["at"], data.get("at_zone")),
                not_before=None if data["not_before"] is None
                else _read_time(data["not_before"], data.get("not_before_zone")),
                findings=tuple(
                    Finding(
                        f["code"], Severity(f["severity"]), f["message"], f["source"],
                        MappingProxyType({k: _decode(v) for k, v in f["details"].items()}),
                        f.get("status", ""),
                    )
                    for f in data["findings"]
                ),
                body=data["body"],
                encoding=Encoding(data["encoding"]),
                segments=data["segments"],
                segments_before=data["segments_before"],
                cost=None if data["cost"] is None else Decimal(data["cost"]),
                currency=data["currency"],
                reason=data["reason"],
                recipient=data.get("recipient", ""),
                idempotency_key=data.get("idempotency_key"),
                # Records written before these were kept have none of them.
                known_at=None if data.get("known_at") is None
                else _read_time(data["known_at"], data.get("known_at_zone")),
                smskit_version=_optional_text(data, "smskit_version"),
                rules_fingerprint=_optional_text(data, "rules_fingerprint"),
            )
        except (AttributeError, ArithmeticError, KeyError, IndexError, TypeError, ValueError,
                ZoneInfoNotFoundError) as exc:
            raise ConfigurationError(f"not a decision record: {exc!r}", field="decision") from None

    @classmethod
    def from_json(cls, text: str) -> Decision:
        """Read back :meth:`to_json` output.

        Raises:
            ConfigurationError: the text is not a decision record.
        """
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ConfigurationError(f"not a decision record: {exc}", field="decision") from None
        return cls.from_dict(data)

    def with_findings(self, findings: Sequence[Finding]) -> Decision:
        """A copy with other findings (for tools that add their own)."""
        return replace(self, findings=tuple(findings))


def _optional_text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be text")
    return value


def evidence_line(finding: Finding) -> str | None:
    """The consent event a finding cites, as text (``None``: it cites none):
    ``ledger event 12 (granted 2026-01-02T10:00:00+00:00)``, then the other events
    it relies on (the grant a confirmation or re-grant completes)."""
    sequence = finding.details.get("event")
    if type(sequence) is not int or not _cites_ledger(finding):
        return None
    when = finding.details.get("event_at")
    text = (f"ledger event {sequence} ({finding.details.get('event_kind', '?')} "
            f"{when.isoformat() if isinstance(when, datetime) else '?'})")
    others = finding.details.get("events")
    if isinstance(others, tuple | list) and len(others) > 1:
        text += "; relies on events " + ", ".join(str(s) for s in others)
    return text


def _cites_ledger(finding: Finding) -> bool:
    # Only the consent and opt-out policies cite ledger events: a policy of one's own
    # may keep an unrelated integer under "event" in its details.
    return finding.code.startswith(("consent.", "opt_out."))


# A time in the repeated hour of a DST change (fold=1) compares unequal to the same
# instant at a fixed offset, so a record keeps the IANA zone of each zoned time.
def _zone_key(value: datetime | None) -> str | None:
    return value.tzinfo.key if value is not None and isinstance(value.tzinfo, ZoneInfo) else None


def _read_time(text: str, zone: str | None) -> datetime:
    value = datetime.fromisoformat(text)
    return value if zone is None else value.astimezone(ZoneInfo(zone))


# Details hold datetimes, Decimals, tuples and sets; tagged so a record reads back equal.
def _encode(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        zone = _zone_key(value)
        return {"$datetime": value.isoformat()} if zone is None else {
            "$zoned": [value.isoformat(), zone]}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, frozenset | set):
        return {"$set": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {"$map": {str(k): _encode(v) for k, v in value.items()}}
    return {"$text": str(value)}


def _decode(value: object) -> object:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(inner)
        if tag == "$zoned":
            return _read_time(inner[0], inner[1])
        if tag == "$decimal":
            return Decimal(inner)
        if tag == "$set":
            return frozenset(_decode(v) for v in inner)
        if tag == "$tuple":
            return tuple(_decode(v) for v in inner)
        if tag == "$map":
            return MappingProxyType({k: _decode(v) for k, v in inner.items()})
        if tag == "$text":
            return inner
    return value
