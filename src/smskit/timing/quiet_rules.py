"""Quiet-hours rule records: the values the shipped rules and your own are made of.

A rule says when messages of some purposes may *not* be sent to recipients in a
jurisdiction: daily quiet periods (:class:`QuietWindow`), whole closed days
(weekdays, legal holidays from a :class:`HolidayCalendar`), or an outright
prohibition. Every rule carries its source and how sure we are of it
(:class:`RuleStatus`). The engine is :class:`smskit.timing.quiet_hours.QuietHours`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import ConfigurationError
from ..numbers._nanp import is_subdivision
from ..numbers.parse import mask_sender
from ..purpose import Purpose

__all__ = [
    "ALL_DAYS",
    "RECIPIENT_CLOCK",
    "WEEKDAYS",
    "CapRule",
    "FixedHoliday",
    "HolidayCalendar",
    "QuietHoursRule",
    "QuietWindow",
    "RuleStatus",
    "SendWindow",
    "WeekdayHoliday",
    "rules_from_data",
    "rules_to_data",
]

#: Weekday numbers as ``datetime.weekday()`` gives them: Monday 0 ... Sunday 6.
ALL_DAYS: frozenset[int] = frozenset(range(7))
WEEKDAYS: frozenset[int] = frozenset(range(5))
#: A clock name meaning "the recipient's local time, in every candidate zone".
RECIPIENT_CLOCK = "recipient"
#: The jurisdiction of a default rule: applies where no rule names the country.
DEFAULT_JURISDICTION = "*"

_MIDNIGHT = time(0)


class RuleStatus(StrEnum):
    """How well a rule's facts are established (the reference's V/S/U/C marks)."""

    VERIFIED = "verified"
    """V: checked against a primary source (statute, regulator)."""
    SECONDARY = "secondary"
    """S: secondary sources only (law firms, vendors); probably right."""
    UNVERIFIED = "unverified"
    """U: not confirmed (e.g. whether the law covers texts at all)."""
    CONFLICTING = "conflicting"
    """C: sources disagree; the rule encodes the stricter reading."""
    DEFAULT = "default"
    """Not law: smskit's configurable default where no law is encoded."""

    @property
    def verified(self) -> bool:
        """True for V and S facts; U, C and defaults are labelled, configurable."""
        return self in (RuleStatus.VERIFIED, RuleStatus.SECONDARY)


def shown(value: object) -> str:
    """``value`` quoted for an error message, a phone number in it masked: a CRM export
    whose columns shifted puts the recipient's number in the zone or state column."""
    return repr(mask_sender(value if isinstance(value, str) else repr(value)))


#: Set once a zone database was seen: the scan takes milliseconds, and a campaign
#: plan may meet thousands of rows with an unknown zone ("Eastern").
_DATABASE_FOUND = False


def _database_found() -> bool:
    global _DATABASE_FOUND
    if not _DATABASE_FOUND:
        _DATABASE_FOUND = bool(available_timezones())  # only on the error path
    return _DATABASE_FOUND


@lru_cache(maxsize=512)
def load_zone(name: str, *, field_name: str = "zone") -> ZoneInfo:
    """Return the IANA zone ``name`` or raise ``ConfigurationError(field=field_name)``."""
    if not isinstance(name, str) or not name or name != name.strip():
        raise ConfigurationError(
            f"{field_name} must be an IANA zone name such as 'America/New_York', "
            f"got {shown(name)}",
            field=field_name,
        )
    try:
        return ZoneInfo(name)
    # OSError: on Python 3.11 a folder of the database ("US", as in US/Eastern) raises
    # IsADirectoryError, and a name too long for the file system ENAMETOOLONG.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    # Raised out of the except block: inside it, ``from None`` hides zoneinfo's error
    # from tracebacks but keeps it as __context__, and it quotes the name whole (a
    # phone number, when a CRM export's columns shifted).
    if not _database_found():
        raise ConfigurationError(
            "no time-zone database found: install the tzdata package (a dependency of "
            "smskit) or the system's tzdata",
            field=field_name,
        )
    raise ConfigurationError(
        f"{field_name}: unknown time zone {shown(name)}; use an IANA name such as "
        "'America/Chicago'",
        field=field_name,
    )


# IANA names that are a fixed offset, not a place: "EST" is UTC-05:00 all year, also in
# a New York summer. CRM exports write "EST" for an Eastern lead and "UTC" for an
# unknown one; judged on them, a Florida lead's 20:30 EDT read as 19:30 and was allowed.
_FIXED_OFFSETS = frozenset({
    "EST", "MST", "HST", "UTC", "UCT", "GMT", "GMT0", "GMT+0", "GMT-0",
    "Greenwich", "Universal", "Zulu", "Factory",
})


def load_recipient_zone(name: str, *, field_name: str = "recipient_zone") -> ZoneInfo:
    """:func:`load_zone` for where a person is: a fixed-offset zone (``EST``, ``UTC``,
    ``Etc/GMT+5``) is refused, since no place's clock keeps one through daylight saving
    as the US's do, and quiet hours read on it are an hour off all summer."""
    zone = load_zone(name, field_name=field_name)
    if name == "localtime":  # the host's zone (/usr/share/zoneinfo/localtime), no place's
        raise ConfigurationError(
            f"{field_name}: 'localtime' is the zone of the host smskit runs on, not the "
            "recipient's; write the place's IANA zone (America/New_York)",
            field=field_name,
        )
    # The system database also spells each one under posix/ and right/ ("posix/EST").
    bare = name.removeprefix("posix/").removeprefix("right/")
    if bare in _FIXED_OFFSETS or bare.startswith("Etc/"):
        offset = datetime(2026, 1, 1, tzinfo=zone).utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        shown = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        raise ConfigurationError(
            f"{field_name}: {name!r} is a fixed offset ({shown} all year), not the zone "
            "of a place: it keeps no daylight saving, so quiet hours would be judged an "
            "hour off in summer; write the place's IANA zone (America/New_York, "
            "America/Chicago, America/Denver, America/Phoenix, America/Los_Angeles, "
            "Pacific/Honolulu)",
            field=field_name,
        )
    return zone


def _weekday_set(days: object) -> bool:
    # type() rather than isinstance: True == 1 would silently mean Tuesday.
    return isinstance(days, (set, frozenset)) and all(
        type(d) is int and 0 <= d <= 6 for d in days
    )


def _check_days(days: frozenset[int], owner: str) -> None:
    if not days or not _weekday_set(days):
        raise ConfigurationError(
            f"{owner}.days must be a non-empty set of weekday numbers 0 (Monday) to 6 (Sunday)",
            field="days",
        )


def purpose_set(purposes: object, owner: str) -> frozenset[Purpose]:
    """``purposes`` as a non-empty frozenset of :class:`Purpose`, or ``ConfigurationError``."""
    # A misspelt purpose would make the rule silently never apply.
    found: frozenset[Purpose] = frozenset()
    if isinstance(purposes, (set, frozenset, list, tuple)):
        try:
            found = frozenset(Purpose(p) for p in purposes)
        except ValueError:
            found = frozenset()
    if not found:
        raise ConfigurationError(
            f"{owner}.purposes must be a non-empty set of "
            f"{', '.join(p.value for p in Purpose)}, got {purposes!r}",
            field="purposes",
        )
    return found


def _check_whole(value: object, low: int, high: int, owner: str, name: str) -> None:
    if type(value) is not int or not low <= value <= high:
        raise ConfigurationError(
            f"{owner}.{name} must be a whole number from {low} to {high}, got {value!r}",
            field=name,
        )


def _check_flag(value: object, owner: str, name: str) -> None:
    # Rule data is often hand-written JSON: "false" in quotes is a true string, and read
    # as bool() it waived a rule its author wrote as not waived.
    if type(value) is not bool:
        raise ConfigurationError(
            f"{owner}.{name} must be true or false (a JSON boolean), got {value!r}",
            field=name,
        )


def _check_years(since: object, until: object, owner: str) -> None:
    # Compared with each year asked about: a "2021" from hand-written JSON would raise
    # TypeError inside a decision, on the first holiday date checked.
    if since is not None:
        _check_whole(since, 1, 9999, owner, "since")
    if until is not None:
        _check_whole(until, since if isinstance(since, int) else 1, 9999, owner, "until")


def _in_years(holiday: FixedHoliday | WeekdayHoliday, year: int) -> bool:
    return (holiday.since is None or year >= holiday.since) and (
        holiday.until is None or year <= holiday.until
    )


@dataclass(frozen=True, slots=True)
class QuietWindow:
    """A daily quiet period: no sending from ``start`` to ``end`` local wall time.

    ``start`` is quiet, ``end`` is not: ``QuietWindow.outside(time(8), time(21))``
    allows 08:00:00 and refuses from 21:00:00 on. Statutes say "before 8 a.m. or
    after 9 p.m."; refusing 21:00:00 itself is the stricter reading of the edge.

    Overnight periods are the normal case and are explicit: when ``end`` is
    earlier than ``start`` the period wraps midnight (``QuietWindow(time(21),
    time(8))`` is 21:00-08:00). ``days`` are the weekdays whose wall-clock
    times the period covers: for a wrapping period, the evening part counts on
    the evening's weekday and the morning part on the morning's weekday.
    ``start == end`` is refused (it would mean "never" or "always"); close a
    whole day with ``QuietHoursRule.closed_days`` instead.
    """

    start: time
    end: time
    days: frozenset[int] = ALL_DAYS

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                raise ConfigurationError(
                    f"QuietWindow.{name} must be a naive datetime.time (local wall time)",
                    field=name,
                )
        if self.start == self.end:
            raise ConfigurationError(
                "QuietWindow.end equals start: a quiet period must have a length "
                "(use closed_days to close a whole day)",
                field="end",
            )
        _check_days(self.days, "QuietWindow")

    @classmethod
    def outside(cls, start: time, end: time, days: frozenset[int] = ALL_DAYS) -> QuietWindow:
        """The quiet period outside an allowed window: ``outside(8:00, 21:00)`` is 21:00-08:00."""
        return cls(start=end, end=start, days=days)

    @property
    def overnight(self) -> bool:
        """True when the period wraps midnight."""
        return self.end < self.start

    def contains(self, weekday: int, wall: time) -> bool:
        """True when wall time ``wall`` on ``weekday`` falls in the quiet period."""
        if weekday not in self.days:
            return False
        if self.start < self.end:
            return self.start <= wall < self.end
        return wall >= self.start or wall < self.end


@dataclass(frozen=True, slots=True)
class SendWindow:
    """A period in which the business itself is willing to send (intersected with the law).

    ``start < end`` within one day, ``start`` included and ``end`` excluded;
    ``end == time(0)`` means "until midnight".
    Sender windows do not wrap midnight: write two windows for a night shift.
    ``clock`` is :data:`RECIPIENT_CLOCK` (the recipient's local time, in every
    candidate zone) or the IANA zone of the business.
    """

    start: time
    end: time
    days: frozenset[int] = ALL_DAYS
    clock: str = RECIPIENT_CLOCK
    purposes: frozenset[Purpose] = frozenset(Purpose)

    def __post_init__(self) -> None:
        if not isinstance(self.start, time) or not isinstance(self.end, time):
            raise ConfigurationError(
                "SendWindow.start and end must be datetime.time", field="start"
            )
        if self.end != _MIDNIGHT and self.end <= self.start:
            raise ConfigurationError(
                "SendWindow.end must be after start (sender windows do not wrap midnight; "
                "use end=time(0) for 'until midnight' or two windows for a night shift)",
                field="end",
            )
        _check_days(self.days, "SendWindow")
        if self.clock != RECIPIENT_CLOCK:
            load_zone(self.clock, field_name="clock")
        object.__setattr__(self, "purposes", purpose_set(self.purposes, "SendWindow"))

    def contains(self, weekday: int, wall: time) -> bool:
        """True when wall time ``wall`` on ``weekday`` is inside the window."""
        if weekday not in self.days or wall < self.start:
            return False
        return self.end == _MIDNIGHT or wall < self.end


@dataclass(frozen=True, slots=True)
class FixedHoliday:
    """A holiday on a fixed date; ``observed`` adds the weekday it is observed on.

    Observance follows 5 U.S.C. 6103(b): a Saturday holiday is observed on the
    Friday before, a Sunday holiday on the Monday after. ``since`` and ``until`` are the
    first and last years it is a holiday (a law that adds or moves it).
    """

    name: str
    month: int
    day: int
    observed: bool = True
    since: int | None = None
    until: int | None = None

    def __post_init__(self) -> None:
        _check_whole(self.month, 1, 12, "FixedHoliday", "month")
        # Checked against a common year: a 29 February holiday would not exist
        # in three years out of four.
        _check_whole(self.day, 1, calendar.monthrange(2001, self.month)[1], "FixedHoliday", "day")
        _check_years(self.since, self.until, "FixedHoliday")
        _check_flag(self.observed, "FixedHoliday", "observed")

    def dates(self, year: int) -> tuple[date, ...]:
        """The holiday and, if it falls on a weekend and ``observed``, its observed day."""
        if not _in_years(self, year):
            return ()
        actual = date(year, self.month, self.day)
        if not self.observed or actual.weekday() < 5:
            return (actual,)
        shift = -1 if actual.weekday() == 5 else 1
        return (actual, actual + timedelta(days=shift))


@dataclass(frozen=True, slots=True)
class WeekdayHoliday:
    """A holiday on the ``nth`` ``weekday`` of ``month`` (``nth=-1``: the last one), from
    year ``since`` to year ``until``."""

    name: str
    month: int
    weekday: int
    nth: int
    since: int | None = None
    until: int | None = None

    def __post_init__(self) -> None:
        _check_whole(self.month, 1, 12, "WeekdayHoliday", "month")
        _check_whole(self.weekday, 0, 6, "WeekdayHoliday", "weekday")
        # Every month has at least four of each weekday, not always a fifth.
        if type(self.nth) is not int or self.nth not in (1, 2, 3, 4, -1, -2, -3, -4):
            raise ConfigurationError(
                f"WeekdayHoliday.nth must be 1-4 (first to fourth) or -1 to -4 (last to "
                f"fourth from last), got {self.nth!r}",
                field="nth",
            )
        _check_years(self.since, self.until, "WeekdayHoliday")

    def dates(self, year: int) -> tuple[date, ...]:
        """The one date of the holiday in ``year`` (none before ``since`` or after ``until``)."""
        if not _in_years(self, year):
            return ()
        days_in_month = calendar.monthrange(year, self.month)[1]
        matching = [
            date(year, self.month, d)
            for d in range(1, days_in_month + 1)
            if date(year, self.month, d).weekday() == self.weekday
        ]
        return (matching[self.nth if self.nth < 0 else self.nth - 1],)


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """Holidays defined by rule, so any year can be computed (nothing hard-coded per year)."""

    name: str
    holidays: tuple[FixedHoliday | WeekdayHoliday, ...]
    source: str
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Hashed on every holiday look-up (the per-year cache key): compute once.
        object.__setattr__(self, "_hash", hash((self.name, self.holidays, self.source)))

    def __hash__(self) -> int:
        return self._hash

    def dates(self, year: int) -> frozenset[date]:
        """Every closed date in ``year``: holidays and observed days (cached per year)."""
        return _calendar_dates(self, year)


@lru_cache(maxsize=1024)
def _calendar_dates(calendar_: HolidayCalendar, year: int) -> frozenset[date]:
    # An observed day can fall in the neighbouring year (1 Jan on a Saturday is
    # observed on 31 Dec), so compute the years around and keep this year's.
    found = {
        d
        for y in (year - 1, year, year + 1)
        if 1 <= y <= 9999 - 1
        for holiday in calendar_.holidays
        for d in holiday.dates(y)
    }
    return frozenset(d for d in found if d.year == year)


@dataclass(frozen=True, slots=True)
class QuietHoursRule:
    """One jurisdiction's rule for some purposes, with its source.

    A rule is one (or more) of: daily quiet periods (``quiet``), closed weekdays
    (``closed_days``), closed holidays (``closed_holidays``), or an outright
    prohibition (``prohibited``). A message is allowed when every applicable rule
    allows it.

    Attributes:
        code: stable identifier, lowercase dotted (``"us-fl.hours"``).
        jurisdiction: ISO 3166-2 subdivision (``"US-FL"``), ISO 3166-1 country
            (``"US"``, applies in all its subdivisions) or ``"*"`` (default
            where no rule names the recipient's country).
        title: a short human description.
        source: URL(s) of the law or document, ``" ; "``-separated.
        status: how well established the facts are; unverified rules can be
            left out with ``QuietHours(include_unverified=False)``.
        purposes: the purposes the rule governs.
        waived_by_consent: the rule does not apply when the recipient gave prior
            express consent (the statute says so).
        clocks: whose clock the quiet periods use: :data:`RECIPIENT_CLOCK` and/or
            fixed IANA zones; with several, the rule must hold on each (the
            stricter reading where sources disagree about the clock).
        effective: first local date the rule applies, if known.
        note: why the data reads as it does (conflicts, readings taken).
    """

    code: str
    jurisdiction: str
    title: str
    source: str
    status: RuleStatus
    quiet: tuple[QuietWindow, ...] = ()
    closed_days: frozenset[int] = frozenset()
    closed_holidays: HolidayCalendar | None = None
    prohibited: bool = False
    purposes: frozenset[Purpose] = frozenset({Purpose.MARKETING})
    waived_by_consent: bool = False
    clocks: tuple[str, ...] = (RECIPIENT_CLOCK,)
    effective: date | None = None
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.lower() or " " in self.code:
            raise ConfigurationError(
                f"QuietHoursRule.code must be lowercase without spaces, got {self.code!r}",
                field="code",
            )
        if not _valid_jurisdiction(self.jurisdiction):
            raise ConfigurationError(
                f"QuietHoursRule.jurisdiction must be 'XX', 'XX-YY' (ISO 3166) or '*', "
                f"got {self.jurisdiction!r}{_SUBDIVISIONS}",
                field="jurisdiction",
            )
        if not self.source:
            raise ConfigurationError("QuietHoursRule.source is required", field="source")
        if not (self.quiet or self.closed_days or self.closed_holidays or self.prohibited):
            raise ConfigurationError(
                "QuietHoursRule needs quiet windows, closed days, holidays or prohibited=True",
                field="quiet",
            )
        if not _weekday_set(self.closed_days):
            raise ConfigurationError("closed_days must be weekday numbers 0-6", field="closed_days")
        _check_flag(self.prohibited, "QuietHoursRule", "prohibited")
        _check_flag(self.waived_by_consent, "QuietHoursRule", "waived_by_consent")
        object.__setattr__(self, "purposes", purpose_set(self.purposes, "QuietHoursRule"))
        if not self.clocks:
            raise ConfigurationError("QuietHoursRule.clocks must not be empty", field="clocks")
        for clock in self.clocks:
            if clock != RECIPIENT_CLOCK:
                load_zone(clock, field_name="clocks")

    def applies_to(self, purpose: Purpose, *, prior_consent: bool) -> bool:
        """True when the rule governs ``purpose`` given the consent state."""
        return purpose in self.purposes and not (prior_consent and self.waived_by_consent)


_SUBDIVISIONS = (
    "; a subdivision is a US state or territory or a Canadian province ('US-FL', 'CA-QC'):"
    " others are never located, so the rule would never apply (write the country)"
)


def _valid_jurisdiction(code: str) -> bool:
    if code == DEFAULT_JURISDICTION:
        return True
    country, dash, _ = code.partition("-")
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        return False
    # A subdivision must be one a recipient is located in (US and Canadian ones): a rule
    # for "US-FLA", "GB-SCT" or "US-" (an empty subdivision) would never apply, silently.
    return not dash or is_subdivision(code)


@dataclass(frozen=True, slots=True)
class CapRule:
    """A rolling-window frequency limit a jurisdiction imposes, with its source.

    At most ``limit`` messages of the governed purposes to one recipient within
    any ``window``; with ``per_subject`` only messages on the same subject
    count (a message without a subject counts against every subject, the
    conservative reading).
    """

    code: str
    jurisdiction: str
    title: str
    limit: int
    window: timedelta
    source: str
    status: RuleStatus
    per_subject: bool = True
    purposes: frozenset[Purpose] = frozenset({Purpose.MARKETING})
    effective: date | None = None
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.lower() or " " in self.code:
            raise ConfigurationError(
                f"CapRule.code must be lowercase without spaces, got {self.code!r}", field="code"
            )
        if not _valid_jurisdiction(self.jurisdiction):
            raise ConfigurationError(
                f"CapRule.jurisdiction must be 'XX', 'XX-YY' or '*', got "
                f"{self.jurisdiction!r}{_SUBDIVISIONS}",
                field="jurisdiction",
            )
        check_limit(self.limit, self.window)
        object.__setattr__(self, "purposes", purpose_set(self.purposes, "CapRule"))


def check_limit(limit: int, window: timedelta) -> None:
    """Refuse caps that cannot work: zero or negative counts or windows."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigurationError(
            f"limit must be a whole number of messages >= 1, got {limit!r} "
            "(a cap of zero is a prohibition: use QuietHoursRule(prohibited=True))",
            field="limit",
        )
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise ConfigurationError(
            f"window must be a positive timedelta, got {window!r}", field="window"
        )


def rules_from_data(data: Mapping[str, Any]) -> tuple[QuietHoursRule, ...]:
    """Build rules from plain data (e.g. parsed JSON), for rule sets kept as files.

    ``data`` is ``{"calendars": {name: {"source", "holidays": [...]}}, "rules": [...]}``.
    A rule's ``quiet`` is a list of ``{"start": "21:00", "end": "08:00", "days": [0, ...]}``;
    ``closed_holidays`` names a calendar; ``effective`` is ``"YYYY-MM-DD"``. A holiday
    is ``{"name", "month", "day", "observed"}`` or ``{"name", "month", "weekday", "nth"}``.

    Raises:
        ConfigurationError: a missing or malformed field (``field`` names it).
        TypeError: ``data`` is not a mapping.
    """
    if not isinstance(data, Mapping):
        raise TypeError(
            f"rules_from_data() takes a mapping (parsed JSON), not {type(data).__name__}"
        )
    try:
        calendars = {
            name: HolidayCalendar(
                name=name,
                source=str(spec["source"]),
                holidays=tuple(_holiday(h) for h in spec["holidays"]),
            )
            for name, spec in dict(data.get("calendars", {})).items()
        }
        return tuple(_rule(spec, calendars) for spec in data["rules"])
    except KeyError as exc:
        raise ConfigurationError(
            f"rule data is missing {exc.args[0]!r}", field=str(exc.args[0])
        ) from None
    except (TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ConfigurationError):
            raise
        raise ConfigurationError(
            f"malformed rule data: {exc}; every calendar, holiday, rule and quiet window is "
            "an object (a JSON {...})",
            field="rules",
        ) from None


def _holiday(spec: Mapping[str, Any]) -> FixedHoliday | WeekdayHoliday:
    since, until = spec.get("since"), spec.get("until")
    if "weekday" in spec:
        return WeekdayHoliday(
            str(spec["name"]), int(spec["month"]), int(spec["weekday"]), int(spec["nth"]),
            since, until,
        )
    return FixedHoliday(
        str(spec["name"]),
        int(spec["month"]),
        int(spec["day"]),
        spec.get("observed", True),
        since,
        until,
    )


def _rule(spec: Mapping[str, Any], calendars: Mapping[str, HolidayCalendar]) -> QuietHoursRule:
    holidays = spec.get("closed_holidays")
    if holidays is not None and holidays not in calendars:
        raise ConfigurationError(f"unknown calendar {holidays!r}", field="closed_holidays")
    effective = spec.get("effective")
    return QuietHoursRule(
        code=str(spec["code"]),
        jurisdiction=str(spec["jurisdiction"]),
        title=str(spec["title"]),
        source=str(spec["source"]),
        status=RuleStatus(spec["status"]),
        quiet=tuple(
            QuietWindow(
                time.fromisoformat(w["start"]),
                time.fromisoformat(w["end"]),
                frozenset(w.get("days", range(7))),
            )
            for w in spec.get("quiet", ())
        ),
        closed_days=frozenset(spec.get("closed_days", ())),
        closed_holidays=calendars[holidays] if holidays is not None else None,
        prohibited=spec.get("prohibited", False),
        purposes=frozenset(Purpose(p) for p in spec.get("purposes", ["marketing"])),
        waived_by_consent=spec.get("waived_by_consent", False),
        clocks=tuple(spec.get("clocks", [RECIPIENT_CLOCK])),
        effective=date.fromisoformat(effective) if effective else None,
        note=str(spec.get("note", "")),
    )


def rules_to_data(rules: Sequence[QuietHoursRule]) -> dict[str, Any]:
    """The inverse of :func:`rules_from_data`: plain data (JSON-ready) for ``rules``."""
    calendars: dict[str, Any] = {}
    out = []
    for rule in rules:
        spec: dict[str, Any] = {
            "code": rule.code,
            "jurisdiction": rule.jurisdiction,
            "title": rule.title,
            "source": rule.source,
            "status": rule.status.value,
            "purposes": sorted(p.value for p in rule.purposes),
        }
        if rule.quiet:
            spec["quiet"] = [
                {"start": w.start.isoformat(), "end": w.end.isoformat(), "days": sorted(w.days)}
                for w in rule.quiet
            ]
        if rule.closed_days:
            spec["closed_days"] = sorted(rule.closed_days)
        if rule.closed_holidays is not None:
            spec["closed_holidays"] = rule.closed_holidays.name
            calendars[rule.closed_holidays.name] = {
                "source": rule.closed_holidays.source,
                "holidays": [_holiday_data(h) for h in rule.closed_holidays.holidays],
            }
        if rule.prohibited:
            spec["prohibited"] = True
        if rule.waived_by_consent:
            spec["waived_by_consent"] = True
        if rule.clocks != (RECIPIENT_CLOCK,):
            spec["clocks"] = list(rule.clocks)
        if rule.effective is not None:
            spec["effective"] = rule.effective.isoformat()
        if rule.note:
            spec["note"] = rule.note
        out.append(spec)
    return {"calendars": calendars, "rules": out}


def _holiday_data(holiday: FixedHoliday | WeekdayHoliday) -> dict[str, Any]:
    if isinstance(holiday, WeekdayHoliday):
        data: dict[str, Any] = {
            "name": holiday.name,
            "month": holiday.month,
            "weekday": holiday.weekday,
            "nth": holiday.nth,
        }
    else:
        data = {
            "name": holiday.name,
            "month": holiday.month,
            "day": holiday.day,
            "observed": holiday.observed,
        }
    if holiday.since is not None:
        data["since"] = holiday.since
    if holiday.until is not None:
        data["until"] = holiday.until
    return data
