"""The SQLite ledger under stress: locks, read-only files, full disks, racing openers,
racing STOP replies; and closing what holds a file."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import ConsentEvent, ConsentLedger, MemoryStore, SQLiteStore
from smskit.errors import ConfigurationError, LedgerIntegrityError, StoreError
from smskit.purpose import Purpose
from smskit.timing import SendRecord, SQLiteSendHistory

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
N = "+14155550123"


def _grant(ledger: ConsentLedger, reference: str = "r", text: str = "") -> None:
    from smskit.consent import Evidence
    ledger.grant(N, scope="acme", purposes="informational", kind="express", source="api",
                 at=T0, evidence=Evidence(reference=reference, reply_text=text or None))


# -- A: close() and context managers ------------------------------------------------------

def test_ledger_is_a_context_manager_that_closes_its_sqlite_store(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with ConsentLedger(SQLiteStore(tmp_path / "consent.db")) as ledger:
            _grant(ledger)
            assert ledger.verify()[0] == 1
        with pytest.raises(StoreError):
            ledger.store.count()  # closed
        ledger.close()  # twice is harmless
        del ledger
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_memory_ledger_closes_too() -> None:
    with ConsentLedger(MemoryStore()) as ledger:
        _grant(ledger)
        assert ledger.store.count() == 1
    # Closed, as a closed SQLite or PostgreSQL store is (review rev31m: it kept answering).
    with pytest.raises(StoreError, match="closed"):
        ledger.store.count()


def test_failed_send_history_open_leaves_no_connection_behind(tmp_path: Path) -> None:
    path = tmp_path / "sends.db"
    path.write_bytes(b"not a database" * 400)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(StoreError):
            SQLiteSendHistory(path)
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1.0, 1e12])
def test_impossible_timeouts_are_configuration_errors(tmp_path: Path, timeout: float) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        SQLiteStore(tmp_path / "l.db", timeout=timeout)
    with pytest.raises(ConfigurationError, match="timeout"):
        SQLiteSendHistory(tmp_path / "s.db", timeout=timeout)
    assert not (tmp_path / "l.db").exists()


# -- B: "cannot open now" is not "corrupt" --------------------------------------------------

def test_a_file_locked_past_the_timeout_is_a_retryable_store_error(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with ConsentLedger(SQLiteStore(path)) as ledger:
        _grant(ledger)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as info:
            SQLiteStore(path, timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not isinstance(info.value, LedgerIntegrityError)
    assert info.value.retryable
    assert "retry" in str(info.value)
    with SQLiteStore(path) as store:  # and it opens once the lock is gone
        assert store.count() == 1


_READER = """
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from smskit.consent import ConsentLedger, SQLiteStore
from smskit.errors import StoreError
with ConsentLedger(SQLiteStore(sys.argv[1])) as ledger:
    print(ledger.store.read_only, ledger.verify()[0],
          ledger.status("+14155550123", "informational", scope="acme",
                        at=datetime(2025, 7, 1, tzinfo=UTC)).allows_send)
    try:
        ledger.grant("+14155550123", scope="acme", purposes="informational", kind="express",
                     source="api", at=datetime(2025, 7, 1, tzinfo=UTC))
    except StoreError as exc:
        print("refused:", exc)
"""


def _as_unprivileged(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root ignores file permissions and setpriv is missing")
    # Root without the capability to override file permissions meets them like anyone.
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}", *argv]


def test_a_read_only_file_opens_read_only_for_an_auditor(tmp_path: Path) -> None:
    path = tmp_path / "audit.db"
    with ConsentLedger(SQLiteStore(path)) as ledger:
        _grant(ledger)
    path.chmod(0o444)
    result = subprocess.run(
        _as_unprivileged([sys.executable, "-c", _READER, str(path)]),
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first == "True 1 True"
    assert second.startswith("refused:")
    assert "read-only" in second


def test_a_read_only_store_answers_a_reply_that_records_nothing_and_refuses_one_that_would(
    tmp_path: Path,
) -> None:
    path = tmp_path / "audit.db"
    with ConsentLedger(SQLiteStore(path)) as ledger:
        _grant(ledger)
    with ConsentLedger(SQLiteStore(path, read_only=True)) as ledger:
        # A "Yes" with no message id from someone opted in leaves nothing to record.
        yes = ledger.handle_reply(N, "Yes", scope="acme", at=T0 + timedelta(hours=1))
        assert yes.match is not None
        assert yes.event is None
        with pytest.raises(StoreError, match="read-only"):
            ledger.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(hours=2))
        assert ledger.store.count() == 1


def test_a_full_disk_during_append_is_a_store_error_and_later_appends_work(
    tmp_path: Path,
) -> None:
    store = SQLiteStore(tmp_path / "l.db")
    with ConsentLedger(store) as ledger:
        _grant(ledger, "before")
        conn = store._conn  # the one way to make SQLite see a full disk without a small disk
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on growth
        for _ in range(2):
            with pytest.raises(StoreError, match="nothing was stored") as info:
                _grant(ledger, "big", "x" * 200_000)
            assert info.value.retryable
        conn.execute("PRAGMA max_page_count = 1073741823")  # space returns
        _grant(ledger, "after", "x" * 200_000)
        assert [e.evidence.reference for e in ledger.store.scan()] == ["before", "after"]
        assert ledger.verify()[0] == 2


_OPENER = """
import sys, time
from smskit.consent import SQLiteStore
from smskit.errors import StoreError
folder, start, rounds, gap = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
failures = []
for i in range(rounds):
    time.sleep(max(0.0, start + i * gap - time.time()))
    try:
        SQLiteStore(f"{folder}/l{i}.db", durable=False).close()
    except StoreError as exc:
        failures.append(f"{i}: {type(exc).__name__}: {exc}")
print(len(failures), failures[:3])
"""


def test_simultaneous_first_opens_by_several_processes_all_succeed(tmp_path: Path) -> None:
    processes, rounds, gap = 6, 40, 0.04
    start = time.time() + 1.5  # every process imports smskit before the first round
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPENER, str(tmp_path), repr(start), str(rounds), str(gap)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(processes)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [(p.returncode, out.strip()) for p, (out, _) in zip(procs, outputs, strict=True)] == [
        (0, "0 []")
    ] * processes, [err for _, err in outputs]


# -- B: two simultaneous STOPs, one confirmation ---------------------------------------------

def _stop_in_threads(path: Path, number: str, workers: int) -> int:
    stores = [SQLiteStore(path, durable=False) for _ in range(workers)]
    barrier = threading.Barrier(workers)
    replies: list[bool] = []

    def work(store: SQLiteStore) -> None:
        ledger = ConsentLedger(store)
        barrier.wait()
        outcome = ledger.handle_reply(number, "STOP", scope="acme", at=T0)
        replies.append(outcome.reply is not None)

    threads = [threading.Thread(target=work, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert len(replies) == workers
    return sum(replies)


def test_simultaneous_stops_in_threads_send_exactly_one_confirmation(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    SQLiteStore(path).close()
    confirmations = [
        _stop_in_threads(path, f"+1415555{trial:04d}", workers=4) for trial in range(25)
    ]
    assert confirmations == [1] * 25


def test_simultaneous_stops_in_memory_send_exactly_one_confirmation() -> None:
    ledger = ConsentLedger(MemoryStore())
    barrier = threading.Barrier(4)
    replies: list[bool] = []

    def work() -> None:
        barrier.wait()
        replies.append(ledger.handle_reply(N, "STOP", scope="acme", at=T0).reply is not None)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(replies) == [False, False, False, True]


_STOPPER = """
import sys, time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from smskit.consent import ConsentLedger, SQLiteStore
path, start, trials, gap = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
got = []
with ConsentLedger(SQLiteStore(path, durable=False)) as ledger:
    for i in range(trials):
        time.sleep(max(0.0, start + i * gap - time.time()))
        outcome = ledger.handle_reply(f"+1415555{i:04d}", "STOP", scope="acme",
                                      at=datetime(2025, 6, 1, 9, tzinfo=UTC))
        got.append(int(outcome.reply is not None))
print(" ".join(map(str, got)))
"""


def test_simultaneous_stops_in_processes_send_exactly_one_confirmation(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    SQLiteStore(path).close()
    processes, trials, gap = 4, 30, 0.04
    start = time.time() + 1.5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _STOPPER, str(path), repr(start), str(trials), str(gap)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(processes)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * processes, [e for _, e in outputs]
    per_process = [[int(x) for x in out.split()] for out, _ in outputs]
    assert [sum(column) for column in zip(*per_process, strict=True)] == [1] * trials


# -- C: verify_incremental ---------------------------------------------------------------------

class _CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__()
        self.scanned: list[int] = []

    def scan(self, *, after: int = 0) -> Iterator[ConsentEvent]:
        self.scanned.append(after)
        return super().scan(after=after)


def test_verify_incremental_reads_only_the_new_events_and_returns_the_head() -> None:
    store = _CountingStore()
    ledger = ConsentLedger(store)
    for i in range(50):
        _grant(ledger, f"r{i}")
    kept = ledger.verify()
    for i in range(3):
        _grant(ledger, f"s{i}")
    store.scanned.clear()
    head = ledger.verify_incremental(kept)
    assert head == ledger.verify()
    assert head[0] == 53
    assert store.scanned[0] == 49  # the kept event and the three after it
    assert ledger.verify_incremental(head) == head
    assert ledger.verify_incremental((0, "0" * 64)) == head


def test_verify_incremental_finds_a_deleted_stop_row(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    with ConsentLedger(SQLiteStore(path)) as ledger:
        _grant(ledger)
        ledger.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(days=1))
        _grant(ledger, "later")
        kept = ledger.verify()
    conn = sqlite3.connect(path, isolation_level=None)  # someone with file access
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'events_no_delete'").fetchone()[0]
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DELETE FROM events WHERE seq = 2")  # the STOP
    conn.execute(trigger)  # and covers their tracks
    conn.close()
    with ConsentLedger(SQLiteStore(path)) as ledger:
        later = T0 + timedelta(days=2)
        # status() answers from the rows present: it cannot see what was removed.
        assert ledger.status(N, "informational", scope="acme", at=later).allows_send
        with pytest.raises(LedgerIntegrityError, match="deleted"):
            ledger.verify_incremental(kept)
        with pytest.raises(LedgerIntegrityError, match="event 1"):
            ledger.verify_incremental((1, kept[1]))  # an old head: the chain breaks after it


def test_verify_incremental_finds_an_edited_anchor_and_refuses_bad_heads() -> None:
    ledger = ConsentLedger(MemoryStore())
    _grant(ledger)
    seq, digest = ledger.verify()
    with pytest.raises(LedgerIntegrityError, match="event 1"):
        ledger.verify_incremental((seq, "f" * 64))
    with pytest.raises(LedgerIntegrityError, match="event 5"):
        ledger.verify_incremental((5, digest))  # a head from a longer ledger
    with pytest.raises(ConfigurationError, match="since_head"):
        ledger.verify_incremental((-1, digest))
    with pytest.raises(TypeError, match="since_head"):
        ledger.verify_incremental(None)  # type: ignore[arg-type]


def test_a_closed_store_is_not_a_retryable_error(tmp_path: Path) -> None:
    # "Cannot operate on a closed database" comes from the sqlite3 module, not from
    # SQLite: retrying can never help, so a caller's retry loop must not spin on it.
    store = SQLiteStore(tmp_path / "consent.db")
    ledger = ConsentLedger(store)
    store.close()
    history = SQLiteSendHistory(tmp_path / "sends.db")
    history.close()
    calls = [
        lambda: store.events(N),
        store.head,
        store.count,
        lambda: _grant(ledger),
        lambda: history.record(SendRecord(N, "acme", T0, None, Purpose.MARKETING)),
    ]
    for call in calls:
        with pytest.raises(StoreError) as info:
            call()
        assert info.value.retryable is not True, info.value


class _BusyStore(MemoryStore):
    """A webhook's STOP lands between verify_incremental's scan and its count."""

    def __init__(self) -> None:
        super().__init__()
        self.pending = 0

    def count(self) -> int:
        if self.pending:
            self.pending -= 1
            _grant(ConsentLedger(self), f"late{self.pending}")
        return super().count()


def test_verify_incremental_is_not_fooled_by_an_append_during_the_check() -> None:
    # It compared the count taken after the scan with the scanned head: one event
    # appended in between reported "events were deleted" on an intact ledger.
    store = _BusyStore()
    ledger = ConsentLedger(store)
    for i in range(5):
        _grant(ledger, f"r{i}")
    kept = ledger.verify()
    store.pending = 2
    head = ledger.verify_incremental(kept)
    assert head[0] >= 5
    assert ledger.verify_incremental(ledger.verify()) == ledger.verify()
