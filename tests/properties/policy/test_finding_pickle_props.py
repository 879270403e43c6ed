"""A Finding pickles and deep-copies to an equal Finding whose details (and the mappings
nested in them, as a decision read back from JSON holds) are still read-only."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit.findings import Finding, Severity

leaves = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.decimals(allow_nan=False),
    # A named zone's repeated hour: fold tells its two instants apart.
    st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("America/New_York")])),
    st.just(datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York"))),
)
nested = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=3).map(MappingProxyType),
    ),
    max_leaves=10,
)
findings = st.builds(
    Finding,
    code=st.sampled_from(["content.too_long", "consent.missing", "x.y_z"]),
    severity=st.sampled_from(Severity),
    message=st.text(max_size=30),
    source=st.text(max_size=10),
    details=st.dictionaries(st.text(max_size=5), nested, max_size=4).map(MappingProxyType),
    status=st.sampled_from(["", "verified", "unverified", "default"]),
)


def _proxies(value: object) -> list[object]:
    """Every mapping in ``value``, however deep, in a fixed order."""
    if isinstance(value, MappingProxyType | dict):
        return [value, *[p for v in value.values() for p in _proxies(v)]]
    if isinstance(value, tuple):
        return [p for v in value for p in _proxies(v)]
    return []


def _instants(value: object) -> list[object]:
    """Every datetime in ``value``, however deep, as a UTC instant (equality alone
    compares two times of one zone by wall clock, fold ignored)."""
    if isinstance(value, datetime):
        return [value.astimezone(UTC)]
    if isinstance(value, MappingProxyType | dict):
        return [i for v in value.values() for i in _instants(v)]
    if isinstance(value, tuple):
        return [i for v in value for i in _instants(v)]
    return []


@given(findings, st.integers(0, pickle.HIGHEST_PROTOCOL) | st.sampled_from(["deep", "copy"]))
def test_a_finding_survives_pickle_and_copy(finding: Finding, how: int | str) -> None:
    if how == "deep":
        again = copy.deepcopy(finding)
    elif how == "copy":
        again = copy.copy(finding)
    else:
        assert isinstance(how, int)
        again = pickle.loads(pickle.dumps(finding, protocol=how))
    assert again == finding
    before, after = _proxies(finding.details), _proxies(again.details)
    assert [type(m) for m in after] == [type(m) for m in before]
    assert all(isinstance(m, MappingProxyType) for m in after)
    assert _instants(again.details) == _instants(finding.details)
    with pytest.raises(FrozenInstanceError):
        again.code = "other.code"  # type: ignore[misc]
