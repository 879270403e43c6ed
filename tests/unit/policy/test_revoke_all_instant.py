"""The FCC revoke-all rule starts when 2027-01-31 begins anywhere in the US (fix29c).

The order gives a day. The rule refuses more sends, so the conservative instant is the
earliest one: midnight in Guam (UTC+10, no daylight time), 2027-01-30 14:00 UTC, which
is 09:00 on the 30th in New York. It was read at 00:00 UTC, ten hours later.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest, Verdict
from smskit.consent import ConsentLedger, Evidence, MemoryStore
from smskit.consent._rules import FCC_REVOKE_ALL, RevokeAllRule
from smskit.errors import ConfigurationError
from smskit.policy import OptOutPolicy, default_policies
from smskit.routes import Route

NY = ZoneInfo("America/New_York")
LEAD = "+12125550123"
START = datetime(2027, 1, 30, 14, 0, tzinfo=UTC)
JUST_BEFORE = START - timedelta(microseconds=1)
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme/b")


def _store() -> MemoryStore:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    for scope in ("acme/a", "acme/b"):
        ledger.grant(LEAD, scope=scope, purposes="informational", kind="express",
                     source="web_form", at=datetime(2026, 1, 5, 15, 0, tzinfo=UTC),
                     evidence=Evidence(form_url="https://acme.example/join"))
    ledger.revoke(LEAD, scope="acme/a", at=datetime(2026, 6, 1, 14, 0, tzinfo=UTC))
    return store


REQUEST = SendRequest(LEAD, body="Acme: your visit is Tue", purpose="informational")


def test_the_fcc_rule_starts_at_midnight_in_guam() -> None:
    assert FCC_REVOKE_ALL.effective == date(2027, 1, 31)
    assert FCC_REVOKE_ALL.starts == START
    assert START.astimezone(NY) == datetime(2027, 1, 30, 9, 0, tzinfo=NY)


@pytest.mark.parametrize(("at", "wide"), [
    (JUST_BEFORE, False),
    (START, True),
    (datetime(2027, 1, 30, 9, 0, tzinfo=NY), True),  # the same instant, New York clock
    (datetime(2027, 1, 30, 8, 59, tzinfo=NY), False),
])
def test_both_sides_of_the_start(at: datetime, wide: bool) -> None:
    engine = CompliancePipeline((OptOutPolicy(_store()),))
    assert ("opt_out.revoke_all" in engine.decide(REQUEST, SENDER, at).codes) is wide


@pytest.mark.parametrize("at", [JUST_BEFORE, START])
def test_a_batch_agrees_with_one_decision_at_the_start(at: datetime) -> None:
    # The consent policy's shared read widens on the same instant as the opt-out policy.
    engine = CompliancePipeline(default_policies(store=_store()))
    requests = [REQUEST, SendRequest(LEAD, body="Acme: see you", purpose="informational",
                                     scope="acme/a")]
    one_by_one = [engine.decide(r, SENDER, at) for r in requests]
    assert list(engine.decide_many(requests, SENDER, at).decisions) == one_by_one


def test_another_clock_can_be_chosen() -> None:
    utc = RevokeAllRule(date(2027, 1, 31), "test", zone="UTC")
    assert utc.starts == datetime(2027, 1, 31, tzinfo=UTC)
    engine = CompliancePipeline((OptOutPolicy(_store(), utc),))
    assert "opt_out.revoke_all" not in engine.decide(REQUEST, SENDER, START).codes
    found = engine.decide(REQUEST, SENDER, datetime(2027, 1, 31, tzinfo=UTC)).findings
    assert any("from 2027-01-31 00:00 UTC" in f.message for f in found)


def test_a_zone_that_does_not_exist_says_what_to_pass() -> None:
    with pytest.raises(ConfigurationError, match="IANA time zone") as caught:
        RevokeAllRule(date(2027, 1, 31), "test", zone="America/Nowhere")
    assert caught.value.field == "zone"


# Review rev29c: the revoke-all replay starts from the caller's last opt-out, so it forgot
# an older opt-out in the question's own scope (or a toll-free STOP the network still
# holds) that nothing in that scope lifted: starting the rule earlier would then have
# allowed sends it blocked the second before. Revoke-all only adds opt-outs.
FORM = Evidence(form_url="https://acme.example/join")
TOLL_FREE = SenderProfile(sender_id="+18885550100", registration=Registration.VERIFIED,
                          route=Route.TOLL_FREE, brand="Acme", consent_scope="acme/a")


def _day(day: int) -> datetime:
    return datetime(2026, 6, day, 14, 0, tzinfo=UTC)


def _grant(ledger: ConsentLedger, scope: str, day: int) -> None:
    ledger.grant(LEAD, scope=scope, purposes="informational", kind="express",
                 source="web_form", at=_day(day), evidence=FORM)


@pytest.mark.parametrize("at", [JUST_BEFORE, START])
def test_a_sibling_scope_lifted_does_not_lift_this_scopes_opt_out(at: datetime) -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    _grant(ledger, "acme/a", 1)
    _grant(ledger, "acme/b", 1)
    ledger.revoke(LEAD, scope="acme/b", at=_day(2))  # never lifted in acme/b ...
    ledger.revoke(LEAD, scope="acme/a", at=_day(3))
    _grant(ledger, "acme/a", 4)  # ... this lifts acme/a's only
    ledger.revoke(LEAD, scope="acme/a/x", at=_day(5))
    _grant(ledger, "acme/a/x", 6)
    engine = CompliancePipeline((OptOutPolicy(store),))
    found = engine.decide(REQUEST, SENDER, at).findings  # asked in acme/b
    assert [(f.code, f.details["opted_out_at"]) for f in found] == [
        ("opt_out.active", _day(2))]


@pytest.mark.parametrize("at", [JUST_BEFORE, START])
def test_a_child_scopes_grant_does_not_lift_the_parents_opt_out(at: datetime) -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    _grant(ledger, "acme/b", 1)
    ledger.revoke(LEAD, scope="acme/b", at=_day(2))
    _grant(ledger, "acme/b/x", 3)  # consent for a part of acme/b only
    engine = CompliancePipeline((OptOutPolicy(store),))
    assert engine.decide(REQUEST, SENDER, at).codes == ("opt_out.active",)


@pytest.mark.parametrize("at", [JUST_BEFORE, START])
def test_a_toll_free_stop_still_held_is_not_forgotten_under_revoke_all(at: datetime) -> None:
    store = MemoryStore()
    ledger = ConsentLedger(store)
    _grant(ledger, "acme/a", 1)
    _grant(ledger, "acme/b", 1)
    ledger.revoke(LEAD, scope="acme/a", at=_day(2), method="keyword", source="keyword")
    _grant(ledger, "acme/a", 3)  # a web form: the network still holds the STOP
    ledger.revoke(LEAD, scope="acme/b", at=_day(4))
    _grant(ledger, "acme/b", 5)
    engine = CompliancePipeline(default_policies(store=store))
    decision = engine.decide(REQUEST, TOLL_FREE, at)
    assert decision.verdict is Verdict.BLOCK
    assert "opt_out.toll_free_network" in decision.codes
