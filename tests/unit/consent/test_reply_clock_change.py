"""The opt-out confirmation's 5 minutes are real time, also when the clocks go back.

``at + timedelta`` adds wall-clock time, and two datetimes of one zone compare by wall
clock: done in a named zone, a STOP two minutes before Auckland's clocks go back
(03:00 NZDT to 02:00 NZST on 4 April 2027) or New York's (02:00 EDT to 01:00 EST on
1 November 2026) would get a deadline an hour late. Events keep fixed offsets, which
spares the ledger that; these pin the behaviour either way.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.consent.ledger import _later
from smskit.testing import FixedClock

BOB = "+12125550142"
AUCKLAND = ZoneInfo("Pacific/Auckland")
NEW_YORK = ZoneInfo("America/New_York")

# (STOP, five real minutes later in UTC, a replay 90 s after the STOP in the same zone)
CASES = {
    "auckland": (
        datetime(2027, 4, 4, 2, 58, tzinfo=AUCKLAND),  # NZDT, 13:58 UTC
        datetime(2027, 4, 3, 14, 3, tzinfo=UTC),  # 02:03 NZST, in the repeated hour
        datetime(2027, 4, 4, 2, 59, 30, tzinfo=AUCKLAND),
    ),
    "new_york": (
        datetime(2026, 11, 1, 1, 58, tzinfo=NEW_YORK),  # EDT, 05:58 UTC
        datetime(2026, 11, 1, 6, 3, tzinfo=UTC),  # 01:03 EST, in the repeated hour
        datetime(2026, 11, 1, 1, 59, 30, tzinfo=NEW_YORK),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_confirmation_is_due_five_real_minutes_after_the_stop(case: str) -> None:
    stop_at, due, _ = CASES[case]
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(stop_at.astimezone(UTC)))
    outcome = ledger.handle_reply(BOB, "STOP", scope="acme", at=stop_at, message_id="SM1")
    assert outcome.reply is not None
    assert outcome.reply.send_by is not None
    assert outcome.reply.send_by.astimezone(UTC) == due


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_replay_inside_the_real_window_is_still_confirmed(case: str) -> None:
    stop_at, _, replay_at = CASES[case]
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(stop_at.astimezone(UTC)))
    first = ledger.handle_reply(BOB, "STOP", scope="acme", at=stop_at, message_id="SM1")
    again = ledger.handle_reply(BOB, "STOP", scope="acme", at=replay_at, message_id="SM1")
    assert again.event == first.event
    assert again.reply is not None


def test_a_replay_after_the_real_window_is_not_confirmed() -> None:
    stop_at = datetime(2027, 4, 4, 2, 58, tzinfo=AUCKLAND)  # 13:58 UTC
    twelve_minutes_on = datetime(2027, 4, 4, 2, 10, fold=1, tzinfo=AUCKLAND)  # 14:10 UTC
    ledger = ConsentLedger(MemoryStore(), clock=FixedClock(stop_at.astimezone(UTC)))
    ledger.handle_reply(BOB, "STOP", scope="acme", at=stop_at, message_id="SM1")
    late = ledger.handle_reply(BOB, "STOP", scope="acme", at=twelve_minutes_on, message_id="SM1")
    assert late.reply is None


def test_later_counts_real_time_for_a_time_in_a_named_zone() -> None:
    # Events keep fixed offsets, so the ledger's own deadlines were right; the helper
    # must not depend on that: given a named zone it still adds real time.
    stop_at, due, _ = CASES["auckland"]
    later = _later(stop_at, timedelta(minutes=5))
    assert later.astimezone(UTC) == due
    assert later.tzinfo is AUCKLAND
