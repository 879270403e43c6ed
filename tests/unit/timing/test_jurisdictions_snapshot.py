"""The shipped rules: hand-checked against reference/compliance_facts.md §2, plus a snapshot."""

from __future__ import annotations

import json
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from smskit.purpose import Purpose
from smskit.timing._jurisdictions import CAP_RULES, DEFAULT_ELSEWHERE, US_FEDERAL_HOLIDAYS
from smskit.timing.quiet_hours import SHIPPED_RULES
from smskit.timing.quiet_rules import (
    QuietWindow,
    RuleStatus,
    rules_from_data,
    rules_to_data,
)

SNAPSHOT = Path(__file__).resolve().parents[2] / "data" / "shipped_quiet_rules.json"
BY_CODE = {rule.code: rule for rule in SHIPPED_RULES}
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
SUNDAY = frozenset({6})


def outside(start: time, end: time, days: frozenset[int] = frozenset(range(7))) -> QuietWindow:
    return QuietWindow(end, start, days)


# (code, jurisdiction, quiet windows, status) written from the reference table.
EXPECTED_WINDOWS = [
    ("us.tcpa.hours", "US", (outside(time(8), time(21)),), RuleStatus.VERIFIED),
    ("us-fl.hours", "US-FL", (outside(time(8), time(20)),), RuleStatus.VERIFIED),
    ("us-ok.hours", "US-OK", (outside(time(8), time(20)),), RuleStatus.SECONDARY),
    ("us-md.hours", "US-MD", (outside(time(8), time(20)),), RuleStatus.VERIFIED),
    ("us-ct.hours", "US-CT", (outside(time(9), time(20)),), RuleStatus.SECONDARY),
    ("us-wa.hours", "US-WA", (outside(time(8), time(20)),), RuleStatus.VERIFIED),
    ("us-ut.hours", "US-UT", (outside(time(8), time(21)),), RuleStatus.UNVERIFIED),
    ("us-ms.hours", "US-MS", (outside(time(8), time(20)),), RuleStatus.UNVERIFIED),
    ("us-la.hours", "US-LA", (outside(time(8), time(20)),), RuleStatus.UNVERIFIED),
    ("us-al.hours", "US-AL", (outside(time(8), time(20)),), RuleStatus.UNVERIFIED),
    ("us-nj.hours", "US-NJ", (outside(time(8), time(21)),), RuleStatus.UNVERIFIED),
    ("us-ma.hours", "US-MA", (outside(time(8), time(20)),), RuleStatus.UNVERIFIED),
    ("us-ky.hours", "US-KY", (outside(time(10), time(21)),), RuleStatus.UNVERIFIED),
    ("us-mi.hours", "US-MI", (outside(time(9), time(21)),), RuleStatus.UNVERIFIED),
    ("us-mn.hours", "US-MN", (outside(time(9), time(21)),), RuleStatus.UNVERIFIED),
    ("us-nv.hours", "US-NV", (outside(time(9), time(20)),), RuleStatus.UNVERIFIED),
    ("us-nm.hours", "US-NM", (outside(time(9), time(21)),), RuleStatus.UNVERIFIED),
    ("us-il.hours", "US-IL", (outside(time(8), time(21)),), RuleStatus.UNVERIFIED),
    (
        "us-tx.hours",
        "US-TX",
        (QuietWindow(time(21), time(9)), QuietWindow(time(9), time(12), SUNDAY)),
        RuleStatus.SECONDARY,
    ),
    (
        "us-tx.hours_central",
        "US-TX",
        (QuietWindow(time(21), time(9)), QuietWindow(time(9), time(12), SUNDAY)),
        RuleStatus.CONFLICTING,
    ),
    (
        "ca.crtc.hours",
        "CA",
        (outside(time(9), time(21, 30), WEEKDAYS), outside(time(10), time(18), WEEKEND)),
        RuleStatus.UNVERIFIED,
    ),
]


@pytest.mark.parametrize(("code", "jurisdiction", "quiet", "status"), EXPECTED_WINDOWS)
def test_window_matches_the_reference(
    code: str, jurisdiction: str, quiet: tuple[QuietWindow, ...], status: RuleStatus
) -> None:
    rule = BY_CODE[code]
    assert rule.jurisdiction == jurisdiction
    assert rule.quiet == quiet
    assert rule.status is status
    assert rule.purposes == frozenset({Purpose.MARKETING})


def test_effective_dates_from_the_reference() -> None:
    assert BY_CODE["us-fl.hours"].effective == date(2021, 7, 1)
    assert BY_CODE["us-ok.hours"].effective == date(2022, 11, 1)
    assert BY_CODE["us-md.hours"].effective == date(2024, 1, 1)
    assert BY_CODE["us-ct.hours"].effective == date(2023, 10, 1)
    assert BY_CODE["us-tx.hours"].effective == date(2025, 9, 1)


def test_rules_that_are_not_windows() -> None:
    washington = BY_CODE["us-wa.unsolicited_text"]
    assert washington.prohibited is True
    assert washington.waived_by_consent is True
    assert "19-190-060" in washington.source
    assert BY_CODE["us-ut.closed_days"].closed_days == SUNDAY
    assert BY_CODE["us-ut.closed_days"].closed_holidays is not None
    assert BY_CODE["us-ut.closed_days"].waived_by_consent is True
    assert BY_CODE["us-ms.sunday"].closed_days == SUNDAY
    assert BY_CODE["us-la.closed_days"].closed_days == SUNDAY
    assert BY_CODE["us-al.closed_days"].closed_days == SUNDAY


def test_conflicting_clocks_take_both_readings() -> None:
    assert BY_CODE["us-tx.hours"].clocks == ("recipient",)
    assert BY_CODE["us-tx.hours_central"].clocks == ("America/Chicago",)
    assert BY_CODE["us-ms.hours"].clocks == ("recipient", "Etc/GMT+6")
    assert BY_CODE["us-tx.hours_central"].note


def test_federal_window_is_kept_with_consent() -> None:
    assert BY_CODE["us.tcpa.hours"].waived_by_consent is False


def test_every_rule_has_a_source_and_a_unique_code() -> None:
    assert len(BY_CODE) == len(SHIPPED_RULES)
    for rule in SHIPPED_RULES:
        if rule.status is not RuleStatus.DEFAULT:
            assert all(part.strip().startswith("http") for part in rule.source.split(" ; "))
        if not rule.status.verified:
            assert rule.note, rule.code


def test_default_elsewhere_is_labelled_as_not_law() -> None:
    assert DEFAULT_ELSEWHERE.jurisdiction == "*"
    assert DEFAULT_ELSEWHERE.status is RuleStatus.DEFAULT
    assert DEFAULT_ELSEWHERE.status.verified is False


def test_state_caps_from_the_reference() -> None:
    caps = {(c.jurisdiction, c.limit, c.window, c.per_subject) for c in CAP_RULES}
    day = timedelta(hours=24)
    assert caps == {
        ("US-FL", 3, day, True), ("US-OK", 3, day, True), ("US-MD", 3, day, True),
        # Oregon HB 3865: 3 per 24 h per caller, whatever the subject (from 2026-01-01).
        ("US-OR", 3, day, False),
    }


def test_oregon_and_virginia_2026_rules_are_dated() -> None:
    # Both laws take effect 2026-01-01 (HB 3865 signed 2025-07-24; SB 1339 of 2025).
    oregon, virginia = BY_CODE["us-or.hours"], BY_CODE["us-va.hours"]
    assert oregon.effective == virginia.effective == date(2026, 1, 1)
    assert (oregon.waived_by_consent, virginia.waived_by_consent) == (False, True)
    assert next(c for c in CAP_RULES if c.code == "us-or.cap").effective == date(2026, 1, 1)


def test_us_federal_holidays_2026_by_rule() -> None:
    # 5 U.S.C. 6103; 4 July 2026 is a Saturday, observed Friday 3 July.
    expected = {
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),
        date(2026, 7, 4),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    }
    assert US_FEDERAL_HOLIDAYS.dates(2026) == expected


def test_observed_new_year_falls_in_the_previous_year() -> None:
    # 1 Jan 2022 was a Saturday: observed Friday 31 Dec 2021.
    assert date(2021, 12, 31) in US_FEDERAL_HOLIDAYS.dates(2021)
    assert date(2022, 1, 1) in US_FEDERAL_HOLIDAYS.dates(2022)
    assert date(2021, 12, 31) not in US_FEDERAL_HOLIDAYS.dates(2022)


def test_juneteenth_only_from_2021() -> None:
    assert date(2020, 6, 19) not in US_FEDERAL_HOLIDAYS.dates(2020)
    assert date(2021, 6, 18) in US_FEDERAL_HOLIDAYS.dates(2021)  # Saturday -> Friday


def test_snapshot_matches_the_shipped_rules() -> None:
    # Regenerate with tools/regen_quiet_snapshot.py and review the diff.
    snapshot = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert rules_to_data(SHIPPED_RULES) == snapshot
    assert rules_from_data(snapshot) == SHIPPED_RULES


def test_docs_table_lists_every_shipped_rule_and_cap() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "quiet-hours.md").read_text()
    for code in [r.code for r in SHIPPED_RULES] + [c.code for c in CAP_RULES]:
        assert f"`{code}`" in docs, code
