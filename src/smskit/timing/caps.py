"""Frequency caps: rolling-window limits per recipient, sender and subject.

:class:`FrequencyCap` applies the caps some states impose (Florida, Oklahoma,
Maryland: 3 solicitations per 24 hours on the same subject; see
:data:`smskit.timing._jurisdictions.CAP_RULES`) and the business's own limits
(:class:`CapLimit`) to a :class:`SendHistory`: the sends already made.
``MemorySendHistory`` and ``SQLiteSendHistory`` implement it.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from bisect import bisect_right, insort
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Protocol, Self
from zoneinfo import ZoneInfo

from .._sqlite import (
    check_timeout,
    create_schema,
    is_retryable,
    refuse_ledger_file,
    switch_to_wal,
    write_transaction,
)
from ..errors import ConfigurationError, StoreError, closed_store
from ..findings import Finding, Severity, _shown, reduce_frozen
from ..numbers.parse import PhoneNumber, mask_number, mask_sender, parse_number
from ..purpose import Purpose
from ._jurisdictions import CAP_RULES
from .quiet_hours import MAX_YEAR, MIN_YEAR, locate, parse_purpose, require_aware
from .quiet_rules import CapRule, check_limit, purpose_set

__all__ = [
    "CapDecision",
    "CapLimit",
    "FrequencyCap",
    "MemorySendHistory",
    "SQLiteSendHistory",
    "SendHistory",
    "SendRecord",
]

#: Finding code (public API, never renamed).
CAP_EXCEEDED = "frequency_cap.exceeded"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def require_e164(send: SendRecord) -> None:
    """Refuse a send whose recipient is not E.164, before a store keeps it.

    The engine looks a recipient's sends up by E.164: a send stored as
    "(503) 555-0123" would never be counted, and every frequency cap would pass.
    Checked when recorded, not in ``SendRecord`` itself, so that a history holding
    such a row from before can still be read.

    Raises:
        ConfigurationError: ``send.recipient`` is not ``+`` and 7-15 digits.
    """
    if not _E164.fullmatch(send.recipient):
        raise ConfigurationError(
            f"a send's recipient must be E.164 (+ and the country code), not "
            f"{mask_number(send.recipient)!r}: caps look sends up by it; record through "
            "FrequencyCap.record or normalise it with smskit.normalize_recipient",
            field="recipient",
        )
_ALL_PURPOSES = frozenset(Purpose)

#: Rows one ``prune`` call removes when no limit is given: a batch short enough that
#: a store's write lock is held for milliseconds, not for a table of millions.
PRUNE_LIMIT = 1000
#: The largest LIMIT the SQL stores can bind (SQLite's INTEGER, PostgreSQL's bigint): a
#: larger limit, "all of them", is this one. Passed on as is, SQLite raised a bare
#: OverflowError inside its open write transaction and PostgreSQL "bigint out of range".
_MOST_ROWS = 2**63 - 1


def check_prune(before: object, limit: object) -> int:
    """A ``prune`` call's ``before`` and ``limit`` checked; the limit as an int a SQL
    ``LIMIT`` can bind (at most 2**63 - 1, more rows than any store holds).

    Raises:
        ConfigurationError: a naive ``before`` (made aware it would be the host's
            time), or a ``limit`` that is not a whole number of at least 1.
    """
    if not isinstance(before, datetime) or before.utcoffset() is None:
        raise ConfigurationError(
            f"prune's before must be an aware datetime (the caller's cut-off, e.g. "
            f"now - timedelta(days=90)), not {before!r:.60}", field="before",
        )
    if type(limit) is not int or limit < 1:
        raise ConfigurationError(
            f"prune's limit must be a whole number, at least 1 (rows removed per call; "
            f"call again until fewer come back), not {limit!r:.40}", field="limit",
        )
    return min(limit, _MOST_ROWS)


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


@dataclass(frozen=True, slots=True)
class SendRecord:
    """One message sent: to whom (E.164), from which sender, when, on what subject."""

    recipient: str = field(repr=False)
    sender: str
    at: datetime
    subject: str | None = None
    purpose: Purpose = Purpose.MARKETING
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        for name in ("recipient", "sender"):
            _require_text(getattr(self, name), name)
        if self.subject is not None:
            _require_text(self.subject, "subject")
        object.__setattr__(self, "purpose", parse_purpose(self.purpose))

    def __repr__(self) -> str:
        return (
            f"SendRecord(recipient={mask_number(self.recipient)!r}, "
            f"sender={mask_sender(self.sender)!r}, "
            f"at={self.at.isoformat()!r}, subject={_shown(self.subject)}, "
            f"purpose={self.purpose.value!r})"
        )


# SendRecord's slot setters in field order (what object.__setattr__ calls), for rows
# read back by SQLiteSendHistory.records_many once their values are checked.
_RECORD_SETTERS = tuple(getattr(SendRecord, name).__set__ for name in SendRecord.__slots__)
assert SendRecord.__slots__ == ("recipient", "sender", "at", "subject", "purpose")
_PURPOSES = {p.value: p for p in Purpose}
_MIN_AT = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
_MAX_AT = datetime(MAX_YEAR, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def _require_text(value: object, name: str) -> None:
    if not isinstance(value, str) or not value:
        what = "an empty str" if value == "" else type(value).__name__
        raise ConfigurationError(f"{name} must be a non-empty str, got {what}", field=name)


class SendHistory(Protocol):
    """Protocol: the messages already sent, as rolling-window caps need them."""

    def record(self, send: SendRecord) -> None:
        """Remember one send."""
        ...

    def sent_at(
        self,
        *,
        since: datetime,
        until: datetime,
        recipient: str | None = None,
        sender: str | None = None,
        subject: str | None = None,
        purposes: frozenset[Purpose] = _ALL_PURPOSES,
    ) -> tuple[datetime, ...]:
        """Instants (UTC, ascending) of sends in ``(since, until]`` matching every filter.

        ``subject`` matches sends on that subject *and* sends without a subject
        (an unknown subject may be the same one).
        """
        ...

    def records_many(
        self, recipients: Sequence[str], *, since: datetime, until: datetime
    ) -> Mapping[str, Sequence[SendRecord]]:
        """Every send to each of ``recipients`` (E.164) in ``(since, until]``, by recipient.

        One read for the whole list (the engine's batch path): each value is
        ascending by time; recipients without sends may be missing or map to ``()``.
        """
        ...

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` sends made before ``before``; how many went.

        Only sends strictly before ``before`` go. Each call is one short
        transaction: call it again until it returns fewer than ``limit``. The
        store does not know the policies that read it;
        :meth:`smskit.messenger.Messenger.prune_history` refuses a cut-off inside
        a cap's window. Stores written before this method existed keep working for
        everything else (the Messenger checks for it only when asked to prune).

        Raises:
            ConfigurationError: a naive ``before`` or a ``limit`` below 1.
        """
        ...


class MemorySendHistory:
    """A complete in-process :class:`SendHistory` (per-recipient sorted lists).

    It answers as the SQL histories do: instants given back in UTC (``records_many``
    too), ``records_many`` values as lists with only the recipients that have sends in
    the window, and every call after :meth:`close` raises ``StoreError``.
    """

    def __init__(self) -> None:
        self._by_recipient: dict[str, list[tuple[int, int, SendRecord]]] = {}
        self._by_sender: dict[str, list[tuple[int, int, SendRecord]]] = {}
        self._all: list[tuple[int, int, SendRecord]] = []
        # The insertion counter keeps equal instants ordered without comparing records;
        # it only grows (not len(self._all): prune shrinks that, and a repeated number
        # would compare two records).
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False

    def _check_open(self) -> None:
        """Raise if closed; the caller holds the lock."""
        if self._closed:
            raise closed_store(self)

    def close(self) -> None:
        """Make the history unusable, as the SQL ones' ``close`` does; closing twice is fine."""
        with self._lock:
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(self, send: SendRecord) -> None:
        """Remember one send.

        Raises:
            ConfigurationError: the recipient is not E.164.
            StoreError: the history is closed.
        """
        require_e164(send)
        # Kept in UTC, as the SQL stores keep it: records_many gives it back so.
        send = replace(send, at=send.at.astimezone(UTC))
        with self._lock:
            self._check_open()
            entry = (_micros(send.at), self._count, send)
            self._count += 1
            insort(self._all, entry)
            insort(self._by_recipient.setdefault(send.recipient, []), entry)
            insort(self._by_sender.setdefault(send.sender, []), entry)

    def sent_at(
        self,
        *,
        since: datetime,
        until: datetime,
        recipient: str | None = None,
        sender: str | None = None,
        subject: str | None = None,
        purposes: frozenset[Purpose] = _ALL_PURPOSES,
    ) -> tuple[datetime, ...]:
        """Instants of matching sends in ``(since, until]``, ascending."""
        require_aware(since, "since")
        require_aware(until, "until")
        low, high = _micros(since), _micros(until)
        with self._lock:
            self._check_open()
            if recipient is not None:
                entries = self._by_recipient.get(recipient, [])
            elif sender is not None:
                entries = self._by_sender.get(sender, [])
            else:
                entries = self._all
            first = bisect_right(entries, (low, self._count))
            last = bisect_right(entries, (high, self._count))
            window = entries[first:last]
        return tuple(
            _from_micros(micros)
            for micros, _, send in window
            if (sender is None or send.sender == sender)
            and (recipient is None or send.recipient == recipient)
            and (subject is None or send.subject in (subject, None))
            and send.purpose in purposes
        )

    def records_many(
        self, recipients: Sequence[str], *, since: datetime, until: datetime
    ) -> Mapping[str, Sequence[SendRecord]]:
        """Every send to each recipient in ``(since, until]``, ascending, by recipient."""
        require_aware(since, "since")
        require_aware(until, "until")
        low, high = _micros(since), _micros(until)
        out: dict[str, list[SendRecord]] = {}
        with self._lock:
            self._check_open()
            for recipient in recipients:
                found = [send for micros, _, send in self._by_recipient.get(recipient, ())
                         if low < micros <= high]
                if found:  # as the SQL stores: no key for a recipient without sends
                    out[recipient] = found
        return out

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` sends made before ``before`` (the oldest); how many went."""
        limit = check_prune(before, limit)
        with self._lock:
            self._check_open()
            # _all is sorted by instant: the oldest sends are its head.
            end = min(bisect_right(self._all, (_micros(before), -1)), limit)
            gone = self._all[:end]
            del self._all[:end]
            # The three lists hold the same tuples: drop those objects from the others.
            dropped = {id(entry) for entry in gone}
            for index, names in (
                (self._by_recipient, {send.recipient for _, _, send in gone}),
                (self._by_sender, {send.sender for _, _, send in gone}),
            ):
                for name in names:
                    kept = [entry for entry in index[name] if id(entry) not in dropped]
                    if kept:
                        index[name] = kept
                    else:
                        del index[name]
        return len(gone)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS smskit_sends (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    sender TEXT NOT NULL,
    subject TEXT,
    purpose TEXT NOT NULL,
    at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS smskit_sends_recipient ON smskit_sends (recipient, at_us);
CREATE INDEX IF NOT EXISTS smskit_sends_sender ON smskit_sends (sender, at_us);
"""


class SQLiteSendHistory:
    """A durable :class:`SendHistory` in one SQLite file (instants as UTC microseconds).

    The file is in WAL mode and each send is one ``BEGIN IMMEDIATE``
    transaction, so several processes may record into the same file; a writer
    waits up to ``timeout`` seconds for another, then raises ``StoreError``.
    Use as a context manager or call :meth:`close`.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        timeout = check_timeout(timeout)
        try:
            self._db = sqlite3.connect(
                str(path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open send history {str(path)!r}: {exc}") from exc
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            refuse_ledger_file(self._db, path, "send history")
            switch_to_wal(self._db, timeout)
            create_schema(self._db, _SCHEMA)
        except sqlite3.Error as exc:
            self._db.close()  # never leave the connection to the garbage collector
            raise StoreError(
                f"cannot open send history {str(path)!r}: {exc}",
                retryable=is_retryable(exc),
            ) from exc
        self._path = str(path)
        # Re-entrant: close() takes it, and a shutdown signal handler closing the store
        # runs in the thread that may be inside a call holding it (a plain lock hung).
        self._lock = threading.RLock()

    def record(self, send: SendRecord) -> None:
        """Remember one send (committed before returning).

        Raises:
            ConfigurationError: the recipient is not E.164.
            StoreError: the file stayed locked by another writer past ``timeout``,
                or SQLite failed.
        """
        require_e164(send)
        with self._lock, write_transaction(self._db, f"recording a send in {self._path!r}"):
            self._db.execute(
                "INSERT INTO smskit_sends (recipient, sender, subject, purpose, at_us) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    send.recipient,
                    send.sender,
                    send.subject,
                    send.purpose.value,
                    _micros(send.at),
                ),
            )

    def sent_at(
        self,
        *,
        since: datetime,
        until: datetime,
        recipient: str | None = None,
        sender: str | None = None,
        subject: str | None = None,
        purposes: frozenset[Purpose] = _ALL_PURPOSES,
    ) -> tuple[datetime, ...]:
        """Instants of matching sends in ``(since, until]``, ascending."""
        require_aware(since, "since")
        require_aware(until, "until")
        where = ["at_us > ?", "at_us <= ?"]
        args: list[object] = [_micros(since), _micros(until)]
        if recipient is not None:
            where.append("recipient = ?")
            args.append(recipient)
        if sender is not None:
            # With a recipient, "+sender" keeps SQLite on the recipient index: one
            # sender's index range is the whole table for a single-number business.
            where.append("+sender = ?" if recipient is not None else "sender = ?")
            args.append(sender)
        if subject is not None:
            where.append("(subject = ? OR subject IS NULL)")
            args.append(subject)
        if purposes != _ALL_PURPOSES:
            where.append(f"purpose IN ({', '.join('?' * len(purposes))})")
            args.extend(sorted(p.value for p in purposes))
        query = f"SELECT at_us FROM smskit_sends WHERE {' AND '.join(where)} ORDER BY at_us, id"
        with self._lock:
            try:
                rows = self._db.execute(query, args).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"reading send history {self._path!r} failed: {exc}") from exc
        return tuple(_from_micros(int(row[0])) for row in rows)

    def records_many(
        self, recipients: Sequence[str], *, since: datetime, until: datetime
    ) -> Mapping[str, Sequence[SendRecord]]:
        """Every send to each recipient in ``(since, until]``, ascending, by recipient.

        One query per call (the numbers passed as one JSON array), not one per number.
        """
        require_aware(since, "since")
        require_aware(until, "until")
        out: dict[str, list[SendRecord]] = {}
        wanted = sorted(set(recipients))
        if not wanted:
            return out
        with self._lock:
            try:
                rows = self._db.execute(
                    "SELECT recipient, sender, subject, purpose, at_us FROM smskit_sends "
                    "WHERE recipient IN (SELECT value FROM json_each(?)) "
                    "AND at_us > ? AND at_us <= ? ORDER BY recipient, at_us, id",
                    (json.dumps(wanted), _micros(since), _micros(until)),
                ).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"reading send history {self._path!r} failed: {exc}") from exc
        set_recipient, set_sender, set_at, set_subject, set_purpose = _RECORD_SETTERS
        for recipient, sender, subject, purpose, at_us in rows:
            at = _EPOCH + timedelta(microseconds=int(at_us))
            kind = _PURPOSES.get(purpose)
            if (type(recipient) is str and recipient and type(sender) is str and sender
                    and (subject is None or (type(subject) is str and subject))
                    and kind is not None and _MIN_AT <= at <= _MAX_AT):
                # What SendRecord() checks, checked above: the engine reads these per
                # batch, one per send, so __post_init__ is not run again.
                record = object.__new__(SendRecord)
                set_recipient(record, recipient)
                set_sender(record, sender)
                set_at(record, at)
                set_subject(record, subject)
                set_purpose(record, kind)
            else:  # a row written by hand: the constructor says what is wrong with it
                record = SendRecord(recipient, sender, at, subject, Purpose(purpose))
            out.setdefault(recipient, []).append(record)
        return out

    def prune(self, before: datetime, *, limit: int = PRUNE_LIMIT) -> int:
        """Remove at most ``limit`` sends made before ``before``; how many went.

        One ``BEGIN IMMEDIATE`` transaction of at most ``limit`` rows: other writers
        wait for it no longer than that takes (rowid order is recording order, so
        the oldest rows are found first without an index on the instant).

        Raises:
            ConfigurationError: a naive ``before`` or a ``limit`` below 1.
            StoreError: the file stayed locked past ``timeout``, or SQLite failed.
        """
        limit = check_prune(before, limit)
        with self._lock, write_transaction(self._db, f"pruning send history {self._path!r}"):
            removed = self._db.execute(
                "DELETE FROM smskit_sends WHERE id IN (SELECT id FROM smskit_sends "
                "WHERE at_us < ? ORDER BY id LIMIT ?)",
                (_micros(before), limit),
            ).rowcount
        return int(removed)

    def close(self) -> None:
        """Close the database, once a call under way in another thread has finished
        (closed under it, the process crashed); closing twice is fine."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> SQLiteSendHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class CapLimit:
    """The business's own rolling-window limit.

    At most ``limit`` messages of ``purposes`` within any ``window``, counted
    per recipient, per sender, per subject, or a combination (all that are
    True must match). ``per_recipient=False, per_sender=True`` caps a sending
    number's total.
    """

    name: str
    limit: int
    window: timedelta
    per_recipient: bool = True
    per_sender: bool = False
    per_subject: bool = False
    purposes: frozenset[Purpose] = _ALL_PURPOSES

    def __post_init__(self) -> None:
        check_limit(self.limit, self.window)
        if not (self.per_recipient or self.per_sender or self.per_subject):
            raise ConfigurationError(
                "CapLimit must count per recipient, sender or subject (at least one)",
                field="per_recipient",
            )
        object.__setattr__(self, "purposes", purpose_set(self.purposes, "CapLimit"))


@dataclass(frozen=True, slots=True)
class CapDecision:
    """The answer of :meth:`FrequencyCap.check`.

    ``next_allowed`` is ``at`` when allowed, else when enough earlier sends
    have left their windows for every cap to allow one more.
    """

    allowed: bool
    at: datetime
    next_allowed: datetime
    findings: tuple[Finding, ...] = ()
    # Pickles with reduce_frozen: datetime drops a repeated hour's fold before protocol 4.
    __reduce__ = reduce_frozen


@dataclass(frozen=True, slots=True)
class FrequencyCap:
    """Rolling-window caps from the law (:class:`CapRule`) and the business (:class:`CapLimit`).

    Args:
        history: where past sends are read from (and written by :meth:`record`).
        limits: the business's own limits.
        rules: jurisdiction caps (default: the shipped Florida/Oklahoma/Maryland caps).
        include_unverified: keep caps whose status is not verified.
    """

    history: SendHistory
    _: KW_ONLY
    limits: Sequence[CapLimit] = ()
    rules: Sequence[CapRule] = CAP_RULES
    include_unverified: bool = True

    def __post_init__(self) -> None:
        limits, rules = tuple(self.limits), tuple(self.rules)
        if not all(isinstance(limit, CapLimit) for limit in limits):
            raise ConfigurationError("limits must hold CapLimit values", field="limits")
        if not all(isinstance(rule, CapRule) for rule in rules):
            raise ConfigurationError("rules must hold CapRule values", field="rules")
        object.__setattr__(self, "limits", limits)
        kept = tuple(r for r in rules if self.include_unverified or r.status.verified)
        object.__setattr__(self, "rules", kept)

    def record(
        self,
        number: PhoneNumber | str,
        at: datetime,
        *,
        sender: str,
        subject: str | None = None,
        purpose: Purpose | str = Purpose.MARKETING,
    ) -> None:
        """Add a send to the history (call it once the message went out)."""
        phone = number if isinstance(number, PhoneNumber) else parse_number(number)
        self.history.record(SendRecord(phone.e164, sender, at, subject, parse_purpose(purpose)))

    def check(
        self,
        number: PhoneNumber | str,
        at: datetime,
        *,
        sender: str,
        purpose: Purpose | str,
        subject: str | None = None,
        recipient_region: str | None = None,
    ) -> CapDecision:
        """May one more message go to ``number`` at ``at`` under every cap?

        A message without ``subject`` is counted against every subject (the
        conservative reading of "same subject").
        """
        require_aware(at)
        # A missing sender would count every sender's sends (or none) silently.
        _require_text(sender, "sender")
        if subject is not None:
            _require_text(subject, "subject")
        purpose = parse_purpose(purpose)
        phone = number if isinstance(number, PhoneNumber) else parse_number(number)
        _, jurisdictions, region_zones = locate(phone, recipient_region)
        zones = region_zones or phone.time_zones
        findings: list[Finding] = []
        latest = at
        # Windows are elapsed time: at - 24h in at's own zone is wall-clock arithmetic,
        # 23 or 25 hours across a DST change.
        now = at.astimezone(UTC)
        for rule in self.rules:
            if rule.jurisdiction not in jurisdictions or purpose not in rule.purposes:
                continue
            if rule.effective is not None and not _in_force(rule.effective, at, zones):
                continue
            times = self.history.sent_at(
                since=now - rule.window,
                until=now,
                recipient=phone.e164,
                subject=subject if rule.per_subject else None,
                purposes=rule.purposes,
            )
            if len(times) >= rule.limit:
                when = times[len(times) - rule.limit] + rule.window
                latest = max(latest, when)
                findings.append(
                    _finding(
                        rule.code,
                        rule.title,
                        rule.source,
                        rule.limit,
                        rule.window,
                        len(times),
                        when.astimezone(at.tzinfo),
                        rule.status.value,
                    )
                )
        for limit in self.limits:
            if purpose not in limit.purposes:
                continue
            times = self.history.sent_at(
                since=now - limit.window,
                until=now,
                recipient=phone.e164 if limit.per_recipient else None,
                sender=sender if limit.per_sender else None,
                subject=subject if limit.per_subject else None,
                purposes=limit.purposes,
            )
            if len(times) >= limit.limit:
                when = times[len(times) - limit.limit] + limit.window
                latest = max(latest, when)
                findings.append(
                    _finding(
                        f"limit:{limit.name}",
                        limit.name,
                        "sender configuration (FrequencyCap.limits)",
                        limit.limit,
                        limit.window,
                        len(times),
                        when.astimezone(at.tzinfo),
                        "policy",
                    )
                )
        return CapDecision(not findings, at, latest.astimezone(at.tzinfo), tuple(findings))


def _in_force(effective: date, at: datetime, zones: tuple[str, ...]) -> bool:
    """Whether a law effective on ``effective`` (a local date, as for quiet-hours rules)
    is in force at ``at`` in any of the recipient's zones; in UTC when none is known.

    Judged in UTC, Oregon's cap (from 2026-01-01) held a Portland text at 16:00 on
    31 December 2025, the day before.
    """
    # Through UTC, as quiet hours judge it: astimezone() to the zone ``at`` is already
    # written in returns it unchanged, so a wall time in a gap would be read as written.
    instant = at.astimezone(UTC)
    if not zones:
        return instant.date() >= effective
    return any(instant.astimezone(_zone(z)).date() >= effective for z in zones)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _finding(
    rule: str,
    title: str,
    source: str,
    limit: int,
    window: timedelta,
    count: int,
    when: datetime,
    status: str,
) -> Finding:
    return Finding(
        code=CAP_EXCEEDED,
        severity=Severity.DEFER,
        message=(
            f"{count} messages already sent within {_span(window)} (cap: {limit}; {title}); "
            f"next allowed {when.isoformat()}"
        ),
        source=source,
        details={
            "rule": rule,
            "limit": limit,
            "window_seconds": window.total_seconds(),
            "count": count,
            "next_allowed": when,
            "status": status,
        },
    )


def _span(window: timedelta) -> str:
    """A rolling window as the laws say it: "24 hours", "7 days", "90 minutes"."""
    seconds = int(window.total_seconds())
    if seconds % 86400 == 0 and seconds >= 7 * 86400:
        amount, unit = seconds // 86400, "day"
    elif seconds % 3600 == 0:
        amount, unit = seconds // 3600, "hour"
    elif seconds % 60 == 0:
        amount, unit = seconds // 60, "minute"
    else:
        amount, unit = seconds, "second"
    return f"{amount} {unit}{'' if amount == 1 else 's'}"
