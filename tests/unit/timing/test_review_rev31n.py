"""Review rev31n: quiet hours judge the instant ``at`` names, whatever its spelling, and
rule data with a malformed holiday ``since`` is refused when it is read.

Facts used (IANA tz database, PEP 495): on 8 March 2026 New York's clocks go from
01:59:59 EST to 03:00:00 EDT, so the wall time 02:30 does not exist; an aware
``datetime(2026, 3, 8, 2, 30, tzinfo=America/New_York)`` (fold=0) takes the offset
before the jump, -05:00, and names 07:30 UTC, which New York reads as 03:30 EDT.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from smskit.errors import ConfigurationError
from smskit.purpose import Purpose
from smskit.timing.quiet_hours import QuietHours, allowed_finding
from smskit.timing.quiet_rules import FixedHoliday, SendWindow, WeekdayHoliday, rules_from_data

NY = ZoneInfo("America/New_York")
NYC = "+12125550123"
GAP = datetime(2026, 3, 8, 2, 30, tzinfo=NY)  # 07:30 UTC, 03:30 EDT
SPELLINGS = (
    GAP,
    datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
    datetime(2026, 3, 8, 3, 30, tzinfo=NY),
    datetime(2026, 3, 8, 2, 30, tzinfo=timezone(timedelta(hours=-5))),
)


def test_the_gap_spelling_names_07_30_utc() -> None:
    assert {at.astimezone(UTC) for at in SPELLINGS} == {datetime(2026, 3, 8, 7, 30, tzinfo=UTC)}


@pytest.mark.parametrize("at", SPELLINGS, ids=str)
def test_a_night_window_closing_at_03_00_refuses_03_30_edt_however_written(
    at: datetime,
) -> None:
    # The business sends 00:00-03:00 recipient time; 03:30 EDT is after it. Written as
    # the non-existent 02:30 it was judged as 02:30 and allowed.
    qh = QuietHours(rules=(), sender_windows=[SendWindow(time(0), time(3))])
    d = qh.check(NYC, at, purpose="marketing")
    assert not d.allowed
    assert [f.code for f in d.findings] == ["quiet_hours.sender_window"]
    # Next opening: 00:00 EDT on 9 March, 04:00 UTC.
    assert d.next_allowed is not None
    assert d.next_allowed.astimezone(UTC) == datetime(2026, 3, 9, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize("at", SPELLINGS, ids=str)
def test_a_window_opening_at_03_00_allows_03_30_edt_however_written(at: datetime) -> None:
    qh = QuietHours(rules=(), sender_windows=[SendWindow(time(3), time(12))])
    d = qh.check(NYC, at, purpose="marketing")
    assert d.allowed
    assert d.findings == ()
    assert d.next_allowed == at


def test_the_allowed_evidence_names_the_wall_time_of_the_instant() -> None:
    qh = QuietHours(rules=(), sender_windows=[SendWindow(time(3), time(12))])
    d = qh.check(NYC, GAP, purpose="marketing")
    evidence = allowed_finding(d, Purpose.MARKETING)
    assert evidence.details["local_times"] == ("2026-03-08T03:30:00-04:00",)


@pytest.mark.parametrize("since", ["2021", 2021.0, True, None.__class__])
def test_a_holiday_since_that_is_no_year_is_refused_when_built(since: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        FixedHoliday("Juneteenth", 6, 19, since=since)  # type: ignore[arg-type]
    assert caught.value.field == "since"
    with pytest.raises(ConfigurationError) as caught:
        WeekdayHoliday("Labor Day", 9, 0, 1, since=since)  # type: ignore[arg-type]
    assert caught.value.field == "since"


def test_rule_data_with_a_since_in_quotes_is_a_configuration_error() -> None:
    # JSON written by hand: "since": "2021". It was accepted, and the first check on a
    # holiday date raised TypeError from inside the engine.
    data = {
        "calendars": {"c": {"source": "x", "holidays": [
            {"name": "Juneteenth", "month": 6, "day": 19, "since": "2021"}]}},
        "rules": [{"code": "x.a", "jurisdiction": "US", "title": "t", "source": "s",
                   "status": "verified", "closed_holidays": "c"}],
    }
    with pytest.raises(ConfigurationError) as caught:
        rules_from_data(data)
    assert caught.value.field == "since"


# A CRM export whose columns shifted puts the recipient's number in the zone or state
# column; the error quoted it whole ("unknown jurisdiction '+1 415 555 0123'").
_NUMBER_IN_A_FIELD = ["+1 415 555 0123", "4155550123", "US-4155550123", "(415) 555-0123"]


@pytest.mark.parametrize("value", _NUMBER_IN_A_FIELD)
def test_a_number_given_as_the_region_is_masked_in_the_error(value: str) -> None:
    from smskit.errors import JurisdictionError

    with pytest.raises(JurisdictionError) as caught:
        QuietHours().check(NYC, datetime(2026, 7, 1, 15, tzinfo=UTC), purpose="marketing",
                           recipient_region=value)
    for shown in (str(caught.value), caught.value.code, repr(caught.value)):
        assert "5550123" not in shown.replace(" ", "").replace("-", "")
        assert "23" in shown  # the last two digits, as every masked number shows them


@pytest.mark.parametrize("value", _NUMBER_IN_A_FIELD)
def test_a_number_given_as_the_zone_is_masked_in_the_error(value: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        QuietHours().check(NYC, datetime(2026, 7, 1, 15, tzinfo=UTC), purpose="marketing",
                           recipient_zone=value)
    assert caught.value.field == "recipient_zone"
    assert "5550123" not in str(caught.value).replace(" ", "").replace("-", "")


def test_a_number_given_as_the_region_not_as_text_is_masked() -> None:
    from smskit.errors import JurisdictionError

    with pytest.raises(JurisdictionError) as caught:
        QuietHours().check(NYC, datetime(2026, 7, 1, 15, tzinfo=UTC), purpose="marketing",
                           recipient_region=4155550123)  # type: ignore[arg-type]
    assert "5550123" not in str(caught.value) + caught.value.code


def test_a_zone_or_region_typo_is_still_quoted_as_written() -> None:
    from smskit.errors import JurisdictionError

    with pytest.raises(ConfigurationError, match="'America/New_Yrok'"):
        QuietHours().check(NYC, datetime(2026, 7, 1, 15, tzinfo=UTC), purpose="marketing",
                           recipient_zone="America/New_Yrok")
    with pytest.raises(JurisdictionError, match="'US-ZZ'"):
        QuietHours().check(NYC, datetime(2026, 7, 1, 15, tzinfo=UTC), purpose="marketing",
                           recipient_region="US-ZZ")


@pytest.mark.parametrize("field", ["waived_by_consent", "prohibited"])
@pytest.mark.parametrize("value", ["false", "no", 0, 1, "true", None])
def test_rule_data_flags_must_be_json_booleans(field: str, value: object) -> None:
    # "waived_by_consent": "false" was read as bool("false"), True: consent then lifted a
    # rule its author wrote as not waived.
    data = {"rules": [{"code": "x.a", "jurisdiction": "US", "title": "t", "source": "s",
                       "status": "verified", "quiet": [{"start": "21:00", "end": "08:00"}],
                       field: value}]}
    with pytest.raises(ConfigurationError) as caught:
        rules_from_data(data)
    assert caught.value.field == field


def test_a_holiday_observed_flag_must_be_a_json_boolean() -> None:
    data = {
        "calendars": {"c": {"source": "x", "holidays": [
            {"name": "Christmas", "month": 12, "day": 25, "observed": "no"}]}},
        "rules": [{"code": "x.a", "jurisdiction": "US", "title": "t", "source": "s",
                   "status": "verified", "closed_holidays": "c"}],
    }
    with pytest.raises(ConfigurationError) as caught:
        rules_from_data(data)
    assert caught.value.field == "observed"


def test_rule_data_flags_as_booleans_are_read() -> None:
    data = {"rules": [{"code": "x.a", "jurisdiction": "US", "title": "t", "source": "s",
                       "status": "verified", "quiet": [{"start": "21:00", "end": "08:00"}],
                       "waived_by_consent": False, "prohibited": False}]}
    (rule,) = rules_from_data(data)
    assert rule.waived_by_consent is False
    assert rule.prohibited is False


# Utah Code 63G-1-301 as amended effective 7 May 2025 (Juneteenth Observance Amendments):
# "If June 19 falls on a Tuesday, Wednesday, Thursday, or Friday, the preceding Monday is
# the legal holiday"; on a Saturday or Sunday, the following Monday. 19 June 2026 is a
# Friday, so Monday 15 June 2026 is Utah's legal holiday; 19 June 2027 is a Saturday, so
# Monday 21 June 2027 is.
DENVER = ZoneInfo("America/Denver")
SALT_LAKE = "+18015550123"


@pytest.mark.parametrize("day", [datetime(2026, 6, 15, 12, tzinfo=DENVER),
                                 datetime(2027, 6, 21, 12, tzinfo=DENVER)])
def test_utah_s_monday_juneteenth_is_a_closed_day(day: datetime) -> None:
    d = QuietHours().check(SALT_LAKE, day, purpose="marketing")
    assert not d.allowed
    assert [(f.code, f.details["rule"]) for f in d.findings] == [
        ("quiet_hours.closed_day", "us-ut.closed_days")]


def test_the_monday_before_is_an_ordinary_day_before_2025() -> None:
    # 19 June 2024 was a Wednesday, and the statute then closed 19 June itself: Monday
    # 17 June 2024 was no holiday.
    d = QuietHours().check(SALT_LAKE, datetime(2024, 6, 17, 12, tzinfo=DENVER),
                           purpose="marketing")
    assert d.allowed


# A rule whose subdivision no recipient can be in never applied, silently: "US-FLA" (a
# typo) or "GB-SCT" (subdivisions are located for the US and Canada only, and
# recipient_region refuses others). Its author believed it held.
# Review of rev31n: "US-" (a subdivision column left empty) was still accepted, and
# matched no recipient.
@pytest.mark.parametrize("jurisdiction", ["US-FLA", "US-ZZ", "CA-QUE", "GB-SCT", "AU-NSW",
                                          "US-", "CA-"])
def test_a_rule_for_a_subdivision_no_recipient_is_in_is_refused(jurisdiction: str) -> None:
    from smskit.timing.quiet_rules import CapRule, QuietHoursRule, QuietWindow, RuleStatus

    with pytest.raises(ConfigurationError) as caught:
        QuietHoursRule(code="x.a", jurisdiction=jurisdiction, title="t", source="s",
                       status=RuleStatus.VERIFIED, quiet=(QuietWindow(time(21), time(8)),))
    assert caught.value.field == "jurisdiction"
    with pytest.raises(ConfigurationError) as caught:
        CapRule(code="x.b", jurisdiction=jurisdiction, title="t", limit=3,
                window=timedelta(days=1), source="s", status=RuleStatus.VERIFIED)
    assert caught.value.field == "jurisdiction"


@pytest.mark.parametrize("jurisdiction", ["US-FL", "US-DC", "US-PR", "US-GU", "CA-QC",
                                          "CA-NU", "GB", "*"])
def test_a_rule_for_a_known_place_is_accepted(jurisdiction: str) -> None:
    from smskit.timing.quiet_rules import QuietHoursRule, QuietWindow, RuleStatus

    rule = QuietHoursRule(code="x.a", jurisdiction=jurisdiction, title="t", source="s",
                          status=RuleStatus.VERIFIED, quiet=(QuietWindow(time(21), time(8)),))
    assert rule.jurisdiction == jurisdiction


# Review of rev31n: the zone error was raised inside the except block, so ``from None``
# only hid the zoneinfo error from tracebacks; ``__context__`` still held it, and its
# message quotes the key whole ("No time zone found with key +14155550123"), where an
# error reporter or a handler walking the chain finds it.
@pytest.mark.parametrize("value", [*_NUMBER_IN_A_FIELD, "415-555-0123", "+14155550123"])
def test_a_number_given_as_the_zone_is_in_no_chained_error(value: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        QuietHours().check(NYC, datetime(2026, 7, 1, 15, tzinfo=UTC), purpose="marketing",
                           recipient_zone=value)
    chain: list[BaseException] = []
    exc: BaseException | None = caught.value
    while exc is not None and len(chain) < 10:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    for link in chain:
        for shown in (str(link), repr(link), repr(link.args)):
            assert "5550123" not in shown.replace(" ", "").replace("-", ""), (link, shown)


# Review of rev31n: a cap rule's effective date was read from ``at`` as written, where
# quiet hours now read the instant. Samoa skipped 30 December 2011 (IANA tz: 23:59:59
# on the 29th at UTC-10 was followed by 00:00 on the 31st at UTC+14), so the wall time
# "30 December 12:00 Apia" (fold=0, the offset before: -10) names 22:00 UTC, which Apia
# reads as 31 December 12:00. A rule effective 31 December holds at that instant.
def test_a_cap_s_effective_date_is_read_from_the_instant() -> None:
    from smskit.timing import CapRule, FrequencyCap, MemorySendHistory, RuleStatus, SendRecord

    apia = ZoneInfo("Pacific/Apia")
    samoan = "+6857212345"
    history = MemorySendHistory()
    history.record(SendRecord(samoan, "acme", datetime(2011, 12, 30, 20, tzinfo=UTC)))
    rule = CapRule(code="ws.test", jurisdiction="WS", title="one a day", limit=1,
                   window=timedelta(days=1), source="test", status=RuleStatus.VERIFIED,
                   effective=date(2011, 12, 31))
    caps = FrequencyCap(history=history, rules=[rule])
    for at in (datetime(2011, 12, 30, 12, tzinfo=apia), datetime(2011, 12, 30, 22, tzinfo=UTC),
               datetime(2011, 12, 31, 12, tzinfo=apia)):
        decision = caps.check(samoan, at, sender="acme", purpose="marketing")
        assert not decision.allowed, at
        assert [f.details["rule"] for f in decision.findings] == ["ws.test"]


# Review of rev31n: from 7 May 2025 Juneteenth is no longer among the Subsection (1)(a)
# days that a Saturday moves to the Friday before (63G-1-301(2)(a)); a Saturday 19 June
# makes the following Monday the legal holiday ((2)(d)). 19 June 2027 is a Saturday:
# Friday 18 June 2027 is no Utah holiday, Monday 21 June 2027 is (tested above).
def test_the_friday_before_a_saturday_juneteenth_is_an_ordinary_day_from_2025() -> None:
    d = QuietHours().check(SALT_LAKE, datetime(2027, 6, 18, 12, tzinfo=DENVER),
                           purpose="marketing")
    assert d.allowed


def test_a_holiday_applies_from_since_to_until_inclusive() -> None:
    juneteenth = FixedHoliday("Juneteenth", 6, 19, since=2022, until=2024)
    assert juneteenth.dates(2021) == ()
    assert juneteenth.dates(2022) == (date(2022, 6, 19), date(2022, 6, 20))  # a Sunday
    assert juneteenth.dates(2024) == (date(2024, 6, 19),)
    assert juneteenth.dates(2025) == ()
    monday = WeekdayHoliday("Juneteenth (Monday)", 6, 0, 3, since=2025, until=2026)
    assert monday.dates(2026) == (date(2026, 6, 15),)
    assert monday.dates(2027) == ()


@pytest.mark.parametrize("until", ["2024", 2024.0, True, 0, 10000])
def test_a_holiday_until_that_is_no_year_is_refused(until: object) -> None:
    with pytest.raises(ConfigurationError) as caught:
        FixedHoliday("x", 6, 19, until=until)  # type: ignore[arg-type]
    assert caught.value.field == "until"
    with pytest.raises(ConfigurationError) as caught:
        WeekdayHoliday("x", 6, 0, 3, until=until)  # type: ignore[arg-type]
    assert caught.value.field == "until"


def test_a_holiday_until_before_its_since_is_refused() -> None:
    with pytest.raises(ConfigurationError) as caught:
        FixedHoliday("x", 6, 19, since=2025, until=2024)
    assert caught.value.field == "until"


def test_a_holiday_until_survives_rule_data() -> None:
    from smskit.timing.quiet_hours import SHIPPED_RULES
    from smskit.timing.quiet_rules import rules_to_data

    data = rules_to_data(SHIPPED_RULES)
    holidays = data["calendars"]["Utah legal holidays"]["holidays"]
    assert {"name": "Juneteenth National Freedom Day", "month": 6, "day": 19,
            "observed": True, "since": 2022, "until": 2024} in holidays
    assert rules_from_data(data) == SHIPPED_RULES
