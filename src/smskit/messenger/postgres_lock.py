"""``PostgresRecipientLock``: one send at a time per recipient, across hosts (the
``postgres`` extra).

A frequency cap is read when a send is decided and the send is recorded after the
provider took it: two workers sending to one person at the same moment both read
the count before either recorded, and both pass (user40: a 1-a-day cap let 14 of 20
people receive two texts from three workers). A STOP committed between a worker's
decision and its provider call was likewise sent through. The messenger given this
lock holds a transaction-scoped advisory lock keyed by the recipient from before
it decides until the send is recorded, and takes the same lock to write a reply
(a STOP) to the ledger: what one worker decides then sees everything another
worker sent or recorded for that person.

The lock is ``pg_advisory_xact_lock`` inside a transaction that writes nothing:
ending the transaction releases it, so a worker killed mid-send (SIGKILL) leaves
nothing held once PostgreSQL notices its connection closed
(<https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS>).
No table, no privilege: any role that can connect may take it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from .._postgres import (
    _MAX_LOCK_TIMEOUT,
    RETRYABLE_SQLSTATES,
    Database,
    _describe,
    advisory_key,
)
from ..errors import ConfigurationError, StoreError
from ..numbers import mask_number

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresRecipientLock"]

logger = logging.getLogger("smskit.messenger")

#: The form the messenger keys a person by: + and digits, at most 15 (E.164). Not the
#: 7-digit floor ``timing.caps`` checks: parse_number takes shorter valid numbers
#: ("+989601"), and the lock must not refuse a send the engine would judge.
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


class PostgresRecipientLock:
    """Serialises the sends to (and the replies of) one recipient across hosts.

    Pass it to :class:`~smskit.messenger.Messenger` as ``recipient_lock=`` on
    every host that sends from one schema's stores. A hold keeps one connection
    for the whole send, provider call included: give the lock a pool of its own
    (or a conninfo string: one connection, so the process's sends take turns), not
    the stores' pool, which a send also needs while the lock holds one.

    Args:
        connection: a ``psycopg_pool.ConnectionPool`` (a connection per hold), a
            conninfo string (the lock opens one connection; holds take turns on
            it) or a psycopg ``Connection`` (likewise; not in a transaction).
        schema: the schema of the stores it guards: locks of other schemas (other
            tenants) do not wait for each other.
        timeout: seconds a send waits for another host's send to the same person
            before :class:`~smskit.errors.StoreError` (``retryable``; nothing sent).
    """

    def __init__(
        self,
        connection: psycopg.Connection[Any] | Any,
        *,
        schema: str = "smskit",
        timeout: float = 30.0,
    ) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not (
            0 < timeout <= _MAX_LOCK_TIMEOUT
        ):
            raise ConfigurationError(
                f"timeout must be a number of seconds above 0 and at most "
                f"{_MAX_LOCK_TIMEOUT:,}, not {timeout!r:.40}",
                field="timeout",
            )
        # The Database gives connections as the stores take them (pool, own connection
        # reopened after a server restart, a caller's connection under a lock); no
        # table is read, so its version check never runs.
        self._db = Database(
            connection, schema=schema, component="recipient_lock", version=1,
            store=type(self).__name__, lock_timeout=timeout,
        )
        self._timeout = float(timeout)
        self._held = threading.local()

    @property
    def schema(self) -> str:
        """The schema whose sends it serialises (the messenger checks it is its outbox's)."""
        return self._db.schema

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._db!r})"

    @contextmanager
    def hold(self, recipient: str) -> Iterator[None]:
        """Hold the lock of ``recipient`` (E.164) until the block ends.

        Re-entrant within a thread (an answer sent while a reply is handled).

        Raises:
            ConfigurationError: ``recipient`` is not a number in E.164
                (``field="recipient"``).
            StoreError: another host held it past ``timeout`` (``retryable``), or the
                database failed; the block did not run.
        """
        if not isinstance(recipient, str) or not _E164.fullmatch(recipient):
            # Another spelling of the number is another key: it would exclude none of
            # the messenger's sends (a TypeError, for a PhoneNumber or None).
            shown = (mask_number(recipient) if isinstance(recipient, str)
                     else type(recipient).__name__)
            raise ConfigurationError(
                f"{type(self).__name__}.hold takes the number in E.164 (+ and the country "
                f"code), as the messenger keys it, not {shown!r:.40}: normalise it with "
                "smskit.normalize_recipient (a PhoneNumber: its .e164)",
                field="recipient",
            )
        held: set[str] = self._held.__dict__.setdefault("keys", set())
        if recipient in held:
            yield
            return
        psycopg = self._db._psycopg
        key = advisory_key("recipient", self._db.schema, recipient)
        with ExitStack() as stack:
            if self._db._pool is None and not self._db._lock.acquire(timeout=self._timeout):
                # One connection (a conninfo string or a Connection): another thread's
                # send holds it, maybe in a hung provider call. Waited for without a
                # limit, that froze every send of the process; `timeout` bounds it.
                raise StoreError(
                    f"{type(self).__name__}: the lock's one connection stayed taken by "
                    f"another send of this process for {self._timeout:g} s; nothing was "
                    "sent, try again later (give the lock a pool for sends in parallel)",
                    retryable=True,
                )
            if self._db._pool is None:
                stack.callback(self._db._lock.release)  # _connection re-enters it
            failure = None
            conn = None
            try:
                # A pool that is closed, or exhausted past its timeout, raises here.
                given = stack.enter_context(self._db._connection())
                # Refused before it is ours to end: a caller's own transaction on it is
                # not rolled back.
                self._db._require_idle(given)
                conn = given
                if conn.autocommit:
                    conn.execute("BEGIN")
                # The wait is bounded by `timeout` alone: a role's shorter
                # statement_timeout cut it with 57014, a StoreError saying not to retry
                # what is contention. The transaction runs nothing else.
                conn.execute(
                    "SELECT set_config('lock_timeout', %s, true), "
                    "set_config('statement_timeout', '0', true)",
                    (f"{self._db.lock_timeout_ms}ms",),
                )
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            except psycopg.Error as exc:
                if conn is not None:
                    _end(conn, psycopg)
                retryable = getattr(exc, "sqlstate", None) in RETRYABLE_SQLSTATES
                failure = StoreError(
                    f"{type(self).__name__}: waiting for another send to the same "
                    f"recipient failed: {_describe(exc)}; nothing was sent"
                    + (", try again later" if retryable else ""),
                    retryable=retryable,
                )
            except BaseException:
                # Interrupted while waiting (a time limit, a signal handler): the
                # connection would stay in the transaction, and keep the lock if it
                # was just granted.
                if conn is not None:
                    _end(conn, psycopg)
                raise
            if failure is not None:
                # Raised outside the except block: psycopg's error (its DETAIL may
                # quote values) is not kept as the context.
                raise failure
            assert conn is not None
            held.add(recipient)
            try:
                yield
            finally:
                held.discard(recipient)
                _end(conn, psycopg)

    def close(self) -> None:
        """Close the connection the lock opened (from a conninfo string)."""
        self._db.close()

    def __enter__(self) -> PostgresRecipientLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _end(conn: Any, psycopg: Any) -> None:
    """End the lock's transaction (it wrote nothing), releasing the lock. A failure
    here is logged, not raised: the send it guarded has happened, and a connection
    that failed has lost its session, and the lock with it."""
    try:
        conn.rollback()
    except psycopg.Error as exc:
        logger.warning("PostgresRecipientLock: ending the lock's transaction failed: %s",
                       _describe(exc))
