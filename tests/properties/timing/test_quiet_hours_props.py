"""For any aware instant and rule set: next_allowed >= at, is allowed, and is the earliest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import phonenumbers
from hypothesis import example, given, settings
from hypothesis import strategies as st

from smskit.numbers import parse_number
from smskit.purpose import Purpose
from smskit.timing._jurisdictions import US_FEDERAL_HOLIDAYS
from smskit.timing._windows import build_table, rule_violation, sender_allows
from smskit.timing.quiet_hours import SHIPPED_RULES, QuietHours, WindowDecision
from smskit.timing.quiet_rules import (
    RECIPIENT_CLOCK,
    QuietHoursRule,
    QuietWindow,
    RuleStatus,
    SendWindow,
)

ZONES = [
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/St_Johns",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/Santiago",
    "Pacific/Chatham",
]
# A recipient's zone is a place's: a fixed offset such as "UTC" is refused for it
# (load_recipient_zone); Reykjavik is UTC+0 all year, as a place.
PLACES = ["Atlantic/Reykjavik" if z == "UTC" else z for z in ZONES]
NUMBERS = [
    parse_number(n)
    for n in (
        "+13055550123",
        "+18505550123",
        "+12125550123",
        "+18015550123",
        "+19155550123",
        "+12065550123",
        "+16045550123",
        "+19075550123",
        "+447400123456",
        "+61412345678",
    )
]

minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
days = st.frozensets(st.integers(0, 6), min_size=1)


@st.composite
def quiet_windows(draw: st.DrawFn) -> QuietWindow:
    start = draw(minutes)
    end = draw(minutes.filter(lambda t: t != start))
    return QuietWindow(start, end, draw(days))


@st.composite
def rules(draw: st.DrawFn, index: int) -> QuietHoursRule:
    prohibited = draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())
    windows = tuple(draw(st.lists(quiet_windows(), max_size=2)))
    closed = draw(st.frozensets(st.integers(0, 6), max_size=3))
    holidays = US_FEDERAL_HOLIDAYS if draw(st.booleans()) else None
    if not (windows or closed or holidays or prohibited):
        windows = (QuietWindow(time(21), time(8)),)
    return QuietHoursRule(
        code=f"p.{index}",
        jurisdiction=draw(st.sampled_from(["US", "US-FL", "US-TX", "CA", "*", "GB", "AU"])),
        title="generated",
        source="hypothesis",
        status=draw(st.sampled_from(list(RuleStatus))),
        quiet=windows,
        closed_days=closed,
        closed_holidays=holidays,
        prohibited=prohibited,
        purposes=draw(st.frozensets(st.sampled_from(list(Purpose)), min_size=1)),
        waived_by_consent=draw(st.booleans()),
        clocks=tuple(
            draw(
                st.lists(
                    st.sampled_from([RECIPIENT_CLOCK, *ZONES]), min_size=1, max_size=2, unique=True
                )
            )
        ),
        effective=draw(st.none() | st.dates(date(1990, 1, 1), date(2060, 1, 1))),
    )


@st.composite
def rule_sets(draw: st.DrawFn) -> list[QuietHoursRule]:
    if draw(st.booleans()):
        return list(SHIPPED_RULES)
    return [draw(rules(i)) for i in range(draw(st.integers(0, 4)))]


@st.composite
def sender_windows(draw: st.DrawFn) -> SendWindow:
    start = draw(st.integers(0, 22 * 60).map(lambda m: time(m // 60, m % 60)))
    length = draw(st.integers(1, 24 * 60 - (start.hour * 60 + start.minute)))
    end_minute = start.hour * 60 + start.minute + length
    end = time(0) if end_minute == 24 * 60 else time(end_minute // 60, end_minute % 60)
    return SendWindow(start, end, draw(days), draw(st.sampled_from([RECIPIENT_CLOCK, *ZONES])))


instants = st.datetimes(
    min_value=datetime(1975, 1, 1),
    max_value=datetime(2150, 1, 1),
    timezones=st.sampled_from([ZoneInfo(z) for z in ZONES]),
)


@given(
    rule_sets(),
    st.lists(sender_windows(), max_size=2),
    st.sampled_from(NUMBERS),
    instants,
    st.sampled_from(list(Purpose)),
    st.booleans(),
    st.booleans(),
    st.none() | st.sampled_from(PLACES),
)
def test_next_allowed_is_the_earliest_allowed_instant(
    rule_set: list[QuietHoursRule],
    windows: list[SendWindow],
    number: object,
    at: datetime,
    purpose: Purpose,
    consent: bool,
    include_unverified: bool,
    zone: str | None,
) -> None:
    qh = QuietHours(rules=rule_set, sender_windows=windows, include_unverified=include_unverified)
    kwargs = {"purpose": purpose, "prior_consent": consent, "recipient_zone": zone}
    d = qh.check(number, at, **kwargs)  # type: ignore[arg-type]
    if d.next_allowed is None:
        assert not d.allowed
        assert {f.code for f in d.findings} & {
            "quiet_hours.prohibited",
            "quiet_hours.no_window",
            "quiet_hours.zone_unknown",
        }
        return
    # Instants compared and stepped in UTC: two datetimes sharing one ZoneInfo compare
    # and subtract by wall clock, fold ignored, which is wrong in a repeated hour.
    next_allowed, at_utc = d.next_allowed.astimezone(UTC), at.astimezone(UTC)
    assert next_allowed >= at_utc
    if d.allowed:
        assert next_allowed == at_utc
        assert d.findings == ()
        return
    assert d.findings
    assert qh.check(number, d.next_allowed, **kwargs).allowed  # type: ignore[arg-type]
    just_before = next_allowed - timedelta(microseconds=1)
    assert not qh.check(number, just_before, **kwargs).allowed  # type: ignore[arg-type]


def test_next_allowed_in_the_repeated_hour_of_the_zone_of_at_is_later_in_utc() -> None:
    """Sydney repeated 02:00-03:00 on 1 March 1981; 08:00 in Los Angeles (16:00 UTC) was
    02:00 there the second time, which by wall clock is before 02:00:00.000001 the first
    time (15:00 UTC): found by the property above when it compared wall clocks."""
    at = datetime(1981, 3, 1, 2, 0, 0, 1, tzinfo=ZoneInfo("Australia/Sydney"))
    number = parse_number("+13055550123")
    d = QuietHours().check(
        number, at, purpose=Purpose.MARKETING, recipient_zone="America/Los_Angeles"
    )
    assert not d.allowed
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(1981, 2, 28, 16, 0, tzinfo=UTC)


@given(
    st.lists(rules(0), min_size=1, max_size=3),
    st.lists(sender_windows(), max_size=2),
    st.sampled_from(PLACES),
    st.datetimes(datetime(1975, 1, 1), datetime(2150, 1, 1)),
)
def test_compiled_table_agrees_with_rule_by_rule(
    rule_list: list[QuietHoursRule], windows: list[SendWindow], zone: str, naive: datetime
) -> None:
    table = build_table(zone, rule_list, windows)
    local = naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC).astimezone(ZoneInfo(zone))
    assert table.allows(local) == table.reference_allows(local)


def _reference_allowed(
    d: WindowDecision, windows: list[SendWindow], purpose: Purpose, instant: datetime
) -> bool:
    """Rule by rule, zone by zone, with the reference functions only."""
    # The instant, not its spelling: a wall time in a spring-forward gap names the
    # instant after the jump (astimezone() to its own zone would not move it).
    instant = instant.astimezone(UTC)
    for rule in d.rules:
        if rule.prohibited:
            return False
        for clock in rule.clocks:
            for zone in d.zones if clock == RECIPIENT_CLOCK else (clock,):
                if rule_violation(rule, instant.astimezone(ZoneInfo(zone))) is not None:
                    return False
    by_zone: dict[str, list[SendWindow]] = {}
    for window in windows:
        if purpose in window.purposes:
            for zone in d.zones if window.clock == RECIPIENT_CLOCK else (window.clock,):
                by_zone.setdefault(zone, []).append(window)
    return all(
        sender_allows(group, instant.astimezone(ZoneInfo(zone))) for zone, group in by_zone.items()
    )


@settings(max_examples=60)
@given(
    st.lists(rules(0), max_size=2).map(lambda rs: [r for r in rs if not r.prohibited]),
    st.lists(sender_windows(), max_size=2),
    instants,
    st.sampled_from(list(Purpose)),
    st.sampled_from(PLACES),
)
# Found by CI: 02:00 on St John's spring-forward night is in the gap; the instant it names
# is 03:00 NDT, inside the window, and the search started after it and skipped to Monday.
@example(
    [],
    [SendWindow(start=time(0, 0), end=time(0, 1), days=frozenset({0}),
                clock="America/St_Johns", purposes=frozenset(Purpose)),
     SendWindow(start=time(2, 2), end=time(3, 2), days=frozenset({6}),
                clock="America/St_Johns", purposes=frozenset(Purpose))],
    datetime(1975, 4, 27, 2, 0, tzinfo=ZoneInfo("America/St_Johns")),
    Purpose.MARKETING,
    "Atlantic/Reykjavik",
)
def test_no_allowed_minute_is_skipped_before_next_allowed(
    rule_list: list[QuietHoursRule],
    windows: list[SendWindow],
    at: datetime,
    purpose: Purpose,
    zone: str,
) -> None:
    # Every mark and offset change falls on a whole minute, so allowedness is
    # constant between whole minutes: scanning them all, with the reference
    # evaluation, finds any allowed instant the search would have skipped.
    rule_set = [replace(r, code=f"g.{i}", jurisdiction="*") for i, r in enumerate(rule_list)]
    qh = QuietHours(rules=rule_set, sender_windows=windows)
    number = NUMBERS[-1]
    d = qh.check(number, at, purpose=purpose, recipient_zone=zone)
    assert d.allowed == _reference_allowed(d, windows, purpose, at)
    if d.allowed or d.next_allowed is None or d.next_allowed - at > timedelta(days=2):
        return
    assert _reference_allowed(d, windows, purpose, d.next_allowed)
    minute = at.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < d.next_allowed:
        assert not _reference_allowed(d, windows, purpose, minute), minute
        minute += timedelta(minutes=1)


# A state's letters that are also a one-zone country's code, whose numbers phonenumbers
# places in that zone. Not CA (Canada has several), MN (Mongolia: Ulaanbaatar and Hovd
# in the IANA zone.tab, which a country read from a state column takes, while a number
# of the country is located by its prefix) nor MA (phonenumbers places Moroccan numbers
# on Atlantic/Canary, zone.tab Morocco on Africa/Casablanca).
_TWO_WAY = ("AL", "CO", "GA", "IN", "LA", "MD", "ME", "MS", "MT", "PA", "TN", "VA")


@settings(max_examples=150, deadline=None)
@given(
    code=st.sampled_from(_TWO_WAY),
    purpose=st.sampled_from(list(Purpose)),
    at=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31),
                    timezones=st.just(UTC)),
)
def test_a_two_way_region_allows_exactly_when_the_state_and_the_country_do(
    code: str, purpose: Purpose, at: datetime
) -> None:
    # The two readings asked separately: the state written in full, and a number of
    # the country itself (its rules, or the default, on its own clock).
    qh = QuietHours()
    both = qh.check("+14045550123", at, purpose=purpose, recipient_region=code)
    state = qh.check("+14045550123", at, purpose=purpose, recipient_region=f"US-{code}")
    example = phonenumbers.example_number(code)
    assert example is not None
    country = qh.check(parse_number(phonenumbers.format_number(
        example, phonenumbers.PhoneNumberFormat.E164)), at, purpose=purpose)
    assert both.allowed == (state.allowed and country.allowed)


_SHIPPED = QuietHours()
_MIAMI_CLOCK = ZoneInfo("America/New_York")


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=datetime(2022, 1, 1), max_value=datetime(2030, 12, 31),
                 timezones=st.just(UTC)),
    st.sampled_from([None, "US-FL", "US-NY", "US-CA", "US-HI", "CA-ON", "MX", "GB", "GA",
                     "NL", "US"]),
    st.sampled_from([None, "America/New_York", "America/Chicago", "America/Los_Angeles",
                     "Pacific/Honolulu", "Europe/London", "Asia/Tokyo"]),
)
def test_no_address_allows_a_miami_number_outside_florida_s_hours(
    at: datetime, region: str | None, zone: str | None
) -> None:
    # Florida presumes a 305 number reaches someone in Florida (Fla. Stat. 501.059) and
    # allows solicitation 08:00-20:00 there (501.616(6)); whatever the CRM says of the
    # address, an allowed marketing text is inside those hours on Miami's clock.
    d = _SHIPPED.check("+13055550123", at, purpose="marketing", recipient_region=region,
                       recipient_zone=zone)
    if d.allowed:
        assert time(8) <= at.astimezone(_MIAMI_CLOCK).time() < time(20), (region, zone)


_OTHER_SPELLINGS = [ZoneInfo(z) for z in ZONES] + [timezone(timedelta(hours=-5)), UTC]


@settings(max_examples=300, deadline=None)
@given(
    rule_sets(),
    st.lists(sender_windows(), max_size=2),
    st.sampled_from(NUMBERS),
    instants,
    st.sampled_from(_OTHER_SPELLINGS),
    st.sampled_from(list(Purpose)),
    st.none() | st.sampled_from(PLACES),
)
# rev31n: 02:30 on New York's spring-forward night names 03:30 EDT; written so, it was
# judged as 02:30 and a 00:00-03:00 window allowed it.
@example(
    [],
    [SendWindow(time(0), time(3))],
    NUMBERS[2],
    datetime(2026, 3, 8, 2, 30, tzinfo=ZoneInfo("America/New_York")),
    UTC,
    Purpose.MARKETING,
    None,
)
def test_every_spelling_of_an_instant_gets_the_same_answer(
    rule_set: list[QuietHoursRule],
    windows: list[SendWindow],
    number: object,
    at: datetime,
    other: tzinfo,
    purpose: Purpose,
    zone: str | None,
) -> None:
    """A send allowed at an instant is allowed however the instant is written (a wall
    time in a spring-forward gap, UTC, another zone, a fixed offset), and waits for the
    same next instant."""
    qh = QuietHours(rules=rule_set, sender_windows=windows)
    kwargs = {"purpose": purpose, "recipient_zone": zone}
    one = qh.check(number, at, **kwargs)  # type: ignore[arg-type]
    two = qh.check(number, at.astimezone(other), **kwargs)  # type: ignore[arg-type]
    assert one.allowed == two.allowed
    assert [f.code for f in one.findings] == [f.code for f in two.findings]
    if one.next_allowed is None or two.next_allowed is None:
        assert one.next_allowed is two.next_allowed
    else:
        assert one.next_allowed.astimezone(UTC) == two.next_allowed.astimezone(UTC)
