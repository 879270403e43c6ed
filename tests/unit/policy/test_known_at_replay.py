"""Replaying a past decision with only what the ledger knew then (``known_at``).

The dispute: a STOP reached the carrier at 09:00 but the ledger recorded it at 15:00.
A send at 12:00 is blocked when judged with everything known now, and allowed when
judged with what was known at 12:00 (documented lateness); a send at 16:00 is blocked
either way (the business's fault). Expected verdicts come from the story, never from
the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemorySendHistory,
    MemoryStore,
    PostgresConsentStore,
    Registration,
    SenderProfile,
    SendRecord,
    SendRequest,
    SQLiteStore,
    Verdict,
    default_policies,
)
from smskit.errors import ConfigurationError
from smskit.testing import FixedClock

LEAD = "+12125550123"
GRANTED = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
STOP_AT = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)  # 09:00 in New York, at the carrier
STOP_RECORDED = datetime(2026, 6, 2, 19, 0, tzinfo=UTC)  # 15:00: reached the ledger late
SENT_LATE_KNOWN = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)  # 12:00: STOP not yet known
SENT_AFTER = datetime(2026, 6, 2, 20, 0, tzinfo=UTC)  # 16:00: STOP already recorded
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme", prefix="Acme: ",
                       footer="Reply STOP to opt out")
OFFER = SendRequest(LEAD, body="Spring sale", first_message=False)


def _store(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    if kind == "memory":
        return MemoryStore()
    if kind == "sqlite":
        return SQLiteStore(tmp_path / "consent.db", durable=False)
    store = PostgresConsentStore(request.getfixturevalue("postgres_dsn"),
                                 schema=request.getfixturevalue("pg_schema"))
    store.create_schema()
    return store


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def disputed(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConsentLedger]:
    """Consent granted (recorded at once), then a STOP recorded six hours late."""
    clock = FixedClock(GRANTED)
    with ConsentLedger(_store(request.param, tmp_path, request), clock=clock) as ledger:
        ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                     source="web_form", at=GRANTED,
                     evidence=Evidence(consent_text="Yes, text me Acme offers",
                                       form_url="https://acme.example/join"))
        clock.set(STOP_RECORDED)
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=STOP_AT)
        yield ledger


def test_late_stop_allowed_as_known_then_blocked_as_known_now(
    disputed: ConsentLedger,
) -> None:
    engine = CompliancePipeline(default_policies(store=disputed.store))
    now = engine.decide(OFFER, SENDER, SENT_LATE_KNOWN)
    then = engine.decide(OFFER, SENDER, SENT_LATE_KNOWN, known_at=SENT_LATE_KNOWN)
    assert now.verdict is Verdict.BLOCK
    assert "opt_out.active" in now.codes
    assert then.verdict is Verdict.ALLOW
    assert "consent.granted" in then.codes
    assert then.known_at == SENT_LATE_KNOWN
    assert now.known_at is None


def test_send_after_the_stop_was_recorded_is_blocked_as_known_then(
    disputed: ConsentLedger,
) -> None:
    engine = CompliancePipeline(default_policies(store=disputed.store))
    then = engine.decide(OFFER, SENDER, SENT_AFTER, known_at=SENT_AFTER)
    assert then.verdict is Verdict.BLOCK
    assert {"opt_out.active", "consent.revoked"} <= set(then.codes)


def test_decide_many_replays_as_decide(disputed: ConsentLedger) -> None:
    engine = CompliancePipeline(default_policies(store=disputed.store))
    for at in (SENT_LATE_KNOWN, SENT_AFTER):
        for after_revoke_all in (False, True):  # the SQLite opt-out read is cut then
            when = at.replace(year=2027, month=3) if after_revoke_all else at
            plan = engine.decide_many([OFFER], SENDER, when, known_at=at)
            assert plan.decisions == (engine.decide(OFFER, SENDER, when, known_at=at),)
    (early,) = engine.decide_many([OFFER], SENDER, SENT_LATE_KNOWN,
                                  known_at=SENT_LATE_KNOWN).decisions
    assert early.verdict is Verdict.ALLOW


def test_confirmation_replayed_without_the_late_stop() -> None:
    clock = FixedClock(STOP_RECORDED)
    with ConsentLedger(MemoryStore(), clock=clock) as ledger:
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=STOP_AT)
        engine = CompliancePipeline(default_policies(store=ledger.store))
        confirm = SendRequest(LEAD, body="Acme: you are unsubscribed", purpose="informational",
                              opt_out_confirmation=True, first_message=False)
        at = STOP_AT + timedelta(minutes=2)
        assert "opt_out_confirmation.no_opt_out" not in engine.decide(
            confirm, SENDER, at).codes
        assert "opt_out_confirmation.no_opt_out" in engine.decide(
            confirm, SENDER, at, known_at=at).codes


def test_first_message_judged_by_sends_made_by_known_at() -> None:
    # The history records when each send was made: a send after known_at was not known.
    history = MemorySendHistory()
    history.record(SendRecord(LEAD, SENDER.sender_id, SENT_LATE_KNOWN))
    engine = CompliancePipeline(default_policies(), history=history)
    ask = SendRequest(LEAD, body="Spring sale")
    assert engine.decide(ask, SENDER, SENT_AFTER).body == "Spring sale\nReply STOP to opt out"
    replay = engine.decide(ask, SENDER, SENT_AFTER, known_at=SENT_LATE_KNOWN - timedelta(1))
    assert replay.body == "Acme: Spring sale\nReply STOP to opt out"
    (batch,) = engine.decide_many([ask], SENDER, SENT_AFTER,
                                  known_at=SENT_LATE_KNOWN - timedelta(1)).decisions
    assert batch == replay


def test_known_at_must_be_aware() -> None:
    engine = CompliancePipeline(default_policies())
    with pytest.raises(ConfigurationError, match="known_at"):
        engine.decide(OFFER, SENDER, SENT_AFTER, known_at=datetime(2026, 6, 2))


# -- properties ---------------------------------------------------------------------------

_BASE = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
_hours = st.integers(min_value=0, max_value=48)
_events = st.lists(st.tuples(st.sampled_from(["grant", "stop", "start"]), _hours, _hours),
                   max_size=6)


def _ledger(events: list[tuple[str, int, int]]) -> ConsentLedger:
    """Events that occurred at ``_BASE + h`` hours and were recorded ``lag`` hours later."""
    clock = FixedClock(_BASE)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    for kind, hour, lag in events:
        at = _BASE + timedelta(hours=hour)
        clock.set(at + timedelta(hours=lag))
        if kind == "grant":
            ledger.grant(LEAD, scope="acme", purposes="marketing", kind="express_written",
                         source="web_form", at=at,
                         evidence=Evidence(consent_text="Yes", form_url="https://a.example/j"))
        else:
            ledger.handle_reply(LEAD, kind.upper(), scope="acme", at=at)
    return ledger


@given(events=_events, ask=_hours, known=st.integers(min_value=0, max_value=100))
def test_known_after_every_record_is_the_ordinary_decision(
    events: list[tuple[str, int, int]], ask: int, known: int,
) -> None:
    with _ledger(events) as ledger:
        recorded = [e.recorded_at for e in ledger.store.scan() if e.recorded_at is not None]
        known_at = max(recorded, default=_BASE) + timedelta(minutes=known)
        engine = CompliancePipeline(default_policies(store=ledger.store))
        at = _BASE + timedelta(hours=ask)
        ordinary = engine.decide(OFFER, SENDER, at)
        replayed = engine.decide(OFFER, SENDER, at, known_at=known_at)
        assert (replayed.verdict, replayed.findings) == (ordinary.verdict, ordinary.findings)


@given(events=_events, late=_events, ask=_hours, known=_hours)
def test_events_recorded_after_known_at_never_change_the_replay(
    events: list[tuple[str, int, int]], late: list[tuple[str, int, int]], ask: int, known: int,
) -> None:
    known_at = _BASE + timedelta(hours=known, minutes=30)
    # The same early history, with and without events recorded after known_at.
    # Appended in the order recorded, in both ledgers: a reply's effect (START lifting a
    # STOP) depends on what the ledger held when it was recorded.
    early = sorted((e for e in events if _BASE + timedelta(hours=e[1] + e[2]) <= known_at),
                   key=_recorded)
    later = [(k, h, lag + known + 1) for k, h, lag in late]  # recorded after known_at
    at = _BASE + timedelta(hours=ask)
    with _ledger(early) as only, _ledger(sorted([*early, *later], key=_recorded)) as more:
        one = CompliancePipeline(default_policies(store=only.store))
        two = CompliancePipeline(default_policies(store=more.store))
        a = one.decide(OFFER, SENDER, at, known_at=known_at)
        b = two.decide(OFFER, SENDER, at, known_at=known_at)
        assert a.verdict is b.verdict
        assert a.codes == b.codes


def _recorded(event: tuple[str, int, int]) -> int:
    return event[1] + event[2]


def test_revoke_all_batch_read_keeps_what_a_replay_needs(tmp_path: Path) -> None:
    # After the FCC revoke-all date SQLite's batch read keeps, of a caller's other scopes,
    # only the events from the person's last opt-out on. Here that opt-out (a second STOP
    # to the newsletter) was recorded after known_at: the replay must still see the first.
    first_stop = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
    second_stop = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
    sent = datetime(2027, 3, 2, 17, 0, tzinfo=UTC)  # 12:00 in New York
    clock = FixedClock(GRANTED)
    with ConsentLedger(SQLiteStore(tmp_path / "c.db", durable=False), clock=clock) as ledger:
        ledger.grant(LEAD, scope="acme/shop", purposes="marketing", kind="express_written",
                     source="web_form", at=GRANTED,
                     evidence=Evidence(consent_text="Yes", form_url="https://a.example/j"))
        clock.set(first_stop)
        ledger.handle_reply(LEAD, "STOP", scope="acme/news", at=first_stop)
        clock.set(sent + timedelta(hours=3))  # reached the ledger after the send
        ledger.handle_reply(LEAD, "STOP", scope="acme/news", at=second_stop)
        engine = CompliancePipeline(default_policies(store=ledger.store))
        shop = SendRequest(LEAD, body="Spring sale", first_message=False, scope="acme/shop")
        one = engine.decide(shop, SENDER, sent, known_at=sent)
        (batch,) = engine.decide_many([shop], SENDER, sent, known_at=sent).decisions
        assert batch == one
        assert one.verdict is Verdict.BLOCK
        assert "opt_out.revoke_all" in one.codes  # the first STOP, known then


def test_caps_count_only_the_sends_made_by_known_at() -> None:
    from smskit import CapLimit, FrequencyCap

    history = MemorySendHistory()
    history.record(SendRecord(LEAD, SENDER.sender_id, SENT_LATE_KNOWN))
    cap = FrequencyCap(history, limits=(CapLimit("house", 1, timedelta(hours=24)),))
    engine = CompliancePipeline(default_policies(cap=cap), history=history)
    assert engine.decide(OFFER, SENDER, SENT_AFTER).verdict is Verdict.DEFER
    before_it = SENT_LATE_KNOWN - timedelta(minutes=1)
    replay = engine.decide(OFFER, SENDER, SENT_AFTER, known_at=before_it)
    assert replay.verdict is Verdict.ALLOW
    (batch,) = engine.decide_many([OFFER], SENDER, SENT_AFTER, known_at=before_it).decisions
    assert batch == replay


def test_a_send_made_at_known_at_is_known() -> None:
    # rev28a: a send is known from the instant it is made, known_at included (the cap's
    # window and the confirmation's "already sent" alike).
    from smskit import CapLimit, FrequencyCap

    history = MemorySendHistory()
    history.record(SendRecord(LEAD, SENDER.sender_id, SENT_LATE_KNOWN))
    cap = FrequencyCap(history, limits=(CapLimit("house", 1, timedelta(hours=24)),))
    engine = CompliancePipeline(default_policies(cap=cap), history=history)
    assert engine.decide(OFFER, SENDER, SENT_AFTER,
                         known_at=SENT_LATE_KNOWN).verdict is Verdict.DEFER


def test_confirmation_sent_after_known_at_is_no_repeat() -> None:
    # rev28a: the confirmation's "already sent" check reads the sends made by known_at.
    clock = FixedClock(STOP_AT)
    history = MemorySendHistory()
    confirmed = STOP_AT + timedelta(minutes=1)
    history.record(SendRecord(LEAD, SENDER.sender_id, confirmed, "opt_out_confirmation",
                              "informational"))
    with ConsentLedger(MemoryStore(), clock=clock) as ledger:
        ledger.handle_reply(LEAD, "STOP", scope="acme", at=STOP_AT)
        engine = CompliancePipeline(default_policies(store=ledger.store, history=history))
        confirm = SendRequest(LEAD, body="Acme: you are unsubscribed", purpose="informational",
                              opt_out_confirmation=True, first_message=False)
        at = STOP_AT + timedelta(minutes=3)
        assert "opt_out_confirmation.repeat" in engine.decide(confirm, SENDER, at).codes
        before = engine.decide(confirm, SENDER, at, known_at=confirmed - timedelta(seconds=1))
        assert before.codes == ("opt_out_confirmation.allowed",)
        assert "opt_out_confirmation.repeat" in engine.decide(
            confirm, SENDER, at, known_at=confirmed).codes
