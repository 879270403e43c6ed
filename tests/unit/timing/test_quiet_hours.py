"""Behaviour of QuietHours on the small fixed rule set in tests/data (expected values by hand)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smskit.errors import ConfigurationError, JurisdictionError
from smskit.findings import Severity
from smskit.numbers import PhoneNumber
from smskit.purpose import Purpose
from smskit.timing.quiet_hours import QuietHours, WindowDecision
from smskit.timing.quiet_rules import (
    WEEKDAYS,
    FixedHoliday,
    QuietHoursRule,
    QuietWindow,
    RuleStatus,
    SendWindow,
    WeekdayHoliday,
    rules_from_data,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "quiet_hours_rules.json"
RULES = rules_from_data(json.loads(DATA.read_text()))
QH = QuietHours(rules=RULES)

NY = ZoneInfo("America/New_York")
CHI = ZoneInfo("America/Chicago")
DEN = ZoneInfo("America/Denver")
LA = ZoneInfo("America/Los_Angeles")
LON = ZoneInfo("Europe/London")

FL_MIAMI = "+13055550123"
FL_PANHANDLE = "+18505550123"
NYC = "+12125550123"
UTAH = "+18015550123"
SEATTLE = "+12065550123"
OKLAHOMA = "+14055550123"
VANCOUVER = "+16045550123"
EL_PASO = "+19155550123"
UK_MOBILE = "+447400123456"
TOLL_FREE = "+18005550123"


def codes(decision: WindowDecision) -> list[str]:
    return [f.code for f in decision.findings]


def rule_codes(decision: WindowDecision) -> set[str]:
    return {str(f.details["rule"]) for f in decision.findings if "rule" in f.details}


def test_allowed_at_midday_reports_the_rules_that_applied() -> None:
    at = datetime(2026, 11, 20, 12, 0, tzinfo=NY)
    d = QH.check(FL_MIAMI, at, purpose=Purpose.MARKETING)
    assert d.allowed is True
    assert d.next_allowed == at
    assert d.findings == ()
    assert {r.code for r in d.rules} == {"t.us.hours", "t.us-fl.hours"}
    assert d.zones == ("America/New_York",)
    assert d.jurisdictions == ("US", "US-FL")


def test_state_window_is_stricter_than_federal() -> None:
    d = QH.check(FL_MIAMI, datetime(2026, 11, 20, 20, 30, tzinfo=NY), purpose="marketing")
    assert d.allowed is False
    assert codes(d) == ["quiet_hours.outside_window"]
    assert rule_codes(d) == {"t.us-fl.hours"}
    assert d.findings[0].severity is Severity.DEFER
    assert d.findings[0].source == "test:florida"
    assert d.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=NY)


def test_area_code_spanning_two_zones_must_be_allowed_in_both() -> None:
    # 08:30 Eastern is 07:30 Central: too early in the panhandle's western half.
    d = QH.check(FL_PANHANDLE, datetime(2026, 11, 20, 8, 30, tzinfo=NY), purpose="marketing")
    assert d.zones == ("America/Chicago", "America/New_York")
    assert d.allowed is False
    assert rule_codes(d) == {"t.us.hours", "t.us-fl.hours"}
    assert all(f.details["zones"] == ("America/Chicago",) for f in d.findings)
    assert d.next_allowed == datetime(2026, 11, 20, 9, 0, tzinfo=NY)
    # 20:00 Eastern closes the eastern half until 08:00 Eastern = 07:00 Central,
    # and the western half opens at 08:00 Central = 09:00 Eastern.
    late = QH.check(FL_PANHANDLE, datetime(2026, 11, 20, 20, 0, tzinfo=NY), purpose="marketing")
    assert late.next_allowed == datetime(2026, 11, 21, 9, 0, tzinfo=NY)


def test_explicit_zone_overrides_the_area_code_guess() -> None:
    d = QH.check(
        FL_PANHANDLE,
        datetime(2026, 11, 20, 8, 30, tzinfo=NY),
        purpose="marketing",
        recipient_zone="America/New_York",
    )
    assert d.allowed is True
    assert d.zones == ("America/New_York",)


def test_recipient_region_adds_its_state_and_zones_to_the_area_code_s() -> None:
    # A Miami number whose owner lives in Texas: Texas's Sunday noon rule, in both of
    # Texas's zones (12:30 Central is 11:30 Mountain), and Florida's rules stay, since
    # Florida presumes a number with its area code reaches someone in Florida
    # (Fla. Stat. 501.059; https://fastdemocracy.com/bill-summary/?billsummary_id=FLB00022381&billsummary_session=2021&billsummary_state=fl).
    at = datetime(2026, 11, 22, 12, 30, tzinfo=CHI)
    d = QH.check(FL_MIAMI, at, purpose="marketing", recipient_region="US-TX")
    assert d.jurisdictions == ("US", "US-TX", "US-FL")
    assert d.zones == ("America/Chicago", "America/Denver", "America/New_York")
    assert "t.us-fl.hours" in {r.code for r in d.rules}
    assert d.allowed is False
    assert rule_codes(d) == {"t.us-tx.hours"}
    assert d.next_allowed == datetime(2026, 11, 22, 13, 0, tzinfo=CHI)


def test_conflicting_clock_reading_is_labelled_and_can_be_left_out() -> None:
    # 20:30 Mountain is 21:30 Central: fine on the recipient's clock, not on Central.
    at = datetime(2026, 11, 23, 20, 30, tzinfo=DEN)
    d = QH.check(EL_PASO, at, purpose="marketing", recipient_zone="America/Denver")
    assert d.allowed is False
    assert rule_codes(d) == {"t.us-tx.central"}
    finding = d.findings[0]
    assert finding.details["status"] == "conflicting"
    assert "conflicting rule" in finding.message
    # Next morning: 09:00 Mountain satisfies 09:00 on both clocks.
    assert d.next_allowed == datetime(2026, 11, 24, 9, 0, tzinfo=DEN)
    verified_only = QuietHours(rules=RULES, include_unverified=False)
    relaxed = verified_only.check(EL_PASO, at, purpose="marketing", recipient_zone="America/Denver")
    assert relaxed.allowed is True


def test_closed_sunday_and_its_waiver_by_consent() -> None:
    at = datetime(2026, 11, 22, 12, 0, tzinfo=DEN)
    d = QH.check(UTAH, at, purpose="marketing")
    assert codes(d) == ["quiet_hours.closed_day"]
    assert d.next_allowed == datetime(2026, 11, 23, 8, 0, tzinfo=DEN)
    assert "unverified rule" in d.findings[0].message
    assert QH.check(UTAH, at, purpose="marketing", prior_consent=True).allowed is True


def test_nth_weekday_holiday_is_closed() -> None:
    # Thanksgiving 2026: the fourth Thursday of November is the 26th.
    d = QH.check(UTAH, datetime(2026, 11, 26, 12, 0, tzinfo=DEN), purpose="marketing")
    assert codes(d) == ["quiet_hours.closed_day"]
    assert d.next_allowed == datetime(2026, 11, 27, 8, 0, tzinfo=DEN)
    assert QH.check(UTAH, datetime(2026, 11, 19, 12, 0, tzinfo=DEN), purpose="marketing").allowed


def test_observed_holiday_crosses_the_year_boundary() -> None:
    # 1 Jan 2028 is a Saturday, observed on Friday 31 Dec 2027; Saturday is the
    # holiday itself, Sunday is closed: the next day open is Monday 3 Jan 2028.
    assert QH.check(UTAH, datetime(2027, 12, 30, 12, 0, tzinfo=DEN), purpose="marketing").allowed
    d = QH.check(UTAH, datetime(2027, 12, 31, 12, 0, tzinfo=DEN), purpose="marketing")
    assert codes(d) == ["quiet_hours.closed_day"]
    assert d.next_allowed == datetime(2028, 1, 3, 8, 0, tzinfo=DEN)


def test_prohibition_is_not_a_window() -> None:
    at = datetime(2026, 11, 20, 12, 0, tzinfo=LA)
    d = QH.check(SEATTLE, at, purpose="marketing")
    assert d.allowed is False
    assert d.next_allowed is None
    assert codes(d) == ["quiet_hours.prohibited"]
    assert d.findings[0].severity is Severity.BLOCK
    assert d.findings[0].source == "test:washington"
    assert QH.check(SEATTLE, at, purpose="marketing", prior_consent=True).allowed is True
    assert QH.check(SEATTLE, at, purpose="transactional").allowed is True


def test_purpose_selects_the_rules() -> None:
    at = datetime(2026, 11, 20, 22, 30, tzinfo=NY)
    transactional = QH.check(NYC, at, purpose="transactional")
    assert transactional.allowed is True
    assert transactional.rules == ()
    informational = QH.check(NYC, at, purpose="informational")
    assert rule_codes(informational) == {"t.us-ny.info"}
    assert informational.next_allowed == datetime(2026, 11, 21, 7, 0, tzinfo=NY)
    marketing = QH.check(NYC, at, purpose="marketing")
    assert rule_codes(marketing) == {"t.us.hours"}
    assert marketing.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=NY)


def test_default_rule_applies_only_where_no_rule_names_the_country() -> None:
    d = QH.check(UK_MOBILE, datetime(2026, 7, 1, 8, 30, tzinfo=LON), purpose="marketing")
    assert {r.code for r in d.rules} == {"t.default"}
    assert d.allowed is False
    assert d.next_allowed == datetime(2026, 7, 1, 9, 0, tzinfo=LON)


def test_canada_has_its_own_weekend_window_and_no_us_rule() -> None:
    van = ZoneInfo("America/Vancouver")
    assert QH.check(
        VANCOUVER, datetime(2026, 11, 20, 21, 15, tzinfo=van), purpose="marketing"
    ).allowed
    saturday = QH.check(VANCOUVER, datetime(2026, 11, 21, 9, 30, tzinfo=van), purpose="marketing")
    assert saturday.next_allowed == datetime(2026, 11, 21, 10, 0, tzinfo=van)
    friday = QH.check(VANCOUVER, datetime(2026, 11, 20, 21, 45, tzinfo=van), purpose="marketing")
    assert friday.next_allowed == datetime(2026, 11, 21, 10, 0, tzinfo=van)
    assert friday.jurisdictions == ("CA", "CA-BC")


def test_rule_applies_from_its_effective_date() -> None:
    assert QH.check(OKLAHOMA, datetime(2026, 6, 1, 20, 30, tzinfo=CHI), purpose="marketing").allowed
    later = QH.check(OKLAHOMA, datetime(2030, 6, 3, 20, 30, tzinfo=CHI), purpose="marketing")
    assert rule_codes(later) == {"t.us-ok.future"}
    assert later.next_allowed == datetime(2030, 6, 4, 8, 0, tzinfo=CHI)
    assert QH.check(
        OKLAHOMA, datetime(2029, 12, 31, 20, 30, tzinfo=CHI), purpose="marketing"
    ).allowed


# --- DST: next_allowed across transitions, in several zones -------------------------


def test_spring_forward_new_york_federal_window() -> None:
    d = QH.check(NYC, datetime(2026, 3, 7, 22, 0, tzinfo=NY), purpose="marketing")
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)  # 08:00 EDT


def test_window_starting_inside_the_spring_forward_gap_opens_at_the_jump() -> None:
    # 02:30 does not exist on 8 Mar 2026 in New York: clocks go 01:59:59 EST -> 03:00 EDT.
    qh = QuietHours(rules=(), sender_windows=[SendWindow(time(2, 30), time(23))])
    d = qh.check(NYC, datetime(2026, 3, 8, 1, 0, tzinfo=NY), purpose="marketing")
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert codes(d) == ["quiet_hours.sender_window"]


def _one_rule(*windows: QuietWindow) -> QuietHours:
    rule = QuietHoursRule(
        code="t.one",
        jurisdiction="US",
        title="one rule",
        source="test",
        status=RuleStatus.VERIFIED,
        quiet=windows,
    )
    return QuietHours(rules=[rule])


def test_fall_back_repeated_hour_is_quiet_both_times() -> None:
    # 1 Nov 2026, New York: 01:00-01:59 happens twice (EDT at 05:xx UTC, EST at 06:xx UTC).
    qh = _one_rule(QuietWindow(time(1, 0), time(1, 30)))
    first = qh.check(NYC, datetime(2026, 11, 1, 5, 10, tzinfo=UTC), purpose="marketing")
    assert first.next_allowed == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert qh.check(NYC, datetime(2026, 11, 1, 5, 40, tzinfo=UTC), purpose="marketing").allowed
    second = qh.check(NYC, datetime(2026, 11, 1, 6, 10, tzinfo=UTC), purpose="marketing")
    assert second.next_allowed == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_fall_back_chicago_federal_window() -> None:
    d = QH.check(OKLAHOMA, datetime(2026, 10, 31, 22, 0, tzinfo=CHI), purpose="marketing")
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 11, 1, 14, 0, tzinfo=UTC)  # 08:00 CST


def test_southern_hemisphere_fall_back_sydney() -> None:
    # DST ends 5 Apr 2026 03:00 AEDT -> 02:00 AEST; the default opens at 09:00 AEST = 23:00 UTC.
    at = datetime(2026, 4, 4, 11, 0, tzinfo=UTC)  # 22:00 AEDT
    d = QH.check(UK_MOBILE, at, purpose="marketing", recipient_zone="Australia/Sydney")
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 4, 4, 23, 0, tzinfo=UTC)


def test_spring_forward_london_default_window() -> None:
    # 29 Mar 2026: 09:00 BST is 08:00 UTC.
    d = QH.check(UK_MOBILE, datetime(2026, 3, 28, 21, 0, tzinfo=LON), purpose="marketing")
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)


# --- sender windows -------------------------------------------------------------------


def test_sender_windows_in_the_business_zone_intersect_the_law() -> None:
    qh = QuietHours(
        rules=RULES,
        sender_windows=[SendWindow(time(10), time(17), days=WEEKDAYS, clock="America/Los_Angeles")],
    )
    monday = qh.check(NYC, datetime(2026, 11, 23, 9, 0, tzinfo=NY), purpose="marketing")
    assert codes(monday) == ["quiet_hours.sender_window"]
    assert monday.next_allowed == datetime(2026, 11, 23, 13, 0, tzinfo=NY)
    assert qh.check(NYC, datetime(2026, 11, 27, 16, 0, tzinfo=NY), purpose="marketing").allowed
    friday = qh.check(NYC, datetime(2026, 11, 27, 20, 30, tzinfo=NY), purpose="marketing")
    assert friday.next_allowed == datetime(2026, 11, 30, 13, 0, tzinfo=NY)


def test_sender_window_until_midnight_in_recipient_time() -> None:
    qh = QuietHours(rules=RULES, sender_windows=[SendWindow(time(18), time(0))])
    noon = qh.check(FL_MIAMI, datetime(2026, 11, 20, 12, 0, tzinfo=NY), purpose="marketing")
    assert noon.next_allowed == datetime(2026, 11, 20, 18, 0, tzinfo=NY)
    assert qh.check(
        FL_MIAMI, datetime(2026, 11, 20, 19, 59, tzinfo=NY), purpose="marketing"
    ).allowed
    late = qh.check(FL_MIAMI, datetime(2026, 11, 20, 20, 0, tzinfo=NY), purpose="marketing")
    assert late.next_allowed == datetime(2026, 11, 21, 18, 0, tzinfo=NY)


def test_no_window_when_sender_and_law_never_meet() -> None:
    qh = QuietHours(
        rules=RULES, sender_windows=[SendWindow(time(9), time(17), days=frozenset({6}))]
    )
    d = qh.check(UTAH, datetime(2026, 11, 20, 12, 0, tzinfo=DEN), purpose="marketing")
    assert d.allowed is False
    assert d.next_allowed is None
    assert "quiet_hours.no_window" in codes(d)


# --- uncertainty ------------------------------------------------------------------------


def test_toll_free_number_is_held_to_every_state() -> None:
    d = QH.check(TOLL_FREE, datetime(2026, 11, 20, 12, 0, tzinfo=NY), purpose="marketing")
    assert {"US-WA", "US-FL", "US-TX"} <= set(d.jurisdictions)
    assert codes(d) == ["quiet_hours.prohibited"]


def test_unknown_zone_defers_without_a_time() -> None:
    bare = PhoneNumber(e164=UK_MOBILE, region="GB")
    d = QH.check(bare, datetime(2026, 11, 20, 12, 0, tzinfo=UTC), purpose="marketing")
    assert codes(d) == ["quiet_hours.zone_unknown"]
    assert d.next_allowed is None


# --- bad input ----------------------------------------------------------------------------


def test_naive_datetime_names_the_field() -> None:
    with pytest.raises(ConfigurationError) as err:
        QH.check(NYC, datetime(2026, 11, 20, 12, 0), purpose="marketing")
    assert err.value.field == "at"


def test_unknown_zone_names_the_field() -> None:
    with pytest.raises(ConfigurationError) as err:
        QH.check(
            NYC,
            datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
            purpose="marketing",
            recipient_zone="Mars/Olympus_Mons",
        )
    assert err.value.field == "recipient_zone"


@pytest.mark.parametrize("zone", ["US", "America", "Canada", "A" * 300, "America/" + "B" * 300])
def test_a_zone_that_is_a_folder_or_too_long_is_an_unknown_zone(zone: str) -> None:
    # "US" and "Canada" are folders of the database (US/Eastern), and a name longer
    # than a file name may be is refused by the file system: each is an unknown zone
    # named by its field, not an OSError from the file system.
    with pytest.raises(ConfigurationError) as err:
        QH.check(
            NYC, datetime(2026, 11, 20, 12, 0, tzinfo=UTC), purpose="marketing",
            recipient_zone=zone,
        )
    assert err.value.field == "recipient_zone"


def test_unknown_zones_scan_the_database_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whether any database is installed is asked once: the scan costs milliseconds,
    # and a plan whose zone column says "Eastern" on 100,000 rows took minutes.
    from smskit.timing import quiet_rules

    scans: list[int] = []

    def counted() -> set[str]:
        scans.append(1)
        return {"UTC"}

    monkeypatch.setattr(quiet_rules, "available_timezones", counted)
    monkeypatch.setattr(quiet_rules, "_DATABASE_FOUND", False)
    for _ in range(50):
        with pytest.raises(ConfigurationError, match="unknown time zone 'Eastern'"):
            quiet_rules.load_zone("Eastern")
    assert len(scans) == 1


@pytest.mark.parametrize("code", ["US-ZZ", "XX", "FR-75"])
def test_unknown_jurisdiction_is_a_jurisdiction_error(code: str) -> None:
    with pytest.raises(JurisdictionError) as err:
        QH.check(
            NYC,
            datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
            purpose="marketing",
            recipient_region=code,
        )
    assert err.value.code == code


def test_unknown_purpose_names_the_field() -> None:
    with pytest.raises(ConfigurationError) as err:
        QH.check(NYC, datetime(2026, 11, 20, 12, 0, tzinfo=UTC), purpose="spam")
    assert err.value.field == "purpose"


def test_windows_that_cannot_work_are_refused() -> None:
    with pytest.raises(ConfigurationError) as err:
        QuietWindow(time(8), time(8))
    assert err.value.field == "end"
    with pytest.raises(ConfigurationError) as err:
        SendWindow(time(22), time(6))
    assert err.value.field == "end"
    with pytest.raises(ConfigurationError) as err:
        SendWindow(time(9), time(17), clock="Nowhere/Land")
    assert err.value.field == "clock"
    # Overnight quiet periods are the normal case.
    assert QuietWindow(time(21), time(8)).overnight is True


def test_rules_that_cannot_work_are_refused() -> None:
    with pytest.raises(ConfigurationError) as err:
        QuietHoursRule(
            code="x", jurisdiction="US", title="t", source="s", status=RuleStatus.VERIFIED
        )
    assert err.value.field == "quiet"
    with pytest.raises(ConfigurationError) as err:
        QuietHoursRule(
            code="x",
            jurisdiction="USA",
            title="t",
            source="s",
            status=RuleStatus.VERIFIED,
            prohibited=True,
        )
    assert err.value.field == "jurisdiction"
    with pytest.raises(ConfigurationError) as err:
        QuietHoursRule(
            code="x",
            jurisdiction="US",
            title="t",
            source="s",
            status=RuleStatus.VERIFIED,
            prohibited=True,
            clocks=("Bad/Zone",),
        )
    assert err.value.field == "clocks"
    with pytest.raises(ConfigurationError) as err:
        QuietHours(rules=[RULES[0], RULES[0]])
    assert err.value.field == "rules"


def test_decision_never_shows_the_number() -> None:
    d = QH.check(FL_MIAMI, datetime(2026, 11, 20, 22, 0, tzinfo=NY), purpose="marketing")
    text = repr(d)
    assert "3055550123" not in text
    assert "5550123" not in text


def test_at_outside_supported_years_is_refused() -> None:
    with pytest.raises(ConfigurationError) as err:
        QH.check(NYC, datetime(1, 1, 1, tzinfo=UTC) + timedelta(days=1), purpose="marketing")
    assert err.value.field == "at"


# --- review fixes (each failed before its fix) -------------------------------------------


def test_prior_consent_must_be_a_bool() -> None:
    # A truthy string would silently waive Utah's closed Sunday.
    at = datetime(2026, 11, 22, 12, 0, tzinfo=DEN)
    with pytest.raises(ConfigurationError) as err:
        QH.check(UTAH, at, purpose="marketing", prior_consent="no")  # type: ignore[arg-type]
    assert err.value.field == "prior_consent"


def test_window_edges_start_is_allowed_end_is_quiet() -> None:
    # "before 8 a.m. or after 9 p.m.": 08:00:00 is allowed; the period is read
    # half-open, so 21:00:00 itself is already quiet (the stricter reading).
    assert QH.check(NYC, datetime(2026, 11, 20, 8, 0, tzinfo=NY), purpose="marketing").allowed
    last = datetime(2026, 11, 20, 20, 59, 59, 999999, tzinfo=NY)
    assert QH.check(NYC, last, purpose="marketing").allowed
    end = QH.check(NYC, datetime(2026, 11, 20, 21, 0, tzinfo=NY), purpose="marketing")
    assert end.allowed is False
    assert end.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=NY)
    early = datetime(2026, 11, 20, 7, 59, 59, 999999, tzinfo=NY)
    assert QH.check(NYC, early, purpose="marketing").next_allowed == datetime(
        2026, 11, 20, 8, 0, tzinfo=NY
    )


def test_recipient_region_puerto_rico_uses_atlantic_time() -> None:
    # 20:30 EST is 21:30 in Puerto Rico (AST, no DST): past the federal 21:00.
    at = datetime(2026, 11, 20, 20, 30, tzinfo=NY)
    d = QH.check(NYC, at, purpose="marketing", recipient_region="US-PR")
    assert "America/Puerto_Rico" in d.zones
    assert d.allowed is False
    # 08:00 in San Juan is 07:00 in New York, where the 212 area code may still find
    # the recipient: both clocks must allow, so 08:00 New York.
    assert d.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=NY)
    # Told the zone, only Puerto Rico's clock counts.
    d = QH.check(NYC, at, purpose="marketing", recipient_region="US-PR",
                 recipient_zone="America/Puerto_Rico")
    assert d.next_allowed == datetime(2026, 11, 21, 7, 0, tzinfo=NY)


def test_recipient_region_given_as_a_territory_country_code_keeps_us_law() -> None:
    # phonenumbers calls Puerto Rico "PR"; it is US-PR for the TCPA.
    at = datetime(2026, 11, 20, 20, 30, tzinfo=NY)
    d = QH.check(NYC, at, purpose="marketing", recipient_region="PR")
    assert d.jurisdictions == ("US", "US-PR", "US-NY")
    assert {r.code for r in d.rules} == {"t.us.hours"}
    assert d.zones == ("America/New_York", "America/Puerto_Rico")
    assert d.allowed is False


def test_toll_free_number_has_no_zone_until_the_caller_says_where() -> None:
    at = datetime(2026, 11, 20, 12, 0, tzinfo=NY)
    d = QH.check(TOLL_FREE, at, purpose="marketing", prior_consent=True)
    assert codes(d) == ["quiet_hours.zone_unknown"]
    # A country-only region stands for every zone of that country's states.
    us = QH.check(TOLL_FREE, at, purpose="marketing", prior_consent=True, recipient_region="US")
    assert {"America/New_York", "Pacific/Honolulu", "Pacific/Guam"} <= set(us.zones)
    # 09:00-20:00 everywhere (Texas 09:00, Florida 20:00): Guam (UTC+10) opens at
    # 23:00 UTC, before Puerto Rico (UTC-4) closes at 00:00 UTC.
    assert us.allowed is False
    assert us.next_allowed == datetime(2026, 11, 20, 18, 0, tzinfo=NY)
    zoned = QH.check(
        TOLL_FREE, at, purpose="informational", recipient_zone="America/New_York"
    )
    assert zoned.allowed is True


def test_saskatchewan_area_code_includes_lloydminster_on_alberta_time() -> None:
    # 306/639 span Central (Regina, no DST) and Mountain (Lloydminster keeps
    # Alberta time): 09:30 in Regina in winter is 08:30 in Lloydminster.
    at = datetime(2026, 1, 14, 9, 30, tzinfo=ZoneInfo("America/Regina"))
    d = QH.check("+13065550123", at, purpose="marketing")
    assert d.zones == ("America/Edmonton", "America/Regina")
    assert d.allowed is False
    assert d.next_allowed == datetime(2026, 1, 14, 10, 0, tzinfo=ZoneInfo("America/Regina"))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: FixedHoliday("Bad", 2, 30), "day"),
        (lambda: FixedHoliday("Bad", 13, 1), "month"),
        (lambda: WeekdayHoliday("Bad", 1, 0, 0), "nth"),  # read as "the last" before
        (lambda: WeekdayHoliday("Bad", 2, 0, 5), "nth"),  # no 5th Monday in most Februaries
        (lambda: WeekdayHoliday("Bad", 1, 7, 1), "weekday"),
        (lambda: WeekdayHoliday("Bad", 1, True, 1), "weekday"),
    ],
)
def test_holidays_that_cannot_be_computed_are_refused_when_built(
    make: Callable[[], object], field: str
) -> None:
    with pytest.raises(ConfigurationError) as err:
        make()
    assert err.value.field == field


def test_rule_data_with_an_impossible_holiday_is_a_configuration_error() -> None:
    data = {
        "calendars": {"c": {"source": "s", "holidays": [{"name": "x", "month": 2, "day": 30}]}},
        "rules": [],
    }
    with pytest.raises(ConfigurationError) as err:
        rules_from_data(data)
    assert err.value.field == "day"


def test_weekday_sets_hold_weekday_numbers_not_bools() -> None:
    # True == 1 would silently mean Tuesday.
    with pytest.raises(ConfigurationError) as err:
        SendWindow(time(9), time(17), days=frozenset({True}))
    assert err.value.field == "days"


def test_sender_windows_for_other_purposes_do_not_demand_a_zone() -> None:
    # Only marketing has a sender window; a transactional text to a number with
    # no known zone and no applicable rule has nothing to check.
    qh = QuietHours(
        rules=RULES,
        sender_windows=[
            SendWindow(time(9), time(17), purposes=frozenset({Purpose.MARKETING}))
        ],
    )
    bare = PhoneNumber(e164=UK_MOBILE, region="GB")
    at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    d = qh.check(bare, at, purpose="transactional")
    assert d.allowed is True
    assert d.findings == ()
    assert codes(qh.check(bare, at, purpose="marketing")) == ["quiet_hours.zone_unknown"]


def test_unknown_purposes_in_rules_and_windows_are_refused() -> None:
    # A misspelt purpose made the rule silently never apply.
    with pytest.raises(ConfigurationError) as err:
        QuietHoursRule(
            code="x",
            jurisdiction="US",
            title="t",
            source="s",
            status=RuleStatus.VERIFIED,
            prohibited=True,
            purposes=frozenset({"marketting"}),  # type: ignore[arg-type]
        )
    assert err.value.field == "purposes"
    with pytest.raises(ConfigurationError) as err:
        SendWindow(time(9), time(17), purposes=frozenset({"sms"}))  # type: ignore[arg-type]
    assert err.value.field == "purposes"
    # Values spelt as strings are kept, as Purpose members.
    window = SendWindow(time(9), time(17), purposes=frozenset({"marketing"}))  # type: ignore[arg-type]
    assert window.purposes == frozenset({Purpose.MARKETING})


def test_location_arguments_of_the_wrong_type_name_the_field() -> None:
    at = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with pytest.raises(JurisdictionError):
        QH.check(NYC, at, purpose="marketing", recipient_region=["US"])  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError) as err:
        QH.check(NYC, at, purpose="marketing", recipient_zone=["UTC"])  # type: ignore[arg-type]
    assert err.value.field == "recipient_zone"


def test_a_state_column_that_is_also_a_country_code_must_pass_both_readings() -> None:
    # "GA" is Gabon (UTC+1) in ISO 3166-1 and Georgia in a CRM's state column.
    # 03:00 in Atlanta is 09:00 in Libreville: Gabon's clock alone would allow it.
    atlanta = "+14045550123"
    at = datetime(2026, 11, 20, 3, 0, tzinfo=NY)
    d = QH.check(atlanta, at, purpose="marketing", recipient_region="GA")
    assert d.allowed is False
    assert {"America/New_York", "Africa/Libreville"} <= set(d.zones)
    assert {"US", "US-GA", "GA"} <= set(d.jurisdictions)
    assert "t.us.hours" in {r.code for r in d.rules}
    # Written as the state, only Georgia's clock counts.
    state = QH.check(atlanta, at, purpose="marketing", recipient_region="US-GA")
    assert state.zones == ("America/New_York",)
    # "CA" on a US number: California's and Canada's rules and clocks.
    la = QH.check("+14155550123", datetime(2026, 11, 20, 12, 0, tzinfo=NY),
                  purpose="marketing", recipient_region="CA")
    assert {"America/Los_Angeles", "America/Vancouver", "America/St_Johns"} <= set(la.zones)
    assert {"US-CA", "CA", "CA-BC"} <= set(la.jurisdictions)
    # A Canadian number with "CA" is simply Canada.
    van = QH.check(VANCOUVER, datetime(2026, 11, 20, 12, 0, tzinfo=NY),
                   purpose="marketing", recipient_region="CA")
    assert "US" not in van.jurisdictions


def test_each_reading_of_a_two_way_region_keeps_its_own_rules_and_clocks() -> None:
    # 14:30 in Atlanta is 20:30 in Libreville. Read as Georgia, the federal 08:00-21:00
    # allows; read as Gabon, no rule names Gabon, so the default (09:00-20:00 in these
    # test rules) governs Libreville and refuses 20:30. Both must allow.
    atlanta = "+14045550123"
    at = datetime(2026, 11, 20, 14, 30, tzinfo=NY)
    d = QH.check(atlanta, at, purpose="marketing", recipient_region="GA")
    assert d.allowed is False
    (finding,) = d.findings
    assert finding.details["rule"] == "t.default"
    assert finding.details["zones"] == ("Africa/Libreville",)
    # Atlanta 08:00-21:00 and Libreville 09:00-20:00 (Atlanta 03:00-14:00) overlap
    # from 08:00 to 14:00 Atlanta time: next is Saturday 08:00.
    assert d.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=NY)
    # The finding says why a Gabon zone is named for an Atlanta number.
    assert "read both as US-GA and as the country GA" in finding.message
    assert "'US-GA'" in finding.message


def test_a_two_way_region_does_not_read_one_countrys_rule_on_the_others_clock() -> None:
    def rule(code: str, jurisdiction: str) -> QuietHoursRule:
        return QuietHoursRule(
            code=code, jurisdiction=jurisdiction, title=f"{jurisdiction} 08:00-20:00",
            source="test", status=RuleStatus.VERIFIED,
            quiet=(QuietWindow(time(20), time(8)),),
        )

    atlanta = "+14045550123"
    at = datetime(2026, 11, 20, 14, 30, tzinfo=NY)  # 20:30 in Libreville
    # Georgia's own rule: 14:30 in Atlanta is fine; Libreville's 20:30 is not Georgia's.
    georgia = QuietHours(rules=[rule("t.ga-state", "US-GA")])
    assert georgia.check(atlanta, at, purpose="marketing", recipient_region="GA").allowed
    # Gabon's own rule (and none for the US): Libreville's 20:30 refuses.
    gabon = QuietHours(rules=[rule("t.gabon", "GA")])
    d = gabon.check(atlanta, at, purpose="marketing", recipient_region="GA")
    assert d.allowed is False
    assert rule_codes(d) == {"t.gabon"}


def test_a_country_only_region_abroad_stands_for_every_zone_of_that_country() -> None:
    # Indonesia keeps four zones in the IANA database's zone.tab (Jakarta UTC+7,
    # Pontianak +7, Makassar +8, Jayapura +9). 19:30 in Jakarta is 21:30 in Jayapura,
    # past the test rules' default 09:00-20:00: where in Indonesia is unknown, so
    # every zone must allow (Jakarta's clock alone would). A UK number: on a US one
    # "ID" is also Idaho, read both ways.
    jakarta = ZoneInfo("Asia/Jakarta")
    at = datetime(2026, 11, 20, 19, 30, tzinfo=jakarta)
    d = QH.check(UK_MOBILE, at, purpose="marketing", recipient_region="ID")
    assert set(d.zones) == {"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"}
    assert d.allowed is False
    # 09:00 in Jayapura is 07:00 in Jakarta, still before Jakarta's 09:00: the next
    # instant every zone allows is 09:00 in Jakarta (11:00 in Jayapura).
    assert d.next_allowed == datetime(2026, 11, 21, 9, 0, tzinfo=jakarta)
    # Russia spans Kaliningrad (UTC+2) to Kamchatka (UTC+12): a country-only "RU"
    # is held to both ends, not to one example number's Irkutsk.
    ru = QH.check(NYC, at, purpose="marketing", recipient_region="RU")
    assert {"Europe/Kaliningrad", "Europe/Moscow", "Asia/Kamchatka"} <= set(ru.zones)


def test_every_country_phonenumbers_knows_has_a_clock_as_a_region() -> None:
    # zone.tab's zones must load, and the regions it lacks (Kosovo, Ascension,
    # Tristan da Cunha) still get a clock from their example numbers.
    import phonenumbers

    at = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        d = QH.check(UK_MOBILE, at, purpose="marketing", recipient_region=region)
        assert d.zones, region
        assert all(ZoneInfo(zone) for zone in d.zones)


def test_zone_tab_is_read_from_the_system_database_without_the_tzdata_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # zoneinfo serves zones from the system's database before the tzdata package;
    # where the package is absent (installed without its dependencies, or by a
    # distribution that relies on the system's tzdata) zone.tab is there too.
    import importlib.resources
    import zoneinfo

    from smskit.numbers import _zone_tab

    def no_package(name: str) -> object:
        raise ModuleNotFoundError(f"No module named {name!r}")

    (tmp_path / "zone.tab").write_text(
        "# comment\nID\t-0610+10648\tAsia/Jakarta\nID\t-0232+14042\tAsia/Jayapura\tPapua\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(importlib.resources, "files", no_package)
    monkeypatch.setattr(zoneinfo, "TZPATH", ("/nonexistent", str(tmp_path)))
    table = _zone_tab.zone_table.__wrapped__()
    assert table["ID"] == ("Asia/Jakarta", "Asia/Jayapura")
    # Neither: the example numbers' zones, as for the regions zone.tab lacks.
    monkeypatch.setattr(zoneinfo, "TZPATH", ("/nonexistent",))
    assert _zone_tab.zone_table.__wrapped__() == {}


def test_a_moroccan_number_is_judged_on_moroccos_clock() -> None:
    # Morocco keeps UTC+1 (Africa/Casablanca); phonenumbers places its numbers on
    # Atlantic/Canary, UTC+0 in winter. 20:30 UTC on 20 November is 21:30 in
    # Casablanca, past the test rules' default 09:00-20:00 either way; 19:30 UTC is
    # 20:30 there (refused) but 19:30 in the Canaries (allowed).
    at = datetime(2026, 11, 20, 19, 30, tzinfo=UTC)
    d = QH.check("+212520123456", at, purpose="marketing")
    assert d.zones == ("Africa/Casablanca",)
    assert d.allowed is False
    assert d.next_allowed == datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Africa/Casablanca"))


# --- Canadian provinces whose letters are countries' codes (user23) ----------------

SHIPPED = QuietHours()


def test_newfoundland_written_nl_is_not_only_the_netherlands() -> None:
    # A CRM's province column says "NL" for a St. John's lead. Read as the
    # Netherlands alone, 05:00 in St. John's (08:30 UTC, 09:30 in Amsterdam) passed
    # the default 08:00-21:00 and the marketing text went out before dawn.
    at = datetime(2026, 12, 7, 5, 0, tzinfo=ZoneInfo("America/St_Johns"))  # a Monday
    d = SHIPPED.check("+17095550123", at, purpose="marketing", recipient_region="NL")
    assert d.allowed is False
    assert {"CA-NL", "NL"} <= set(d.jurisdictions)
    # The CRTC's 09:00 must hold in every zone of the 709 area code: Labrador's
    # Atlantic time (UTC-4) opens last, at 13:00 UTC, 09:30 in St. John's (UTC-3:30).
    assert d.next_allowed == datetime(2026, 12, 7, 13, 0, tzinfo=UTC)
    assert "'CA-NL' for the province alone" in d.findings[0].message


@pytest.mark.parametrize(
    ("number", "region", "province"),
    [("+13065550123", "SK", "CA-SK"),  # Saskatchewan, or Slovakia
     ("+18675550123", "YT", "CA-YT"),  # Yukon, or Mayotte
     ("+19025550123", "PE", "CA-PE"),  # Prince Edward Island, or Peru
     ("+13125550123", "NL", "CA-NL")],  # a US number whose lead lives in Newfoundland
)
def test_a_province_code_that_is_a_country_code_is_read_both_ways(
    number: str, region: str, province: str
) -> None:
    # 05:00 Regina time (11:00 UTC, noon in Bratislava) on a Monday: no Canadian
    # province allows a marketing text then (CRTC 09:00 at the earliest).
    at = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
    d = SHIPPED.check(number, at, purpose="marketing", recipient_region=region)
    assert province in d.jurisdictions
    assert region in d.jurisdictions
    assert d.allowed is False


@pytest.mark.parametrize(("written", "meant"), [("QC", "CA-QC"), ("ON", "CA-ON"),
                                                ("BC", "CA-BC")])
def test_a_bare_province_code_is_refused_with_its_iso_code(written: str, meant: str) -> None:
    with pytest.raises(JurisdictionError, match=f"did you mean '{meant}'"):
        SHIPPED.check("+15145550199", datetime(2026, 12, 7, 15, 0, tzinfo=UTC),
                      purpose="marketing", recipient_region=written)


# --- review rev23u ---------------------------------------------------------------


def test_a_province_code_is_read_both_ways_on_any_plus_one_number() -> None:
    # A Jamaican mobile (+1 876) of a lead who moved to St. John's: "NL" was the
    # Netherlands alone, so 05:00 in St. John's (09:30 in Amsterdam) was allowed.
    at = datetime(2026, 12, 7, 5, 0, tzinfo=ZoneInfo("America/St_Johns"))  # a Monday
    d = SHIPPED.check("+18765550123", at, purpose="marketing", recipient_region="NL")
    assert {"CA-NL", "NL"} <= set(d.jurisdictions)
    assert d.allowed is False
    # A number outside +1 keeps the plain country reading.
    d = SHIPPED.check("+31612345678", at, purpose="marketing", recipient_region="NL")
    assert d.jurisdictions == ("NL",)
    assert d.allowed is True


def test_a_territory_is_named_a_territory() -> None:
    at = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 04:00 in Whitehorse
    d = SHIPPED.check("+18675550123", at, purpose="marketing", recipient_region="YT")
    assert d.allowed is False
    assert "'CA-YT' for the territory alone" in d.findings[0].message


def test_a_padded_country_code_is_hinted_as_itself() -> None:
    # " NL" was answered "did you mean 'CA-NL'?", though "NL" is a valid code.
    with pytest.raises(JurisdictionError, match="did you mean 'NL'"):
        SHIPPED.check("+31612345678", datetime(2026, 12, 7, 15, 0, tzinfo=UTC),
                      purpose="marketing", recipient_region=" NL")


# Written out, not derived: ISO 3166-2 subdivisions whose letters are also ISO 3166-1
# country codes phonenumbers knows.
_STATE_OR_COUNTRY = [
    "AL", "AR", "AS", "AZ", "CO", "DE", "GA", "GU", "ID", "IL", "IN", "KY", "LA", "MA",
    "MD", "ME", "MN", "MO", "MP", "MS", "MT", "NC", "NE", "PA", "PR", "SC", "SD", "TN",
    "VA", "VI",
]
_PROVINCE_OR_COUNTRY = ["NL", "NU", "PE", "SK", "YT"]
_US_TERRITORIES = {"AS", "GU", "MP", "PR", "VI"}  # US law alone (ISO "US-PR")
_AREA_CODE_STATE = {"+13125550123": "US-IL", "+15145550199": "CA-QC"}


@pytest.mark.parametrize("number", ["+13125550123", "+15145550199", "+18765550123",
                                    "+18005550123"])
@pytest.mark.parametrize("code", _STATE_OR_COUNTRY + _PROVINCE_OR_COUNTRY)
def test_every_state_or_province_code_on_a_plus_one_number(number: str, code: str) -> None:
    at = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    for written in (code, code.lower()):
        d = SHIPPED.check(number, at, purpose="marketing", recipient_region=written)
        home = "CA" if code in _PROVINCE_OR_COUNTRY else "US"
        # The number's own area-code state stays beside an address in another state
        # of its country (Chicago's 312 is Illinois, Montreal's 514 Quebec).
        own = _AREA_CODE_STATE.get(number, "")
        extra: tuple[str, ...] = (
            (own,) if own.startswith(home) and own != f"{home}-{code}" else ())
        # In the other country, its own reading follows (a Montreal number with a US
        # address keeps Quebec's rules on Montreal's clock).
        abroad = (own[:2], own) if own and not own.startswith(home) else ()
        if code in _US_TERRITORIES:
            assert d.jurisdictions == ("US", f"US-{code}", *extra, *abroad)
        else:
            assert {f"{home}-{code}", code, *extra} <= set(d.jurisdictions), written
        # Written with its country, one reading only.
        d = SHIPPED.check(number, at, purpose="marketing",
                          recipient_region=f"{home}-{written}")
        assert d.jurisdictions == (home, f"{home}-{code}", *extra, *abroad)


@pytest.mark.parametrize("code", sorted(set(_STATE_OR_COUNTRY + _PROVINCE_OR_COUNTRY)
                                        - _US_TERRITORIES))
def test_a_state_or_province_code_off_plus_one_is_the_country(code: str) -> None:
    d = SHIPPED.check("+31612345678", datetime(2026, 12, 7, 15, 0, tzinfo=UTC),
                      purpose="marketing", recipient_region=code)
    assert d.jurisdictions == (code,)


# --- a state or province is all of its zones, whatever the number's area code ----------


def test_a_province_means_all_its_zones_not_the_number_s_area_code_s() -> None:
    # 20:45 on a Monday in Montreal is 21:45 in the Magdalen Islands (Atlantic time, area
    # code 418): a lead in Quebec with a Montreal number may live there, past the end of
    # the CRTC's weekday hours (21:30; https://crtc.gc.ca/eng/phone/telemarketing/tobligations/rules-regles.htm),
    # so a marketing text is held, where on the number alone (Montreal's clock) it is sent.
    at = datetime(2026, 12, 7, 20, 45, tzinfo=ZoneInfo("America/Toronto"))
    d = SHIPPED.check("+15145550199", at, purpose="marketing", recipient_region="CA-QC")
    assert set(d.zones) == {"America/Halifax", "America/Toronto"}
    assert d.allowed is False
    assert SHIPPED.check("+15145550199", at, purpose="marketing").allowed is True


def test_a_state_means_all_its_zones_not_the_number_s_area_code_s() -> None:
    # 08:30 Eastern on a Monday is 07:30 in Pensacola (Central): a Florida lead with a
    # Miami number may live in the panhandle, before 08:00 there.
    at = datetime(2026, 12, 7, 8, 30, tzinfo=NY)
    d = SHIPPED.check(FL_MIAMI, at, purpose="marketing", recipient_region="US-FL")
    assert "America/Chicago" in d.zones
    assert d.allowed is False


def test_a_prohibition_consent_waives_says_how_to_lift_it() -> None:
    # "no unsolicited commercial text messages" blocked a consented Washington borrower
    # with no hint that prior consent (SendRequest.prior_consent) lifts it.
    at = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    decision = QuietHours().check("+1 206 555 0123", at, purpose="marketing")
    (finding,) = decision.findings
    assert finding.code == "quiet_hours.prohibited"
    assert finding.message.endswith(
        "; prior express consent waives it: if the recipient gave it, say so "
        "(prior_consent=True; on the command line, --prior-consent)"
    )
    assert QuietHours().check("+1 206 555 0123", at, purpose="marketing",
                              prior_consent=True).allowed


# --- an address in another state keeps the area code's state (wrong allow, user30) -------


FL_RULE_SOURCE = "https://flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML"


@pytest.mark.parametrize(("number", "address", "local", "zone"), [
    # Florida 08:00-20:00 (Fla. Stat. 501.616(6)); a Miami number, a New York address:
    # 20:30 Eastern is inside the TCPA's 21:00 but not Florida's 20:00.
    (FL_MIAMI, "US-NY", datetime(2026, 11, 20, 20, 30), NY),
    # Oklahoma 08:00-20:00 (15 O.S. 775C.4), an Oklahoma City number, a Texas address.
    (OKLAHOMA, "US-TX", datetime(2026, 11, 20, 20, 30), CHI),
    # Connecticut 09:00-20:00 reaches its area codes (PA 23-98): 08:30, a NY address.
    ("+12035550123", "US-NY", datetime(2026, 11, 20, 8, 30), NY),
])
def test_an_address_in_another_state_keeps_the_area_code_state_s_rules(
    number: str, address: str, local: datetime, zone: ZoneInfo,
) -> None:
    at = local.replace(tzinfo=zone)
    alone = SHIPPED.check(number, at, purpose="marketing")
    assert alone.allowed is False
    d = SHIPPED.check(number, at, purpose="marketing", recipient_region=address)
    assert d.allowed is False
    assert address in d.jurisdictions
    (finding,) = d.findings
    assert finding.details["jurisdiction"] not in ("US", address)
    assert "area code" in finding.message
    assert address in finding.message


def test_a_miami_number_with_a_california_address_waits_for_both_clocks() -> None:
    # 19:30 Pacific is 22:30 in Miami: Florida refuses it there; 08:00 Pacific is
    # 11:00 Eastern, the first instant both clocks allow Florida's 08:00-20:00.
    at = datetime(2026, 11, 20, 19, 30, tzinfo=LA)
    d = SHIPPED.check(FL_MIAMI, at, purpose="marketing", recipient_region="US-CA")
    assert d.allowed is False
    assert {"America/Los_Angeles", "America/New_York"} <= set(d.zones)
    assert d.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=LA)
    assert any(f.source.startswith(FL_RULE_SOURCE) for f in d.findings)


def test_an_address_in_one_of_the_area_code_s_own_states_still_narrows() -> None:
    # 201 is New Jersey's, and phonenumbers also names New York for it: a New Jersey
    # address picks New Jersey alone, as before.
    d = SHIPPED.check("+12015550123", datetime(2026, 11, 20, 12, 0, tzinfo=NY),
                      purpose="marketing", recipient_region="US-NJ")
    assert d.jurisdictions == ("US", "US-NJ")


def test_an_address_in_the_other_country_keeps_the_number_s_country() -> None:
    # A New York number with an Ontario address, Friday 21:15 Eastern: the CRTC's weekday
    # 21:30 allows it on Toronto's clock, the TCPA's 21:00 does not on New York's.
    d = SHIPPED.check(NYC, datetime(2026, 11, 20, 21, 15, tzinfo=NY), purpose="marketing",
                      recipient_region="CA-ON")
    assert d.allowed is False
    assert {"CA-ON", "US-NY"} <= set(d.jurisdictions)
    assert "us.tcpa.hours" in rule_codes(d)
    assert "area code is US-NY's" in d.findings[0].message


@pytest.mark.parametrize(("address", "local"), [
    ("MX", datetime(2026, 11, 18, 20, 30)),
    ("GB", datetime(2026, 11, 18, 7, 30)),
])
def test_a_country_only_address_abroad_keeps_the_number_s_state(
    address: str, local: datetime,
) -> None:
    # A Miami number with a bare "MX" or "GB" from a CRM's country column: Florida
    # presumes its area code reaches someone in Florida (Fla. Stat. 501.059), whose
    # 08:00-20:00 forbids 20:30 and 07:30 Eastern. The address's country alone allowed both.
    d = SHIPPED.check(FL_MIAMI, local.replace(tzinfo=NY), purpose="marketing",
                      recipient_region=address)
    assert d.allowed is False
    assert {address, "US", "US-FL"} <= set(d.jurisdictions)
    assert any(f.details.get("jurisdiction") == "US-FL" for f in d.findings)
    assert "area code is US-FL's" in d.findings[0].message
    assert "read both" not in d.findings[0].message


@pytest.mark.parametrize("region", [None, "US-CA"])
def test_a_zone_from_an_address_does_not_take_florida_off_the_area_code_s_clock(
    region: str | None,
) -> None:
    # A Miami number whose CRM row gives America/Los_Angeles: Friday 17:30 Pacific is
    # 20:30 in Miami, after Florida's 20:00 (Fla. Stat. 501.616(6)), and Florida presumes
    # its area code reaches someone in Florida (501.059). The zone alone allowed it.
    at = datetime(2026, 11, 20, 17, 30, tzinfo=LA)
    d = SHIPPED.check(FL_MIAMI, at, purpose="marketing", recipient_zone="America/Los_Angeles",
                      recipient_region=region)
    assert d.allowed is False
    assert {"America/Los_Angeles", "America/New_York"} <= set(d.zones)
    assert any(f.details.get("jurisdiction") == "US-FL" for f in d.findings)
    # 08:00 Pacific is 11:00 in Miami: both clocks allow.
    assert d.next_allowed == datetime(2026, 11, 21, 8, 0, tzinfo=LA)


def test_a_zone_from_an_address_still_replaces_the_clock_of_other_area_codes() -> None:
    # New York's area code carries no such presumption: the TCPA's 21:00 is read where
    # the recipient is, 18:30 in Los Angeles (21:30 in New York).
    at = datetime(2026, 11, 20, 18, 30, tzinfo=LA)
    d = SHIPPED.check(NYC, at, purpose="marketing", recipient_zone="America/Los_Angeles")
    assert d.allowed is True
    assert d.zones == ("America/Los_Angeles",)


def test_a_bare_code_read_as_a_province_keeps_a_us_number_s_state() -> None:
    # "NL" on a Miami number: Newfoundland and the Netherlands were its two readings, and
    # Florida's 20:00 (on Miami's clock) was lost: 20:00 Eastern with a New York zone
    # was allowed by the TCPA's 21:00 alone.
    at = datetime(2026, 11, 20, 20, 0, tzinfo=NY)
    d = SHIPPED.check(FL_MIAMI, at, purpose="marketing", recipient_region="NL",
                      recipient_zone="America/New_York")
    assert d.allowed is False
    assert {"CA-NL", "NL", "US-FL"} <= set(d.jurisdictions)
    assert any(f.details.get("jurisdiction") == "US-FL" for f in d.findings)
    assert "area code is US-FL's" in d.findings[0].message


def test_a_zone_from_an_address_does_not_take_oregon_off_the_area_code_s_clock() -> None:
    # Oregon (HB 3865, from 1 January 2026) lets a sender rely on the area code: a Portland
    # number with a Honolulu zone, Friday 18:30 there, is 20:30 in Portland, after
    # Oregon's 20:00; the TCPA's 21:00 on Honolulu's clock alone allowed it.
    at = datetime(2026, 11, 20, 18, 30, tzinfo=ZoneInfo("Pacific/Honolulu"))
    d = SHIPPED.check("+15035550123", at, purpose="marketing", recipient_zone="Pacific/Honolulu")
    assert d.allowed is False
    assert any(f.details.get("jurisdiction") == "US-OR" for f in d.findings)
