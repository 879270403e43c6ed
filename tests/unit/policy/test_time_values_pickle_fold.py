"""A value holding a time in the repeated hour of a clock change keeps that instant under
every pickle protocol and copy.

``datetime`` keeps ``fold`` only from pickle protocol 4, so a plain frozen dataclass
holding 01:30 EST (the second 01:30 of 2026-11-01 in New York) reads back as 01:30 EDT,
an hour earlier, and still equal: equality compares one zone's times by wall clock.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from _copies import COPIES, NEW_YORK, SECOND, UTC_OF_SECOND, copied, public_dataclasses
from smskit import (
    AutoReply,
    CapDecision,
    Decision,
    RevokeAllRule,
    SendRecord,
    Verdict,
    WindowDecision,
)
from smskit.keywords.classify import MatchKind
from smskit.segments.encoding import Encoding


def _decision(at: datetime, not_before: datetime | None) -> Decision:
    return Decision(Verdict.DEFER, at, not_before, (), "hi", Encoding.GSM7, 1, 1,
                    Decimal("0.0079"), "USD", "deferred", "+12125550100", "k1")


@dataclass(frozen=True, slots=True)
class _Plain:
    at: datetime


@pytest.mark.parametrize("protocol", range(4))
def test_the_premise_a_plain_frozen_dataclass_loses_the_fold(protocol: int) -> None:
    again = pickle.loads(pickle.dumps(_Plain(SECOND), protocol=protocol))
    assert again == _Plain(SECOND)  # equal, yet
    assert again.at.astimezone(UTC) == UTC_OF_SECOND - timedelta(hours=1)


@pytest.mark.parametrize("how", COPIES)
def test_a_decision_keeps_the_instants_it_was_asked_and_deferred_to(how: str) -> None:
    decision = _decision(SECOND - timedelta(hours=2), SECOND)
    again = copied(decision, how)
    assert isinstance(again, Decision)
    assert again == decision
    assert again.not_before is not None
    assert again.not_before.astimezone(UTC) == UTC_OF_SECOND
    assert again.not_before.tzinfo is NEW_YORK
    asked = _decision(SECOND, None)
    assert copied(asked, how).at.astimezone(UTC) == UTC_OF_SECOND  # type: ignore[attr-defined]


@pytest.mark.parametrize("how", COPIES)
def test_other_values_keep_a_repeated_hour_time(how: str) -> None:
    values: list[tuple[object, str]] = [
        (CapDecision(False, SECOND, SECOND), "next_allowed"),
        (WindowDecision(False, SECOND, SECOND), "next_allowed"),
        (AutoReply("Stopped", MatchKind.OPT_OUT, SECOND), "send_by"),
        (SendRecord("+12125550100", "+14155550100", SECOND), "at"),
    ]
    for value, name in values:
        again = copied(value, how)
        assert again == value
        assert getattr(again, name).astimezone(UTC) == UTC_OF_SECOND, type(value).__name__


def test_every_public_value_holding_a_time_pickles_its_own_way() -> None:
    classes = public_dataclasses("datetime")
    assert Decision in classes  # the walk finds them
    assert AutoReply in classes
    plain = [c.__qualname__ for c in classes if "__reduce__" not in vars(c)]
    assert plain == []


@pytest.mark.parametrize("how", COPIES)
def test_the_revoke_all_rule_is_rebuilt_with_its_start(how: str) -> None:
    rule = RevokeAllRule(date(2027, 1, 31), "https://example.org/order", zone="America/New_York")
    again = copied(rule, how)
    assert again == rule
    assert again.starts == datetime(2027, 1, 31, 5, 0, tzinfo=UTC)  # midnight EST
