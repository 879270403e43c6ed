"""What the SQLite-backed stores share: opening, error classification, timeouts.

Private. The consent ledger and the send history both keep one SQLite file in
WAL mode; both must tell "cannot use the file now" (busy, locked, full disk,
read-only) from "the file is damaged", and both must survive many processes
creating the same file at once.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import time
from collections.abc import Iterator

from .errors import ConfigurationError, StoreError

__all__ = [
    "LEDGER_APPLICATION_ID",
    "add_index",
    "check_timeout",
    "create_schema",
    "is_corruption",
    "is_retryable",
    "refuse_ledger_file",
    "switch_to_wal",
    "write_transaction",
]

# PRAGMA application_id marks the file as an smskit consent ledger ("SMSC"); here so
# that the send history, a package of the same layer, can refuse such a file.
LEDGER_APPLICATION_ID = 0x534D5343

# Result codes that mean the bytes on disk are damaged; every other SQLite error
# (busy, locked, read-only, full, I/O, cannot open) says "not now", not "corrupt".
_CORRUPTION_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB
# Result codes that refuse the row or the statement itself: the same call fails the
# same way every time, so a caller's retry loop must not spin on them.
_REFUSAL_CODES = frozenset({18, 19, 20, 25})  # TOOBIG, CONSTRAINT, MISMATCH, RANGE
_NOT_RETRYABLE = _CORRUPTION_CODES | _REFUSAL_CODES
_BUSY_CODES = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
_READONLY = 8  # SQLITE_READONLY
_MAX_TIMEOUT = 86_400.0


def _primary_code(exc: sqlite3.Error) -> int:
    # Errors raised by the sqlite3 module itself (a closed connection) carry no code.
    code = getattr(exc, "sqlite_errorcode", None)
    return 1 if code is None else int(code) & 0xFF


def is_corruption(exc: sqlite3.Error) -> bool:
    """``True`` when SQLite says the file is damaged (not merely busy or full)."""
    return _primary_code(exc) in _CORRUPTION_CODES


def is_retryable(exc: sqlite3.Error) -> bool:
    """``True`` when trying again later may succeed: SQLite reported a condition of
    the moment (busy, locked, full, I/O). Not for corruption, nor for an error the
    ``sqlite3`` module raised itself (a closed connection, a bad parameter), which
    carries no SQLite result code and fails the same way every time, nor for a row
    SQLite refuses (a constraint, a value too big)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and int(code) & 0xFF not in _NOT_RETRYABLE


def check_timeout(timeout: object) -> float:
    """A lock timeout in seconds, validated: finite, from 0 to one day."""
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout: give seconds as a number, not {type(timeout).__name__}")
    # Compared before any conversion: float(10**400) overflows, repr(10**5000) fails.
    if not (0 <= timeout <= _MAX_TIMEOUT) or (isinstance(timeout, float) and math.isnan(timeout)):
        raise ConfigurationError(
            f"timeout: give a number of seconds from 0 to {_MAX_TIMEOUT:.0f}", field="timeout"
        )
    return float(timeout)


def switch_to_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Put the file in WAL mode, waiting up to ``timeout`` seconds for other openers.

    Changing the journal mode returns SQLITE_BUSY at once, without SQLite's busy
    handler, while another connection is creating the same file; so retry here.
    """
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            return
        except sqlite3.OperationalError as exc:
            if _primary_code(exc) not in _BUSY_CODES or time.monotonic() >= deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def create_schema(conn: sqlite3.Connection, script: str) -> None:
    """Run ``script`` (``CREATE ... IF NOT EXISTS`` statements) in one write transaction.

    In autocommit each statement reads the schema, then upgrades to a write lock;
    an upgrade after another opener committed fails at once with SQLITE_BUSY (SQLite
    does not call the busy handler there), so take the write lock first: then
    simultaneous openers of a new file wait for each other instead of failing.
    """
    conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nCOMMIT;")


def add_index(conn: sqlite3.Connection, statement: str) -> bool:
    """Run ``statement`` (a ``CREATE INDEX IF NOT EXISTS`` added to a store after files
    were made without it) as :func:`create_schema` does; ``False`` when the file is
    read-only to this process (an auditor's copy): it opened before the index was
    added, and its queries still answer, by a scan."""
    try:
        create_schema(conn, statement)
    except sqlite3.Error as exc:
        if _primary_code(exc) != _READONLY:
            raise
        _roll_back(conn)
        return False
    return True


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, what: str) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: committed at the end of the block, rolled
    back on anything raised in it. IMMEDIATE takes the write lock up front, where the
    busy timeout applies, instead of upgrading a read lock mid-way. Left open, a
    transaction would fail every later write on the connection, so a refusal raised
    in the block (a conflict, a naive instant) or an interrupt rolls back too. An
    SQLite error becomes a ``StoreError`` saying ``what`` failed."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _roll_back(conn)
        raise StoreError(f"{what} failed: {exc}", retryable=is_retryable(exc)) from exc
    except BaseException:
        _roll_back(conn)
        raise


def _roll_back(conn: sqlite3.Connection) -> None:
    # A closed connection raises even on in_transaction: the first error stands then.
    with contextlib.suppress(sqlite3.Error):
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def refuse_ledger_file(conn: sqlite3.Connection, path: object, what: str) -> None:
    """Close ``conn`` and raise :class:`StoreError` when it is a consent ledger's file:
    another store's tables would alter the ledger's schema, and the ledger would then
    refuse to open (its path given for a history's or an outbox's by mistake)."""
    if conn.execute("PRAGMA application_id").fetchone()[0] == LEDGER_APPLICATION_ID:
        conn.close()
        raise StoreError(f"{str(path)!r} is a consent ledger: give the {what} a file of its own")
