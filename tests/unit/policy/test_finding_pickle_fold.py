"""A finding's time in the repeated hour of a clock change survives every pickle protocol.

``datetime`` keeps ``fold`` only from pickle protocol 4; before that, 01:30 EST (the
second 01:30 of 2026-11-01 in New York) reads back as 01:30 EDT, an hour earlier, and
still compares equal (same zone: compared by wall clock), so equality alone misses it.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest

from _copies import COPIES, NEW_YORK, SECOND, UTC_OF_SECOND, copied
from smskit.findings import Finding, Severity
from smskit.providers import DeliveryStatus, MessageStatus


@pytest.mark.parametrize("how", COPIES)
def test_a_repeated_hour_time_in_details_reads_back_as_the_same_instant(how: str) -> None:
    assert SECOND.astimezone(UTC) == UTC_OF_SECOND  # the premise, without smskit
    finding = Finding(
        "quiet_hours.outside_window", Severity.DEFER, "wait", details=MappingProxyType({
            "local_time": SECOND,
            "nested": MappingProxyType({"times": (SECOND, [SECOND])}),
        }))
    again = copied(finding, how)
    assert isinstance(again, Finding)
    nested = again.details["nested"]
    assert isinstance(nested, MappingProxyType)
    for when in (again.details["local_time"], nested["times"][0], nested["times"][1][0]):
        assert isinstance(when, datetime)
        assert when.astimezone(UTC) == UTC_OF_SECOND
        assert when.tzinfo is NEW_YORK
        assert when.fold == 1


@pytest.mark.parametrize("how", COPIES)
def test_a_status_read_in_a_zone_keeps_its_instant(how: str) -> None:
    status = DeliveryStatus("SM1", MessageStatus.DELIVERED, carrier_done_at=SECOND)
    again = copied(status, how)
    assert isinstance(again, DeliveryStatus)
    assert again.carrier_done_at is not None
    assert again.carrier_done_at.astimezone(UTC) == UTC_OF_SECOND


def test_the_first_of_the_repeated_hour_stays_first() -> None:
    first = SECOND.replace(fold=0)
    finding = Finding("x.y", Severity.INFO, "m", details=MappingProxyType({"at": first}))
    again = pickle.loads(pickle.dumps(finding, protocol=2))
    assert again.details["at"].astimezone(UTC) == UTC_OF_SECOND - timedelta(hours=1)
