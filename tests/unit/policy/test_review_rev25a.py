"""Review rev25a of fix25a (a decision cites the consent event that decided it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

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
from smskit.errors import ConsentError

LEAD = "+12125550123"
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
