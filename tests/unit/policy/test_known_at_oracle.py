"""A replay (``known_at=K``) against its definition: the ordinary decision on the ledger
and send history as they stood at ``K`` (rev28a).

Two ledgers are fed the same replies, grants and revocations in the order the ledger
recorded them: one everything, one only what was recorded by ``K`` (what the ledger held
then; a reply's meaning depends on what was on file when it was handled). Sends are
known once made. ``decide(..., known_at=K)`` on the first must equal ``decide(...)`` on
the second, for every store, with ``decide_many`` equal to ``decide``.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smskit import (
    CapLimit,
    CompliancePipeline,
    ConsentLedger,
    ConsentStore,
    Evidence,
    FrequencyCap,
    MemorySendHistory,
    MemoryStore,
    PostgresConsentStore,
    Registration,
    SenderProfile,
    SendRecord,
    SendRequest,
    SQLiteStore,
    default_policies,
)
from smskit.errors import ConsentError
from smskit.routes import Route
from smskit.testing import FixedClock

LEAD, OTHER = "+12125550123", "+13055550199"
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme/shop", prefix="Acme: ",
                       footer="Reply STOP to opt out")
TOLL_FREE = replace(SENDER, sender_id="+18005550100", route=Route.TOLL_FREE)
REPLIES = {"stop": "STOP", "start": "START", "wrong": "wrong number"}
# Before and after the FCC revoke-all date (2027-01-31): SQLite's batch read differs.
BASES = (datetime(2026, 6, 1, 10, 0, tzinfo=UTC), datetime(2027, 3, 1, 10, 0, tzinfo=UTC))
ZONES = (UTC, ZoneInfo("America/New_York"), timezone(timedelta(hours=5, minutes=30)))
_names = itertools.count()

# (who, what, scope, occurred hour, recorded that many hours later; -1: keyed in early)
_event = st.tuples(
    st.sampled_from([LEAD, LEAD, OTHER]),
    st.sampled_from(["grant", "grant", "request", "confirm", "stop", "stop", "start",
                     "wrong", "revoke", "regrant"]),
    st.sampled_from(["acme", "acme/shop", "acme/shop", "acme/news"]),
    st.integers(0, 30),
    st.sampled_from([0, 0, 1, 3, 10, 20, -1]),
)


def _apply(ledger: ConsentLedger, clock: FixedClock, event: tuple[str, str, str, int, int],
           base: datetime, toll_free: bool) -> None:
    who, what, scope, hour, _ = event
    at = base + timedelta(hours=hour)
    clock.set(_recorded(event, base))
    form = Evidence(consent_text="Yes", form_url="https://a.example/j")
    try:
        if what in ("grant", "request"):
            getattr(ledger, what)(who, scope=scope, purposes="marketing",
                                  kind="express_written", source="web_form", at=at,
                                  evidence=form)
        elif what in ("confirm", "revoke", "regrant"):
            getattr(ledger, what)(who, scope=scope, at=at)
        else:
            ledger.handle_reply(who, REPLIES[what], scope=scope, at=at,
                                profile=TOLL_FREE if toll_free else SENDER)
    except ConsentError:
        pass  # a confirmation with no request pending: refused in both ledgers alike


def _recorded(event: tuple[str, str, str, int, int], base: datetime) -> datetime:
    return base + timedelta(hours=event[3] + event[4])


def _store(kind: str, tmp: Path, request: pytest.FixtureRequest) -> ConsentStore:
    if kind == "memory":
        return MemoryStore()
    if kind == "sqlite":
        return SQLiteStore(tmp / f"{next(_names)}.db", durable=False)
    schema = request.getfixturevalue("pg_schema")
    store = PostgresConsentStore(request.getfixturevalue("postgres_dsn"), schema=schema,
                                 chain=f"c{next(_names)}")
    store.create_schema()
    return store


def _check(kind: str, request: pytest.FixtureRequest, tmp: Path, data: st.DataObject) -> None:
    events = data.draw(st.lists(_event, min_size=1, max_size=7), "events")
    base = data.draw(st.sampled_from(BASES), "base")
    zone = data.draw(st.sampled_from(ZONES), "zone")
    at = (base + timedelta(hours=data.draw(st.integers(0, 40), "ask"),
                           minutes=data.draw(st.sampled_from([0, 30])))).astimezone(zone)
    known_at = (base + timedelta(hours=data.draw(st.integers(0, 50), "known"),
                                 minutes=data.draw(st.sampled_from([0, 1, 30])))).astimezone(zone)
    toll_free, confirmation, wide_cap, verify = (data.draw(st.booleans()) for _ in range(4))
    sends = [SendRecord(data.draw(st.sampled_from([LEAD, OTHER])), SENDER.sender_id,
                        base + timedelta(hours=hour),
                        "opt_out_confirmation" if data.draw(st.booleans()) else None)
             for hour in data.draw(st.lists(st.integers(-30, 60), max_size=4), "sends")]
    sender = TOLL_FREE if toll_free else SENDER
    sends = [replace(s, sender=sender.sender_id) for s in sends]
    ordered = sorted(events, key=lambda e: _recorded(e, base))
    limit = CapLimit("house", 1, timedelta(hours=24), per_recipient=not wide_cap,
                     per_sender=wide_cap)
    clocks = FixedClock(base), FixedClock(base)
    with ConsentLedger(_store(kind, tmp, request), clock=clocks[0]) as now, \
            ConsentLedger(_store(kind, tmp, request), clock=clocks[1]) as then:
        for event in ordered:
            _apply(now, clocks[0], event, base, toll_free)
            if _recorded(event, base) <= known_at:
                _apply(then, clocks[1], event, base, toll_free)
        engines = []
        for ledger, made in ((now, sends), (then, [s for s in sends if s.at <= known_at])):
            history = MemorySendHistory()
            for send in made:
                history.record(send)
            engines.append(CompliancePipeline(default_policies(
                store=ledger.store, history=history, verify_reads=verify,
                cap=FrequencyCap(history, limits=(limit,))), history=history))
        replayed, truth = engines
        base_request = (
            SendRequest(LEAD, body="Acme: you are unsubscribed", purpose="informational",
                        opt_out_confirmation=True, first_message=None) if confirmation
            else SendRequest(LEAD, body="Spring sale"))
        asks = [replace(base_request, recipient=who, scope=scope) for who in (LEAD, OTHER)
                for scope in (None, "acme/news", "acme")]
        expected = [truth.decide(ask, sender, at) for ask in asks]
        got = [replayed.decide(ask, sender, at, known_at=known_at) for ask in asks]
        assert [replace(d, known_at=None) for d in got] == expected
        assert all(d.known_at == known_at for d in got)
        batch = replayed.decide_many(asks, sender, at, known_at=known_at, batch_size=4)
        assert list(batch.decisions) == got


_LIGHT = settings(max_examples=max(3, settings().max_examples // 4),
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


@given(data=st.data())
def test_replay_is_the_decision_on_the_ledger_as_it_stood(
    data: st.DataObject, request: pytest.FixtureRequest,
) -> None:
    _check("memory", request, Path(), data)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
@_LIGHT
@given(data=st.data())
def test_replay_is_the_decision_on_the_ledger_as_it_stood_in_sql_stores(
    kind: str, data: st.DataObject, request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    _check(kind, request, tmp_path_factory.mktemp("replay"), data)
