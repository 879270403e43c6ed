"""An inbound webhook redelivered after a crash, before it was marked processed.

The messenger's own de-duplication (the history's processed keys) is written after
the ledger: a crash between the two leaves the ledger alone to recognise the
redelivery. Whatever the person sent in between must stand.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit.messenger import SendOutcome
from smskit.policy import SendRequest

from .conftest import ALICE, OURS, T0, Rig, consent

M = timedelta(minutes=1)


def _crash_before_marking(rig: Rig, monkeypatch: pytest.MonkeyPatch, params: dict[str, str],
                          at: object) -> None:
    def crash(key: str, at: object) -> None:
        raise OSError("killed before the webhook was marked processed")

    with monkeypatch.context() as patch:
        patch.setattr(rig.history, "mark_processed", crash)
        with pytest.raises(OSError, match="killed before"):
            rig.messenger.handle_inbound("u", params, {}, at)  # type: ignore[arg-type]


def _send(rig: Rig, key: str, at: object) -> SendOutcome:
    request = SendRequest(recipient=ALICE, body="Acme: your order shipped",
                          purpose="informational", idempotency_key=key)  # type: ignore[arg-type]
    return rig.messenger.send(request, rig.sender, at).outcome  # type: ignore[arg-type]


def test_a_yes_redelivered_after_a_stop_does_not_resubscribe(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    consent(rig)
    yes = rig.provider.inbound_params(ALICE, OURS, "Yes", message_id="SMyes")
    _crash_before_marking(rig, monkeypatch, yes, T0)
    rig.messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, OURS, "STOP"), {},
                                 T0 + M)
    again = rig.messenger.handle_inbound("u", yes, {}, T0 + 10 * M)
    assert again.outcome is not None
    assert again.outcome.event is None
    assert again.reply is None
    assert [e.kind.value for e in rig.ledger.history(ALICE)] == ["granted", "noted", "revoked"]
    assert _send(rig, "after", T0 + 11 * M) is SendOutcome.BLOCKED


def test_a_provider_matched_stop_redelivered_after_a_start_does_not_opt_out_again(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A keyword set up at the provider (Twilio Advanced Opt-Out): the messenger, not
    # the ledger, records the revocation; its redelivery must not undo the START.
    consent(rig)
    stop = rig.provider.inbound_params(ALICE, OURS, "QUITACME", message_id="SMquit")
    stop["OptOutType"] = "STOP"
    _crash_before_marking(rig, monkeypatch, stop, T0)
    rig.messenger.handle_inbound("u", rig.provider.inbound_params(ALICE, OURS, "START"), {},
                                 T0 + M)
    again = rig.messenger.handle_inbound("u", stop, {}, T0 + 10 * M)
    assert again.opted_out  # as the first delivery said
    assert [e.kind.value for e in rig.ledger.history(ALICE)] == [
        "granted", "revoked", "regranted"]
    assert _send(rig, "after", T0 + 11 * M) is SendOutcome.SENT
