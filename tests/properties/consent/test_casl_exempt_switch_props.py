"""Review of fix29h: ``ConsentRules.exempt_needs_record`` is honoured alike by every path
that answers consent: ``ConsentLedger.status`` (its ``allows_send``), the engine's
``decide`` and ``decide_many``, and a ``known_at`` replay. Switching it off changes only
a CASL ``consent.missing`` (status "default") for a non-marketing exempt purpose into
``consent.exempt``: never a US number, never marketing, never anything recorded."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from smskit import CompliancePipeline, Registration, SenderProfile, SendRequest
from smskit.consent import CASL, US, ConsentLedger, ConsentState, MemoryStore, Purpose
from smskit.errors import SmskitError
from smskit.policy import default_policies

TORONTO = "+14165550123"
NEW_YORK = "+12125550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
AT = datetime(2026, 6, 2, 15, 0, tzinfo=UTC)
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")
BODY = "Acme: your visit is Tue at 10. Reply STOP to opt out"
CONSENT_CODES = ("consent.granted", "consent.missing", "consent.exempt", "consent.expired",
                 "consent.pending", "consent.revoked", "consent.insufficient")

purposes = st.sampled_from(list(Purpose))
# Weighted towards events that decide the answer in scope "acme" (a narrower or another
# scope leaves it at nothing recorded, which the examples already reach often).
scopes = st.sampled_from(["acme", "acme", "acme/east", "other"])
steps = st.lists(st.tuples(
    st.sampled_from(["grant", "grant_ends", "request", "confirm", "revoke", "regrant"]),
    scopes, st.one_of(st.just(frozenset(Purpose)), st.frozensets(purposes, min_size=1)),
    st.integers(0, 200)), max_size=4)


def _record(ledger: ConsentLedger, number: str,
            plan: list[tuple[str, str, frozenset[Purpose], int]]) -> None:
    for kind, scope, chosen, day in plan:
        at = T0 + timedelta(days=day)
        if kind in ("grant", "grant_ends"):
            ledger.grant(number, scope=scope, purposes=chosen, kind="implied",
                         source="api", at=at, implied_basis="purchase",
                         expires_at=at + timedelta(days=30) if kind == "grant_ends" else None)
        elif kind == "request":
            ledger.request(number, scope=scope, purposes=chosen, kind="express",
                           source="web_form", at=at)
        elif kind == "confirm":
            with contextlib.suppress(SmskitError):  # nothing pending: the step is skipped
                ledger.confirm(number, scope=scope, at=at)
        elif kind == "revoke":
            ledger.revoke(number, scope=scope, at=at, purposes=chosen)
        else:
            ledger.regrant(number, scope=scope, at=at, purposes=chosen)


def _consent(codes: tuple[str, ...]) -> list[str]:
    return [c for c in codes if c in CONSENT_CODES]


@given(plan=steps, purpose=purposes, needs_record=st.booleans(), replay=st.booleans())
def test_single_batch_and_ledger_agree_with_the_switch_on_and_off(
        plan: list[tuple[str, str, frozenset[Purpose], int]], purpose: Purpose,
        needs_record: bool, replay: bool) -> None:
    rules = replace(CASL, exempt_needs_record=needs_record)
    store = MemoryStore()
    ledger = ConsentLedger(store, rules=rules)
    _record(ledger, TORONTO, plan)
    known_at = T0 + timedelta(days=100) if replay else None
    status = ledger.status(TORONTO, purpose, scope="acme", at=AT, known_at=known_at)
    engine = CompliancePipeline(default_policies(store=store,
                                                 consent_rules={"US": US, "CA": rules}))
    request = SendRequest(TORONTO, body=BODY, purpose=purpose)
    one = engine.decide(request, SENDER, AT, known_at=known_at)
    (many,) = engine.decide_many([request], SENDER, AT, known_at=known_at).decisions
    assert _consent(one.codes) == _consent(many.codes) == [status.findings[0].code]
    # allows_send is exactly "the consent finding does not block".
    assert status.allows_send is (status.findings[0].severity.value != "block")
    # ... which, but for consent.exempt, is what it was: a live grant (no caller of
    # allows_send sees another answer than before).
    if status.findings[0].code != "consent.exempt":
        assert status.allows_send is (status.state is ConsentState.GRANTED)
    # The switch opens only: nothing recorded, a non-marketing exempt purpose, CASL.
    default = ConsentLedger(store, rules=CASL).status(TORONTO, purpose, scope="acme", at=AT,
                                                      known_at=known_at)
    if status.findings[0].code == "consent.exempt":
        assert not needs_record
        assert purpose in CASL.exempt
        assert purpose is not Purpose.MARKETING
        assert (default.findings[0].code, default.findings[0].status) == (
            "consent.missing", "default")
        assert status.evidence == ()
        assert status.allows_send
    else:
        assert status.findings[0] == default.findings[0]
        assert status.allows_send is default.allows_send
    if purpose is Purpose.MARKETING:
        assert status.allows_send is default.allows_send


@given(plan=steps, purpose=purposes)
def test_a_us_number_is_never_affected(plan: list[tuple[str, str, frozenset[Purpose], int]],
                                       purpose: Purpose) -> None:
    store = MemoryStore()
    _record(ConsentLedger(store), NEW_YORK, plan)
    request = SendRequest(NEW_YORK, body=BODY, purpose=purpose)
    answers = []
    for rules in ({"US": US, "CA": CASL},
                  {"US": US, "CA": replace(CASL, exempt_needs_record=False)}):
        engine = CompliancePipeline(default_policies(store=store, consent_rules=rules))
        answers.append((engine.decide(request, SENDER, AT).codes,
                        engine.decide_many([request], SENDER, AT).decisions[0].codes))
    assert answers[0] == answers[1]
    assert "consent.exempt" not in answers[0][0]


@given(plan=steps)
def test_marketing_is_never_opened_by_the_switch(
        plan: list[tuple[str, str, frozenset[Purpose], int]]) -> None:
    store = MemoryStore()
    _record(ConsentLedger(store, rules=CASL), TORONTO, plan)
    answers = [ConsentLedger(store, rules=rules).status(TORONTO, Purpose.MARKETING,
                                                        scope="acme", at=AT)
               for rules in (CASL, replace(CASL, exempt_needs_record=False),
                             replace(CASL, exempt=frozenset(Purpose) - {Purpose.MARKETING},
                                     exempt_needs_record=False))]
    assert answers[0].findings == answers[1].findings == answers[2].findings
    assert answers[0].allows_send is answers[1].allows_send is answers[2].allows_send
