"""Compiled per-zone allowed-time tables and the ``next_allowed`` search.

A :class:`ZoneTable` holds every rule and sender window read on one zone's
clock, merged into a weekly table of allowed segments, so deciding an instant
costs one ``astimezone``, one ``bisect`` and the holiday look-ups per zone.
``reference_allows`` evaluates the same rules one by one; a property test
shows both agree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .quiet_rules import HolidayCalendar, QuietHoursRule, SendWindow, load_zone

__all__ = [
    "CLOSED_DAY",
    "OUTSIDE_WINDOW",
    "ZoneTable",
    "allowed",
    "build_table",
    "next_allowed",
    "rule_violation",
    "sender_allows",
]

OUTSIDE_WINDOW = "quiet_hours.outside_window"
CLOSED_DAY = "quiet_hours.closed_day"
_DAY = timedelta(days=1)
_BOUNDARY_MEMO = 4096


def rule_violation(rule: QuietHoursRule, local: datetime) -> str | None:
    """The finding code ``rule`` raises at wall time ``local``, or None (reference)."""
    if rule.effective is not None and local.date() < rule.effective:
        return None
    weekday = local.weekday()
    if weekday in rule.closed_days:
        return CLOSED_DAY
    if rule.closed_holidays is not None and local.date() in rule.closed_holidays.dates(local.year):
        return CLOSED_DAY
    wall = local.time()
    for window in rule.quiet:
        if window.contains(weekday, wall):
            return OUTSIDE_WINDOW
    return None


def sender_allows(windows: Sequence[SendWindow], local: datetime) -> bool:
    """True when no windows are set or ``local`` falls in one of them (reference)."""
    if not windows:
        return True
    weekday, wall = local.weekday(), local.time()
    return any(window.contains(weekday, wall) for window in windows)


def _micros(wall: time) -> int:
    return ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond


def _wall(micros: int) -> time:
    seconds, micro = divmod(micros, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


@dataclass(frozen=True, slots=True)
class ZoneTable:
    """Rules and sender windows read on one zone's clock, compiled.

    ``weekly[d]`` is ``(cuts, flags)``: on weekday ``d`` the wall-clock segment
    starting at ``cuts[i]`` microseconds is allowed when ``flags[i]``. Holidays
    stay a look-up. Before ``exact_from`` (the latest ``effective`` date of the
    rules) the table is not used: rules are evaluated one by one.
    """

    name: str
    tz: ZoneInfo
    rules: tuple[QuietHoursRule, ...]
    sender: tuple[SendWindow, ...]
    weekly: tuple[tuple[tuple[int, ...], tuple[bool, ...]], ...]
    calendars: tuple[HolidayCalendar, ...]
    exact_from: date | None
    #: Wall times where allowedness can begin (see :func:`rises`).
    marks: tuple[time, ...]
    _boundaries: dict[date, tuple[datetime, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def boundaries(self, day: date) -> tuple[datetime, ...]:
        """Sorted UTC instants at which this zone's wall clock reaches a mark on ``day``."""
        found = self._boundaries.get(day)
        if found is None:
            if len(self._boundaries) > _BOUNDARY_MEMO:
                self._boundaries.clear()
            found = self._boundaries[day] = _day_boundaries(self.tz, self.marks, day)
        return found

    def allows(self, local: datetime) -> bool:
        """True when every rule and the sender windows allow wall time ``local``."""
        if self.exact_from is not None and local.date() < self.exact_from:
            return self.reference_allows(local)
        if self.calendars:
            day = local.date()
            for calendar in self.calendars:
                if day in calendar.dates(day.year):
                    return False
        cuts, flags = self.weekly[local.weekday()]
        micros = (
            (local.hour * 60 + local.minute) * 60 + local.second
        ) * 1_000_000 + local.microsecond
        return flags[bisect_right(cuts, micros) - 1]

    def reference_allows(self, local: datetime) -> bool:
        """The same answer as :meth:`allows`, rule by rule (the specification)."""
        return all(rule_violation(rule, local) is None for rule in self.rules) and sender_allows(
            self.sender, local
        )


def build_table(
    name: str, rules: Sequence[QuietHoursRule], sender: Sequence[SendWindow]
) -> ZoneTable:
    """Compile the rules and sender windows read on zone ``name``."""
    marks = {time(0)}
    for rule in rules:
        for quiet in rule.quiet:
            marks.update((quiet.start, quiet.end))
    for window in sender:
        marks.update((window.start, window.end))
    cuts = tuple(sorted(_micros(m) for m in marks))
    weekly = []
    for weekday in range(7):
        flags = []
        for cut in cuts:
            wall = _wall(cut)
            law_ok = not any(
                weekday in rule.closed_days
                or any(quiet.contains(weekday, wall) for quiet in rule.quiet)
                for rule in rules
            )
            sender_ok = not sender or any(w.contains(weekday, wall) for w in sender)
            flags.append(law_ok and sender_ok)
        weekly.append((cuts, tuple(flags)))
    effective = [rule.effective for rule in rules if rule.effective is not None]
    calendars = tuple(
        dict.fromkeys(r.closed_holidays for r in rules if r.closed_holidays is not None)
    )
    return ZoneTable(
        name=name,
        tz=load_zone(name),
        rules=tuple(rules),
        sender=tuple(sender),
        weekly=tuple(weekly),
        calendars=calendars,
        exact_from=max(effective) if effective else None,
        marks=tuple(sorted(rises(weekly, marks, bool(effective)))),
    )


def rises(
    weekly: list[tuple[tuple[int, ...], tuple[bool, ...]]], marks: set[time], has_effective: bool
) -> set[time]:
    """Wall times at which the table can turn from refusing to allowing.

    On the table path a day turns allowed only at the start of an allowed
    segment or at midnight (a holiday ending); before ``exact_from`` rules are
    read one by one, so every mark counts. Offset jumps are added per day.
    """
    if has_effective:
        return marks
    found = {time(0)}
    for cuts, flags in weekly:
        found.update(_wall(cut) for cut, flag in zip(cuts, flags, strict=True) if flag)
    return found


def allowed(tables: Sequence[ZoneTable], instant: datetime) -> bool:
    """True when every zone's table allows ``instant``."""
    # Through UTC: astimezone() to the zone ``instant`` is already written in returns it
    # unchanged, so a wall time in a spring-forward gap (02:30 New York, which names
    # 03:30 EDT) would be judged as written, and one instant get two answers.
    instant = instant.astimezone(UTC)
    for table in tables:
        if not table.allows(instant.astimezone(table.tz)):
            break
    else:
        return True
    return False


def next_allowed(tables: Sequence[ZoneTable], at: datetime, search_days: int) -> datetime | None:
    """Earliest allowed instant after ``at`` (which is not allowed), or None.

    Allowedness changes only where some zone's wall clock reaches a mark
    (window boundary or midnight) or jumps at a UTC-offset transition; those
    instants are the only candidates, taken one UTC day at a time.
    """
    start = at.astimezone(UTC)
    for day in range(search_days):
        low = start + day * _DAY
        high = low + _DAY
        candidates: set[datetime] = set()
        for table in tables:
            local_day = low.astimezone(table.tz).date()
            last = high.astimezone(table.tz).date()
            while local_day <= last:
                candidates.update(table.boundaries(local_day))
                local_day += _DAY
        for candidate in sorted(candidates):
            if start < candidate <= high and allowed(tables, candidate):
                return candidate.astimezone(at.tzinfo)
    return None


def _day_boundaries(tz: ZoneInfo, marks: tuple[time, ...], day: date) -> tuple[datetime, ...]:
    found: set[datetime] = set()
    for mark in marks:
        for fold in (0, 1):
            local = datetime.combine(day, mark, tzinfo=tz).replace(fold=fold)
            found.add(local.astimezone(UTC))
    transition = _transition(tz, day)
    if transition is not None:
        found.add(transition)
    return tuple(sorted(found))


def _transition(tz: ZoneInfo, day: date) -> datetime | None:
    """The UTC instant the offset of ``tz`` changes during local ``day``, if it does."""
    low = int(datetime.combine(day, time(0), tzinfo=tz).timestamp())
    high = int(datetime.combine(day + _DAY, time(0), tzinfo=tz).timestamp())
    before = datetime.fromtimestamp(low, tz).utcoffset()
    if datetime.fromtimestamp(high, tz).utcoffset() == before:
        return None
    # Bisect on whole seconds (offsets change on whole seconds): the first
    # second with the new offset.
    while high - low > 1:
        mid = (low + high) // 2
        if datetime.fromtimestamp(mid, tz).utcoffset() == before:
            low = mid
        else:
            high = mid
    return datetime.fromtimestamp(high, UTC)
