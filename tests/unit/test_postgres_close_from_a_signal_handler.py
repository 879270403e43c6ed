"""Closing a PostgreSQL store from a signal handler does not hang the process.

A store on one connection (a conninfo string, or a connection given to it) runs each
call under its lock, and ``close()`` takes that lock. A worker's shutdown handler runs
in the main thread between two steps of what it was doing, perhaps inside a call of
that store: with a lock the thread cannot take twice, the process hung for good. The
lock is re-entrant now: the close goes ahead, the interrupted call fails with
``StoreError`` or returns, and a later call says the store is closed (review of rev30c).

A profile hook raises the signal when psycopg starts executing the store's statement
(inside the lock): no timing. The store runs in a child process, so a hang fails the
test at its timeout.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CHILD = r"""
import signal, sys
from smskit import PostgresOutbox
from smskit.errors import StoreError

dsn, schema = sys.argv[1], sys.argv[2]
outbox = PostgresOutbox(dsn, schema=schema)
outbox.create_schema()

closed = []
def shut_down(signum, frame):
    outbox.close()
    closed.append(True)
signal.signal(signal.SIGUSR1, shut_down)

fired = False
def hook(frame, event, arg):
    global fired
    if (not fired and event == "call" and frame.f_code.co_name == "execute"
            and "psycopg" in frame.f_code.co_filename):
        fired = True  # the store holds its lock: it is executing its statement
        signal.raise_signal(signal.SIGUSR1)
sys.setprofile(hook)
try:
    outbox.get("order-1")
except StoreError:
    pass
sys.setprofile(None)
try:
    outbox.get("order-1")
    after = "answered"
except StoreError as exc:
    after = "closed" if "is closed" in str(exc) else str(exc)
print(fired, closed, after)
"""


def test_a_signal_handler_closing_the_store_during_its_call_does_not_hang(
    postgres_dsn: str, pg_schema: str
) -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, postgres_dsn, pg_schema],
            capture_output=True, text=True, timeout=10, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the process hung: close() waited for a lock its own thread held")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "[True]", "closed"]
