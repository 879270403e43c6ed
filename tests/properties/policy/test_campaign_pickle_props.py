"""A campaign's result goes to worker processes (multiprocessing, celery): it pickles under
every protocol and copies, equal, with its counts still read-only; so do the request and
the settings values that hold a read-only mapping."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterable
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _copies import public_dataclasses
from smskit import (
    CompliancePipeline,
    Finding,
    PolicyContext,
    RateCard,
    Registration,
    Route,
    SenderProfile,
    SendRequest,
    Severity,
)
from smskit.consent._rules import US
from smskit.content.checks import LintConfig
from smskit.keywords.classify import KeywordSet
from smskit.mms.policy import MmsPolicy
from smskit.policy.pipeline import CampaignDecisions
from smskit.pricing import estimate

NY = ZoneInfo("America/New_York")
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme")
RATES = RateCard.from_toml('currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.0079\n')
T = TypeVar("T")
HOW = st.integers(0, pickle.HIGHEST_PROTOCOL) | st.sampled_from(["deep", "copy"])


def _by_body(request: SendRequest, sender: SenderProfile, context: PolicyContext,
             at: datetime, /) -> Iterable[Finding]:
    """Blocks bodies with "x", defers those with "q" (as quiet hours would), allows the rest."""
    if "x" in context.body:
        yield Finding("test.blocked", Severity.BLOCK, "x is refused")
    if "q" in context.body:
        yield Finding("test.quiet", Severity.DEFER, "wait", details=MappingProxyType(
            {"not_before": at.replace(hour=9, minute=0, fold=0), "local_time": at}))


def _again(value: T, how: int | str) -> T:
    if how == "deep":
        return copy.deepcopy(value)
    if how == "copy":
        return copy.copy(value)
    assert isinstance(how, int)
    again: T = pickle.loads(pickle.dumps(value, protocol=how))
    return again


def _instant(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC)


@given(
    bodies=st.lists(st.text("abqx", min_size=1, max_size=5), max_size=6),
    at=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(NY))
    | st.just(datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)),
    priced=st.booleans(),
    how=HOW,
)
def test_campaign_decisions_survive_pickle_and_copy(
    bodies: list[str], at: datetime, priced: bool, how: int | str
) -> None:
    engine = CompliancePipeline((_by_body,), rates=RATES if priced else None)
    requests = [SendRequest("+12125550100", body=b) for b in bodies]
    result = engine.decide_many(requests, SENDER, at)

    again = _again(result, how)

    assert isinstance(again, CampaignDecisions)
    assert again == result
    assert again.decisions == result.decisions
    assert again.total_cost == result.total_cost
    # Equality compares one zone's times by wall clock: the instants tell the fold.
    for name in ("at", "not_before"):
        assert [_instant(getattr(d, name)) for d in again.decisions] == [
            _instant(getattr(d, name)) for d in result.decisions]
    for name in ("by_verdict", "by_code", "cost_by_verdict"):
        assert isinstance(getattr(again, name), MappingProxyType)
        assert dict(getattr(again, name)) == dict(getattr(result, name))
        with pytest.raises(TypeError):
            getattr(again, name)["other"] = 1
    with pytest.raises(FrozenInstanceError):
        again.currency = "EUR"  # type: ignore[misc]
    # Unhashable before (the counts are mappings), and just as unhashable after.
    for value in (result, again):
        with pytest.raises(TypeError):
            hash(value)


@given(values=st.dictionaries(st.text(max_size=4), st.integers() | st.text(max_size=4),
                              max_size=3), how=HOW)
def test_a_request_with_template_values_survives_pickle_and_copy(
    values: dict[str, object], how: int | str
) -> None:
    request = SendRequest("+12125550100", body="hi", values=values, subject="sale")
    again = _again(request, how)
    assert again == request
    assert isinstance(again.values, MappingProxyType)
    assert dict(again.values) == values


@given(how=HOW)
def test_settings_holding_read_only_mappings_survive_pickle_and_copy(how: int | str) -> None:
    lint = LintConfig(severities={"content.url_shortener": Severity.BLOCK})
    mms = MmsPolicy(severities={"mms.too_large": Severity.WARNING})
    keywords = KeywordSet.default(("en",))
    for value in (lint, mms, keywords):
        again = _again(value, how)
        assert again == value
    assert _severities(lint, how) == {"content.url_shortener": Severity.BLOCK}
    assert _again(mms, how).limits == mms.limits
    stop = keywords.kind_of("stop")
    assert stop is not None
    assert _again(keywords, how).kind_of("stop") is stop


@given(how=HOW)
def test_prices_and_consent_rules_survive_pickle_and_copy(how: int | str) -> None:
    cost = estimate("Acme: sale today", rates=RATES, to="+12125550100")
    for value, name in ((RATES, "rates"), (cost, "by_country"), (US, "accepted")):
        again = _again(value, how)
        assert again == value
        assert isinstance(getattr(again, name), MappingProxyType)
    assert _again(RATES, how).route_rates("US", Route.TEN_DLC) == RATES.route_rates(
        "US", Route.TEN_DLC)


# Not values to send elsewhere: a consent policy holds a store (a database connection).
# A policy's context (keyed by id() of this process's policies) is not one either, but
# it holds a time since known_at, and every dataclass holding a time pickles its own
# way (tests/unit/policy/test_time_values_pickle_fold.py).
NOT_VALUES = {"ConsentPolicy"}


def test_every_public_value_holding_a_mapping_pickles_its_own_way() -> None:
    found = {c.__qualname__: c for c in public_dataclasses("Mapping")}
    assert "CampaignDecisions" in found  # the walk finds them
    assert "RateCard" in found
    assert "ConsentRules" in found
    plain = sorted(n for n, c in found.items() if "__reduce__" not in vars(c))
    assert plain == sorted(NOT_VALUES)


def _severities(lint: LintConfig, how: int | str) -> dict[str, Severity]:
    severities = _again(lint, how).severities
    assert isinstance(severities, MappingProxyType)
    return dict(severities)


def test_the_premise_a_read_only_mapping_does_not_pickle() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(MappingProxyType({"a": 1}))
