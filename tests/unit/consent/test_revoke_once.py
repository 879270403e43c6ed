"""ConsentLedger.revoke_once: one revocation per message named in its evidence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smskit.consent import ConsentLedger, Evidence, MemoryStore
from smskit.errors import ConsentError
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
QUIT = Evidence(reference="twilio opt-out keyword match on SM1", actor="provider")


def _ledger() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0))
    ledger.grant(N, scope="acme", purposes="informational", kind="express", source="api",
                 at=T0)
    return ledger


def test_the_same_message_again_records_nothing_and_answers_the_first_revocation() -> None:
    ledger = _ledger()
    first = ledger.revoke_once(N, scope="acme", at=T0 + timedelta(minutes=1), evidence=QUIT)
    ledger.regrant(N, scope="acme", at=T0 + timedelta(minutes=2))
    again = ledger.revoke_once(N, scope="acme", at=T0 + timedelta(minutes=3), evidence=QUIT)
    assert again == first
    assert [e.kind.value for e in ledger.history(N)] == ["granted", "revoked", "regranted"]
    assert ledger.status(N, "informational", scope="acme",
                         at=T0 + timedelta(minutes=4)).allows_send


def test_another_message_or_another_scope_is_recorded() -> None:
    ledger = _ledger()
    ledger.revoke_once(N, scope="acme", at=T0, evidence=QUIT)
    ledger.revoke_once(N, scope="acme.clinic", at=T0, evidence=QUIT)
    other = Evidence(reference="twilio opt-out keyword match on SM2", actor="provider")
    ledger.revoke_once(N, scope="acme", at=T0, evidence=other)
    assert [e.kind.value for e in ledger.history(N)].count("revoked") == 3


@pytest.mark.parametrize("reference", [None, "", "  "])
def test_a_revocation_naming_no_message_is_refused(reference: str | None) -> None:
    ledger = _ledger()
    with pytest.raises(ConsentError, match="revoke\\(\\)") as raised:
        ledger.revoke_once(N, scope="acme", at=T0, evidence=Evidence(reference=reference))
    assert raised.value.field == "evidence"
    assert [e.kind.value for e in ledger.history(N)] == ["granted"]


def test_no_evidence_at_all_is_refused_as_naming_no_message() -> None:
    ledger = _ledger()
    with pytest.raises(ConsentError, match=r"evidence\.reference") as raised:
        ledger.revoke_once(N, scope="acme", at=T0, evidence=None)  # type: ignore[arg-type]
    assert raised.value.field == "evidence"
