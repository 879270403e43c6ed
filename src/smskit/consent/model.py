"""Consent event model: who agreed to what, from whom, over which channel, and how we know.

Every value is a frozen dataclass or a ``StrEnum`` with a stable lowercase value,
because events are stored and hashed. Validation happens once, when a value is
created, and each error names the field to fix.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from functools import lru_cache
from typing import TypeVar

import phonenumbers
import regex

from ..errors import ConsentError, InvalidPhoneNumber
from ..findings import _shown, masked_repr, reduce_frozen
from ..numbers.parse import mask_number, parse_number
from ..purpose import Purpose

__all__ = [
    "Channel",
    "ConsentEvent",
    "ConsentKind",
    "ConsentScope",
    "ConsentSource",
    "ConsentState",
    "EventKind",
    "Evidence",
    "ImpliedBasis",
    "Purpose",
    "RevocationMethod",
    "normalize_recipient",
]


class Channel(StrEnum):
    """How a message reaches the person. Consent for one is not consent for another."""

    SMS = "sms"
    MMS = "mms"
    RCS = "rcs"
    EMAIL = "email"
    VOICE = "voice"


class ConsentKind(StrEnum):
    """Strength of the consent, strongest first."""

    EXPRESS_WRITTEN = "express_written"
    EXPRESS = "express"
    IMPLIED = "implied"


class ImpliedBasis(StrEnum):
    """Why consent is implied; the basis sets when it expires (see ``_rules``)."""

    PURCHASE = "purchase"
    CONTRACT = "contract"
    INQUIRY = "inquiry"
    NON_BUSINESS = "non_business"
    CONVERSATION = "conversation"
    OTHER = "other"


class ConsentSource(StrEnum):
    """Where the consent (or its withdrawal) was collected."""

    WEB_FORM = "web_form"
    KEYWORD = "keyword"
    PAPER = "paper"
    VERBAL = "verbal"
    IMPORT = "import"
    PARTNER = "partner"
    API = "api"


class EventKind(StrEnum):
    """What an event records."""

    GRANTED = "granted"
    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    REVOKED = "revoked"
    REGRANTED = "regranted"
    #: A reply handled that changed no consent (a "Yes" with nothing to lift), kept
    #: so that a redelivery of its message is not acted on again. No consent effect.
    NOTED = "noted"


class RevocationMethod(StrEnum):
    """How a revocation arrived."""

    KEYWORD = "keyword"
    PHRASE = "phrase"
    AGENT = "agent"
    API = "api"
    #: A reply saying the number reached the wrong person ("Wrong number"): a
    #: revocation a START or YES from the number does not lift, only a new grant.
    WRONG_NUMBER = "wrong_number"


class ConsentState(StrEnum):
    """The answer to "may we send?", before the purpose rules are applied to it."""

    GRANTED = "granted"
    PENDING = "pending"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NONE = "none"


_E = TypeVar("_E", bound=StrEnum)


def coerce_enum(value: object, enum: type[_E], field_name: str) -> _E:
    """``value`` as a member of ``enum``, or a :class:`ConsentError` naming the field."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)  # type: ignore[arg-type]  # any value: the enum rejects it
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ConsentError(
            f"{field_name}: unknown {enum.__name__} {_shown(value)}; use one of: {allowed}",
            field=field_name,
        ) from None


def coerce_enum_set(values: object, enum: type[_E], field_name: str) -> frozenset[_E]:
    """A non-empty frozenset of ``enum`` members (a single value is accepted too)."""
    if isinstance(values, str):
        items: Iterable[object] = (values,)
    elif isinstance(values, Iterable):
        items = values
    else:
        raise ConsentError(f"{field_name}: expected {enum.__name__} values", field=field_name)
    out = frozenset(coerce_enum(v, enum, field_name) for v in items)
    if not out:
        raise ConsentError(f"{field_name}: give at least one {enum.__name__}", field=field_name)
    return out


def require_aware(value: object, field_name: str) -> datetime:
    """``value`` if it is an aware datetime; naive ones are an error naming the field."""
    if not isinstance(value, datetime):
        raise ConsentError(
            f"{field_name}: expected a datetime, got {type(value).__name__}", field=field_name
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ConsentError(
            f"{field_name}: naive datetime; pass an aware one (e.g. tzinfo=timezone.utc)",
            field=field_name,
        )
    return value


def require_utf8(value: str, field_name: str) -> str:
    """``value`` if it can be stored as UTF-8 (no half surrogate pair)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ConsentError(
            f"{field_name}: text holds half a UTF-16 surrogate pair (a broken character); "
            "repair or replace it with U+FFFD",
            field=field_name,
        ) from None
    return value


def _fixed_offset(value: datetime) -> datetime:
    # Python compares two datetimes sharing one ZoneInfo by wall clock, ignoring `fold`,
    # so in a repeated DST hour 01:45 EDT would sort after 01:30 EST. A fixed offset
    # orders by instant, and is what a stored event reads back as (same ISO text).
    if type(value.tzinfo) is timezone:
        return value
    offset = value.utcoffset()
    return value if offset is None else value.replace(tzinfo=timezone(offset), fold=0)


# Line types that cannot receive a text message (landlines, premium and shared-cost
# numbers...). FIXED_LINE_OR_MOBILE (all of NANP) and VOIP are accepted.
_NOT_TEXTABLE = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.UAN,
        phonenumbers.PhoneNumberType.VOICEMAIL,
        phonenumbers.PhoneNumberType.PAGER,
    }
)


def normalize_recipient(number: object, *, region: str = "US") -> str:
    """The E.164 form of a number that can receive texts.

    Raises:
        ConsentError: (``field="number"``) not a string, not a valid number, or
            a number of a type that cannot receive texts (landline, premium...).
            The message never repeats the number in full.
    """
    if not isinstance(number, str):
        raise ConsentError(
            f"number: expected a str, got {type(number).__name__}", field="number"
        )
    try:
        e164 = parse_number(number, region=region).e164
    except InvalidPhoneNumber as exc:
        raise ConsentError(f"number: {exc}", field="number") from None
    if not _textable(e164):
        raise ConsentError(
            f"number: {mask_number(e164)} is not a mobile-format number "
            "(landline, toll-free, premium or shared-cost numbers cannot receive texts)",
            field="number",
        )
    return e164


@lru_cache(maxsize=65536)
def _textable(e164: str) -> bool:
    return phonenumbers.number_type(phonenumbers.parse(e164)) not in _NOT_TEXTABLE


_SCOPE_PART = regex.compile(r"[^/\s][^/]*")
_E164 = regex.compile(r"\+[1-9][0-9]{6,14}")
# The sender ids SenderProfile accepts: E.164, a short code, an alphanumeric ID.
_SENDER_ID = regex.compile(
    r"\+[1-9][0-9]{6,14}|[0-9]{5,6}|(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11}"
)


@lru_cache(maxsize=65536)
def scope_key(text: str) -> str:
    """``text`` (a scope, or one part of it) as scopes are compared: Unicode full case
    folding of its canonical decomposition, recomposed (NFC).

    The canonical caseless match of Unicode (D145): "Sunrise" is "sunrise", "STRASSE"
    is "straße", "İ" is "i̇" (i and a combining dot); the dotless "ı" stays apart from
    "i", as folding keeps it. Folding never adds a '/', so the key of a whole scope
    is its parts' keys joined by '/'.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())


@dataclass(frozen=True, slots=True, order=True)
class ConsentScope:
    """Who the consent is given to: a brand or account, optionally narrowed.

    ``ConsentScope.parse("acme/partner-42/app-7")``: consent recorded for
    ``acme/partner-42`` covers every scope below it (all of that partner's
    applications); a revocation recorded there beats every grant below it.
    """

    parts: tuple[str, ...] = field(compare=False)
    #: ``parts`` case-folded (Unicode full case folding, canonically normalised): what
    #: scopes are compared, hashed, ordered and matched by. ``parts`` keep the text as
    #: given, which is what is stored and hashed into the ledger.
    key: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.parts:
            raise ConsentError("scope: give at least a brand, e.g. 'acme'", field="scope")
        for part in self.parts:
            if not isinstance(part, str) or not _SCOPE_PART.fullmatch(part) or part != part.strip():
                raise ConsentError(
                    f"scope: each part must be non-empty text without '/' or surrounding "
                    f"spaces, got {part!r}",
                    field="scope",
                )
            require_utf8(part, "scope")
        # "café" typed as é or as e + combining accent is one brand: a revocation must
        # reach the grant whichever form each system sends (NFC, as stored and hashed).
        parts = tuple(unicodedata.normalize("NFC", p) for p in self.parts)
        object.__setattr__(self, "parts", parts)
        # "Sunrise" and "sunrise" are one brand too: a STOP recorded under one must
        # reach a grant under the other, so scopes compare case-insensitively.
        object.__setattr__(self, "key", tuple(scope_key(p) for p in parts))

    @classmethod
    def parse(cls, value: ConsentScope | str) -> ConsentScope:
        """A scope from ``"brand/sub/sub"`` (or a :class:`ConsentScope`, returned as is)."""
        if isinstance(value, ConsentScope):
            return value
        if not isinstance(value, str):
            raise ConsentError(
                f"scope: expected 'brand/sub' text, got {type(value).__name__}", field="scope"
            )
        return cls(tuple(value.split("/")))

    def covers(self, other: ConsentScope) -> bool:
        """Whether consent given to ``self`` applies to ``other`` (same or below)."""
        return other.key[: len(self.key)] == self.key

    def __str__(self) -> str:
        return "/".join(self.parts)


@dataclass(frozen=True, slots=True)
class Evidence:
    """How we know: what an auditor asks to see.

    Attributes:
        form_url: the page (and version) where consent was collected.
        consent_text: the exact disclosure shown to the person.
        ip_address: where the form was submitted from.
        user_agent: the browser that submitted it.
        actor: who recorded the event (agent id, system name).
        reference: an id that finds the original (signed paper scan, call
            recording, provider message id).
        reply_text: the inbound message, for keyword and phrase events.
    """

    form_url: str | None = None
    consent_text: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    actor: str | None = None
    reference: str | None = None
    reply_text: str | None = None

    def __repr__(self) -> str:
        # The caller's own text: a reference or an actor may be built from the number
        # ("call-12125550123"), a reply may name one ("wrong number, try 212 555 0123").
        return masked_repr(self, "form_url", "consent_text", "user_agent", "actor",
                           "reference", "reply_text")

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ConsentError(
                    f"evidence.{name}: expected text, got {type(value).__name__}",
                    field=f"evidence.{name}",
                )
            if value is not None:
                require_utf8(value, f"evidence.{name}")
        if self.ip_address is not None:
            try:
                ipaddress.ip_address(self.ip_address)
            except ValueError:
                # Shown as typed only when too short to be a phone number: a CRM column
                # mapped to the wrong field put the number here in full (review of audit30).
                few = sum(char.isdigit() for char in self.ip_address) < 7
                shown = repr(self.ip_address) if few else _shown(self.ip_address)
                raise ConsentError(
                    f"evidence.ip_address: {shown} is not an IPv4/IPv6 address",
                    field="evidence.ip_address",
                ) from None

    @property
    def locator(self) -> str | None:
        """The first non-blank of form URL, reference or reply text: where the agreement is."""
        for value in (self.form_url, self.reference, self.reply_text):
            if value is not None and value.strip():
                return value
        return None


_GRANTING = frozenset({EventKind.GRANTED, EventKind.REQUESTED, EventKind.CONFIRMED})


@dataclass(frozen=True, slots=True)
class ConsentEvent:
    """One entry of the append-only ledger.

    Build events through :class:`~smskit.consent.ConsentLedger`, which normalises
    the number and fills ``recorded_at``; the store fills ``sequence`` and
    ``prev_hash`` when it appends (an event with ``sequence == 0`` is a draft).

    Attributes:
        kind: granted, requested (double opt-in pending), confirmed, revoked, re-granted,
            or noted (a reply that changed no consent; ``evidence.reference`` holds its
            message id).
        recipient: the number in E.164 (masked in ``repr``).
        scope: whom the consent is given to.
        channels: the channels it applies to.
        purposes: the purposes it applies to.
        occurred_at: when the person agreed or withdrew (aware).
        source: where it was collected.
        evidence: how we know.
        consent_kind: strength, for granting events.
        implied_basis: why consent is implied (``IMPLIED`` only).
        expires_at: explicit end of an implied consent; otherwise the basis decides.
        revocation_method: how a revocation arrived (``REVOKED`` only).
        confirms: the sequence of the request a ``CONFIRMED`` event confirms.
        recorded_at: when the ledger recorded it (aware).
        sequence: position in the ledger, from 1.
        prev_hash: SHA-256 (hex) of the previous event's canonical form.
        received_by: the business's number (sender id) a reply reached, when the
            reply handler was given its profile; ``None`` for other events and for
            events recorded before smskit kept it. A toll-free number's network
            holds a STOP sent to that number until START/UNSTOP reaches it, so the
            opt-out policy reads which number each reply reached.
    """

    kind: EventKind
    recipient: str = field(repr=False)
    scope: ConsentScope
    channels: frozenset[Channel]
    purposes: frozenset[Purpose]
    occurred_at: datetime
    source: ConsentSource
    evidence: Evidence = field(default_factory=Evidence, repr=False)
    consent_kind: ConsentKind | None = None
    implied_basis: ImpliedBasis | None = None
    expires_at: datetime | None = None
    revocation_method: RevocationMethod | None = None
    confirms: int | None = None
    recorded_at: datetime | None = None
    sequence: int = 0
    prev_hash: str = ""
    received_by: str | None = field(default=None, repr=False)
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "kind", coerce_enum(self.kind, EventKind, "kind"))
        if not isinstance(self.recipient, str) or not _E164.fullmatch(self.recipient):
            raise ConsentError(
                "recipient: must be E.164 (normalise with normalize_recipient)", field="recipient"
            )
        put(self, "scope", ConsentScope.parse(self.scope))
        put(self, "channels", coerce_enum_set(self.channels, Channel, "channels"))
        put(self, "purposes", coerce_enum_set(self.purposes, Purpose, "purposes"))
        put(self, "source", coerce_enum(self.source, ConsentSource, "source"))
        for name in ("occurred_at", "recorded_at", "expires_at"):
            value = getattr(self, name)
            if value is not None or name == "occurred_at":
                put(self, name, _fixed_offset(require_aware(value, name)))
        if not isinstance(self.evidence, Evidence):
            raise ConsentError("evidence: expected an Evidence value", field="evidence")
        if self.received_by is not None and (
            not isinstance(self.received_by, str) or not _SENDER_ID.fullmatch(self.received_by)
        ):
            raise ConsentError(
                "received_by: the number a reply reached must be a sender id (an E.164 "
                "number, a 5-6 digit short code or an alphanumeric ID), or None",
                field="received_by",
            )
        self._check_kind_fields()

    def _check_kind_fields(self) -> None:
        put = object.__setattr__
        if self.kind in _GRANTING:
            if self.consent_kind is None:
                raise ConsentError(
                    f"consent_kind: a {self.kind.value} event needs a ConsentKind",
                    field="consent_kind",
                )
            put(self, "consent_kind", coerce_enum(self.consent_kind, ConsentKind, "consent_kind"))
        if self.consent_kind is ConsentKind.IMPLIED:
            if self.implied_basis is None:
                raise ConsentError(
                    "implied_basis: implied consent needs its basis (purchase, inquiry...)",
                    field="implied_basis",
                )
            basis = coerce_enum(self.implied_basis, ImpliedBasis, "implied_basis")
            put(self, "implied_basis", basis)
            if basis is ImpliedBasis.OTHER and self.expires_at is None:
                raise ConsentError(
                    "expires_at: implied consent on basis 'other' needs an explicit expiry",
                    field="expires_at",
                )
        written = self.consent_kind is ConsentKind.EXPRESS_WRITTEN and self.kind in (
            EventKind.GRANTED,
            EventKind.REQUESTED,
        )
        if written and not self._has_written_evidence():
            raise ConsentError(
                "evidence: express written consent needs evidence.consent_text (the exact "
                "disclosure shown) and one of evidence.form_url, evidence.reference or "
                "evidence.reply_text",
                field="evidence",
            )
        if self.kind is EventKind.REVOKED:
            if self.revocation_method is None:
                raise ConsentError(
                    "revocation_method: say how the revocation arrived (keyword, phrase, "
                    "agent, api)",
                    field="revocation_method",
                )
            put(
                self,
                "revocation_method",
                coerce_enum(self.revocation_method, RevocationMethod, "revocation_method"),
            )
        if self.kind is EventKind.NOTED and not (
            (self.evidence.reference or "").strip() or self.received_by
        ):
            raise ConsentError(
                "evidence.reference: a noted event records a reply's message id (or the "
                "number it reached, received_by); give it",
                field="evidence.reference",
            )
        if type(self.sequence) is not int or self.sequence < 0:
            raise ConsentError("sequence: must be a non-negative int", field="sequence")
        if self.confirms is not None and (type(self.confirms) is not int or self.confirms < 1):
            raise ConsentError(
                "confirms: must be the sequence (an int from 1) of the request confirmed",
                field="confirms",
            )

    def _has_written_evidence(self) -> bool:
        return bool((self.evidence.consent_text or "").strip() and self.evidence.locator)

    def __repr__(self) -> str:
        return (
            f"ConsentEvent(kind={self.kind.value!r}, recipient={mask_number(self.recipient)!r}, "
            f"scope={str(self.scope)!r}, channels={sorted(c.value for c in self.channels)}, "
            f"purposes={sorted(p.value for p in self.purposes)}, "
            f"occurred_at={self.occurred_at.isoformat()!r}, sequence={self.sequence})"
        )
