"""One idempotency key reused for another message.

The docs say to use "your job or message id" as the key; in a field-service product
the job is the appointment, and its reminder and its "technician on the way" text
share it. The second answered ``duplicate`` with "already sent under this key", and
nothing said it was another message. The outcome stays ``duplicate`` (a retry may
re-render its text), but the reason and a warning now say the text or number differs.
"""

from __future__ import annotations

import logging

import pytest

from smskit import Purpose, SendOutcome, SendRequest

from .conftest import ALICE, T0, Rig, consent


def _send(rig: Rig, body: str, number: str = ALICE) -> object:
    request = SendRequest(number, body=body, purpose=Purpose.INFORMATIONAL,
                          idempotency_key="job-1042")
    return rig.messenger.send(request, rig.sender, T0)


def test_another_text_under_a_sent_key_is_named(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    consent(rig)
    _send(rig, "Acme: reminder, plumbing tomorrow 9 AM")
    with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
        second = _send(rig, "Acme: Jose is on the way")
    assert second.outcome is SendOutcome.DUPLICATE  # type: ignore[attr-defined]
    assert "another text" in second.reason  # type: ignore[attr-defined]
    assert "key of its own" in second.reason  # type: ignore[attr-defined]
    assert "another text" in caplog.text
    assert ALICE not in caplog.text
    assert len(rig.provider.messages) == 1


def test_a_plain_retry_keeps_the_plain_reason(rig: Rig) -> None:
    consent(rig)
    _send(rig, "Acme: reminder, plumbing tomorrow 9 AM")
    again = _send(rig, "Acme: reminder, plumbing tomorrow 9 AM")
    assert again.outcome is SendOutcome.DUPLICATE  # type: ignore[attr-defined]
    assert again.reason.startswith("already sent under this key")  # type: ignore[attr-defined]
    assert "another" not in again.reason  # type: ignore[attr-defined]


def test_the_warning_masks_a_phone_number_in_the_key(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    # rev28v: a CRM builds its keys from the number ("lead-12125550123-reminder"); the
    # warning masked the recipient but printed the key, and so the number, in full.
    consent(rig)
    for body in ("Acme: reminder, plumbing tomorrow 9 AM", "Acme: Jose is on the way"):
        request = SendRequest(ALICE, body=body, purpose=Purpose.INFORMATIONAL,
                              idempotency_key="lead-12125550123-reminder")
        with caplog.at_level(logging.WARNING, logger="smskit.messenger"):
            rig.messenger.send(request, rig.sender, T0)
    assert "another text" in caplog.text
    assert "5550123" not in caplog.text
    assert "'lead-1********23-reminder'" in caplog.text
