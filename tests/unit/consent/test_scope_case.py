"""Consent scopes ignore case (found by user29).

A STOP recorded under ``"Sunrise"`` left a grant under ``"sunrise"`` GRANTED, and a
send went out after the person said stop. Scopes now compare by Unicode full case
folding (the canonical caseless match of Unicode 15, D145: NFD, fold, NFD), while
each event keeps, stores and hashes the text it was given, so ledgers written before
verify and read back unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import (
    CompliancePipeline,
    MemorySendHistory,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
)
from smskit.consent import (
    ConsentLedger,
    ConsentScope,
    ConsentState,
    ConsentStore,
    Evidence,
    MemoryStore,
    SQLiteStore,
)
from smskit.errors import ConfigurationError

T0 = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)  # 11:00 in San Francisco
N = "+14155550123"
BODY = "Sunrise Bakery: fresh bread today. Reply STOP to opt out"
DATA = Path(__file__).parents[2] / "data"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConsentStore]:
    made: ConsentStore
    if request.param == "memory":
        made = MemoryStore()
    elif request.param == "sqlite":
        made = SQLiteStore(tmp_path / "ledger.db")
    else:
        from smskit.consent.postgres import PostgresConsentStore

        pg = PostgresConsentStore(
            request.getfixturevalue("postgres_dsn"), schema=request.getfixturevalue("pg_schema")
        )
        pg.create_schema()
        made = pg
    yield made
    made.close()


def _grant(ledger: ConsentLedger, scope: str, at: datetime = T0) -> None:
    ledger.grant(N, scope=scope, purposes="marketing", kind="express_written",
                 source="web_form", at=at,
                 evidence=Evidence(consent_text="Yes, text me offers from Sunrise Bakery.",
                                   form_url="https://sunrise.example/join"))


def _sender(scope: str) -> SenderProfile:
    return SenderProfile(sender_id="+13125550100", registration=Registration.APPROVED,
                         brand="Sunrise Bakery", consent_scope=scope)


def _verdict(store: ConsentStore, scope: str, at: datetime) -> tuple[Verdict, Verdict]:
    """The engine's verdict on one send and on the same send in a batch (the batch
    reads the store through facts_many with the batch's scopes, filtered in SQL)."""
    history = MemorySendHistory()
    engine = CompliancePipeline(default_policies(store=store, history=history),
                                history=history)
    request = SendRequest(N, body=BODY)
    return (engine.decide(request, _sender(scope), at).verdict,
            engine.decide_many([request], _sender(scope), at).decisions[0].verdict)


def test_a_stop_under_another_case_blocks_the_grant(store: ConsentStore) -> None:
    ledger = ConsentLedger(store)
    _grant(ledger, "sunrise")
    ledger.handle_reply(N, "STOP", scope="Sunrise", at=T0 + timedelta(days=1))
    at = T0 + timedelta(days=2)
    status = ledger.status(N, "marketing", scope="sunrise", at=at)
    assert status.state is ConsentState.REVOKED
    assert not status.allows_send
    assert _verdict(store, "sunrise", at) == (Verdict.BLOCK, Verdict.BLOCK)


def test_a_revocation_at_a_higher_scope_in_another_case_reaches_the_grant_below(
    store: ConsentStore,
) -> None:
    ledger = ConsentLedger(store)
    _grant(ledger, "sunrise/store-7")
    ledger.revoke(N, scope="SUNRISE", at=T0 + timedelta(days=1))
    at = T0 + timedelta(days=2)
    assert ledger.status(N, "marketing", scope="Sunrise/Store-7", at=at).state is (
        ConsentState.REVOKED)
    assert _verdict(store, "SunRise/STORE-7", at) == (Verdict.BLOCK, Verdict.BLOCK)


def test_under_revoke_all_a_stop_in_a_sibling_scope_of_another_case_blocks(
    store: ConsentStore,
) -> None:
    """From 2027-01-31 (FCC revoke-all) an opt-out in any scope of the caller blocks
    every scope of it; the caller ("Sunrise" / "sunrise") is compared without case,
    in SQLite's cut opt-out read (decide_many) too."""
    ledger = ConsentLedger(store)
    start = datetime(2027, 2, 2, 19, 0, tzinfo=UTC)
    _grant(ledger, "sunrise/store-7", start)
    ledger.handle_reply(N, "STOP", scope="SUNRISE/Store-8", at=start + timedelta(days=1))
    assert _verdict(store, "sunrise/store-7", start + timedelta(days=2)) == (
        Verdict.BLOCK, Verdict.BLOCK)


def test_a_grant_in_another_case_counts_and_keeps_its_text(store: ConsentStore) -> None:
    ledger = ConsentLedger(store)
    _grant(ledger, "Sunrise/Store-7")
    at = T0 + timedelta(days=1)
    assert ledger.status(N, "marketing", scope="sunrise/store-7", at=at).allows_send
    assert _verdict(store, "SUNRISE/STORE-7", at) == (Verdict.ALLOW, Verdict.ALLOW)
    assert [str(e.scope) for e in ledger.history(N)] == ["Sunrise/Store-7"]


def test_case_does_not_widen_a_grant(store: ConsentStore) -> None:
    """Folding makes no scope cover a sibling or a parent: only case is ignored."""
    ledger = ConsentLedger(store)
    _grant(ledger, "Sunrise/Store-7")
    at = T0 + timedelta(days=1)
    for other in ("sunrise", "sunrise/store-8", "sunrise-store-7", "ſunrise/store-7x"):
        assert not ledger.status(N, "marketing", scope=other, at=at).allows_send, other
    # The dotless ı folds to itself, not to i (Unicode CaseFolding.txt has no fold
    # for U+0131): "ıstanbul" is another brand than "Istanbul".
    _grant(ledger, "Istanbul")
    assert not ledger.status(N, "marketing", scope="ıstanbul", at=at).allows_send
    assert ledger.status(N, "marketing", scope="istanbul", at=at).allows_send


def test_scopes_compare_by_full_case_folding() -> None:
    # Expected keys from Unicode CaseFolding.txt: 00DF ß -> 0073 0073 (F);
    # 0130 İ -> 0069 0307 (F); 017F ſ -> 0073 (C); 1E9E ẞ -> 0073 0073 (F).
    assert ConsentScope.parse("STRASSE") == ConsentScope.parse("straße")
    assert ConsentScope.parse("Straẞe") == ConsentScope.parse("strasse")
    assert ConsentScope.parse("İzmir").key == ("i\u0307zmir",)
    assert ConsentScope.parse("ſun").key == ("sun",)
    assert ConsentScope.parse("Acme/App") == ConsentScope.parse("acme/app")
    assert hash(ConsentScope.parse("Acme/App")) == hash(ConsentScope.parse("ACME/APP"))
    # ...and keep the text as given, for the ledger and for people.
    assert str(ConsentScope.parse("Acme/App")) == "Acme/App"
    assert ConsentScope.parse("Acme/App").parts == ("Acme", "App")


# An export written by smskit at commit 6740a4a (before scopes ignored case) with
# scopes in mixed case: tests/data/mixed_case_scopes_6740a4a.jsonl. Its head as that
# smskit reported it when it wrote the file.
OLD_HEAD = (6, "d07bb7668e0d34409295ac01ee9d52c6bcebe211205f82115ff5d9ff547ea9fd")
OLD_SCOPES = ["sunrise", "Sunrise", "Straße/Filiale-7", "STRASSE", "Acme/App-1", "İstanbul"]


def test_a_ledger_written_before_verifies_reads_back_and_now_folds_across_case(
    store: ConsentStore,
) -> None:
    text = (DATA / "mixed_case_scopes_6740a4a.jsonl").read_text(encoding="utf-8")
    ledger = ConsentLedger(store)
    assert ledger.import_jsonl(io.StringIO(text), expected_head=OLD_HEAD) == OLD_HEAD
    assert ledger.verify(expected_head=OLD_HEAD) == OLD_HEAD
    assert [str(e.scope) for e in store.scan()] == OLD_SCOPES
    again = io.StringIO()
    assert ledger.export_jsonl(again) == OLD_HEAD
    assert again.getvalue() == text  # byte for byte: no stored text changed

    at = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # the export's events are of 1-2 March
    a, b, c = "+14155550123", "+14155550124", "+14155550125"
    # Before, both were GRANTED: the STOP under "Sunrise" missed "sunrise", the
    # revocation under "STRASSE" missed "Straße/Filiale-7".
    assert ledger.status(a, "marketing", scope="sunrise", at=at).state is ConsentState.REVOKED
    assert ledger.status(b, "marketing", scope="straße/filiale-7", at=at).state is (
        ConsentState.REVOKED)
    # Questions in the events' own case answer as before.
    assert ledger.status(c, "informational", scope="Acme/App-1", at=at).allows_send
    assert ledger.status(c, "informational", scope="İstanbul", at=at).allows_send
    assert ledger.status(c, "informational", scope="acme/app-1", at=at).allows_send
    assert not ledger.status(c, "informational", scope="Acme", at=at).allows_send


def test_a_sqlite_file_reopened_reads_the_same(tmp_path: Path) -> None:
    text = (DATA / "mixed_case_scopes_6740a4a.jsonl").read_text(encoding="utf-8")
    with SQLiteStore(tmp_path / "l.db") as store:
        ConsentLedger(store).import_jsonl(io.StringIO(text))
    with SQLiteStore(tmp_path / "l.db", read_only=True) as store:
        ledger = ConsentLedger(store)
        assert ledger.verify() == OLD_HEAD
        status = ledger.status("+14155550123", "marketing", scope="SUNRISE",
                               at=datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
        assert status.state is ConsentState.REVOKED


def test_senders_keys_differing_only_by_case_are_refused() -> None:
    acme = SenderProfile(brand="Acme", consent_scope="acme")
    with pytest.raises(ConfigurationError, match=r"'Acme' and 'ACME' are one scope"):
        ConsentLedger(MemoryStore(), senders={"Acme": acme, "ACME": acme})


def test_senders_keys_match_replies_in_any_case() -> None:
    acme = SenderProfile(brand="Acme", consent_scope="Acme")
    ledger = ConsentLedger(MemoryStore(), senders={"Acme": acme})
    assert ledger.sender("acme/shop") is acme
    reply = ledger.handle_reply(N, "HELP", scope="ACME", at=T0)
    assert reply.reply is not None
    assert reply.reply.text.startswith("Acme")
