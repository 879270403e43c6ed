"""A decision cites the consent event that decided it, so an auditor goes from a saved
decision to its evidence (docs/consent.md, "From a decision to its evidence").

Each test records events whose evidence differs (form URL, consent text, reply) and
checks that the event the decision cites, looked up in the ledger by its sequence,
carries the evidence of the event that must have decided: the expected event is the
one the test recorded, never one the engine names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Decision,
    Evidence,
    Finding,
    MemoryStore,
    PostgresConsentStore,
    Registration,
    Route,
    SenderProfile,
    SendRequest,
    Severity,
    SQLiteStore,
    Verdict,
    default_policies,
)
from smskit.consent.model import ConsentEvent, EventKind
from smskit.errors import ConsentError

LEAD = "+12125550123"
OTHER = "+12125550147"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
ASK = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)  # 12:00 in New York: no quiet hours
AFTER_REVOKE_ALL = datetime(2027, 3, 2, 17, 0, tzinfo=UTC)  # FCC revoke-all in force
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def form(version: str) -> Evidence:
    return Evidence(consent_text=f"I agree to marketing texts from Acme ({version})",
                    form_url=f"https://acme.example/signup/{version}")


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConsentLedger]:
    if request.param == "memory":
        store: Any = MemoryStore()
    elif request.param == "sqlite":
        store = SQLiteStore(tmp_path / "consent.db", durable=False)
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        store = PostgresConsentStore(dsn, schema=request.getfixturevalue("pg_schema"))
        store.create_schema()
    with ConsentLedger(store) as made:
        yield made


def decide(ledger: ConsentLedger, at: datetime = ASK, scope: str | None = None,
           number: str = LEAD) -> Decision:
    engine = CompliancePipeline(default_policies(store=ledger.store))
    return engine.decide(SendRequest(number, body="Spring sale", scope=scope), SENDER, at)


def cited(decision: Decision, code: str) -> int:
    (finding,) = [f for f in decision.findings if f.code == code]
    sequence = finding.details["event"]
    assert type(sequence) is int
    return sequence


def test_a_grant_allows_citing_that_grant_not_an_older_form_or_another_person(
        ledger: ConsentLedger) -> None:
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    ledger.grant(OTHER, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0 + timedelta(days=2), evidence=form("other"))
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0 + timedelta(days=1), evidence=form("v2"))
    decision = decide(ledger)
    assert decision.verdict is Verdict.ALLOW
    event = ledger.event(cited(decision, "consent.granted"))
    assert event.recipient == LEAD
    assert event.evidence == form("v2")  # the latest of two equal grants decides
    assert event.occurred_at == T0 + timedelta(days=1)
    assert decision.consent_events == (event.sequence,)


def test_a_stop_blocks_citing_the_stop_in_both_findings(ledger: ConsentLedger) -> None:
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(days=3))
    decision = decide(ledger)
    assert decision.verdict is Verdict.BLOCK
    stop = cited(decision, "opt_out.active")
    assert cited(decision, "consent.revoked") == stop
    event = ledger.event(stop)
    assert (event.kind, event.recipient, event.evidence.reply_text) == (
        EventKind.REVOKED, LEAD, "STOP")
    assert decision.consent_events == (stop,)


def test_a_regrant_after_a_stop_allows_citing_the_regrant(ledger: ConsentLedger) -> None:
    grant = ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                         source="web_form", at=T0, evidence=form("v1"))
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(days=3))
    back = Evidence(consent_text="Welcome back: texts from Acme again",
                    form_url="https://acme.example/welcome-back")
    ledger.regrant(LEAD, scope="acme", source="web_form", at=T0 + timedelta(days=5),
                   evidence=back)
    decision = decide(ledger)
    assert decision.verdict is Verdict.ALLOW
    (finding,) = [f for f in decision.findings if f.code == "consent.granted"]
    event = ledger.event(cited(decision, "consent.granted"))
    assert (event.kind, event.recipient, event.evidence) == (EventKind.REGRANTED, LEAD, back)
    # It relies on the grant the re-grant restored too (the written consent text).
    assert finding.details["events"] == (grant.sequence, event.sequence)


def test_revoke_all_blocks_another_scope_citing_the_revocation(ledger: ConsentLedger) -> None:
    for store in ("store-7", "store-9"):
        ledger.grant(LEAD, scope=f"acme/{store}", purposes="marketing",
                     kind="express_written", source="web_form", at=T0, evidence=form(store))
    revoked = ledger.revoke(LEAD, scope="acme/store-9", at=AFTER_REVOKE_ALL - timedelta(days=1),
                            evidence=Evidence(reference="ticket-881"))
    decision = decide(ledger, AFTER_REVOKE_ALL, scope="acme/store-7")
    assert decision.verdict is Verdict.BLOCK
    event = ledger.event(cited(decision, "opt_out.revoke_all"))
    assert event == revoked
    assert event.evidence.reference == "ticket-881"
    # The consent finding still cites store-7's own grant: both are in the record.
    grant = ledger.event(cited(decision, "consent.granted"))
    assert grant.evidence == form("store-7")
    assert decision.consent_events == tuple(
        cited(decision, f.code) for f in decision.findings if "event" in f.details)


def test_a_toll_free_network_hold_cites_the_stop_texted_to_it() -> None:
    # A START to the long code after a STOP to the toll-free number: the network still
    # holds the STOP (docs/consent.md), and the finding cites that STOP, not the START.
    ledger = ConsentLedger(MemoryStore())
    toll_free = SenderProfile(sender_id="+18885550100", route=Route.TOLL_FREE,
                              registration=Registration.VERIFIED, brand="Acme",
                              consent_scope="acme")
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    stop = ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(days=1),
                               profile=toll_free, message_id="SM1")
    ledger.handle_reply(LEAD, "START", scope="acme", at=T0 + timedelta(days=2),
                        profile=SENDER, message_id="SM2")
    engine = CompliancePipeline(default_policies(store=ledger.store))
    decision = engine.decide(SendRequest(LEAD, body="Spring sale"), toll_free, ASK)
    event = ledger.event(cited(decision, "opt_out.toll_free_network"))
    assert (event.kind, event.evidence.reply_text) == (EventKind.REVOKED, "STOP")
    assert event == stop.event


def test_the_reference_round_trips_and_explains_without_the_number() -> None:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    ledger.handle_reply(LEAD, "STOP", scope="acme", at=T0 + timedelta(days=3))
    ledger.regrant(LEAD, scope="acme", source="web_form", at=T0 + timedelta(days=5),
                   evidence=form("v3"))
    decision = decide(ledger)
    assert Decision.from_json(decision.to_json()) == decision
    assert Decision.from_json(decision.to_json(mask=True)).consent_events == (3,)
    text = decision.explain()
    assert "  evidence: ledger event 3 (regranted 2026-01-10T15:00:00+00:00); " \
           "relies on events 1, 3" in text
    for shown in (text, decision.to_json(mask=True)):
        assert not re.search(r"2125550123|212555", shown)


def test_a_record_saved_before_the_reference_still_loads() -> None:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    record = decide(ledger).to_dict()
    for finding in record["findings"]:
        for key in ("event", "event_kind", "event_at", "events"):
            finding["details"].pop(key, None)
    old = Decision.from_dict(record)
    assert old.consent_events == ()
    assert "evidence:" not in old.explain()


def test_the_ledger_refuses_a_sequence_it_does_not_hold(ledger: ConsentLedger) -> None:
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    assert ledger.event(1).evidence == form("v1")
    for bad in (0, 2, -1):
        with pytest.raises(ConsentError, match="sequence"):
            ledger.event(bad)


def test_decide_many_cites_what_decide_cites(ledger: ConsentLedger) -> None:
    numbers = [f"+1212555{n:04d}" for n in range(120, 130)]
    for i, number in enumerate(numbers):
        ledger.grant(number, scope="acme", purposes="marketing", kind="express_written",
                     source="web_form", at=T0, evidence=form(f"p{i}"))
        if i % 3:  # a STOP, kept (1) or lifted by a re-grant (2)
            ledger.handle_reply(number, "STOP", scope="acme", at=T0 + timedelta(days=1))
        if i % 3 == 2:
            ledger.regrant(number, scope="acme", source="web_form",
                           at=T0 + timedelta(days=2), evidence=form(f"back{i}"))
    engine = CompliancePipeline(default_policies(store=ledger.store))
    requests = [SendRequest(n, body="Spring sale") for n in numbers]
    batch = engine.decide_many(requests, SENDER, ASK).decisions
    one_by_one = [engine.decide(r, SENDER, ASK) for r in requests]
    assert batch == tuple(one_by_one)
    for i, decision in enumerate(batch):  # the grant, the STOP, the re-grant: by evidence
        event = ledger.event(decision.consent_events[0])
        assert event.recipient == numbers[i]
        assert (event.evidence.reply_text if i % 3 == 1 else event.evidence.form_url) == (
            "STOP" if i % 3 == 1 else form(f"p{i}" if i % 3 == 0 else f"back{i}").form_url)


# -- property: the cited event is the latest deciding one, per a readable model ---------

ASKED = "acme/app"
COVERING = ("acme", "acme/app")  # scopes whose events apply to a question in acme/app
Step = tuple[str, str, str]  # (who, what, scope)


def expected_citation(events: list[ConsentEvent]) -> tuple[str, ConsentEvent | None]:
    """The model: replay the person's applicable events in time order. A grant decides
    (granted); a revocation decides (revoked) until the next grant, or the next re-grant
    if a grant was ever made (a re-grant restores only grants that exist)."""
    cited: ConsentEvent | None = None
    state, granted_ever, revoked = "missing", False, False
    for event in sorted(events, key=lambda e: e.occurred_at):
        if str(event.scope) not in COVERING:
            continue
        if event.kind is EventKind.GRANTED:
            state, cited, granted_ever, revoked = "granted", event, True, False
        elif event.kind is EventKind.REVOKED:
            state, cited, revoked = "revoked", event, True
        elif event.kind is EventKind.REGRANTED and revoked:
            revoked = False
            state, cited = ("granted", event) if granted_ever else ("missing", None)
    return state, cited


steps = st.lists(st.tuples(st.sampled_from([LEAD, OTHER]),
                           st.sampled_from(["grant", "revoke", "regrant"]),
                           st.sampled_from(["acme", "acme/app", "acme/other", "beta"])),
                 max_size=12)
# Distinct times (hours from T0) in any recording order: ties are another rule's test.
hours = st.lists(st.integers(0, 500), min_size=12, max_size=12, unique=True)
RECORD: dict[str, Callable[..., ConsentEvent]] = {
    "grant": lambda ledger, who, scope, at, n: ledger.grant(
        who, scope=scope, purposes="marketing", kind="express_written", source="web_form",
        at=at, evidence=form(f"e{n}")),
    "revoke": lambda ledger, who, scope, at, n: ledger.revoke(
        who, scope=scope, at=at, evidence=Evidence(reference=f"e{n}")),
    "regrant": lambda ledger, who, scope, at, n: ledger.regrant(
        who, scope=scope, source="web_form", at=at, evidence=form(f"e{n}")),
}


@given(steps, hours)
def test_the_cited_event_is_the_recipients_latest_deciding_one(
        plan: list[Step], offsets: list[int]) -> None:
    ledger = ConsentLedger(MemoryStore())
    for n, ((who, what, scope), hour) in enumerate(zip(plan, offsets, strict=False)):
        RECORD[what](ledger, who, scope, T0 + timedelta(hours=hour), n)
    decision = decide(ledger, scope=ASKED)
    (consent,) = [f for f in decision.findings if f.code.startswith("consent.")]
    state, expected = expected_citation(list(ledger.history(LEAD)))
    assert consent.code == f"consent.{state}"
    if expected is None:
        assert "event" not in consent.details
    else:
        assert consent.details["event"] == expected.sequence
        assert consent.details["event_at"] == expected.occurred_at
    for sequence in decision.consent_events:  # opt-out findings' citations too
        event = ledger.event(sequence)
        assert event.recipient == LEAD
        assert str(event.scope).split("/")[0] == "acme"


def test_a_policy_of_ones_own_keeping_an_event_number_is_not_cited() -> None:
    # A CRM's own finding may keep an unrelated integer under "event" (its own audit
    # log's id): only the consent and opt-out policies cite ledger events.
    store = MemoryStore()
    with ConsentLedger(store) as own:
        own.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                  source="web_form", at=T0, evidence=form("v1"))
        decision = decide(own)
    crm = Finding("crm.audit_logged", Severity.INFO, "logged", details={"event": 912})
    mixed = decision.with_findings((*decision.findings, crm))
    assert 912 not in mixed.consent_events
    assert mixed.consent_events == decision.consent_events
    assert "ledger event 912" not in mixed.explain()
