"""Faults: the loopback Messages API failing on purpose, and ``kill -9`` mid-batch.

Every count is checked against what the fake API received, not against what
smskit says it did.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from fake_twilio_api import Action, FakeMessagesApi
from smskit.messenger import OutboxState, SendOutcome, SQLiteOutbox
from smskit.policy import SendRequest
from smskit.purpose import Purpose
from smskit.testing import FixedClock

from .twilio_rig import (
    SENDER,
    T0,
    close,
    grant,
    recipient,
    start_fake,
    stop_fake,
    twilio_messenger,
)

CHILD = Path(__file__).with_name("batch_child.py")
BATCH = 12  # small: CI time is bounded; the crash point is fixed, not timed


def _request(i: int) -> SendRequest:
    return SendRequest(recipient=recipient(i), body=f"Order {i} has shipped",
                       purpose=Purpose.INFORMATIONAL, idempotency_key=f"batch-{i}")


@pytest.fixture
def fake() -> FakeMessagesApi:
    api = start_fake(FixedClock(T0))
    yield api  # type: ignore[misc]
    stop_fake(api)


def _bodies(api: FakeMessagesApi) -> Counter[str]:
    return Counter(str(m["body"]) for m in api.messages)


def test_a_500_after_creating_is_found_by_lookup_and_not_sent_twice(
    tmp_path: Path, fake: FakeMessagesApi
) -> None:
    messenger = twilio_messenger(tmp_path, fake.base_url, FixedClock(T0))
    grant(messenger, recipient(0))
    fake.post_script.append(Action(status=500, body={"code": 20500, "message": "oops"}))
    result = messenger.send(_request(0), SENDER, T0)
    assert result.outcome is SendOutcome.SENT
    assert result.receipt is not None
    assert result.receipt.recovered
    assert _bodies(fake) == {"Order 0 has shipped": 1}
    assert messenger.send(_request(0), SENDER, T0 + timedelta(minutes=9)).outcome is (
        SendOutcome.DUPLICATE
    )
    assert len(fake.posts) == 1
    close(messenger)


def test_a_hang_with_a_failing_lookup_stays_pending_until_reconciled(
    tmp_path: Path, fake: FakeMessagesApi
) -> None:
    clock = FixedClock(T0)
    messenger = twilio_messenger(tmp_path, fake.base_url, clock)
    grant(messenger, recipient(0))
    # Created, then the answer never comes; the lookup that follows fails too.
    fake.post_script.append(Action(hang=True))
    fake.get_script.append(Action(status=503, body={"code": 20503}))
    messenger.provider._client.http_client.timeout = 0.3  # type: ignore[attr-defined]
    result = messenger.send(_request(0), SENDER, T0)
    fake.release.set()
    assert result.outcome is SendOutcome.PENDING
    entry = messenger.outbox.get("batch-0")
    assert entry is not None
    assert entry.state is OutboxState.AMBIGUOUS
    [settled] = messenger.reconcile(T0 + timedelta(minutes=5))
    assert settled.outcome is SendOutcome.SENT
    assert _bodies(fake) == {"Order 0 has shipped": 1}
    assert len(fake.posts) == 1
    close(messenger)


def test_a_refused_connection_is_queued_and_sent_later(tmp_path: Path) -> None:
    clock = FixedClock(T0)
    api = start_fake(clock)
    closed_url = api.base_url
    stop_fake(api)  # nothing listens there any more: connection refused
    messenger = twilio_messenger(tmp_path, closed_url, clock)
    grant(messenger, recipient(0))
    result = messenger.send(_request(0), SENDER, T0)
    assert (result.outcome, result.queued) == (SendOutcome.FAILED, True)
    entry = messenger.outbox.get("batch-0")
    assert entry is not None
    assert entry.state is OutboxState.DEFERRED
    close(messenger)


def _run_child(folder: Path, base_url: str, minutes: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(folder), base_url, str(BATCH), str(minutes)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_mid_batch_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, fake: FakeMessagesApi
) -> None:
    setup = twilio_messenger(tmp_path, fake.base_url, FixedClock(T0))
    for i in range(BATCH):
        grant(setup, recipient(i))
    close(setup)
    crash_at = BATCH // 2
    # The provider takes message number crash_at, then its answer never comes:
    # the child dies between the provider's acceptance and its own record.
    fake.post_script.extend([Action()] * crash_at + [Action(hang=True)])
    child = _run_child(tmp_path, fake.base_url, 0)
    deadline = time.monotonic() + 60
    while len(fake.messages) < crash_at + 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(fake.messages) == crash_at + 1, "the child never reached the crash point"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.stdout is not None
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    fake.release.set()
    with SQLiteOutbox(tmp_path / "outbox.db") as box:
        assert [e.key for e in box.unresolved()] == [f"batch-{crash_at}"]

    restart = _run_child(tmp_path, fake.base_url, 5)
    out, _ = restart.communicate(timeout=60)
    assert restart.returncode == 0, out
    assert f"reconciled batch-{crash_at} sent" in out
    assert out.count(" duplicate") == crash_at + 1  # the ones before, and the one found
    # Nothing lost, nothing doubled: each body exactly once at the API...
    assert _bodies(fake) == {f"Order {i} has shipped": 1 for i in range(BATCH)}
    # ...and the outbox agrees with it, message id by message id.
    with SQLiteOutbox(tmp_path / "outbox.db") as box:
        entries = [box.get(f"batch-{i}") for i in range(BATCH)]
    by_sid = {m["sid"]: m["body"] for m in fake.messages}
    for i, entry in enumerate(entries):
        assert entry is not None
        assert entry.state is OutboxState.SENT
        assert by_sid[entry.provider_id] == f"Order {i} has shipped"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_9_before_the_provider_took_it_resends_after_a_lookup(
    tmp_path: Path, fake: FakeMessagesApi
) -> None:
    setup = twilio_messenger(tmp_path, fake.base_url, FixedClock(T0))
    for i in range(BATCH):
        grant(setup, recipient(i))
    close(setup)
    crash_at = BATCH // 3
    # Message crash_at is never created: the request hangs before the API takes it.
    fake.post_script.extend([Action()] * crash_at + [Action(create=False, hang=True)])
    child = _run_child(tmp_path, fake.base_url, 0)
    deadline = time.monotonic() + 60
    while len(fake.posts) < crash_at + 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(fake.posts) == crash_at + 1, "the child never reached the crash point"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.stdout is not None
    child.stdout.close()
    fake.release.set()
    assert len(fake.messages) == crash_at

    restart = _run_child(tmp_path, fake.base_url, 5)
    out, _ = restart.communicate(timeout=60)
    assert restart.returncode == 0, out
    assert f"reconciled batch-{crash_at} sent" in out  # looked up, not found, decided, sent
    assert _bodies(fake) == {f"Order {i} has shipped": 1 for i in range(BATCH)}


def test_a_429_with_a_code_smskit_does_not_know_is_queued_not_failed(
    tmp_path: Path, fake: FakeMessagesApi
) -> None:
    # Twilio: a 429 "is never processed and is always safe to retry", whatever
    # its code; the provider says so (retryable=True) with the code's category
    # "unknown". The messenger must follow the error's retryable, as
    # docs/providers.md tells every caller to, not re-derive it from the category.
    messenger = twilio_messenger(tmp_path, fake.base_url, FixedClock(T0))
    grant(messenger, recipient(0))
    busy = Action(status=429, body={"code": 14107, "message": "rate"}, create=False)
    fake.post_script.extend([busy, busy])  # both attempts of RetryPolicy(attempts=2)
    result = messenger.send(_request(0), SENDER, T0)
    assert (result.outcome, result.queued) == (SendOutcome.FAILED, True)
    assert result.code == "14107"
    entry = messenger.outbox.get("batch-0")
    assert entry is not None
    assert entry.state is OutboxState.DEFERRED
    [retry] = messenger.send_due(T0 + timedelta(minutes=1))
    assert retry.outcome is SendOutcome.SENT
    assert _bodies(fake) == {"Order 0 has shipped": 1}
    assert len(fake.posts) == 3
    close(messenger)
