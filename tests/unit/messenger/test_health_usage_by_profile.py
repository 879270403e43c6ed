"""``messenger.health`` and ``usage`` given the sender profile ``send`` takes.

``send(request, acme, at)`` takes the profile; ``health(acme, at)`` took the sending
number only, and given the profile it reported a sender with no messages (memory
history: a healthy sender, whose repr then raised TypeError) or raised "Error binding
parameter 3: type 'SenderProfile' is not supported" (SQLite).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import SQLiteMessageHistory, sender_health, usage
from smskit.policy import SendRequest

from .conftest import OURS, T0, Rig, consent


def _sent_one(rig: Rig) -> None:
    consent(rig)
    request = SendRequest(
        "+12125550123", body="Acme: rates dropped. Reply STOP to opt out", idempotency_key="k1"
    )
    assert rig.messenger.send(request, rig.sender, T0).outcome.value == "sent"


def test_health_and_usage_take_the_profile_as_send_does(rig: Rig) -> None:
    _sent_one(rig)
    by_profile = rig.messenger.health(rig.sender, T0 + timedelta(minutes=1))
    assert by_profile.sent == 1
    assert by_profile.recipients == 1
    assert by_profile == rig.messenger.health(OURS, T0 + timedelta(minutes=1))
    assert "+1********99" in repr(by_profile)
    used = rig.messenger.usage(rig.sender, since=T0 - timedelta(days=1), until=T0)
    assert (used.messages_out, used.segments_out) == (1, 1)


def test_a_sqlite_history_reads_the_profiles_number(rig: Rig, tmp_path: Path) -> None:
    _sent_one(rig)
    with SQLiteMessageHistory(tmp_path / "history.db") as history:
        for record in rig.history.messages(since=T0 - timedelta(days=1), until=T0):
            history.record_message(record)
        assert sender_health(history, rig.sender, T0).sent == 1
        assert usage(history, rig.sender, since=T0 - timedelta(days=1), until=T0).messages_out == 1


def test_a_sender_of_another_type_is_a_configuration_error(rig: Rig) -> None:
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.health(12125550199, T0)  # type: ignore[arg-type]
    assert caught.value.field == "sender"
    with pytest.raises(ConfigurationError):
        rig.messenger.usage(None, since=T0 - timedelta(days=1), until=T0)  # type: ignore[arg-type]
