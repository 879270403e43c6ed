"""A manager's report or an integration script passing the wrong kind of value gets a
``ConfigurationError`` saying what to pass, not a ``TypeError`` or ``AttributeError``
from inside smskit.

``history.messages(since=datetime(2026, 12, 1), ...)`` (a naive day start, as a daily
report writes it) raised ``TypeError: can't subtract offset-naive and offset-aware
datetimes`` from both histories; ``usage(..., rates="rates.toml")`` (the path, as the
command line takes it) raised ``AttributeError: 'str' object has no attribute
'currency'``; ``send({...}, ...)`` raised ``AttributeError`` where ``decide`` says
"expected a SendRequest".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryMessageHistory, SQLiteMessageHistory

from .conftest import T0, Rig

NAIVE = datetime(2026, 11, 20)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_naive_window_on_a_history_read_is_a_configuration_error(
    kind: str, tmp_path: Path
) -> None:
    history: MemoryMessageHistory | SQLiteMessageHistory = (
        SQLiteMessageHistory(tmp_path / "h.db") if kind == "sqlite" else MemoryMessageHistory()
    )
    try:
        for read in (history.messages, history.deliveries):
            with pytest.raises(ConfigurationError) as caught:
                read(since=NAIVE, until=T0)
            assert caught.value.field == "since"
            with pytest.raises(ConfigurationError) as caught:
                read(since=T0 - timedelta(days=1), until=NAIVE)
            assert caught.value.field == "until"
    finally:
        if isinstance(history, SQLiteMessageHistory):
            history.close()


def test_usage_given_a_rate_card_path_says_to_load_it(rig: Rig) -> None:
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.usage(
            rig.sender, since=T0 - timedelta(days=1), until=T0,
            rates="examples/rates.toml",  # type: ignore[arg-type]
        )
    assert caught.value.field == "rates"
    assert "RateCard.load" in str(caught.value)


def test_send_given_something_other_than_a_request_says_so(rig: Rig) -> None:
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.send(
            {"recipient": "+12125550123", "body": "hi"},  # type: ignore[arg-type]
            rig.sender, T0,
        )
    assert caught.value.field == "request"
    with pytest.raises(ConfigurationError) as caught:
        rig.messenger.send(
            _request(), "+12125550199", T0,  # type: ignore[arg-type]
        )
    assert caught.value.field == "sender"
    assert rig.outbox.get("k1") is None  # nothing reserved


def _request():  # type: ignore[no-untyped-def]
    from smskit.policy import SendRequest

    return SendRequest("+12125550123", body="Acme: hi. Reply STOP to opt out",
                       idempotency_key="k1")
