"""The SQLite stores' one write transaction (``_sqlite.write_transaction``): whatever
is raised inside it, nothing is left half-written and the connection writes again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from smskit import StoreError
from smskit._sqlite import write_transaction


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    made = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    made.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    yield made
    made.close()


def _keys(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT k FROM t ORDER BY k")]


@pytest.mark.parametrize("raised", [ValueError("refused"), KeyboardInterrupt()])
def test_anything_raised_inside_rolls_back(conn: sqlite3.Connection,
                                           raised: BaseException) -> None:
    def write_then_raise() -> None:
        with write_transaction(conn, "writing"):
            conn.execute("INSERT INTO t VALUES ('a')")
            raise raised

    with pytest.raises(type(raised)):
        write_then_raise()
    assert not conn.in_transaction
    assert _keys(conn) == []
    with write_transaction(conn, "writing"):
        conn.execute("INSERT INTO t VALUES ('b')")
    assert _keys(conn) == ["b"]


def test_an_sqlite_error_becomes_a_store_error_naming_the_work(
        conn: sqlite3.Connection) -> None:
    with write_transaction(conn, "writing"):
        conn.execute("INSERT INTO t VALUES ('a')")
    def write_twice() -> None:
        with write_transaction(conn, "recording 'a'"):
            conn.execute("INSERT INTO t VALUES ('c')")
            conn.execute("INSERT INTO t VALUES ('a')")

    with pytest.raises(StoreError, match=r"^recording 'a' failed: UNIQUE") as caught:
        write_twice()
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert not conn.in_transaction
    assert _keys(conn) == ["a"]  # 'c' went with the failed transaction


def test_a_refused_row_is_not_retryable(conn: sqlite3.Connection) -> None:
    # Review rev25L: reserve, update and the message history's writes now take their
    # retryable flag from is_retryable (before: never retryable). A constraint the row
    # breaks fails the same way on every retry; only busy, locked, full or I/O may pass.
    with write_transaction(conn, "writing"):
        conn.execute("INSERT INTO t VALUES ('a')")
    with (pytest.raises(StoreError, match="UNIQUE") as caught,
          write_transaction(conn, "recording 'a'")):
        conn.execute("INSERT INTO t VALUES ('a')")
    assert caught.value.retryable is False


def test_a_locked_file_stays_retryable(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    holder = sqlite3.connect(path, isolation_level=None)
    waiter = sqlite3.connect(path, isolation_level=None, timeout=0.01)
    try:
        holder.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        holder.execute("BEGIN IMMEDIATE")
        with (pytest.raises(StoreError, match="locked") as caught,
              write_transaction(waiter, "writing")):
            waiter.execute("INSERT INTO t VALUES ('a')")
        assert caught.value.retryable is True
    finally:
        holder.close()
        waiter.close()
