"""Review rev25a of fix25a (a decision cites the consent event that decided it)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryStore,
    PostgresConsentStore,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteStore,
    Verdict,
    default_policies,
)
from smskit.consent.model import EventKind
from smskit.errors import ConsentError

LEAD = "+12125550123"
TORONTO = "+14165550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
ASK = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)  # 12:00 in New York: no quiet hours
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")


def form(version: str) -> Evidence:
    return Evidence(consent_text=f"I agree to marketing texts from Acme ({version})",
                    form_url=f"https://acme.example/signup/{version}")


def test_a_regrant_restoring_two_grants_relies_on_the_latest_as_before_the_stop() -> None:
    # Two equal grants: the latest (v2) decides (test_decision_cites_consent_event). A
    # STOP and a START restore both; the decision must still rely on v2's form, not
    # fall back to v1 because both now end with the same re-grant.
    ledger = ConsentLedger(MemoryStore())
    ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                 source="web_form", at=T0, evidence=form("v1"))
    newest = ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                          source="web_form", at=T0 + timedelta(days=1), evidence=form("v2"))
    ledger.revoke(LEAD, scope="acme", at=T0 + timedelta(days=3))
    back = ledger.regrant(LEAD, scope="acme", source="web_form", at=T0 + timedelta(days=5),
                          evidence=form("back"))
    engine = CompliancePipeline(default_policies(store=ledger.store))
    decision = engine.decide(SendRequest(LEAD, body="Spring sale"), SENDER, ASK)
    assert decision.verdict is Verdict.ALLOW
    (granted,) = [f for f in decision.findings if f.code == "consent.granted"]
    assert granted.details["event"] == back.sequence
    assert granted.details["events"] == (newest.sequence, back.sequence)
    status = ledger.status(LEAD, "marketing", scope="acme", at=ASK)
    assert [e.evidence for e in status.evidence] == [form("v2"), form("back")]


def test_looking_up_event_1_reads_that_event_not_the_whole_sqlite_file(tmp_path: Path) -> None:
    # ledger.event(1) scanned from 0, and a full SQLite scan starts with PRAGMA
    # integrity_check over the whole file (seconds on a million events); any lookup read
    # a batch of 2,000 events to return one. A lookup reads the one row.
    with ConsentLedger(SQLiteStore(tmp_path / "consent.db", durable=False)) as ledger:
        for day in range(3):
            ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                         source="web_form", at=T0 + timedelta(days=day),
                         evidence=form(f"v{day}"))
        statements: list[str] = []
        ledger.store._conn.set_trace_callback(statements.append)
        try:
            found = [ledger.event(sequence) for sequence in (1, 2, 3)]
        finally:
            ledger.store._conn.set_trace_callback(None)
        assert [e.evidence for e in found] == [form("v0"), form("v1"), form("v2")]
        assert not [s for s in statements if "integrity_check" in s]
        assert all("LIMIT 2000" not in s and "LIMIT ?" not in s for s in statements), statements
        with pytest.raises(ConsentError, match="holds no event 4"):
            ledger.event(4)


def test_a_postgres_lookup_reads_its_own_chain_only(postgres_dsn: str, pg_schema: str) -> None:
    # Two chains in one schema number their events from 1 each: event 1 of one chain
    # is not the other's (another business's person).
    with ConsentLedger(PostgresConsentStore(postgres_dsn, schema=pg_schema, chain="a")) as a, \
            ConsentLedger(PostgresConsentStore(postgres_dsn, schema=pg_schema, chain="b")) as b:
        a.store.create_schema()
        a.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                source="web_form", at=T0, evidence=form("a"))
        b.grant("+12125550147", scope="beta", purposes="marketing", kind="express_written",
                source="web_form", at=T0, evidence=form("b"))
        a.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                source="web_form", at=T0 + timedelta(days=1), evidence=form("a2"))
        assert (a.event(1).evidence, a.event(2).evidence) == (form("a"), form("a2"))
        assert b.event(1).evidence == form("b")
        with pytest.raises(ConsentError, match="holds no event 2"):
            b.event(2)


# -- property: whatever the branch, the citation names an applicable event of the right kind

KINDS_OF = {  # the finding code: the kinds of event that may decide it
    "consent.granted": {EventKind.GRANTED, EventKind.CONFIRMED, EventKind.REGRANTED},
    "consent.expired": {EventKind.GRANTED, EventKind.CONFIRMED, EventKind.REGRANTED},
    "consent.insufficient": {EventKind.GRANTED, EventKind.CONFIRMED},
    "consent.pending": {EventKind.REQUESTED},
    "consent.revoked": {EventKind.REVOKED},
    "opt_out.active": {EventKind.REVOKED},
    "opt_out.revoke_all": {EventKind.REVOKED},
    "opt_out.toll_free_network": {EventKind.REVOKED},
}


def _record(ledger: ConsentLedger, who: str, what: str, scope: str, at: datetime, n: int
            ) -> None:
    if what == "written":
        ledger.grant(who, scope=scope, purposes="marketing", kind="express_written",
                     source="web_form", at=at, evidence=form(f"e{n}"))
    elif what == "implied":
        ledger.grant(who, scope=scope, purposes=["marketing", "informational"],
                     kind="implied", implied_basis="inquiry", source="web_form", at=at,
                     evidence=Evidence(reference=f"e{n}"))
    elif what == "express_info":
        ledger.grant(who, scope=scope, purposes="informational", kind="express",
                     source="web_form", at=at, evidence=Evidence(reference=f"e{n}"))
    elif what == "request":
        ledger.request(who, scope=scope, purposes="marketing", kind="express_written",
                       source="web_form", at=at, evidence=form(f"e{n}"))
    elif what == "confirm":
        with contextlib.suppress(ConsentError):  # nothing pending there: nothing recorded
            ledger.confirm(who, scope=scope, at=at, evidence=Evidence(reply_text="YES"))
    elif what == "revoke":
        ledger.revoke(who, scope=scope, at=at, evidence=Evidence(reference=f"e{n}"))
    elif what == "revoke_marketing":
        ledger.revoke(who, scope=scope, at=at, purposes="marketing",
                      evidence=Evidence(reference=f"e{n}"))
    else:
        ledger.regrant(who, scope=scope, source="web_form", at=at, evidence=form(f"e{n}"))


ACTIONS = ["written", "implied", "express_info", "request", "confirm", "revoke",
           "revoke_marketing", "regrant"]


@given(st.lists(st.tuples(st.sampled_from(ACTIONS),
                          st.sampled_from(["acme", "acme/app", "acme/other"]),
                          st.integers(0, 40)), max_size=10),
       st.sampled_from(["marketing", "informational"]),
       st.sampled_from([ASK, datetime(2027, 3, 2, 17, 0, tzinfo=UTC)]),
       st.integers(1, 60), st.sampled_from([LEAD, TORONTO]))
def test_every_citation_names_an_applicable_event_of_the_deciding_kind(
        plan: list[tuple[str, str, int]], purpose: str, at: datetime, weeks: int,
        who: str) -> None:
    # A Canadian number is judged under CASL, whose implied consent expires.
    ledger = ConsentLedger(MemoryStore())
    for n, (what, scope, day) in enumerate(plan):
        _record(ledger, who, what, scope, T0 + timedelta(days=day * 7 * weeks // 10), n)
    engine = CompliancePipeline(default_policies(store=ledger.store))
    decision = engine.decide(SendRequest(who, body="Spring sale", purpose=purpose,
                                         scope="acme/app"), SENDER, at)
    mine = {e.sequence: e for e in ledger.history(who)}
    for finding in decision.findings:
        if "event" not in finding.details:
            assert not finding.code.startswith("consent.") or finding.code in (
                "consent.missing", "consent.scope_missing"), finding
            continue
        event = mine[finding.details["event"]]
        assert event.kind in KINDS_OF[finding.code], (finding.code, event.kind)
        assert (finding.details["event_kind"], finding.details["event_at"]) == (
            event.kind.value, event.occurred_at)
        assert event.occurred_at <= at
        assert str(event.scope).split("/")[0] == "acme"
        if finding.code.startswith("consent."):
            assert str(event.scope) in ("acme", "acme/app")
            relied = finding.details["events"]
            assert relied[-1] == event.sequence
            assert all(mine[s].occurred_at <= event.occurred_at for s in relied)
