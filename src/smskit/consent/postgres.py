"""``PostgresConsentStore``: the consent ledger shared by several hosts (the ``postgres`` extra).

One table holds any number of hash chains (one per tenant, say); a store
reads and writes one of them. An append takes a transaction-scoped advisory
lock on a key derived from the schema and chain name, reads the head of the
chain, and inserts the sealed events under the primary key ``(chain, seq)``,
so writers on any number of hosts number one chain without gaps, forks or
duplicates. (A PostgreSQL sequence cannot number a chain: values taken by a
rolled-back transaction are never reused, which leaves gaps.)

Rows are append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, and the
application role should hold only SELECT and INSERT (see docs/scale.md). A
superuser can still change a row, which :meth:`ConsentLedger.verify` detects:
every row is checked against its stored hash when read, and the chain links
each event to the one before it.

Tables are created only by :meth:`PostgresConsentStore.create_schema`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._postgres import PostgresStore, advisory_key
from ..errors import ConfigurationError, LedgerIntegrityError
from ._codec import GENESIS_HASH, canonical_bytes, seal, stored_event
from .model import ConsentEvent
from .store import Decide, FoldingStore, decided

if TYPE_CHECKING:
    import psycopg

__all__ = ["SCHEMA_VERSION", "PostgresConsentStore"]

#: Version of the ``consent`` tables; ``smskit_schema`` records it per schema.
SCHEMA_VERSION = 1
_SCAN_BATCH = 2000

_DDL = (
    """CREATE TABLE {schema}.consent_events (
        chain text NOT NULL,
        seq bigint NOT NULL CHECK (seq > 0),
        recipient text NOT NULL,
        occurred_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (chain, seq)
    )""",
    "CREATE INDEX consent_events_by_recipient ON {schema}.consent_events (chain, recipient, seq)",
    # The message names the table; it never quotes the row (personal data).
    """CREATE FUNCTION {schema}.smskit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'smskit: % on %.% refused: the table is append-only',
           TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
       END $$""",
    """CREATE TRIGGER consent_events_append_only BEFORE UPDATE OR DELETE
       ON {schema}.consent_events FOR EACH ROW EXECUTE FUNCTION {schema}.smskit_append_only()""",
    """CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE
       ON {schema}.consent_events FOR EACH STATEMENT
       EXECUTE FUNCTION {schema}.smskit_append_only()""",
)


class PostgresConsentStore(PostgresStore, FoldingStore):
    """Consent events in PostgreSQL, one hash chain per ``chain`` name.

    Args:
        connection: a psycopg ``Connection`` (not inside a transaction of the
            application's; the store's operations take turns on it), a
            ``psycopg_pool.ConnectionPool`` (a connection per operation, never
            kept between calls), or a conninfo string (the store opens one
            connection and closes it in :meth:`close`).
        schema: the PostgreSQL schema of the tables (create them with
            :meth:`create_schema`).
        chain: which chain of the table this store reads and appends to; each
            chain is numbered and verified on its own (one per tenant, for
            example). Appends to one chain are serialised; different chains
            do not wait for each other.
        attempts: tries of an append rolled back by contention (lock timeout,
            deadlock, serialization failure) before a retryable ``StoreError``.
        lock_timeout: seconds an append waits for the chain's lock per attempt.

    Raises:
        MissingExtraError: psycopg is not installed (the ``postgres`` extra).
        ConfigurationError: a bad argument.

    Every operation raises :class:`~smskit.errors.StoreError` when the tables
    are missing or of another version (call :meth:`create_schema`), and
    :class:`~smskit.errors.LedgerIntegrityError` for a row that was changed.
    """

    _component = "consent"
    _version = SCHEMA_VERSION
    _ddl = _DDL

    def __init__(
        self,
        connection: psycopg.Connection[Any] | Any,
        *,
        schema: str = "smskit",
        chain: str = "default",
        attempts: int = 5,
        lock_timeout: float = 10.0,
    ) -> None:
        if not isinstance(chain, str) or not chain:
            raise ConfigurationError("chain must be a non-empty str", field="chain")
        super().__init__(
            connection, schema=schema, attempts=attempts, lock_timeout=lock_timeout
        )
        self.chain = chain
        # A consent table renamed or dropped under its version record is tampering:
        # never answered from, as a chain that does not verify.
        self._db.altered = LedgerIntegrityError
        self._lock_key = advisory_key("smskit.consent", schema, chain)
        db = self._db
        self._head_sql = db.sql(
            "SELECT seq, hash FROM {schema}.consent_events WHERE chain = %s "
            "ORDER BY seq DESC LIMIT 1"
        )
        self._copy_sql = db.sql(
            "COPY {schema}.consent_events "
            "(chain, seq, recipient, occurred_at, prev_hash, hash, body) FROM STDIN"
        )
        self._many_sql = db.sql(
            "SELECT e.seq, e.hash, e.body, e.recipient FROM unnest(%s::text[]) AS w(recipient) "
            "CROSS JOIN LATERAL (SELECT seq, hash, body, recipient FROM {schema}.consent_events "
            "WHERE chain = %s AND recipient = w.recipient OFFSET 0) AS e"
        )
        self._select = (
            "SELECT seq, hash, body, recipient FROM {schema}.consent_events WHERE chain = %s "
        )

    def __repr__(self) -> str:
        return f"PostgresConsentStore({self._db!r}, chain={self.chain!r})"

    def create_schema(self) -> bool:
        """Create the schema, the version table and the ledger tables, if missing.

        Idempotent; run it once at deployment (or from a migration) as the
        role that owns the schema. Returns ``True`` if the tables were created
        now, ``False`` if they were there already.

        Raises:
            StoreError: the schema holds another version of the tables.
        """
        return self._db.create(self._db.sql(statement) for statement in _DDL)

    # -- writing -------------------------------------------------------------

    def append(self, event: ConsentEvent) -> ConsentEvent:
        return self.append_many((event,))[0]

    def append_many(self, events: Iterable[ConsentEvent]) -> list[ConsentEvent]:
        drafts = list(events)
        if not drafts:
            return []
        return self._db.run(lambda conn: self._append_locked(conn, drafts), what="append")

    def append_and_read(self, event: ConsentEvent) -> tuple[ConsentEvent, list[ConsentEvent]]:
        sealed, before = self.append_decided(event.recipient, lambda _: (event,))
        return sealed[0], before

    def append_decided(
        self, recipient: str, decide: Decide
    ) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
        """Read the person's events, decide, append: one transaction holding the chain's
        advisory lock from before the read to the commit, so a writer on any host waits
        for it (up to ``lock_timeout``). A transaction rolled back by contention is run
        again, ``decide`` included, on what the ledger then holds."""
        query = self._db.sql(self._select + "AND recipient = %s ORDER BY seq")

        def append(conn: psycopg.Connection[Any]) -> tuple[list[ConsentEvent], list[ConsentEvent]]:
            # The read happens under the chain's lock, in the append's transaction: a
            # concurrent reply from the same number is either all before or all after.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            rows = conn.execute(query, (self.chain, recipient)).fetchall()
            read = [stored_event(seq, hash_, body, stored, recipient)
                    for seq, hash_, body, stored in rows]
            drafts = decided(recipient, decide, read)
            return self._append_locked(conn, drafts, locked=True) if drafts else [], read

        return self._db.run(append, what="append")

    def _append_locked(
        self, conn: psycopg.Connection[Any], drafts: list[ConsentEvent], *, locked: bool = False
    ) -> list[ConsentEvent]:
        if not locked:
            # Held until commit or rollback; the head is read after it is taken,
            # in a new statement, so it sees every append committed before.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
        row = conn.execute(self._head_sql, (self.chain,)).fetchone()
        sequence, previous = (0, GENESIS_HASH) if row is None else (row[0], row[1])
        sealed, rows = [], []
        for draft in drafts:
            sequence += 1
            event = seal(draft, sequence, previous)
            body = canonical_bytes(event)
            previous = hashlib.sha256(body).hexdigest()
            sealed.append(event)
            rows.append((self.chain, sequence, event.recipient, event.occurred_at,
                         event.prev_hash, previous, body.decode("utf-8")))
        # COPY: one round trip for any batch (a bulk import runs at COPY speed).
        with conn.cursor() as cursor, cursor.copy(self._copy_sql) as copy:
            for values in rows:
                copy.write_row(values)
        return sealed

    # -- reading -------------------------------------------------------------

    def _rows(self, condition: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        query = self._db.sql(self._select + condition)
        return self._db.run(
            lambda conn: conn.execute(query, (self.chain, *params)).fetchall(),
            what="read", write=False,
        )

    def events(self, recipient: str) -> Sequence[ConsentEvent]:
        rows = self._rows("AND recipient = %s ORDER BY seq", (recipient,))
        return [stored_event(seq, hash_, body, stored, recipient)
                for seq, hash_, body, stored in rows]

    def events_many(self, recipients: Iterable[str]) -> Mapping[str, Sequence[ConsentEvent]]:
        found: dict[str, list[ConsentEvent]] = {r: [] for r in recipients}
        if found:
            # One index lookup per person, whatever the statistics say: with
            # `recipient = ANY(...)` and no ANALYZE yet (after a bulk load) the
            # planner scanned the whole chain, 10-20x slower. OFFSET 0 keeps the
            # subquery from being flattened into a join that could do the same.
            # Rows are sorted here: a server sort of whole rows spills to disk.
            rows = self._db.run(
                lambda conn: conn.execute(self._many_sql, (list(found), self.chain)).fetchall(),
                what="read", write=False,
            )
            for seq, hash_, body, stored in sorted(rows, key=lambda row: row[0]):
                found[stored].append(stored_event(seq, hash_, body, stored, stored))
        return found

    def scan(self, *, after: int = 0) -> Iterator[ConsentEvent]:
        """The chain's events above sequence ``after``, in order, read in batches.

        Each batch is its own short transaction, so a long verification holds
        no connection between batches and does not stop writers.
        """
        last = max(after, 0)
        while True:
            rows = self._rows("AND seq > %s ORDER BY seq LIMIT %s", (last, _SCAN_BATCH))
            for seq, hash_, body, stored in rows:
                yield stored_event(seq, hash_, body, stored)
            if len(rows) < _SCAN_BATCH:
                return
            last = rows[-1][0]

    def event_by_sequence(self, sequence: int) -> ConsentEvent | None:
        """The event at ``sequence`` (``None``: none), for :meth:`ConsentLedger.event`:
        one row, not a :meth:`scan` batch."""
        rows = self._rows("AND seq = %s", (sequence,))
        return stored_event(*rows[0]) if rows else None

    def head(self) -> tuple[int, str]:
        row = self._db.run(
            lambda conn: conn.execute(self._head_sql, (self.chain,)).fetchone(),
            what="read", write=False,
        )
        return (0, GENESIS_HASH) if row is None else (int(row[0]), str(row[1]))

    def count(self) -> int:
        query = self._db.sql("SELECT count(*) FROM {schema}.consent_events WHERE chain = %s")
        row = self._db.run(lambda conn: conn.execute(query, (self.chain,)).fetchone(),
                           what="read", write=False)
        return 0 if row is None else int(row[0])

    def close(self) -> None:
        """Make the store unusable; closes the connection only if it opened it."""
        self._db.close()
