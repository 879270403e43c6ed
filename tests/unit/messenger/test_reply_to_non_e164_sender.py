"""An inbound message whose ``From`` is not written in E.164.

A parser of one's own (another provider's webhook) may hand over ``14155550123`` or
``(212) 555-0123``. The ledger reads such a number; the auto-reply went to it as
given, and recording the sent reply then refused the number (memory history: a
``ConfigurationError`` after the reply had gone out) or stored it unnormalised
(SQLite: a send frequency caps never count).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import (
    MemoryMessageHistory,
    MemoryOutbox,
    MessageRecord,
    Messenger,
    SQLiteMessageHistory,
)
from smskit.messenger.history import MessageHistory
from smskit.pricing import Direction

from .conftest import ALICE, OURS, T0, Rig, consent

WRITTEN = ["12125550123", "(212) 555-0123"]


@pytest.fixture(params=["memory", "sqlite"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MessageHistory]:
    if request.param == "memory":
        yield MemoryMessageHistory()
        return
    with SQLiteMessageHistory(tmp_path / "h.db") as sqlite:
        yield sqlite


@pytest.mark.parametrize("written", WRITTEN)
def test_the_stop_confirmation_goes_to_and_is_recorded_under_the_e164_number(
    rig: Rig, history: MessageHistory, written: str
) -> None:
    consent(rig)
    messenger = Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, history,
                          MemoryOutbox(), senders=[rig.sender])
    params = rig.provider.inbound_params(written, OURS, "STOP")
    result = messenger.handle_inbound("https://sms.example/in", params, {}, T0)
    assert result.reply is not None
    assert result.reply.outcome.value == "sent"
    assert [m.to for m in rig.provider.messages] == [ALICE]
    sent = history.messages(since=T0.replace(hour=0), until=T0, direction=Direction.OUTBOUND)
    assert [m.contact for m in sent] == [ALICE]
    assert history.sent_at(since=T0.replace(hour=0), until=T0, recipient=ALICE) == (T0,)


def test_an_outbound_message_not_in_e164_is_refused_by_every_history(
    history: MessageHistory,
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        history.record_message(MessageRecord(Direction.OUTBOUND, OURS, "(212) 555-0123", T0, 1))
    assert caught.value.field == "recipient"
    assert "555-0123" not in str(caught.value)
    assert history.messages(since=T0.replace(hour=0), until=T0) == ()
