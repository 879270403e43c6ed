"""Redelivered replies change nothing: any schedule of webhook deliveries, where each
reply's first delivery comes in time order and redeliveries of already handled replies
(same message id) fall anywhere after, leaves the same ledger and the same answers as
delivering each reply once, in time order.

The expected side is computed by the ledger too, but from a schedule without any
redelivery: the property is that redeliveries are no-ops, not what a reply does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from smskit.consent import ConsentLedger, ConsentStatus, Evidence, MemoryStore, SenderProfile
from smskit.routes import Route
from smskit.testing import FixedClock

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
N = "+14155550123"
SCOPES = ("fixit", "fixit/line-2")
BODIES = ("STOP", "Yes", "START", "UNSTOP", "HELP", "stop texting me", "See you then")
_DEFAULT = settings.default
assert _DEFAULT is not None
SOME = settings(_DEFAULT, max_examples=max(20, _DEFAULT.max_examples // 2), deadline=None)

Reply = tuple[str, str, datetime]  # body, scope, time


@st.composite
def _replies(draw: st.DrawFn) -> list[Reply]:
    count = draw(st.integers(1, 6))
    at, out = T0, []
    for _ in range(count):
        # Ties happen: two webhooks stamped with the same second.
        at += timedelta(minutes=draw(st.integers(0, 90)))
        out.append((draw(st.sampled_from(BODIES)), draw(st.sampled_from(SCOPES)), at))
    return out


def _ledger(start: str) -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(T0))
    if start == "granted":
        ledger.grant(N, scope="fixit", purposes="informational", kind="express",
                     source="api", at=T0 - timedelta(days=1))
    elif start == "requested":
        ledger.request(N, scope="fixit", purposes="informational", kind="express",
                       source="web_form", at=T0 - timedelta(days=1))
    elif start == "stopped":
        ledger.grant(N, scope="fixit", purposes="informational", kind="express",
                     source="api", at=T0 - timedelta(days=2))
        ledger.revoke(N, scope="fixit", at=T0 - timedelta(days=1), method="keyword",
                      source="keyword", evidence=Evidence(reply_text="STOP"))
    return ledger


def _answers(ledger: ConsentLedger, replies: list[Reply]) -> list[ConsentStatus]:
    times = [at for _, _, at in replies] + [replies[-1][2] + timedelta(days=1)]
    return [
        ledger.status(N, "informational", scope=scope, at=at)
        for scope in SCOPES for at in times
    ]


def _shape(status: ConsentStatus) -> tuple[object, ...]:
    return status.state, status.allows_send, tuple(e.sequence for e in status.evidence)


@given(
    replies=_replies(),
    start=st.sampled_from(["granted", "requested", "stopped", "none"]),
    toll_free=st.booleans(),
    data=st.data(),
)
@SOME
def test_redeliveries_change_nothing(
    replies: list[Reply], start: str, toll_free: bool, data: st.DataObject
) -> None:
    profile = SenderProfile(route=Route.TOLL_FREE if toll_free else Route.TEN_DLC)
    once, redelivered = _ledger(start), _ledger(start)

    def deliver(ledger: ConsentLedger, i: int, at: datetime) -> object:
        body, scope, _ = replies[i]
        outcome = ledger.handle_reply(N, body, scope=scope, at=at, message_id=f"SM{i}",
                                      profile=profile)
        return outcome.match, outcome.event, outcome.reply

    firsts = [deliver(once, i, at) for i, (_, _, at) in enumerate(replies)]

    handled = 0
    latest = T0
    for i, (_, _, at) in enumerate(replies):
        # Redeliveries of replies already handled, before this one's first delivery:
        # stamped with their own time, or (as a webhook handler stamps them) now.
        for _ in range(data.draw(st.integers(0, 3) if handled else st.just(0))):
            j = data.draw(st.integers(0, handled - 1))
            late = data.draw(st.integers(0, 120))
            when = replies[j][2] if data.draw(st.booleans()) else (
                latest + timedelta(minutes=late))
            latest = max(latest, when)
            deliver(redelivered, j, when)
        assert deliver(redelivered, i, at) == firsts[i]
        latest = max(latest, at)
        handled += 1
    for _ in range(data.draw(st.integers(0, 3))):
        j = data.draw(st.integers(0, handled - 1))
        deliver(redelivered, j, latest + timedelta(minutes=data.draw(st.integers(0, 120))))

    def kinds(ledger: ConsentLedger) -> list[tuple[object, ...]]:
        return [(e.kind, e.scope, e.occurred_at, e.evidence.reference)
                for e in ledger.history(N)]

    assert kinds(redelivered) == kinds(once)
    assert [_shape(s) for s in _answers(redelivered, replies)] == [
        _shape(s) for s in _answers(once, replies)]
