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
