"""The ConsentStore contract, run against every implementation.

Memory, SQLite on disk, and PostgreSQL on a real server (a schema of its own per test).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import (
    GENESIS_HASH,
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    ConsentState,
    ConsentStore,
    EventKind,
    Evidence,
    MemoryStore,
    Purpose,
    RevocationMethod,
    SQLiteStore,
    facts_of,
    fold,
)
from smskit.errors import ConsentError

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
ALICE = "+14155550123"
BOB = "+447911123456"
ACME = ConsentScope.parse("acme")


def _grant(
    number: str, at: datetime, purposes: tuple[Purpose, ...] = (Purpose.INFORMATIONAL,)
) -> ConsentEvent:
    return ConsentEvent(
        kind=EventKind.GRANTED,
        recipient=number,
        scope=ACME,
        channels=frozenset({Channel.SMS}),
        purposes=frozenset(purposes),
        occurred_at=at,
        source=ConsentSource.API,
        evidence=Evidence(actor="crm"),
        consent_kind=ConsentKind.EXPRESS,
        recorded_at=at,
    )


def _revoke(number: str, at: datetime) -> ConsentEvent:
    return ConsentEvent(
        kind=EventKind.REVOKED,
        recipient=number,
        scope=ACME,
        channels=frozenset(Channel),
        purposes=frozenset(Purpose),
        occurred_at=at,
        source=ConsentSource.KEYWORD,
        evidence=Evidence(reply_text="STOP"),
        revocation_method=RevocationMethod.KEYWORD,
        recorded_at=at,
    )


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


def test_empty_store_has_genesis_head(store: ConsentStore) -> None:
    assert store.head() == (0, GENESIS_HASH)
    assert store.count() == 0
    assert list(store.scan()) == []
    assert list(store.events(ALICE)) == []


def test_append_seals_with_sequence_and_previous_hash(store: ConsentStore) -> None:
    first = store.append(_grant(ALICE, T0))
    second = store.append(_grant(BOB, T0))
    assert (first.sequence, first.prev_hash) == (1, GENESIS_HASH)
    assert second.sequence == 2
    assert second.prev_hash != GENESIS_HASH
    assert len(second.prev_hash) == 64
    assert store.head()[0] == 2
    assert store.count() == 2


def test_events_are_per_recipient_in_sequence_order(store: ConsentStore) -> None:
    store.append(_grant(ALICE, T0))
    store.append(_grant(BOB, T0))
    store.append(_revoke(ALICE, T0 + timedelta(hours=1)))
    alice = list(store.events(ALICE))
    assert [(e.sequence, e.kind) for e in alice] == [(1, EventKind.GRANTED), (3, EventKind.REVOKED)]
    assert [e.sequence for e in store.events(BOB)] == [2]
    assert [e.sequence for e in store.scan()] == [1, 2, 3]


def test_stored_events_come_back_equal(store: ConsentStore) -> None:
    sealed = store.append(_grant(ALICE, T0, (Purpose.MARKETING, Purpose.INFORMATIONAL)))
    assert list(store.events(ALICE)) == [sealed]


def test_append_many_is_all_or_nothing(store: ConsentStore) -> None:
    good = _grant(ALICE, T0)
    already_sealed = store.append(_grant(BOB, T0))
    with pytest.raises(ConsentError, match="already sealed"):
        store.append_many([good, already_sealed])
    assert store.count() == 1
    sealed = store.append_many([good, _revoke(ALICE, T0 + timedelta(minutes=1))])
    assert [e.sequence for e in sealed] == [2, 3]


def test_append_decided_decides_on_the_persons_events_and_appends_its_drafts(
    store: ConsentStore,
) -> None:
    granted = store.append(_grant(ALICE, T0))
    store.append(_grant(BOB, T0))
    seen: list[list[ConsentEvent]] = []

    def decide(events: Sequence[ConsentEvent]) -> list[ConsentEvent]:
        seen.append(list(events))
        return [_revoke(ALICE, T0 + timedelta(hours=1))]

    sealed, read = store.append_decided(ALICE, decide)
    assert read == [granted] == seen[-1]  # Alice's events, not Bob's
    assert [(e.sequence, e.kind) for e in sealed] == [(3, EventKind.REVOKED)]
    assert list(store.events(ALICE)) == [granted, *sealed]
    assert store.head()[0] == 3


def test_append_decided_with_nothing_decided_stores_nothing(store: ConsentStore) -> None:
    granted = store.append(_grant(ALICE, T0))
    assert store.append_decided(ALICE, lambda events: []) == ([], [granted])
    assert store.append_decided(BOB, lambda events: []) == ([], [])
    assert store.count() == 1


def test_append_decided_stores_nothing_when_the_decision_fails_or_is_for_someone_else(
    store: ConsentStore,
) -> None:
    store.append(_grant(ALICE, T0))

    def fails(events: Sequence[ConsentEvent]) -> list[ConsentEvent]:
        raise LookupError("no decision")

    with pytest.raises(LookupError):
        store.append_decided(ALICE, fails)
    with pytest.raises(ConsentError, match="someone else") as raised:
        store.append_decided(ALICE, lambda events: [_revoke(ALICE, T0), _revoke(BOB, T0)])
    assert raised.value.field == "recipient"
    assert store.count() == 1
    # Still usable: the next append takes the next sequence.
    sealed, _ = store.append_decided(ALICE, lambda events: [_revoke(ALICE, T0)])
    assert [e.sequence for e in sealed] == [2]


def test_append_and_read_returns_the_persons_earlier_events(store: ConsentStore) -> None:
    granted = store.append(_grant(ALICE, T0))
    store.append(_grant(BOB, T0))
    sealed, before = store.append_and_read(_revoke(ALICE, T0 + timedelta(hours=1)))
    assert before == [granted]
    assert sealed.sequence == 3
    assert list(store.events(ALICE)) == [granted, sealed]


def test_events_many_answers_each_recipient_asked_for(store: ConsentStore) -> None:
    alice = [store.append(_grant(ALICE, T0))]
    bob = [store.append(_grant(BOB, T0))]
    alice.append(store.append(_revoke(ALICE, T0 + timedelta(hours=1))))
    nobody = "+12125550199"
    found = store.events_many([BOB, nobody, ALICE, BOB])
    assert set(found) == {ALICE, BOB, nobody}
    assert list(found[ALICE]) == alice
    assert list(found[BOB]) == bob
    assert list(found[nobody]) == []
    assert store.events_many([]) == {}


def test_state_is_the_shared_fold(store: ConsentStore) -> None:
    store.append(_grant(ALICE, T0))
    store.append(_revoke(ALICE, T0 + timedelta(days=1)))
    for at, expected in (
        (T0 + timedelta(hours=1), ConsentState.GRANTED),
        (T0 + timedelta(days=2), ConsentState.REVOKED),
        (T0 - timedelta(days=1), ConsentState.NONE),
    ):
        got = store.state(ALICE, Purpose.INFORMATIONAL, scope=ACME, channel=Channel.SMS, at=at)
        assert got.state is expected
        assert got == fold(
            store.events(ALICE),
            Purpose.INFORMATIONAL,
            recipient=ALICE,
            scope=ACME,
            channel=Channel.SMS,
            at=at,
        )


def test_same_events_give_the_same_chain_in_every_store(
    store: ConsentStore, tmp_path: Path
) -> None:
    drafts = [_grant(ALICE, T0), _grant(BOB, T0), _revoke(ALICE, T0 + timedelta(days=1))]
    reference = MemoryStore()
    reference.append_many(drafts)
    for draft in drafts:
        store.append(draft)
    assert store.head() == reference.head()


def test_events_in_the_repeated_hour_of_a_dst_change_keep_their_real_order(
    store: ConsentStore,
) -> None:
    # New York, 2 Nov 2025: 01:00-02:00 happens twice. The grant at 01:45 EDT (05:45 UTC)
    # comes before the STOP at 01:30 EST (06:30 UTC). Python compares two datetimes that
    # share one ZoneInfo by wall clock, ignoring `fold`; every store must order by instant.
    from zoneinfo import ZoneInfo

    ny = ZoneInfo("America/New_York")
    grant_at = datetime(2025, 11, 2, 1, 45, tzinfo=ny)
    stop_at = datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=ny)
    store.append(_grant(ALICE, grant_at))
    store.append(_revoke(ALICE, stop_at))
    after = datetime(2025, 11, 2, 7, 0, tzinfo=UTC)
    status = store.state(ALICE, Purpose.INFORMATIONAL, scope=ACME, channel=Channel.SMS, at=after)
    assert status.state is ConsentState.REVOKED
    between = datetime(2025, 11, 2, 6, 0, tzinfo=UTC)
    assert store.state(ALICE, Purpose.INFORMATIONAL, scope=ACME, channel=Channel.SMS,
                       at=between).state is ConsentState.GRANTED


def test_events_many_returns_each_persons_events_in_sequence(store: ConsentStore) -> None:
    store.append(_grant(ALICE, T0))
    store.append(_grant(BOB, T0))
    store.append(_revoke(ALICE, T0 + timedelta(days=1)))
    store.append(_grant("+16175550123", T0))
    found = store.events_many([ALICE, BOB, "+13125550199"])
    assert [e.sequence for e in found[ALICE]] == [1, 3]
    assert [e.kind for e in found[ALICE]] == [EventKind.GRANTED, EventKind.REVOKED]
    assert [e.sequence for e in found[BOB]] == [2]
    assert list(found.get("+13125550199", ())) == []
    assert "+16175550123" not in found


def test_events_many_agrees_with_events(store: ConsentStore) -> None:
    for day in range(5):
        store.append(_grant(ALICE if day % 2 else BOB, T0 + timedelta(days=day)))
    found = store.events_many([BOB, ALICE, ALICE])
    assert tuple(found[ALICE]) == tuple(store.events(ALICE))
    assert tuple(found[BOB]) == tuple(store.events(BOB))
    assert dict(store.events_many([])) == {}


def test_facts_many_is_the_facts_of_each_persons_events(store: ConsentStore) -> None:
    store.append(_grant(ALICE, T0))
    store.append(_grant(BOB, T0, (Purpose.MARKETING,)))
    store.append(_revoke(ALICE, T0 + timedelta(days=1)))
    nobody = "+13125550199"
    for verify in (False, True):
        found = store.facts_many([ALICE, nobody, BOB, ALICE], verify=verify)
        assert set(found) == {ALICE, BOB, nobody}
        assert [f.sequence for f in found[ALICE]] == [1, 3]
        assert [f.kind for f in found[ALICE]] == [EventKind.GRANTED, EventKind.REVOKED]
        assert found[ALICE][1].reply_text == "STOP"
        assert found[ALICE][1].revocation_method is RevocationMethod.KEYWORD
        assert found[BOB][0].purposes == frozenset({Purpose.MARKETING})
        assert list(found[nobody]) == []
        assert list(found[ALICE]) == [facts_of(e) for e in store.events(ALICE)]
    assert dict(store.facts_many([])) == {}


# Scopes whose text is a prefix of another's without being its parent, and the
# characters around "/" in byte order ("-" before it, "0" after), so a filter on text
# (SQL) that is off by one character is caught.
_SCOPE_TEXTS = ("acme", "acme/app-1", "acme/app-1/web", "acme/app-10", "acme/app", "acme-2",
                "acme0", "acme/app-1-x", "other", "other/acme")


def test_facts_many_with_scopes_keeps_exactly_the_related_events(store: ConsentStore) -> None:
    for i, text in enumerate(_SCOPE_TEXTS):
        store.append(replace(_grant(ALICE, T0 + timedelta(hours=i)),
                             scope=ConsentScope.parse(text)))
    store.append(_grant(BOB, T0))
    everything = list(store.facts_many([ALICE])[ALICE])
    assert len(everything) == len(_SCOPE_TEXTS)

    def related(text: str, asked: str) -> bool:  # by text: an ancestor, itself or below
        return text == asked or asked.startswith(text + "/") or text.startswith(asked + "/")

    for asked in (("acme/app-1",), ("acme",), ("acme/app",), ("other/acme", "acme-2"),
                  ("acme/app-1/web/x",), ("nobody",), ()):
        scopes = [ConsentScope.parse(a) for a in asked]
        for verify in (False, True):
            found = store.facts_many([ALICE, BOB], verify=verify, scopes=scopes)
            assert [str(f.scope) for f in found[ALICE]] == [
                str(f.scope) for f in everything
                if any(related(str(f.scope), a) for a in asked)], asked
            assert [f.sequence for f in found[BOB]] == (
                [len(_SCOPE_TEXTS) + 1] if any(related("acme", a) for a in asked) else [])
    assert [str(f.scope) for f in store.facts_many([ALICE], scopes=[ConsentScope.parse(
        "acme/app-1")])[ALICE]] == ["acme", "acme/app-1", "acme/app-1/web"]
