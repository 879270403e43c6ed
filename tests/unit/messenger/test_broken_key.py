"""A send or a cancel whose idempotency key holds half a surrogate pair (review of
audit30): refused with a ConfigurationError before anything is sent, on every outbox.
SQLite's and PostgreSQL's outboxes raised UnicodeEncodeError from Messenger.send (which
reads the key before deciding) and Messenger.cancel, a traceback for a caller's mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.errors import ConfigurationError

from .conftest import ALICE, T0, build_rig, consent, outbox_of


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_a_send_and_a_cancel_under_a_broken_key_are_refused(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    with outbox_of(kind, tmp_path, request) as box:
        rig = build_rig(box)  # type: ignore[arg-type]
        consent(rig)
        with pytest.raises(ConfigurationError, match="surrogate") as info:
            rig.messenger.send(
                SendRequest(ALICE, body="Your order is ready", purpose="informational",
                            idempotency_key="order-\ud800-ready"),
                rig.sender, T0,
            )
        assert info.value.field == "idempotency_key"
        assert rig.provider.messages == ()
        with pytest.raises(ConfigurationError, match="surrogate"):
            rig.messenger.cancel("order-\ud800-ready", T0)


def test_a_send_request_refuses_a_broken_key_itself() -> None:
    # Where the caller's mistake is made, as a broken body is refused.
    with pytest.raises(ConfigurationError, match="surrogate") as info:
        SendRequest(ALICE, body="hi", idempotency_key="\udcff")
    assert info.value.field == "idempotency_key"
