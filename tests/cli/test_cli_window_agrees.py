"""``smskit check --window`` and a Messenger given the same sending window agree: the
same verdict (allow is sent, defer is deferred) and the same time to wait until, across
weekdays and the nights the clocks change (review rev29u of user34's --window)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    Registration,
    SenderProfile,
    SendRequest,
    default_policies,
)
from smskit.cli import main
from smskit.testing import FixedClock
from smskit.timing.quiet_hours import QuietHours
from smskit.timing.quiet_rules import SendWindow

NUMBER = "+12125550123"  # New York: the clocks change on 8 March and 1 November 2026
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Instants around both changes, a quarter-hour grid over four days each.
MOMENTS = st.sampled_from([datetime(2026, 3, 6, 12, tzinfo=UTC), datetime(2026, 10, 30, 12,
                                                                           tzinfo=UTC)]).flatmap(
    lambda base: st.integers(0, 4 * 96 - 1).map(lambda q: base + timedelta(minutes=15 * q)))


@st.composite
def windows(draw: st.DrawFn) -> tuple[str, time, time, frozenset[int]]:
    start = draw(st.integers(0, 47)) * 30
    end = draw(st.integers(start // 30 + 1, 48)) * 30
    days = draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
    start_t = time(start // 60, start % 60)
    end_t = time(0) if end == 24 * 60 else time(end // 60, end % 60)
    text = f"{start_t:%H:%M}-{end_t:%H:%M}@{','.join(DAYS[d] for d in days)}"
    return text, start_t, end_t, frozenset(days)


def _messenger(window: SendWindow, at: datetime) -> Messenger:
    ledger = ConsentLedger(MemoryStore())
    history = MemoryMessageHistory()
    quiet = QuietHours(sender_windows=[window])
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, history=history, quiet_hours=quiet),
        history=history)
    ledger.grant(NUMBER, scope="acme", purposes="informational", kind="express",
                 source="web_form", at=at - timedelta(days=30),
                 evidence=Evidence(consent_text="Acme reminders"))
    profile = SenderProfile(sender_id="+12125550101", registration=Registration.APPROVED,
                            consent_scope="acme", brand="Acme")
    return Messenger(MemoryProvider(clock=FixedClock(at)), pipeline, ledger, history,
                     MemoryOutbox(), senders=[profile])


@given(window=windows(), at=MOMENTS)
def test_check_and_the_messenger_agree(
    window: tuple[str, time, time, frozenset[int]], at: datetime
) -> None:
    text, start, end, days = window
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["check", NUMBER, "--at", at.isoformat(), "--purpose", "informational",
                     "--window", text, "--json"])
    record = json.loads(out.getvalue())
    messenger = _messenger(SendWindow(start, end, days=days), at)
    sent = messenger.send(
        SendRequest(NUMBER, body="Acme: your visit is Monday. Reply STOP to opt out",
                    purpose="informational", idempotency_key="k"),
        messenger._senders["+12125550101"], at)
    assert (record["verdict"], code) in (("allow", 0), ("defer", 3))
    if record["verdict"] == "allow":
        assert sent.outcome.value == "sent", sent.reason
    else:
        assert sent.outcome.value == "deferred", sent.reason
        assert sent.not_before is not None
        assert sent.not_before.astimezone(UTC).isoformat() == record["not_before_utc"]
        # And the wait ends inside the window, on one of its days, in New York.
        local = sent.not_before.astimezone(ZoneInfo("America/New_York"))
        assert local.weekday() in days
        assert start <= local.time()
        assert end == time(0) or local.time() < end
