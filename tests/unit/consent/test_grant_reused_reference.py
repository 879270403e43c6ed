"""A grant that re-records a revoked act of consent (same evidence.reference) is refused.

A field-service CRM keeps an "Opted in" box per customer and, on every save or nightly
sync, records the booking's consent again with the booking's id as its reference. After
the customer texted STOP (or "wrong number": the number has a new owner) that re-recorded
grant lifted the opt-out the next night, and the reminders went out again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import _services
from smskit.consent import ConsentLedger, ConsentState, Evidence, MemoryStore, SQLiteStore
from smskit.consent.store import ConsentStore
from smskit.errors import ConsentError

T0 = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)
N = "+15125550123"
BOOKING = Evidence(consent_text="Text me about my appointments",
                   form_url="https://fixit.example/book", reference="booking-77")


def _grant(ledger: ConsentLedger, at: datetime, evidence: Evidence = BOOKING,
           scope: str = "fixit", purposes: tuple[str, ...] = ("informational",)) -> None:
    ledger.grant(N, scope=scope, purposes=list(purposes), kind="express", source="web_form",
                 at=at, evidence=evidence)


def _state(ledger: ConsentLedger, at: datetime) -> ConsentState:
    return ledger.status(N, "informational", scope="fixit", at=at).state


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def any_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConsentLedger]:
    store: ConsentStore
    if request.param == "memory":
        store = MemoryStore()
    elif request.param == "sqlite":
        store = SQLiteStore(tmp_path / "consent.db")
    else:
        _services.require_module("psycopg", "postgres")
        from smskit.consent.postgres import PostgresConsentStore

        store = PostgresConsentStore(request.getfixturevalue("postgres_dsn"),
                                     schema=request.getfixturevalue("pg_schema"))
        store.create_schema()
    with ConsentLedger(store) as ledger:
        yield ledger


@pytest.mark.parametrize("reply", ["STOP", "Wrong number"])
def test_the_same_booking_recorded_again_after_an_opt_out_is_refused(
    any_ledger: ConsentLedger, reply: str
) -> None:
    ledger = any_ledger
    _grant(ledger, T0)
    stop = ledger.handle_reply(N, reply, scope="fixit", at=T0 + timedelta(days=5)).event
    assert stop is not None
    with pytest.raises(ConsentError, match="booking-77") as raised:
        _grant(ledger, T0 + timedelta(days=6))
    assert raised.value.field == "evidence.reference"
    assert f"event {stop.sequence}" in str(raised.value)
    assert [e.kind.value for e in ledger.history(N)] == ["granted", "revoked"]
    assert _state(ledger, T0 + timedelta(days=7)) is ConsentState.REVOKED


def test_new_consent_with_its_own_reference_is_recorded() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0)
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(days=5))
    rebooked = Evidence(consent_text=BOOKING.consent_text, form_url=BOOKING.form_url,
                        reference="booking-91")
    _grant(ledger, T0 + timedelta(days=30), rebooked)
    assert _state(ledger, T0 + timedelta(days=31)) is ConsentState.GRANTED


def test_recording_it_again_while_live_or_after_start_is_still_allowed() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0)
    _grant(ledger, T0 + timedelta(days=1))  # a sync before any STOP: harmless
    ledger.handle_reply(N, "STOP", scope="fixit", at=T0 + timedelta(days=5))
    ledger.handle_reply(N, "START", scope="fixit", at=T0 + timedelta(days=6))
    _grant(ledger, T0 + timedelta(days=7))  # the person's START already restored it
    assert [e.kind.value for e in ledger.history(N)] == [
        "granted", "granted", "revoked", "regranted", "granted"]
    assert _state(ledger, T0 + timedelta(days=8)) is ConsentState.GRANTED


def test_a_re_recording_made_before_the_fix_does_not_count_as_new_consent() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0)
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(days=5))
    # What an earlier smskit let through (dated before the STOP here, so it restores
    # nothing); the same act once more must still be refused.
    _grant(ledger, T0 + timedelta(days=4))
    with pytest.raises(ConsentError, match="revoked on"):
        _grant(ledger, T0 + timedelta(days=9))


def test_a_revocation_elsewhere_or_of_other_purposes_does_not_refuse() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0)
    ledger.revoke(N, scope="other-brand", at=T0 + timedelta(days=1))
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(days=2), purposes="marketing")
    _grant(ledger, T0 + timedelta(days=3))
    assert _state(ledger, T0 + timedelta(days=4)) is ConsentState.GRANTED


def test_a_revocation_of_the_parent_scope_refuses_a_grant_below_it() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0, scope="fixit/austin")
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(days=1))
    with pytest.raises(ConsentError):
        _grant(ledger, T0 + timedelta(days=2), scope="fixit/austin")


def test_a_grant_backdated_before_the_stop_is_recorded_and_stays_revoked() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0)
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(days=5))
    _grant(ledger, T0 + timedelta(days=1))  # the booking's own time: replayed before
    assert _state(ledger, T0 + timedelta(days=6)) is ConsentState.REVOKED


_STEPS = st.lists(
    st.tuples(st.sampled_from(["grant-77", "grant-91", "stop", "start", "wrong"]),
              st.integers(0, 3)),
    max_size=8,
)


@given(_STEPS)
def test_a_reused_reference_never_lifts_an_opt_out(steps: list[tuple[str, int]]) -> None:
    """Whatever came before, recording booking-77 again leaves a revoked person revoked
    (refused) and changes nothing else it would not have changed (recorded)."""
    ledger = ConsentLedger(MemoryStore())
    at = T0
    for step, hours in steps:
        at += timedelta(hours=hours, minutes=1)
        if step.startswith("grant"):
            evidence = BOOKING if step == "grant-77" else Evidence(reference="booking-91")
            with contextlib.suppress(ConsentError):
                _grant(ledger, at, evidence)
        else:
            ledger.handle_reply(N, {"stop": "STOP", "start": "START", "wrong": "wrong number"}[
                step], scope="fixit", at=at)
    at += timedelta(minutes=1)
    before = _state(ledger, at)
    revoked_booking = any(e.evidence.reference == "booking-77" for e in ledger.history(N))
    refused: ConsentError | None = None
    try:
        _grant(ledger, at)
    except ConsentError as error:
        refused = error
    if refused is not None:
        assert refused.field == "evidence.reference"
        assert before is ConsentState.REVOKED
        assert revoked_booking
    else:
        assert before is not ConsentState.REVOKED or not revoked_booking
        assert _state(ledger, at + timedelta(minutes=1)) is ConsentState.GRANTED


def test_a_number_in_the_reference_is_masked_in_the_refusal() -> None:
    ledger = ConsentLedger(MemoryStore())
    lead = Evidence(reference="lead +15125550123 form")
    _grant(ledger, T0, lead)
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(days=1))
    with pytest.raises(ConsentError) as raised:
        _grant(ledger, T0 + timedelta(days=2), lead)
    assert "5550123" not in str(raised.value)
    assert "lead" in str(raised.value)


def test_after_the_revoke_all_date_a_stop_in_a_sibling_scope_refuses_too() -> None:
    # From 2027-01-31 (FCC revoke-all) the engine blocks every scope of the caller after
    # a STOP in one; the re-recorded grant lifted that block in its own scope.
    march = datetime(2027, 3, 1, 16, 0, tzinfo=UTC)
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, march, scope="fixit/reminders")
    ledger.handle_reply(N, "STOP", scope="fixit/reviews", at=march + timedelta(hours=1))
    with pytest.raises(ConsentError, match="booking-77"):
        _grant(ledger, march + timedelta(hours=2), scope="fixit/reminders")
    # Before that date a STOP to the reviews does not end the reminders' consent.
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0, scope="fixit/reminders")
    ledger.handle_reply(N, "STOP", scope="fixit/reviews", at=T0 + timedelta(hours=1))
    _grant(ledger, T0 + timedelta(hours=2), scope="fixit/reminders")
    ledger.handle_reply(N, "START", scope="fixit/reviews", at=march)
    _grant(ledger, march + timedelta(hours=2), scope="fixit/reminders")  # lifted by START


def test_a_padded_reference_is_the_same_act_and_the_refusal_has_a_field_of_its_own() -> None:
    # A CRM cell padded once in a while named the same booking and lifted the STOP; a
    # sync skipping refused rows must tell this refusal from missing evidence.
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger, T0)
    ledger.revoke(N, scope="fixit", at=T0 + timedelta(days=5))
    padded = Evidence(consent_text="Text me about my appointments",
                      form_url="https://fixit.example/book", reference=" booking-77 ")
    with pytest.raises(ConsentError) as refused:
        _grant(ledger, T0 + timedelta(days=6), evidence=padded)
    assert refused.value.field == "evidence.reference"
    assert _state(ledger, T0 + timedelta(days=7)) is ConsentState.REVOKED
    with pytest.raises(ConsentError) as missing:
        ledger.grant(N, scope="fixit", purposes=["marketing"], kind="express_written",
                     source="web_form", at=T0 + timedelta(days=6),
                     evidence=Evidence(reference="booking-78"))
    assert missing.value.field == "evidence"
