"""PostgreSQL plumbing shared by the stores (the optional ``postgres`` extra).

One :class:`Database` per store wraps what the application already has: a
psycopg ``Connection``, a ``psycopg_pool.ConnectionPool``, or a conninfo
string (then the store opens, and closes, a connection of its own). Every
operation is one short transaction on one connection taken for that
operation alone, so no connection or lock is held while user code runs (but for
the ``decide`` a consent store's ``append_decided`` is given: it runs inside the
transaction that holds the chain's lock, which is why it must be quick).
Transactions rolled back by contention are retried a bounded number of times.

Schemas are versioned in a ``smskit_schema`` table (one row per component) and
created only by an explicit ``create_schema()``; nothing is created on first use.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from .errors import ConfigurationError, MissingExtraError, StoreError, install_hint

if TYPE_CHECKING:
    import psycopg
    from psycopg.sql import Composed

__all__ = [
    "POSTGRES_EXTRA", "Database", "PostgresStore", "advisory_key", "import_psycopg", "refuse_nul",
]

POSTGRES_EXTRA = "postgres"

# SQLSTATEs after which the server has rolled the transaction back and trying
# again is safe: serialization_failure, deadlock_detected, lock_not_available
# (lock_timeout), and unique_violation (another writer took the same chain
# position; only possible for a writer that skipped the advisory lock).
# https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01", "55P03", "23505"})
#: undefined_table, undefined_column: after the version record was read, the tables
#: it vouches for were renamed, dropped or altered by hand.
ALTERED_SQLSTATES = frozenset({"42P01", "42703"})

_T = TypeVar("_T")


def import_psycopg() -> ModuleType:
    """psycopg 3, or a :class:`MissingExtraError` naming the extra to install."""
    try:
        import psycopg
    except ImportError as exc:
        raise MissingExtraError(
            f"the PostgreSQL stores need psycopg 3: {install_hint(POSTGRES_EXTRA)}",
            extra=POSTGRES_EXTRA,
        ) from exc
    return psycopg


#: The longest ``lock_timeout`` PostgreSQL takes: 2**31 - 1 milliseconds, in seconds.
_MAX_LOCK_TIMEOUT = (2**31 - 1) // 1000


def advisory_key(*parts: str) -> int:
    """A signed 64-bit key for ``pg_advisory_xact_lock``, stable across hosts.

    (PostgreSQL's ``hashtext`` is 32 bits and not documented as stable across
    versions; SHA-256 is both wide and fixed.)
    """
    digest = hashlib.sha256("\0".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def refuse_nul(store: str, **fields: str | None) -> None:
    """A :class:`ConfigurationError` naming the first of ``fields`` that holds a NUL
    character. PostgreSQL text cannot hold one, and the server's refusal named neither
    the field nor the fix; the value is refused, never altered (the memory and SQLite
    stores keep it as given)."""
    for name, value in fields.items():
        if value is not None and "\x00" in value:
            raise ConfigurationError(
                f"{store}: {name} holds a NUL character (\\x00), which PostgreSQL text "
                f"cannot store; remove it from the {name} before passing it (the value "
                "is not altered for you)",
                field=name,
            )


def _describe(exc: Exception) -> str:
    # The primary message only: PostgreSQL's DETAIL may quote row values
    # (phone numbers) and must not reach an exception message or a log.
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or (str(exc).splitlines() or [type(exc).__name__])[0]
    sqlstate = getattr(exc, "sqlstate", None)
    return f"{text} (SQLSTATE {sqlstate})" if sqlstate else str(text)


class Database:
    """One store's access to PostgreSQL: connections, retries, the schema check.

    Args:
        source: a psycopg ``Connection`` (shared by the store's operations under
            a lock; it must not be inside a transaction of the application's),
            a ``psycopg_pool.ConnectionPool`` (one connection per operation), or
            a conninfo string (the store opens one connection and closes it in
            :meth:`close`).
        schema: the PostgreSQL schema holding the tables.
        component: the row of ``smskit_schema`` this store needs.
        version: the version of ``component`` this code reads and writes.
        store: the store's class name, for messages.
        attempts: tries of a transaction rolled back by contention.
        lock_timeout: seconds a transaction waits for a lock before it is
            rolled back (and retried).
    """

    def __init__(
        self,
        source: object,
        *,
        schema: str,
        component: str,
        version: int,
        store: str,
        attempts: int = 5,
        lock_timeout: float = 10.0,
    ) -> None:
        psycopg = import_psycopg()
        if not isinstance(schema, str) or not schema or len(schema.encode("utf-8")) > 63:
            raise ConfigurationError(
                "schema must be a PostgreSQL name of 1 to 63 bytes", field="schema"
            )
        if not isinstance(attempts, int) or attempts < 1:
            raise ConfigurationError("attempts must be an int >= 1", field="attempts")
        # A number of seconds PostgreSQL can take as milliseconds (its lock_timeout is an
        # int of ms): "5" raised TypeError, inf OverflowError, and 1e10 was accepted and
        # then failed every write ("invalid value for parameter").
        if (
            isinstance(lock_timeout, bool) or not isinstance(lock_timeout, int | float)
            or not 0 < lock_timeout <= _MAX_LOCK_TIMEOUT
        ):
            raise ConfigurationError(
                f"lock_timeout must be a number of seconds above 0 and at most "
                f"{_MAX_LOCK_TIMEOUT:,} (PostgreSQL's longest lock_timeout), not "
                f"{lock_timeout!r:.40}",
                field="lock_timeout",
            )
        self._psycopg = psycopg
        self.schema = schema
        self.component = component
        self.version = version
        self.store = store
        self.attempts = attempts
        self.lock_timeout_ms = max(1, round(lock_timeout * 1000))
        self._owned = isinstance(source, str)
        # Re-entrant: close() takes it, and a shutdown signal handler closing the store
        # runs in the thread that may be inside a call holding it (a plain lock hung).
        self._lock = threading.RLock()
        self._closed = False
        self._checked = False
        # A version record was read (or written): only then is a missing table one
        # altered by hand. Not _checked, which create_schema() sets before any read.
        self._vouched = False
        #: What a table altered under its version record raises (the consent store:
        #: LedgerIntegrityError, as tampering, not a plain store failure).
        self.altered: type[StoreError] = StoreError
        self._pool: Any = None
        self._conn: Any = None
        self._conninfo: str | None = None
        if isinstance(source, str):
            self._conninfo = source
            self._conn = self._open()
        elif isinstance(source, psycopg.Connection):
            self._conn = source
        elif callable(getattr(source, "connection", None)):
            self._pool = source
        else:
            raise ConfigurationError(
                f"{store} needs a psycopg Connection, a psycopg_pool ConnectionPool or a "
                f"conninfo string, got {type(source).__name__}",
                field="connection",
            )

    def _open(self, *, again: bool = False) -> Any:
        """Open the store's own connection (a conninfo string was given); ``again``:
        in place of one the server closed, when a refusal (the server still down) may
        pass later."""
        psycopg, conninfo = self._psycopg, self._conninfo
        try:
            return psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(
                f"{self.store}: cannot connect to PostgreSQL: {_describe(exc)}",
                retryable=again,
            ) from None
        except UnicodeError as exc:
            # psycopg resolves each host first: a name DNS cannot hold (an empty or
            # over-long label, "db..internal") fails its IDNA encoding; a lone
            # surrogate (bytes a command line could not decode) fails UTF-8. The
            # error's own message is not shown: it may quote part of the address.
            what = (
                "the address holds a character that is not text (a lone surrogate: "
                "bytes that could not be decoded)"
                if isinstance(exc, UnicodeEncodeError) and exc.encoding == "utf-8"
                else "a host name in the address is not a valid DNS name (an empty "
                "label, as in 'db..internal', or one longer than 63 characters)"
            )
            raise StoreError(f"{self.store}: cannot connect to PostgreSQL: {what}") from None

    def __repr__(self) -> str:
        kind = "pool" if self._pool is not None else "connection"
        return f"schema={self.schema!r}, {kind}"

    def sql(self, template: str, **names: str) -> Composed:
        """``template`` with ``{schema}`` and the given ``{names}`` quoted as identifiers."""
        from psycopg import sql

        ids = {key: sql.Identifier(value) for key, value in names.items()}
        return sql.SQL(template).format(schema=sql.Identifier(self.schema), **ids)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        if self._closed:
            raise StoreError(f"{self.store} is closed")
        if self._pool is not None:
            with self._pool.connection() as conn:
                yield conn
        else:
            with self._lock:
                if self._closed:  # closed while this call waited for the lock
                    raise StoreError(f"{self.store} is closed")
                if self._owned and self._conn.broken:
                    # The server closed the store's own connection (a restart, a
                    # failover, an idle timeout): the application cannot hand this
                    # store another one, so open a new one. Nothing was in doubt on the
                    # old one: the server rolled back what it had not committed.
                    self._conn.close()
                    self._conn = self._open(again=True)
                yield self._conn

    def run(
        self, work: Callable[[psycopg.Connection[Any]], _T], *, what: str, write: bool = True
    ) -> _T:
        """``work(conn)`` in one transaction, retried when contention rolled it back.

        A read (``write=False``) must be one statement: on an autocommit
        connection it runs without BEGIN and COMMIT, one round trip instead of
        three (the ``status()`` path).

        Raises:
            StoreError: the schema is missing or of another version; the
                database failed (``retryable`` when contention outlasted every
                attempt, so the caller may try again later).
        """
        psycopg = self._psycopg
        for attempt in range(1, self.attempts + 1):
            try:
                with self._connection() as conn:
                    self._require_idle(conn)
                    if not write and self._checked and conn.autocommit:
                        return work(conn)
                    with conn.transaction():
                        if write:
                            # The application's default may be REPEATABLE READ or
                            # SERIALIZABLE: its snapshot, taken before the chain's lock
                            # is granted, would miss the appends committed meanwhile.
                            conn.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                            conn.execute(
                                "SELECT set_config('lock_timeout', %s, true)",
                                (f"{self.lock_timeout_ms}ms",),
                            )
                        if not self._checked:
                            self._check_version(conn)
                        return work(conn)
            except psycopg.Error as exc:
                retryable = getattr(exc, "sqlstate", None) in RETRYABLE_SQLSTATES
                if retryable and attempt < self.attempts:
                    # Jittered exponential backoff, so colliding writers spread out.
                    time.sleep(random.uniform(0, 0.01 * 2**attempt))
                    continue
                failure = self._failure(exc, what, attempt, retryable=retryable)
            # Raised outside the except block: "from None" would only hide psycopg's error,
            # still kept as __context__ with its DETAIL quoting the row ("Key
            # (phone)=(+1...)") for any handler that walks the chain; here it is not kept.
            raise failure
        raise AssertionError("unreachable")  # pragma: no cover

    def _failure(
        self, exc: Exception, what: str, attempt: int, *, retryable: bool
    ) -> StoreError:
        """The StoreError for psycopg's ``exc``, without its DETAIL (see :func:`_describe`)."""
        if retryable:
            return StoreError(
                f"{self.store}: {what} was rolled back by contention {attempt} times "
                f"({_describe(exc)}); nothing was written, try again later",
                retryable=True,
            )
        if self._vouched and getattr(exc, "sqlstate", None) in ALTERED_SQLSTATES:
            return self.altered(
                f"{self.store}: {what} failed: {_describe(exc)}, though schema "
                f"{self.schema!r} records {self.component} version {self.version}: "
                "its tables were altered by hand (renamed or dropped); restore "
                "them from a backup"
            )
        return StoreError(f"{self.store}: {what} failed: {_describe(exc)}")

    def _require_idle(self, conn: psycopg.Connection[Any]) -> None:
        status = conn.info.transaction_status
        if status == self._psycopg.pq.TransactionStatus.UNKNOWN:
            raise StoreError(
                f"{self.store}: the connection is closed or broken; give the store a "
                "working connection (a pool replaces broken ones by itself)"
            )
        if status != self._psycopg.pq.TransactionStatus.IDLE:
            # Inside the application's transaction our commit would not commit,
            # and the chain's advisory lock would be held until the caller's.
            raise StoreError(
                f"{self.store}: the connection is inside a transaction ({status.name}); "
                "give the store a connection of its own (or a pool): its writes must "
                "commit by themselves"
            )

    def _check_version(self, conn: psycopg.Connection[Any]) -> None:
        self._check_component(conn, self.component, self.version, self.upgradable)
        for component, version, upgradable in self.requires:
            self._check_component(conn, component, version, upgradable)
        self._checked = self._vouched = True

    def _check_component(
        self, conn: psycopg.Connection[Any], component: str, version: int,
        upgradable: frozenset[int],
    ) -> None:
        table = f"{self.schema}.smskit_schema"
        found = conn.execute(
            "SELECT to_regclass(format('%%I.%%I', %s::text, 'smskit_schema'))", (self.schema,)
        ).fetchone()
        row = None
        if found is not None and found[0] is not None:
            row = conn.execute(
                self.sql("SELECT version FROM {schema}.smskit_schema WHERE component = %s"),
                (component,),
            ).fetchone()
        if row is None:
            # The name is used exactly as given (quoted), while psql folds an unquoted
            # name to lower case: "Tenant_42" here is not the tenant_42 a DBA made, and
            # create_schema() would make a second schema beside it.
            alike = conn.execute(
                "SELECT nspname FROM pg_namespace WHERE lower(nspname) = lower(%s) "
                "AND nspname <> %s ORDER BY nspname LIMIT 3",
                (self.schema, self.schema),
            ).fetchall()
            hint = (
                f"; schema names are matched exactly, case included, and this database "
                f"has {', '.join(repr(r[0]) for r in alike)}: is that the one you meant?"
                if alike else ""
            )
            raise StoreError(
                f"{self.store}: schema {self.schema!r} has no {component} tables "
                f"(no {component!r} row in {table}); call create_schema() once, as "
                f"the role that owns the schema, before using the store{hint}"
            )
        if row[0] in upgradable:
            raise StoreError(
                f"{self.store}: schema {self.schema!r} holds {component} version "
                f"{row[0]}, written by an older smskit; this one uses version "
                f"{version}. Call create_schema() once, as the role that owns the "
                "schema: it upgrades the tables in place (no row is rewritten)"
            )
        if row[0] != version:
            raise StoreError(
                f"{self.store}: schema {self.schema!r} holds {component} version "
                f"{row[0]}; this smskit uses version {version}. Use the smskit "
                "version that created it, or call create_schema() on a new schema name "
                "and move the data"
            )

    #: Versions :meth:`create` upgrades to :attr:`version` (set by the store).
    upgradable: frozenset[int] = frozenset()
    #: Other components, with their versions and the versions their ``create_schema``
    #: upgrades, whose tables this store also reads and writes (the message history
    #: writes the send history's): checked beside its own.
    requires: tuple[tuple[str, int, frozenset[int]], ...] = ()

    def create(
        self,
        statements: Iterable[Composed],
        upgrades: Mapping[int, Iterable[Composed]] | None = None,
        validations: Iterable[tuple[str, str]] = (),
        *,
        component: str | None = None,
        version: int | None = None,
    ) -> bool:
        """Create this component's tables once (or those of ``component`` at
        ``version``, one of :attr:`requires`); ``True`` if they were created (or
        upgraded) now.

        Idempotent and safe to run from several hosts at once (a transaction
        advisory lock on the schema name serialises them). ``upgrades`` maps an
        older version to the statements that bring it to :attr:`version`, run in
        the same transaction as the new version's record.

        ``validations`` (``(table, constraint)`` pairs) are then validated in a
        transaction of their own, those the catalog says are not valid yet: an
        upgrade adds its constraints ``NOT VALID``, as the upgrade transaction
        holds ACCESS EXCLUSIVE locks until it commits, and a scan of the table
        under them would stall every worker. VALIDATE scans under SHARE UPDATE
        EXCLUSIVE, which lets rows be read and written meanwhile; it asks for that
        lock even on a valid constraint, and would queue behind a VACUUM or an
        ANALYZE, so a valid one is left alone. Checking every time finishes an
        upgrade interrupted between the two.

        Raises:
            StoreError: the schema holds another version of the component.
        """
        upgrades = upgrades or {}
        component = component or self.component
        version = self.version if version is None else version
        def create(conn: psycopg.Connection[Any]) -> bool:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key("schema", self.schema),))
            conn.execute(self.sql("CREATE SCHEMA IF NOT EXISTS {schema}"))
            conn.execute(self.sql(
                "CREATE TABLE IF NOT EXISTS {schema}.smskit_schema ("
                "component text PRIMARY KEY, version integer NOT NULL)"
            ))
            row = conn.execute(
                self.sql("SELECT version FROM {schema}.smskit_schema WHERE component = %s"),
                (component,),
            ).fetchone()
            if row is not None and row[0] in upgrades:
                for statement in upgrades[row[0]]:
                    conn.execute(statement)
                conn.execute(
                    self.sql("UPDATE {schema}.smskit_schema SET version = %s "
                             "WHERE component = %s"),
                    (version, component),
                )
                return True
            if row is not None:
                if row[0] != version:
                    raise StoreError(
                        f"{self.store}: schema {self.schema!r} already holds "
                        f"{component} version {row[0]}, not {version}; "
                        "choose a new schema name"
                    )
                return False
            for statement in statements:
                conn.execute(statement)
            conn.execute(
                self.sql("INSERT INTO {schema}.smskit_schema (component, version) VALUES (%s, %s)"),
                (component, version),
            )
            return True

        checks = list(validations)
        def validate(conn: psycopg.Connection[Any]) -> None:
            # Another host validating now holds this lock: leave the scan to it
            # rather than queue behind it (and past lock_timeout) for a no-op.
            key = advisory_key("validate", self.schema)
            row = conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (key,)).fetchone()
            if row is None or not row[0]:
                return
            for table, name in checks:
                # A catalog read, no lock on the table: valid (or gone) is left alone.
                found = conn.execute(
                    "SELECT convalidated FROM pg_constraint WHERE conname = %s AND "
                    "conrelid = to_regclass(format('%%I.%%I', %s::text, %s::text))",
                    (name, self.schema, table),
                ).fetchone()
                if found is not None and not found[0]:
                    conn.execute(self.sql(
                        "ALTER TABLE {schema}.{table} VALIDATE CONSTRAINT {name}",
                        table=table, name=name,
                    ))

        self._checked = True  # the version is checked inside create() itself
        try:
            created = self.run(create, what="create_schema()")
        except BaseException:
            self._checked = False
            raise
        self._vouched = True
        if checks:
            self.run(validate, what="create_schema()")
        return created

    def close(self) -> None:
        """Make the store unusable; close the connection only if the store opened it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._owned:
                self._conn.close()


class PostgresStore:
    """What every PostgreSQL store shares: its :class:`Database`, ``repr``, context
    manager, ``create_schema`` and ``close``.

    A store sets ``_component``, ``_version`` and ``_ddl`` (its ``CREATE``
    statements, ``{schema}`` to be quoted) and calls ``super().__init__``.
    """

    _component: ClassVar[str]
    _version: ClassVar[int]
    _ddl: ClassVar[tuple[str, ...]] = ()
    #: An older version to the statements that upgrade it to ``_version``.
    _upgrades: ClassVar[Mapping[int, tuple[str, ...]]] = {}
    #: ``(table, constraint)`` of what an upgrade added ``NOT VALID``.
    _validations: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __init__(
        self, connection: object, *, schema: str, attempts: int, lock_timeout: float
    ) -> None:
        self._db = Database(
            connection, schema=schema, component=self._component, version=self._version,
            store=type(self).__name__, attempts=attempts, lock_timeout=lock_timeout,
        )
        self._db.upgradable = frozenset(self._upgrades)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._db!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def create_schema(self) -> bool:
        """Create the schema, the version table and this store's tables, if missing.

        Idempotent; run it once at deployment as the role that owns the schema.
        Tables of an older version this smskit knows how to upgrade are upgraded
        in place, in one transaction. Returns ``True`` if the tables were created
        or upgraded now.

        Raises:
            StoreError: the schema holds another version of the tables.
        """
        return self._db.create(
            (self._db.sql(statement) for statement in self._ddl),
            {
                version: [self._db.sql(statement) for statement in statements]
                for version, statements in self._upgrades.items()
            },
            self._validations,
        )

    def close(self) -> None:
        """Make the store unusable; closes the connection only if it opened it."""
        self._db.close()
