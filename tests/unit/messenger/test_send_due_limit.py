"""``send_due(at, limit=)``: a short batch, so the rest is decided at a fresh time.

Every entry of one ``send_due`` call is decided at its ``at``. Without a bound, a
queue of 100,000 review requests released at 08:00 ran for hours on the one
decision time, and a batch started at 20:59 sent into the night: its last entries
were judged "20:59". With ``limit`` the scheduler takes a few at a time, each
batch at its own ``at``, and what is left at 21:00 waits for the morning.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit import SendRequest
from smskit.errors import ConfigurationError

from .conftest import ALICE, build_rig, consent

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
LAST_MINUTE = datetime(2026, 11, 21, 1, 59, 30, tzinfo=UTC)  # 20:59:30
CLOSED = datetime(2026, 11, 21, 2, 0, 30, tzinfo=UTC)  # 21:00:30: quiet hours


def test_a_bounded_batch_leaves_the_rest_for_a_fresh_decision() -> None:
    rig = build_rig()
    consent(rig)
    for n in range(3):
        offer = SendRequest(recipient=ALICE, body=f"Acme: offer {n}. Reply STOP to opt out",
                            idempotency_key=f"offer-{n}")
        assert rig.messenger.send(offer, rig.sender, NIGHT, queue=True).queued
    first = rig.messenger.send_due(LAST_MINUTE, limit=2)
    assert [r.key for r in first] == ["offer-0", "offer-1"]
    assert [r.outcome.value for r in first] == ["sent", "sent"]
    [late] = rig.messenger.send_due(CLOSED, limit=2)
    assert late.key == "offer-2"
    assert late.outcome.value == "deferred"  # quiet hours began: not sent on 20:59's decision
    assert len(rig.provider.messages) == 2


@pytest.mark.parametrize("limit", [0, -1, 2.5, "10", True])
def test_a_bad_limit_is_refused(limit: object) -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError, match="limit must be a whole number") as raised:
        rig.messenger.send_due(LAST_MINUTE, limit=limit)  # type: ignore[arg-type]
    assert raised.value.field == "limit"
