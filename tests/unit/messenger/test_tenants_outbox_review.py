"""Review (rev29u) of user34's scope on queued answers: the answer's own number decides
before its scope (a profile whose scope changed still sends, and reconciles, its own STOP
confirmation), an answer nobody holds the scope of any more fails at its deadline instead
of waiting for ever, scopes compare as the ledger does (case folded), and two tenants'
messengers on one SQLite file or one PostgreSQL schema keep to their own answers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    Registration,
    SenderProfile,
    SQLiteOutbox,
    default_policies,
)
from smskit.messenger import Outbox
from smskit.testing import FixedClock

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
CUSTOMER = "+12125550123"
SALON = "+12125550101"
DENTAL = "+13125550201"
URL = "https://sms.example/hook"


def _tenant(
    outbox: Outbox, number: str | None, scope: str, provider: MemoryProvider | None = None
) -> tuple[Messenger, MemoryProvider]:
    """A tenant's messenger: a profile for ``number`` in ``scope``, or (``None``) no
    profile and ``scope=`` alone, as for numbers a Messaging Service adds."""
    ledger = ConsentLedger(MemoryStore())
    history = MemoryMessageHistory()
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    provider = provider or MemoryProvider(clock=FixedClock(AT))
    if number is None:
        return Messenger(provider, pipeline, ledger, history, outbox, scope=scope), provider
    profile = SenderProfile(sender_id=number, registration=Registration.APPROVED,
                            consent_scope=scope, brand="Brand")
    return Messenger(provider, pipeline, ledger, history, outbox, senders=[profile]), provider


def _queued_stop(messenger: Messenger, provider: MemoryProvider, to: str) -> str:
    provider.fail_next("temporary")
    result = messenger.handle_inbound(URL, provider.inbound_params(CUSTOMER, to, "STOP"), {}, AT)
    assert result.reply is not None
    assert "queued to retry" in (result.reply.reason or "")
    return result.reply.key


def test_a_profile_whose_scope_changed_still_sends_its_own_confirmation() -> None:
    # Queued in "dental"; the deployment that restarts names the profile "dental/main".
    # Compared by scope alone it was left pending for ever: a STOP confirmation unsent.
    outbox = MemoryOutbox()
    before, provider = _tenant(outbox, DENTAL, "dental")
    key = _queued_stop(before, provider, DENTAL)
    after, provider = _tenant(outbox, DENTAL, "dental/main")
    assert [r.outcome.value for r in after.send_due(AT + timedelta(minutes=1))] == ["sent"]
    assert [(m.sender, m.to) for m in provider.messages] == [(DENTAL, CUSTOMER)]
    assert outbox.get(key).state.value == "sent"  # type: ignore[union-attr]


def test_a_profile_whose_scope_changed_still_reconciles_its_own_confirmation() -> None:
    outbox = MemoryOutbox()
    before, provider = _tenant(outbox, DENTAL, "dental")
    provider.time_out_next(processed=True)  # taken, the answer lost
    before.handle_inbound(URL, provider.inbound_params(CUSTOMER, DENTAL, "STOP"), {}, AT)
    assert len(outbox.unresolved()) == 1
    after, _ = _tenant(outbox, DENTAL, "Dental/Main", provider)
    results = after.reconcile(AT + timedelta(minutes=10))
    # Skipped silently before, and for ever: never looked up, never settled.
    assert [(r.outcome.value, r.reason) for r in results] == [("sent", "found by lookup")]
    assert [m.sender for m in provider.messages] == [DENTAL]


def test_an_answer_whose_scope_no_messenger_holds_fails_at_its_deadline() -> None:
    # A messenger with scope= alone (no profile for the number) renamed its scope: the
    # queued confirmation is no longer its own. It must not wait, pending, for ever.
    outbox = MemoryOutbox()
    before, provider = _tenant(outbox, None, "acme")
    key = _queued_stop(before, provider, DENTAL)
    after, provider = _tenant(outbox, None, "acme-inc")
    soon = after.send_due(AT + timedelta(minutes=1))
    assert [r.outcome.value for r in soon] == ["pending"]
    (late,) = after.send_due(AT + timedelta(hours=1))
    # Failed here; "expired" once fix29m (merged into main since) marks it so: settled
    # where it can be seen, either way, and not sent.
    assert late.outcome.value in ("failed", "expired")
    assert "deadline" in (late.reason or "")
    assert outbox.get(key).state.value == late.outcome.value  # type: ignore[union-attr]
    assert after.send_due(AT + timedelta(hours=2)) == ()
    assert provider.messages == ()


def test_scopes_compare_case_folded_as_the_ledger_does() -> None:
    # "STRASSE" and "straße" are one scope to the ledger (ConsentScope.key), so one here.
    outbox = MemoryOutbox()
    before, provider = _tenant(outbox, None, "Café STRASSE")
    _queued_stop(before, provider, DENTAL)
    after, provider = _tenant(outbox, None, "cafe\u0301 straße")
    assert [r.outcome.value for r in after.send_due(AT + timedelta(minutes=1))] == ["sent"]
    other, other_provider = _tenant(outbox, None, "cafe strasse")  # no accent: another
    assert other.send_due(AT + timedelta(minutes=1)) == ()
    assert other_provider.messages == ()


def test_a_row_without_a_scope_is_sent_and_one_with_a_bad_scope_is_left() -> None:
    outbox = MemoryOutbox()
    messenger, provider = _tenant(outbox, None, "acme")
    key = _queued_stop(messenger, provider, DENTAL)
    entry = outbox.get(key)
    assert entry is not None
    data = json.loads(entry.payload)
    outbox._entries[key] = replace(entry, payload=json.dumps({**data, "scope": "a//b"}))
    assert [r.outcome.value for r in messenger.send_due(AT + timedelta(minutes=1))] == [
        "pending"]  # an unreadable scope is nobody's: never a guess
    del data["scope"]  # as an older smskit wrote it
    outbox._entries[key] = replace(entry, payload=json.dumps(data))
    assert [r.outcome.value for r in messenger.send_due(AT + timedelta(minutes=1))] == ["sent"]


@pytest.fixture(params=["sqlite", "postgres"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Outbox]]:
    """Two handles on one outbox table, as two tenants' workers open it."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            yield lambda: stack.enter_context(SQLiteOutbox(tmp_path / "outbox.db"))
            return
        from smskit import PostgresOutbox

        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("pg_schema")
        with PostgresOutbox(dsn, schema=schema) as setup:
            setup.create_schema()
        yield lambda: stack.enter_context(PostgresOutbox(dsn, schema=schema))


def test_two_tenants_on_one_table_keep_to_their_own_answers(
    shared: Callable[[], Outbox],
) -> None:
    salon, salon_provider = _tenant(shared(), SALON, "salon")
    dental, dental_provider = _tenant(shared(), DENTAL, "dental")
    _queued_stop(dental, dental_provider, DENTAL)
    dental_provider.time_out_next(processed=True)  # a HELP answer the provider took
    dental.handle_inbound(URL, dental_provider.inbound_params(CUSTOMER, DENTAL, "HELP"),
                          {}, AT)
    later = AT + timedelta(minutes=2)
    assert salon.reconcile(later) == ()
    assert [r.outcome.value for r in salon.send_due(later)] == ["pending"]
    assert salon_provider.messages == ()
    assert sorted(r.outcome.value for r in dental.reconcile(later)) == ["sent"]
    assert [r.outcome.value for r in dental.send_due(later)] == ["sent"]
    assert len(dental_provider.messages) == 2  # the HELP answer once, the confirmation


def test_tenants_apart_by_chain_alone_keep_to_their_own_answers(
    postgres_dsn: str, pg_schema: str
) -> None:
    # The ISV of user34 as scale.md advised it before: one schema, a ledger chain per
    # tenant, no consent_scope on the profiles, so every messenger's scope is "default".
    # The scope alone told nobody apart: the salon's worker sent the dental office's
    # STOP confirmation through the salon's account, from the dental office's number.
    from smskit import PostgresConsentStore, PostgresOutbox

    with ExitStack() as stack:
        for store in (PostgresConsentStore(postgres_dsn, schema=pg_schema),
                      PostgresOutbox(postgres_dsn, schema=pg_schema)):
            with store:
                store.create_schema()
        tenants = []
        for number, chain in ((SALON, "salon"), (DENTAL, "dental")):
            ledger = ConsentLedger(stack.enter_context(
                PostgresConsentStore(postgres_dsn, schema=pg_schema, chain=chain)))
            history = MemoryMessageHistory()
            provider = MemoryProvider(clock=FixedClock(AT))
            profile = SenderProfile(sender_id=number, registration=Registration.APPROVED,
                                    brand="Brand")
            outbox = stack.enter_context(PostgresOutbox(postgres_dsn, schema=pg_schema))
            tenants.append((Messenger(
                provider, CompliancePipeline(default_policies(store=ledger.store,
                                                              history=history),
                                             history=history),
                ledger, history, outbox, senders=[profile]), provider))
        (salon, salon_provider), (dental, dental_provider) = tenants
        assert salon.scope_for(DENTAL) == dental.scope_for(DENTAL) == "default"
        _queued_stop(dental, dental_provider, DENTAL)
        later = AT + timedelta(minutes=2)
        assert [r.outcome.value for r in salon.send_due(later)] == ["pending"]
        assert salon_provider.messages == ()
        assert [r.outcome.value for r in dental.send_due(later)] == ["sent"]
        assert [m.sender for m in dental_provider.messages] == [DENTAL]
