"""A status Twilio adds after this release is recorded, not lost (handle_status)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smskit.errors import ProviderResponseError, WebhookSignatureError
from smskit.messenger import Messenger
from smskit.providers import (
    DeliveryStatus,
    MessageStatus,
    TwilioSignatureVerifier,
    compute_twilio_signature,
)

from .conftest import ALICE, OURS, T0, Rig, consent

URL = "https://example.com/status"
# Not a value Twilio documents today: stands for one it adds later.
NEW = "Paused_For_Review"


def _params(status: str, sid: str = "SM1") -> dict[str, str]:
    return {"MessageSid": sid, "MessageStatus": status, "To": ALICE, "From": OURS}


def test_an_unknown_status_is_recorded_with_its_raw_value(rig: Rig) -> None:
    consent(rig)
    result = rig.messenger.handle_status(URL, _params(NEW), {}, T0)
    assert not result.duplicate
    assert result.status.status is MessageStatus.UNKNOWN
    assert result.status.raw_status == "paused_for_review"
    assert result.status.raw["MessageStatus"] == NEW  # as Twilio wrote it
    (record,) = rig.history.deliveries(since=T0 - timedelta(seconds=1), until=T0)
    assert record.status == "paused_for_review"
    assert record.provider_id == "SM1"
    # Retried by Twilio: recognised, processed once.
    again = rig.messenger.handle_status(URL, _params(NEW), {}, T0 + timedelta(seconds=5))
    assert again.duplicate


def test_two_different_unknown_statuses_are_both_recorded(rig: Rig) -> None:
    first = rig.messenger.handle_status(URL, _params("paused"), {}, T0)
    second = rig.messenger.handle_status(URL, _params("resumed"), {}, T0 + timedelta(seconds=1))
    assert not first.duplicate
    assert not second.duplicate
    window = {"since": T0 - timedelta(1), "until": T0 + timedelta(1)}
    statuses = [d.status for d in rig.history.deliveries(**window)]
    assert statuses == ["paused", "resumed"]


def test_an_unknown_status_is_not_final_and_not_a_failure() -> None:
    assert not MessageStatus.UNKNOWN.final


@pytest.mark.parametrize("params", [
    {"MessageSid": "SM1"},                              # no status at all
    {"MessageSid": "SM1", "MessageStatus": "   "},      # blank is missing, not new
    {"MessageStatus": NEW},                             # no message id
])
def test_a_callback_missing_fields_is_still_refused(rig: Rig, params: dict[str, str]) -> None:
    with pytest.raises(ProviderResponseError):
        rig.messenger.handle_status(URL, params, {}, T0)
    assert rig.history.deliveries(since=T0 - timedelta(1), until=T0 + timedelta(1)) == ()


def test_a_bad_signature_is_still_refused_for_an_unknown_status(rig: Rig) -> None:
    checked = Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
        verifier=TwilioSignatureVerifier("token"), senders=[rig.sender],
    )
    params = _params(NEW)
    with pytest.raises(WebhookSignatureError):
        checked.handle_status(URL, params, {"X-Twilio-Signature": "forged"}, T0)
    good = {"X-Twilio-Signature": compute_twilio_signature(URL, params, "token")}
    assert checked.handle_status(URL, params, good, T0).status.raw_status == "paused_for_review"


_CODES = {"DELIVRD": MessageStatus.DELIVERED, "UNDELIV": MessageStatus.UNDELIVERED}


class _RawKeepingParser:
    """A user's own parser for a provider with carrier-style codes ("UNDELIV"): it
    maps each to a known status and keeps the code in raw_status as well."""

    def parse_inbound(self, params: object, headers: object = None) -> object:
        raise NotImplementedError

    def parse_status(self, params: dict[str, str], headers: object = None) -> DeliveryStatus:
        code = params["stat"]
        return DeliveryStatus(
            params["id"], _CODES.get(code, MessageStatus.UNKNOWN), to=ALICE, sender=OURS,
            raw_status=code.lower(),
        )


def test_a_known_status_is_recorded_as_itself_whatever_raw_status_says(rig: Rig) -> None:
    # docs/providers.md: reported is raw_status for an unknown value, "and the status's
    # own value otherwise": a failure must be recorded as one, or health never sees it.
    messenger = Messenger(
        rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
        parser=_RawKeepingParser(), senders=[rig.sender],  # type: ignore[arg-type]
    )
    result = messenger.handle_status(URL, {"id": "M1", "stat": "UNDELIV"}, {}, T0)
    assert result.status.reported == "undelivered"
    assert result.status.dedup_key == "M1:undelivered"
    messenger.handle_status(URL, {"id": "M2", "stat": "EXPIRED"}, {}, T0)  # unknown: kept
    window = {"since": T0 - timedelta(1), "until": T0 + timedelta(1)}
    assert [d.status for d in rig.history.deliveries(**window)] == ["undelivered", "expired"]
