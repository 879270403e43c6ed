"""``SQLiteStore``: the durable, embedded consent store.

One SQLite file in WAL mode. Each append is one ``BEGIN IMMEDIATE`` transaction
that reads the head of the chain and inserts the sealed event, so several
threads and several processes may append to the same file at once without
losing, duplicating or forking events. Rows are append-only (triggers refuse
UPDATE and DELETE); every row is checked against its stored hash when read, and
:meth:`smskit.consent.ConsentLedger.verify` checks the whole chain.

A file written by another schema version, a file that is not a consent ledger,
or a corrupt row raises :class:`~smskit.errors.LedgerIntegrityError` rather than
answering from doubtful data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType

from ..errors import LedgerIntegrityError, StoreError
from ._codec import GENESIS_HASH, canonical_bytes, event_from_record, seal
from .model import ConsentEvent
from .store import FoldingStore

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION = 1
# PRAGMA application_id marks the file as an smskit consent ledger ("SMSC").
APPLICATION_ID = 0x534D5343
_SCAN_BATCH = 2000

_SCHEMA = (
    """CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    "CREATE INDEX events_by_recipient ON events (recipient, seq)",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)

_Row = tuple[int, str, str, str]


def _schema_of(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    ).fetchall()


@functools.cache
def _expected_schema() -> tuple[tuple[str, str, str | None], ...]:
    # Read back from a fresh database, so the comparison uses SQLite's own spelling.
    conn = sqlite3.connect(":memory:")
    try:
        for statement in _SCHEMA:
            conn.execute(statement)
        return tuple(_schema_of(conn))
    finally:
        conn.close()


class SQLiteStore(FoldingStore):
    """Consent events in one SQLite file (created if missing).

    Args:
        path: the database file.
        durable: ``True`` (default) syncs every commit to disk
            (``synchronous=FULL``); ``False`` uses ``NORMAL``, faster, and may
            lose the last commits on power loss (never on a process crash).
        timeout: seconds to wait for another writer before giving up.

    Raises:
        LedgerIntegrityError: the file is not a consent ledger, is corrupt, or
            was written by another schema version.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, durable: bool = True, timeout: float = 30.0
    ) -> None:
        self._path = os.fspath(path)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                self._path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self._path} as a consent ledger: {exc}") from None
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._conn.execute("PRAGMA journal_mode = WAL").fetchone()
            self._conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            self._prepare_schema()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise LedgerIntegrityError(
                f"{self._path} is not a readable consent ledger ({exc}); "
                "restore it from a verified export"
            ) from None
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({self._path!r})"

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _prepare_schema(self) -> None:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if version == 0 and app_id == 0:
                tables = conn.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                if tables:
                    raise LedgerIntegrityError(
                        f"{self._path} is a SQLite file of another application, not a "
                        "consent ledger; give a new path"
                    )
                for statement in _SCHEMA:
                    conn.execute(statement)
            elif app_id != APPLICATION_ID:
                raise LedgerIntegrityError(
                    f"{self._path} is not an smskit consent ledger (application_id {app_id})"
                )
            elif version != SCHEMA_VERSION:
                raise LedgerIntegrityError(
                    f"{self._path} was written with consent-ledger schema {version}; this "
                    f"smskit reads schema {SCHEMA_VERSION}. Use the matching smskit version "
                    "or migrate it through export_jsonl/import_jsonl"
                )
            elif tuple(_schema_of(conn)) != _expected_schema():
                # A changed column type or index silently changes what a lookup finds.
                raise LedgerIntegrityError(
                    f"{self._path}: the stored schema of the consent ledger was altered "
                    "or corrupted; restore it from a verified export"
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- writing -------------------------------------------------------------

    def append(self, event: ConsentEvent) -> ConsentEvent:
        return self.append_many((event,))[0]

    def append_many(self, events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
        drafts = list(events)
        if not drafts:
            return []
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot start a write on {self._path}: {exc}") from None
            try:
                sequence, previous = self._head()
                sealed, rows = [], []
                for draft in drafts:
                    sequence += 1
                    event = seal(draft, sequence, previous)
                    body = canonical_bytes(event)
                    previous = hashlib.sha256(body).hexdigest()
                    sealed.append(event)
                    rows.append(
                        (sequence, event.recipient, event.occurred_at.isoformat(),
                         event.prev_hash, previous, body.decode("utf-8"))
                    )
                conn.executemany(
                    "INSERT INTO events (seq, recipient, occurred_at, prev_hash, hash, body) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )
                conn.execute("COMMIT")
            except BaseException as exc:
                conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"append to {self._path} failed: {exc}") from None
                raise
        return sealed

    # -- reading -------------------------------------------------------------

    def _head(self) -> tuple[int, str]:
        row = self._conn.execute(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))

    def _event(self, row: _Row, recipient: str | None = None) -> ConsentEvent:
        sequence, hash_, body, stored_recipient = row
        if not isinstance(body, str) or not isinstance(hash_, str):
            raise LedgerIntegrityError(
                f"ledger event {sequence} is not stored as text: the row was edited or "
                "corrupted; restore from a verified export",
                sequence=sequence,
            )
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != hash_:
            raise LedgerIntegrityError(
                f"ledger event {sequence} does not match its stored hash: the row was edited "
                "or corrupted; restore from a verified export",
                sequence=sequence,
            )
        try:
            record = json.loads(body)
        except ValueError:
            raise LedgerIntegrityError(
                f"ledger event {sequence} is not valid JSON", sequence=sequence
            ) from None
        event = event_from_record(record, sequence_hint=sequence, trusted=True)
        if event.sequence != sequence or event.recipient != stored_recipient or (
            recipient is not None and event.recipient != recipient
        ):
            raise LedgerIntegrityError(
                f"ledger event {sequence}: row columns disagree with the stored event",
                sequence=sequence,
            )
        return event

    def _query(self, sql: str, params: tuple[object, ...]) -> list[_Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise LedgerIntegrityError(f"cannot read {self._path}: {exc}") from None

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        rows = self._query(
            "SELECT seq, hash, body, recipient FROM events WHERE recipient = ? ORDER BY seq",
            (recipient,),
        )
        return [self._event(row, recipient) for row in rows]

    def events_many(self, recipients: Sequence[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        """Events of every number in ``recipients``: one query per call (the numbers
        passed as one JSON array, looked up through the ``(recipient, seq)`` index)."""
        wanted = sorted(set(recipients))
        out: dict[str, list[ConsentEvent]] = {}
        if not wanted:
            return out
        rows = self._query(
            "SELECT e.seq, e.hash, e.body, e.recipient FROM events e "
            "WHERE e.recipient IN (SELECT value FROM json_each(?)) ORDER BY e.recipient, e.seq",
            (json.dumps(wanted),),
        )
        for row in rows:
            out.setdefault(row[3], []).append(self._event(row))
        return out

    def scan(self) -> Iterator[ConsentEvent]:
        """Every event in sequence order, after SQLite's own check of the whole file.

        The chain is read through the table; lookups by number go through the
        ``(recipient, seq)`` index, which the chain cannot vouch for. A damaged
        index would hide a person's events from ``status``, so verification and
        export start with ``PRAGMA integrity_check`` (index content included).
        """
        problems = self._query("PRAGMA integrity_check(5)", ())
        if [tuple(p) for p in problems] != [("ok",)]:
            found = "; ".join(str(p[0]) for p in problems)
            raise LedgerIntegrityError(
                f"{self._path} fails SQLite's integrity check ({found}); "
                "restore it from a verified export"
            )
        last = 0
        while True:
            rows = self._query(
                "SELECT seq, hash, body, recipient FROM events WHERE seq > ? ORDER BY seq "
                "LIMIT ?",
                (last, _SCAN_BATCH),
            )
            if not rows:
                return
            for row in rows:
                yield self._event(row)
            last = rows[-1][0]

    def head(self) -> tuple[int, str]:
        with self._lock:
            try:
                return self._head()
            except sqlite3.DatabaseError as exc:
                raise LedgerIntegrityError(f"cannot read {self._path}: {exc}") from None

    def count(self) -> int:
        rows = self._query("SELECT count(*), 0, 0, 0 FROM events", ())
        return int(rows[0][0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()
