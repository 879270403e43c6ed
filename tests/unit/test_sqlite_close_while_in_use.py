"""Closing an SQLite outbox or history while another thread is using it is an error, not a crash.

A web application shutting down closes its stores while a worker thread may still be
sending. ``SQLiteOutbox.close`` and ``SQLiteSendHistory.close`` (also the message
history's) closed the connection without the lock the other methods hold, so it could
be closed in the middle of a statement: the process died of a segmentation fault (the
consent store already took its lock). Now ``close`` waits for the call under way, and
a call after it is a ``StoreError`` (review rev30c).

Each store is driven in a child process, so a crash fails the test instead of killing
the test run. The closing thread waits on a barrier until the worker has made calls,
then closes while it keeps calling: no sleeps.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHILD = r"""
import sys, threading
from datetime import UTC, datetime
from pathlib import Path
from smskit.errors import StoreError
from smskit.messenger import OutboxEntry, OutboxState, SQLiteMessageHistory, SQLiteOutbox
from smskit.timing import SendRecord, SQLiteSendHistory

AT = datetime(2026, 11, 20, 16, tzinfo=UTC)
kind, folder = sys.argv[1], Path(sys.argv[2])

def calls(store, i):
    if kind == "outbox":
        store.reserve(OutboxEntry(key=f"k{i}", recipient="+12125550123",
                                  sender="+12125550199", state=OutboxState.RESERVED,
                                  created_at=AT, updated_at=AT))
        store.due(AT)
    else:
        store.record(SendRecord(recipient="+12125550123", sender="+12125550199", at=AT))
        store.sent_at(since=datetime(2026, 11, 19, tzinfo=UTC), until=AT)

opener = {"outbox": SQLiteOutbox, "send history": SQLiteSendHistory,
          "message history": SQLiteMessageHistory}[kind]
refused = 0
for trial in range(40):
    store = opener(folder / f"{trial}.db")
    started = threading.Barrier(2, timeout=30)
    def work():
        global refused
        i = 0
        while True:
            i += 1
            try:
                calls(store, i)
            except StoreError:
                refused += 1
                return
            if i == 5:
                started.wait()
    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    store.close()
    worker.join(timeout=30)
    assert not worker.is_alive()
print("refused", refused)
"""


@pytest.mark.parametrize("kind", ["outbox", "send history", "message history"])
def test_closing_a_store_another_thread_is_using_does_not_crash(
    tmp_path: Path, kind: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    # Every trial's worker met the closed store as a StoreError (and stopped).
    assert done.stdout.strip() == "refused 40"
