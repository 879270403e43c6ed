"""``SQLiteStore.facts_for_opt_outs``: under FCC revoke-all, a person's events in the
caller's other scopes are read from their last opt-out before the instant on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import Channel, ConsentLedger, ConsentScope, SQLiteStore

T0 = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
AT = T0 + timedelta(days=30)
N = "+14155550123"
APP = (ConsentScope.parse("acme/app-1"),)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[ConsentLedger]:
    made = ConsentLedger(SQLiteStore(tmp_path / "l.db", durable=False))
    yield made
    made.store.close()


def _read(ledger: ConsentLedger, at: datetime = AT,
          scopes: tuple[ConsentScope, ...] = APP) -> list[int] | None:
    store = ledger.store
    assert isinstance(store, SQLiteStore)
    found = store.facts_for_opt_outs([N], scopes=scopes, at=at)
    return None if found is None else [f.sequence for f in found[N]]


def _grant(ledger: ConsentLedger, scope: str, at: datetime) -> int:
    return ledger.grant(N, scope=scope, purposes="marketing", kind="express",
                        source="api", at=at).sequence


def test_other_scopes_are_read_from_the_last_opt_out_before_the_instant(
    ledger: ConsentLedger,
) -> None:
    brand = _grant(ledger, "acme", T0)  # covers acme/app-1: always read
    old = _grant(ledger, "acme/app-3", T0 + timedelta(days=1))
    stop = ledger.handle_reply(N, "STOP", scope="acme/app-2", at=T0 + timedelta(days=2))
    start = ledger.handle_reply(N, "START", scope="acme/app-2", at=T0 + timedelta(days=3))
    app = _grant(ledger, "acme/app-1", T0 + timedelta(days=4))
    later = _grant(ledger, "acme/app-3", AT + timedelta(days=1))  # after the instant
    assert stop.event is not None
    assert start.event is not None
    assert _read(ledger) == [brand, stop.event.sequence, start.event.sequence, app, later]
    # Asked before the STOP, nothing cuts: every event of the caller.
    assert _read(ledger, T0 + timedelta(days=1, hours=1)) == [brand, old, stop.event.sequence,
                                                              start.event.sequence, app, later]
    assert old not in (_read(ledger) or [])


def test_an_opt_out_within_a_second_of_the_instant_does_not_cut(
    ledger: ConsentLedger,
) -> None:
    first = ledger.revoke(N, scope="acme/app-2", at=T0).sequence
    between = _grant(ledger, "acme/app-3", T0 + timedelta(days=1))
    last = ledger.revoke(N, scope="acme/app-2", at=AT - timedelta(milliseconds=500)).sequence
    # The last opt-out is half a second before the instant: the read cuts at the one
    # before it (erring towards more rows), so the grant between them is read.
    assert _read(ledger) == [first, between, last]
    assert _read(ledger, AT + timedelta(seconds=2)) == [last]


def test_only_an_opt_out_of_every_purpose_over_every_text_channel_cuts(
    ledger: ConsentLedger,
) -> None:
    early = _grant(ledger, "acme/app-3", T0)
    sms_only = ledger.revoke(N, scope="acme/app-2", at=T0 + timedelta(days=1),
                             channels=[Channel.SMS]).sequence
    marketing = ledger.revoke(N, scope="acme/app-2", at=T0 + timedelta(days=2),
                              purposes="marketing").sequence
    # An MMS question is not answered by an SMS-only opt-out, nor every purpose by a
    # marketing one: neither cuts, and every event of the caller is read.
    assert _read(ledger) == [early, sms_only, marketing]
    text = ledger.handle_reply(N, "STOP", scope="acme/app-2", at=T0 + timedelta(days=3))
    assert text.event is not None
    assert _read(ledger) == [text.event.sequence]


def test_a_person_who_never_revoked_is_read_in_the_asked_scopes_only(
    ledger: ConsentLedger,
) -> None:
    app = _grant(ledger, "acme/app-1", T0)
    _grant(ledger, "acme/app-2", T0)
    _grant(ledger, "other", T0)
    assert _read(ledger) == [app]


def test_several_callers_are_not_cut(ledger: ConsentLedger) -> None:
    _grant(ledger, "acme/app-1", T0)
    assert _read(ledger, scopes=(*APP, ConsentScope.parse("other/x"))) is None
