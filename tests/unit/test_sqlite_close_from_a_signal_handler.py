"""Closing an SQLite outbox or history from a signal handler does not hang the process.

A worker's shutdown handler (``signal.signal(SIGTERM, ...)`` closing its stores) runs in
the main thread, between two steps of whatever that thread was doing: perhaps a call of
the same store, inside its lock. Since ``close()`` takes the store's lock (so that a
close from another thread waits for the call under way), a lock the thread cannot take
twice hung the process for good at its shutdown. The lock is re-entrant now, as the
consent store's is: the close goes ahead, and the interrupted call fails with
``StoreError`` (or returns what it had read) (review of rev30c).

The signal is raised by a profile hook at the moment the store executes its statement,
inside its lock: no timing. Each store runs in a child process, so a hang fails the
test at its timeout instead of hanging the run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHILD = r"""
import signal, sys
from datetime import UTC, datetime
from pathlib import Path
from smskit.errors import StoreError
from smskit.messenger import SQLiteMessageHistory, SQLiteOutbox
from smskit.timing import SendRecord, SQLiteSendHistory

AT = datetime(2026, 11, 20, 16, tzinfo=UTC)
kind, path = sys.argv[1], Path(sys.argv[2])
store = {"outbox": SQLiteOutbox, "send history": SQLiteSendHistory,
         "message history": SQLiteMessageHistory}[kind](path)
if kind == "outbox":
    call = store.unresolved
else:
    store.record(SendRecord(recipient="+12125550123", sender="+12125550199", at=AT))
    call = lambda: store.sent_at(since=datetime(2026, 11, 19, tzinfo=UTC), until=AT)

closed = []
def shut_down(signum, frame):
    store.close()
    closed.append(True)
signal.signal(signal.SIGUSR1, shut_down)

fired = False
def hook(frame, event, arg):
    global fired
    if (not fired and event == "c_call" and getattr(arg, "__name__", "") == "execute"
            and frame.f_code.co_name in ("sent_at", "_select")):
        fired = True  # the store holds its lock: it is executing its statement
        signal.raise_signal(signal.SIGUSR1)
sys.setprofile(hook)
try:
    call()
    outcome = "answered"
except StoreError:
    outcome = "refused"
sys.setprofile(None)
try:
    call()
    after = "answered"
except StoreError:
    after = "refused"
print(fired, closed, outcome in ("answered", "refused"), after)
"""


@pytest.mark.parametrize("kind", ["outbox", "send history", "message history"])
def test_a_signal_handler_closing_the_store_during_its_call_does_not_hang(
    tmp_path: Path, kind: str
) -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, kind, str(tmp_path / "store.db")],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the process hung: close() waited for a lock its own thread held")
    assert done.returncode == 0, done.stderr[-2000:]
    # The signal came inside the call, the handler closed the store, and a later
    # call is refused as on any closed store.
    assert done.stdout.split() == ["True", "[True]", "True", "refused"]
