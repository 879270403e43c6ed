"""A text from a suppressed number lifts the suppression (``reset_on_inbound``).

A number suppressed after repeated ``unreachable`` failures (a phone off for weeks)
that then texts us is a phone that works: only failures of messages first reported
after its text count. smskit's default, switchable; ``reset_on_delivery`` already
does the same for a delivered message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from smskit import SendRequest
from smskit.errors import ConfigurationError
from smskit.messenger import (
    DeliveryRecord,
    MemoryMessageHistory,
    MessageHistory,
    MessageRecord,
    SendOutcome,
    SQLiteMessageHistory,
    SuppressionPolicy,
)
from smskit.pricing import Direction

from .conftest import ALICE, OURS, T0, build_rig, consent

BOB = "+12125550124"
H = timedelta(hours=1)


@pytest.fixture(params=["memory", "sqlite"])
def history(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MessageHistory]:
    if request.param == "memory":
        yield MemoryMessageHistory()
    else:
        with SQLiteMessageHistory(tmp_path / "history.db") as stored:
            yield stored


def _unreachable(history: MessageHistory, start: object, count: int = 3) -> None:
    for n in range(count):
        history.record_delivery(DeliveryRecord(
            provider_id=f"SM{start}-{n}", sender=OURS, contact=ALICE,
            at=T0 + int(str(start)) * H + n * timedelta(minutes=1),
            status="undelivered", category="unreachable", code="30003"))


def _texts_us(history: MessageHistory, number: str, at: object) -> None:
    history.record_message(MessageRecord(Direction.INBOUND, OURS, number, at, 1,  # type: ignore[arg-type]
                                         provider_id=f"SMin-{number}-{at}"))


def test_a_text_from_the_number_lifts_it_and_later_failures_count_again(
    history: MessageHistory,
) -> None:
    policy = SuppressionPolicy(history, after=3)
    _unreachable(history, 0)
    assert policy.suppressed(ALICE, T0 + H)
    _texts_us(history, BOB, T0 + 2 * H)  # another number's text lifts nothing
    assert policy.suppressed(ALICE, T0 + 3 * H)
    _texts_us(history, ALICE, T0 + 4 * H)
    assert policy.failures(ALICE, T0 + 5 * H) == 0
    assert not policy.suppressed(ALICE, T0 + 5 * H)
    # The switch: inbound texts ignored, as before.
    assert SuppressionPolicy(history, after=3, reset_on_inbound=False).suppressed(
        ALICE, T0 + 5 * H)
    # A phone that goes dead again after its text is suppressed again.
    _unreachable(history, 6, count=2)
    assert policy.failures(ALICE, T0 + 7 * H) == 2
    _unreachable(history, 8, count=1)
    assert policy.suppressed(ALICE, T0 + 9 * H)


def test_reset_on_inbound_must_be_a_bool() -> None:
    with pytest.raises(ConfigurationError, match="reset_on_inbound must be True or False"):
        SuppressionPolicy(MemoryMessageHistory(), reset_on_inbound=1)  # type: ignore[arg-type]


def test_a_suppressed_customer_who_texts_in_is_sent_to_again() -> None:
    rig = build_rig()  # the pipeline suppresses after 2 such failures
    consent(rig)
    _unreachable(rig.history, 0, count=2)

    def offer(key: str) -> SendRequest:
        return SendRequest(recipient=ALICE, body="Acme: your boiler check is due",
                           purpose="transactional", idempotency_key=key)

    blocked = rig.messenger.send(offer("k1"), rig.sender, T0 + H)
    assert blocked.outcome is SendOutcome.BLOCKED
    assert "failed 2 times as invalid, landline or unreachable" in (blocked.reason or "")
    rig.messenger.handle_inbound(
        "u", rig.provider.inbound_params(ALICE, OURS, "Is my check still on?"), {}, T0 + 2 * H)
    sent = rig.messenger.send(offer("k2"), rig.sender, T0 + 3 * H)
    assert sent.outcome is SendOutcome.SENT


_READER = """
import sys
from datetime import UTC, datetime
from smskit.messenger import SQLiteMessageHistory
from smskit.pricing import Direction
with SQLiteMessageHistory(sys.argv[1]) as history:
    found = history.messages(since=datetime(2026, 1, 1, tzinfo=UTC),
                             until=datetime(2027, 1, 1, tzinfo=UTC),
                             direction=Direction.INBOUND, contact=sys.argv[2])
    print(len(found))
"""


def test_a_history_file_from_before_the_contact_index_still_opens_read_only(
    tmp_path: Path,
) -> None:
    # Review rev29m: the index was created on every open, a write: an auditor's copy
    # (mode 0444) of a file made before it, which opened before, was refused.
    import os
    import shutil
    import sqlite3
    import subprocess
    import sys

    path = tmp_path / "history.db"
    with SQLiteMessageHistory(path) as stored:
        _texts_us(stored, ALICE, T0)
    with sqlite3.connect(path) as conn:  # as smskit left it before the index
        conn.execute("DROP INDEX smskit_messages_contact")
    conn.close()
    path.chmod(0o444)
    argv = [sys.executable, "-c", _READER, str(path), ALICE]
    if os.geteuid() == 0:  # root ignores file permissions unless it drops the capability
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root ignores file permissions and setpriv is missing")
        caps = "-dac_override,-dac_read_search"
        argv = [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", *argv]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1"]
    path.chmod(0o644)
    with SQLiteMessageHistory(path):  # writable again: the index is added
        pass
    with sqlite3.connect(path) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert "smskit_messages_contact" in names


def test_a_failure_counts_only_when_first_reported_after_the_text(
    history: MessageHistory,
) -> None:
    # Review rev29m: the boundary and a report repeated after the text. A failure first
    # reported at the instant of the text is not after it; one reported before the
    # text and again after it (a retried callback) is placed by its first report.
    policy = SuppressionPolicy(history, after=1)

    def failed(pid: str, at: object) -> None:
        history.record_delivery(DeliveryRecord(
            provider_id=pid, sender=OURS, contact=ALICE, at=at,  # type: ignore[arg-type]
            status="undelivered", category="unreachable", code="30003"))

    failed("SM-before", T0)
    _texts_us(history, ALICE, T0 + H)
    failed("SM-before", T0 + 2 * H)  # the same failure reported again
    failed("SM-same", T0 + H)  # at the text's instant
    assert policy.failures(ALICE, T0 + 3 * H) == 0
    failed("SM-after", T0 + H + timedelta(microseconds=1))
    assert policy.failures(ALICE, T0 + 3 * H) == 1
    # Read as of an instant before the text, the text is not known yet.
    assert policy.failures(ALICE, T0 + H - timedelta(microseconds=1)) == 1
