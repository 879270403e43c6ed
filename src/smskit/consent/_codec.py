"""Canonical form of a consent event, its hash, and the chain checks.

The canonical form is the event as JSON with sorted keys, no whitespace, UTF-8,
sets as sorted lists and datetimes in ISO 8601 with their UTC offset. It is what
is hashed, stored and exported, so it must never change for a stored event:
adding a field later needs a new schema version, or (as ``received_by``) a key
written only when the field is set, so that every event written before it keeps
its canonical form and hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from ..errors import ConsentError, LedgerIntegrityError
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
)

__all__ = [
    "GENESIS_HASH",
    "canonical_bytes",
    "event_from_record",
    "event_hash",
    "event_record",
    "scope_of",
    "seal",
    "stored_event",
    "verify_chain",
]

# The prev_hash of the first event: 64 zeros (no event before it).
GENESIS_HASH = "0" * 64


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def event_record(event: ConsentEvent) -> dict[str, Any]:
    """The event as plain JSON-ready data (the canonical form, before encoding)."""
    ev = event.evidence
    record: dict[str, Any] = {
        "kind": event.kind.value,
        "recipient": event.recipient,
        "scope": str(event.scope),
        "channels": sorted(c.value for c in event.channels),
        "purposes": sorted(p.value for p in event.purposes),
        "occurred_at": _time(event.occurred_at),
        "source": event.source.value,
        "evidence": {
            "form_url": ev.form_url,
            "consent_text": ev.consent_text,
            "ip_address": ev.ip_address,
            "user_agent": ev.user_agent,
            "actor": ev.actor,
            "reference": ev.reference,
            "reply_text": ev.reply_text,
        },
        "consent_kind": None if event.consent_kind is None else event.consent_kind.value,
        "implied_basis": None if event.implied_basis is None else event.implied_basis.value,
        "expires_at": _time(event.expires_at),
        "revocation_method": (
            None if event.revocation_method is None else event.revocation_method.value
        ),
        "confirms": event.confirms,
        "recorded_at": _time(event.recorded_at),
        "sequence": event.sequence,
        "prev_hash": event.prev_hash,
    }
    # Only when known: an event without it (every event written before smskit kept
    # it) keeps the canonical form, and so the hash, it was written with.
    if event.received_by is not None:
        record["received_by"] = event.received_by
    return record


def canonical_bytes(event: ConsentEvent) -> bytes:
    """The canonical encoding that is hashed and stored."""
    return json.dumps(
        event_record(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def event_hash(event: ConsentEvent) -> str:
    """SHA-256 (hex) of the event's canonical form."""
    return hashlib.sha256(canonical_bytes(event)).hexdigest()


def _parse_time(value: object, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} is not a timestamp")
    return datetime.fromisoformat(value)


def event_from_record(
    record: Mapping[str, Any], *, sequence_hint: int | None = None, trusted: bool = False
) -> ConsentEvent:
    """Rebuild an event from its canonical record.

    Args:
        record: the decoded canonical JSON.
        sequence_hint: the sequence to name in an error.
        trusted: the record comes from a store row whose hash matched, so it
            was validated when it was written; skip re-validating field by
            field (the status hot path). Values are still looked up strictly.

    Raises:
        LedgerIntegrityError: the record is not a valid event (corrupt row or line).
    """
    try:
        if trusted:
            return _trusted_event(record)
        evidence = record["evidence"]
        occurred = _parse_time(record["occurred_at"], "occurred_at")
        if occurred is None:
            raise ValueError("occurred_at is missing")
        return ConsentEvent(
            kind=EventKind(record["kind"]),
            recipient=record["recipient"],
            scope=ConsentScope.parse(record["scope"]),
            channels=record["channels"],
            purposes=record["purposes"],
            occurred_at=occurred,
            source=ConsentSource(record["source"]),
            evidence=Evidence(**evidence),
            consent_kind=_opt(ConsentKind, record["consent_kind"]),
            implied_basis=_opt(ImpliedBasis, record["implied_basis"]),
            expires_at=_parse_time(record["expires_at"], "expires_at"),
            revocation_method=_opt(RevocationMethod, record["revocation_method"]),
            confirms=record["confirms"],
            recorded_at=_parse_time(record["recorded_at"], "recorded_at"),
            sequence=record["sequence"],
            prev_hash=record["prev_hash"],
            received_by=_received_by(record),
        )
    except (KeyError, TypeError, ValueError, AttributeError, ConsentError) as exc:
        unknown = exc.args[0] if trusted and type(exc) is KeyError and exc.args else None
        held = _unknown_field(record, unknown)
        if held is not None and isinstance(unknown, str):
            # The row's hash matched, so it is as written: a value its field has no
            # member for here was written by a newer smskit, or forged with the hash
            # recomputed. Restoring an older export would drop every event since.
            raise newer_value_error(
                f"ledger event {sequence_hint if sequence_hint is not None else '?'}",
                held, unknown, sequence_hint, "the row was forged with its hash recomputed",
            ) from None
        raise LedgerIntegrityError(
            f"ledger event {sequence_hint if sequence_hint is not None else '?'} is corrupt "
            f"({type(exc).__name__}: {exc}); restore the ledger from a verified export",
            sequence=sequence_hint,
        ) from None


def _unknown_field(record: Mapping[str, Any], value: object) -> str | None:
    """The enumerated field of ``record`` that holds ``value`` as text with no member
    for it here (in a list, for the sets), if one does."""
    for name, members in _ENUM_FIELDS:
        held = record.get(name)
        if newer_value(members, value) and (
            held == value if name not in _SET_FIELDS else type(held) is list and value in held
        ):
            return name
    return None


def unknown_value(record: Mapping[str, Any]) -> tuple[str, str] | None:
    """The first enumerated field of ``record``, with its value, holding a value a newer
    smskit may have added (see :func:`newer_value`), if one does."""
    for name, members in _ENUM_FIELDS:
        held = record.get(name)
        for value in held if name in _SET_FIELDS and type(held) is list else (held,):
            if isinstance(value, str) and newer_value(members, value):
                return name, value
    return None


def newer_value(members: Mapping[Any, Any], value: object) -> bool:
    """Whether ``value`` could be a member a newer smskit added: text shaped as every
    value smskit writes (``carrier_deactivation``), not one of ``members``."""
    return isinstance(value, str) and value not in members and (
        _VALUE_SHAPE.fullmatch(value) is not None
    )


def newer_value_error(
    where: str, field: str, value: str, sequence: int | None, forged: str
) -> LedgerIntegrityError:
    """The error for a value of ``field`` this smskit has no member for where only a
    newer smskit, or ``forged``, puts one. This version cannot read the row, so its
    own verify stops there too and cannot tell which; one that knows the value can."""
    return LedgerIntegrityError(
        f"{where} holds {value!r} in {field}, a value this smskit does not know: a newer "
        f"smskit wrote it, or {forged}. Upgrade smskit to read it (the "
        "ConsentLedger.verify of a smskit that knows the value then tells which); "
        "restoring an older export instead would lose the events since",
        sequence=sequence,
    )


# Every enumerated value smskit writes: lower-case words joined by "_".
_VALUE_SHAPE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def stored_event(
    sequence: int, hash_: object, body: object, stored_recipient: object,
    recipient: str | None = None,
) -> ConsentEvent:
    """The event in one store row, checked against the row's hash and columns.

    Every database store reads rows through this, so an edited, corrupt or
    misfiled row raises rather than answering.

    Raises:
        LedgerIntegrityError: the body does not match the stored hash, is not
            a valid event, or disagrees with the row's sequence or recipient
            (or with ``recipient``, the person asked for).
    """
    if not isinstance(body, str) or not isinstance(hash_, str):
        raise LedgerIntegrityError(
            f"ledger event {sequence} is not stored as text: the row was edited or "
            "corrupted; restore from a verified export",
            sequence=sequence,
        )
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != hash_:
        raise LedgerIntegrityError(
            f"ledger event {sequence} does not match its stored hash: the row was edited "
            "or corrupted; restore from a verified export",
            sequence=sequence,
        )
    try:
        record = json.loads(body)
    except ValueError:
        raise LedgerIntegrityError(
            f"ledger event {sequence} is not valid JSON", sequence=sequence
        ) from None
    event = event_from_record(record, sequence_hint=sequence, trusted=True)
    if event.sequence != sequence or event.recipient != stored_recipient or (
        recipient is not None and event.recipient != recipient
    ):
        raise LedgerIntegrityError(
            f"ledger event {sequence}: row columns disagree with the stored event",
            sequence=sequence,
        )
    return event


def _members(enum: type[StrEnum]) -> dict[str | None, Any]:
    return {member.value: member for member in enum}


_KINDS = _members(EventKind)
_CHANNELS = _members(Channel)
_PURPOSES = _members(Purpose)
_SOURCES = _members(ConsentSource)
_CONSENT_KINDS = {**_members(ConsentKind), None: None}
_BASES = {**_members(ImpliedBasis), None: None}
_METHODS = {**_members(RevocationMethod), None: None}
_EVIDENCE_FIELDS = Evidence.__slots__
# Each enumerated field with the values this smskit has a member for.
_ENUM_FIELDS: tuple[tuple[str, Mapping[str | None, Any]], ...] = (
    ("kind", _KINDS), ("channels", _CHANNELS), ("purposes", _PURPOSES),
    ("source", _SOURCES), ("consent_kind", _CONSENT_KINDS), ("implied_basis", _BASES),
    ("revocation_method", _METHODS),
)
_SET_FIELDS = ("channels", "purposes")


@lru_cache(maxsize=4096)
def scope_of(text: str) -> ConsentScope:
    """``ConsentScope.parse``, cached: a ledger repeats a few scopes millions of times."""
    return ConsentScope.parse(text)


def _aware(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive timestamp in a stored event")
    return parsed


def _trusted_event(record: Mapping[str, Any]) -> ConsentEvent:
    # Frozen dataclasses refuse normal assignment; building through object.__new__
    # skips __post_init__ (each value is still mapped strictly below).
    put = object.__setattr__
    evidence = object.__new__(Evidence)
    stored = record["evidence"]
    for name in _EVIDENCE_FIELDS:
        put(evidence, name, stored[name])
    event = object.__new__(ConsentEvent)
    put(event, "kind", _KINDS[record["kind"]])
    put(event, "recipient", record["recipient"])
    put(event, "scope", scope_of(record["scope"]))
    put(event, "channels", frozenset([_CHANNELS[c] for c in record["channels"]]))
    put(event, "purposes", frozenset([_PURPOSES[p] for p in record["purposes"]]))
    put(event, "occurred_at", _aware(record["occurred_at"]))
    put(event, "source", _SOURCES[record["source"]])
    put(event, "evidence", evidence)
    put(event, "consent_kind", _CONSENT_KINDS[record["consent_kind"]])
    put(event, "implied_basis", _BASES[record["implied_basis"]])
    put(event, "expires_at", _aware(record["expires_at"]))
    put(event, "revocation_method", _METHODS[record["revocation_method"]])
    put(event, "confirms", record["confirms"])
    put(event, "recorded_at", _aware(record["recorded_at"]))
    put(event, "sequence", record["sequence"])
    put(event, "prev_hash", record["prev_hash"])
    put(event, "received_by", _received_by(record))
    if event.occurred_at is None:
        raise ValueError("occurred_at is missing")
    return event


def _received_by(record: Mapping[str, Any]) -> str | None:
    """The record's ``received_by``: absent in events written before it was kept. Never
    written as null, so a null (or another type) is a record no smskit wrote."""
    if "received_by" not in record:
        return None
    value = record["received_by"]
    if not isinstance(value, str):
        raise TypeError("received_by is not text")
    return value


def _opt(enum: Any, value: object) -> Any:
    return None if value is None else enum(value)


def seal(event: ConsentEvent, sequence: int, prev_hash: str) -> ConsentEvent:
    """The draft ``event`` placed at ``sequence``, chained to ``prev_hash``."""
    if event.sequence:
        raise ConsentError(
            f"sequence: event is already sealed at {event.sequence}; append drafts only",
            field="sequence",
        )
    return replace(event, sequence=sequence, prev_hash=prev_hash)


def verify_chain(
    events: Iterable[ConsentEvent],
    *,
    expected_head: tuple[int, str] | None = None,
    start: tuple[int, str] = (0, GENESIS_HASH),
) -> tuple[int, str]:
    """Check sequence numbers and hash links of events in ledger order.

    ``start`` is the ``(sequence, hash)`` the first event must follow (the
    genesis by default; a head verified before, to check only what came after).

    Returns:
        ``(last sequence, last hash)``: the head, to anchor outside the ledger.

    Raises:
        LedgerIntegrityError: at the first event that was edited, deleted,
            inserted or moved, naming its sequence; or when the head differs
            from ``expected_head`` (the last events were edited or removed).
    """
    expected_seq, previous = start[0] + 1, start[1]
    for event in events:
        if event.sequence != expected_seq:
            raise LedgerIntegrityError(
                f"ledger event {expected_seq} is missing or out of order "
                f"(found sequence {event.sequence}); events were deleted or reordered",
                sequence=expected_seq,
            )
        if event.prev_hash != previous:
            raise LedgerIntegrityError(
                f"ledger event {event.sequence} does not chain to event {event.sequence - 1}: "
                "an earlier event was edited, deleted or reordered",
                sequence=event.sequence,
            )
        previous = event_hash(event)
        expected_seq += 1
    head = (expected_seq - 1, previous)
    if expected_head is not None and tuple(expected_head) != head:
        raise LedgerIntegrityError(
            f"ledger head is {head[0]}:{head[1][:12]}…, expected "
            f"{expected_head[0]}:{expected_head[1][:12]}…: the last events were edited or removed",
            sequence=head[0],
        )
    return head
