"""Several workers opening one new SQLite file at the same instant all succeed.

A web server's workers start together and each opens the outbox and the history
on first use; the first open creates the schema. SQLite fails some lock upgrades
at once instead of waiting (the journal-mode switch, and a schema statement that
read before another opener committed), which once failed CI with "database is
locked" from `SQLiteOutbox`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from smskit.messenger import SQLiteMessageHistory, SQLiteOutbox
from smskit.timing import SQLiteSendHistory

WORKERS = 6
TRIALS = 120  # before the fix about 4% of trials failed: 120 trials fail with ~99% odds

OPENERS: dict[str, Callable[[Path], object]] = {
    "outbox": SQLiteOutbox,
    "send history": SQLiteSendHistory,
    "message history": SQLiteMessageHistory,
}


@pytest.mark.parametrize("kind", OPENERS)
def test_simultaneous_first_opens_of_one_file_all_succeed(tmp_path: Path, kind: str) -> None:
    open_file = OPENERS[kind]
    failures: list[str] = []

    def work(path: Path, barrier: threading.Barrier) -> None:
        barrier.wait()
        try:
            opened = open_file(path)
        except Exception as exc:  # reported below
            failures.append(f"{path.name}: {exc}")
        else:
            opened.close()  # type: ignore[attr-defined]

    for trial in range(TRIALS):
        barrier = threading.Barrier(WORKERS, timeout=30)
        path = tmp_path / f"{trial}.db"
        threads = [
            threading.Thread(target=work, args=(path, barrier)) for _ in range(WORKERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
