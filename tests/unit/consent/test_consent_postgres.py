"""PostgresConsentStore on a real server: schema, append-only rows, tampering, connections.

The shared behaviour is in tests/contract/test_consent_store.py; these are the
PostgreSQL-specific promises. Each test has a schema of its own (``pg_schema``).
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import _services
from smskit._postgres import advisory_key, import_psycopg
from smskit.consent import ConsentKind, ConsentLedger, ConsentState, Evidence
from smskit.consent.postgres import SCHEMA_VERSION, PostgresConsentStore
from smskit.errors import LedgerIntegrityError, MissingExtraError, StoreError

psycopg = _services.require_module("psycopg", "postgres")

T0 = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
N = "+14155550123"
M = "+447911123456"


@pytest.fixture
def admin(postgres_dsn: str) -> Iterator[psycopg.Connection]:
    """A superuser connection, as a DBA (or an attacker with the password) would use."""
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        yield conn


@pytest.fixture
def store(postgres_dsn: str, pg_schema: str) -> Iterator[PostgresConsentStore]:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as made:
        made.create_schema()
        yield made


def _fill(ledger: ConsentLedger) -> None:
    ledger.grant(N, scope="acme", purposes="marketing", kind=ConsentKind.EXPRESS_WRITTEN,
                 source="web_form", at=T0,
                 evidence=Evidence(form_url="https://acme.example/join",
                                   consent_text="I agree to marketing texts from Acme."))
    ledger.handle_reply(N, "STOP", scope="acme", at=T0 + timedelta(days=1))
    ledger.handle_reply(N, "START", scope="acme", at=T0 + timedelta(days=2))
    ledger.grant(M, scope="acme", purposes="informational", kind="express", source="api", at=T0)


def test_a_schema_named_in_other_case_is_pointed_out(postgres_dsn: str, pg_schema: str) -> None:
    # user34: a DBA's CREATE SCHEMA Tenant_42 (folded to tenant_42 by PostgreSQL) and
    # schema="Tenant_42" here (used as written) are two schemas; the error said only to
    # call create_schema(), which would have made the second one.
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
    other = pg_schema.upper()
    with (PostgresConsentStore(postgres_dsn, schema=other) as store,
          pytest.raises(StoreError, match="call create_schema") as caught):
        store.count()
    assert f"this database has {pg_schema!r}" in str(caught.value)


def test_a_missing_schema_says_to_call_create_schema(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        with pytest.raises(StoreError, match=r"call create_schema\(\)"):
            store.count()
        assert store.create_schema() is True
        assert store.create_schema() is False  # idempotent
        assert store.count() == 0


def test_nothing_is_created_on_first_use(
    postgres_dsn: str, pg_schema: str, admin: psycopg.Connection
) -> None:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store, \
            pytest.raises(StoreError):
        store.head()
    found = admin.execute("SELECT to_regnamespace(%s)", (pg_schema,)).fetchone()
    assert found == (None,)


def test_another_schema_version_is_refused(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str, admin: psycopg.Connection
) -> None:
    admin.execute(f'UPDATE "{pg_schema}".smskit_schema SET version = %s '
                  "WHERE component = 'consent'", (SCHEMA_VERSION + 1,))
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as other:
        with pytest.raises(StoreError, match=f"version {SCHEMA_VERSION + 1}"):
            other.count()
        with pytest.raises(StoreError, match="choose a new schema name"):
            other.create_schema()


def test_create_schema_from_many_threads_at_once(postgres_dsn: str, pg_schema: str) -> None:
    results: list[bool] = []
    errors: list[BaseException] = []

    def create() -> None:
        try:
            with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
                results.append(store.create_schema())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, False, False, True]


@pytest.mark.parametrize("statement", [
    "UPDATE {s}.consent_events SET body = body || ' '",
    "DELETE FROM {s}.consent_events",
    "TRUNCATE {s}.consent_events",
])
def test_rows_cannot_be_updated_deleted_or_truncated(
    store: PostgresConsentStore, pg_schema: str, admin: psycopg.Connection, statement: str
) -> None:
    _fill(ConsentLedger(store))
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
        admin.execute(statement.format(s=f'"{pg_schema}"'))
    assert store.count() == 4
    ConsentLedger(store).verify()


def _tamper(admin: psycopg.Connection, schema: str, sql: str) -> None:
    """What a superuser can do: switch the trigger off, change rows, switch it on."""
    table = f'"{schema}".consent_events'
    with admin.transaction():
        admin.execute(f"ALTER TABLE {table} DISABLE TRIGGER consent_events_append_only")
        admin.execute(sql.format(t=table))
        admin.execute(f"ALTER TABLE {table} ENABLE TRIGGER consent_events_append_only")


def test_verify_detects_a_row_a_superuser_edited(
    store: PostgresConsentStore, pg_schema: str, admin: psycopg.Connection
) -> None:
    ledger = ConsentLedger(store)
    _fill(ledger)
    head = ledger.verify()
    # The revocation (sequence 2) becomes a grant: the body no longer matches its hash.
    _tamper(admin, pg_schema,
            "UPDATE {t} SET body = replace(body, '\"revoked\"', '\"granted\"') WHERE seq = 2")
    with pytest.raises(LedgerIntegrityError) as caught:
        ledger.verify()
    assert caught.value.sequence == 2
    with pytest.raises(LedgerIntegrityError):
        ledger.verify(expected_head=head)


def test_verify_detects_an_edit_with_a_recomputed_hash(
    store: PostgresConsentStore, pg_schema: str, admin: psycopg.Connection
) -> None:
    ledger = ConsentLedger(store)
    _fill(ledger)
    # A careful forger also recomputes the row's hash; the next event's link breaks.
    _tamper(admin, pg_schema,
            "UPDATE {t} SET body = replace(body, '\"revoked\"', '\"granted\"'), "
            "hash = encode(sha256(convert_to(replace(body, '\"revoked\"', '\"granted\"'), "
            "'UTF8')), 'hex') WHERE seq = 2")
    with pytest.raises(LedgerIntegrityError, match="does not chain") as caught:
        ledger.verify()
    assert caught.value.sequence == 3


def test_verify_detects_a_deleted_row(
    store: PostgresConsentStore, pg_schema: str, admin: psycopg.Connection
) -> None:
    ledger = ConsentLedger(store)
    _fill(ledger)
    _tamper(admin, pg_schema, "DELETE FROM {t} WHERE seq = 3")
    with pytest.raises(LedgerIntegrityError, match="missing or out of order"):
        ledger.verify()


def test_ledger_round_trip_status_export_import(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str
) -> None:
    ledger = ConsentLedger(store)
    _fill(ledger)
    status = ledger.status(N, "marketing", scope="acme", at=T0 + timedelta(days=3))
    assert status.state is ConsentState.GRANTED
    assert ledger.status(N, "marketing", scope="acme",
                         at=T0 + timedelta(days=1, hours=1)).state is ConsentState.REVOKED
    out = io.StringIO()
    head = ledger.export_jsonl(out)
    with PostgresConsentStore(postgres_dsn, schema=pg_schema, chain="restored") as copy:
        assert ConsentLedger(copy).import_jsonl(io.StringIO(out.getvalue())) == head
        assert copy.head() == store.head()


def test_chains_are_numbered_and_verified_on_their_own(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str
) -> None:
    _fill(ConsentLedger(store))
    with PostgresConsentStore(postgres_dsn, schema=pg_schema, chain="tenant-2") as other:
        ConsentLedger(other).grant(N, scope="beta", purposes="informational", kind="express",
                                   source="api", at=T0)
        assert [e.sequence for e in other.scan()] == [1]
        assert [e.scope.parts for e in other.events(N)] == [("beta",)]
        assert ConsentLedger(other).verify()[0] == 1
    assert store.count() == 4
    assert ConsentLedger(store).verify()[0] == 4


def test_the_application_role_can_append_and_read_but_not_change(
    store: PostgresConsentStore, pg_schema: str, admin: psycopg.Connection
) -> None:
    # The statements docs/scale.md gives for a separate application role.
    role = f"{pg_schema}_app"
    admin.execute(f'CREATE ROLE "{role}" NOLOGIN')
    try:
        admin.execute(f'GRANT USAGE ON SCHEMA "{pg_schema}" TO "{role}"')
        admin.execute(f'GRANT SELECT ON "{pg_schema}".smskit_schema TO "{role}"')
        admin.execute(f'GRANT SELECT, INSERT ON "{pg_schema}".consent_events TO "{role}"')
        admin.execute(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{pg_schema}".consent_events '
                      f'FROM "{role}"')
        admin.execute(f'SET ROLE "{role}"')
        with PostgresConsentStore(admin, schema=pg_schema) as as_app:
            _fill(ConsentLedger(as_app))
            assert ConsentLedger(as_app).verify()[0] == 4
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin.execute(f'ALTER TABLE "{pg_schema}".consent_events '
                          "DISABLE TRIGGER consent_events_append_only")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
            admin.execute(f'DELETE FROM "{pg_schema}".consent_events')
    finally:
        admin.execute("RESET ROLE")
        admin.execute(f'DROP OWNED BY "{role}"')
        admin.execute(f'DROP ROLE "{role}"')


def test_a_pool_connection_is_not_held_between_scan_batches(
    postgres_dsn: str, pg_schema: str
) -> None:
    pool_module = _services.require_module("psycopg_pool", "postgres")
    with pool_module.ConnectionPool(postgres_dsn, min_size=1, max_size=1, timeout=5,
                                    open=True) as pool:
        store = PostgresConsentStore(pool, schema=pg_schema)
        store.create_schema()
        _fill(ConsentLedger(store))
        scanning = store.scan()
        first = next(scanning)
        # With one connection in the pool, this would time out if scan() kept it.
        assert store.count() == 4
        assert [first.sequence, *(e.sequence for e in scanning)] == [1, 2, 3, 4]
        store.close()
        assert not pool.closed  # the pool belongs to the application


def test_a_connection_inside_an_application_transaction_is_refused(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str
) -> None:
    with psycopg.connect(postgres_dsn) as conn:  # autocommit off: execute() opens one
        conn.execute("SELECT 1")
        with PostgresConsentStore(conn, schema=pg_schema) as inside, \
                pytest.raises(StoreError, match="inside a transaction"):
            inside.count()
        conn.rollback()
        with PostgresConsentStore(conn, schema=pg_schema) as idle:
            _fill(ConsentLedger(idle))
            assert idle.count() == 4
        assert not conn.closed  # the connection belongs to the application


def test_a_closed_application_connection_is_a_store_error(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str
) -> None:
    conn = psycopg.connect(postgres_dsn, autocommit=True)
    conn.close()
    with PostgresConsentStore(conn, schema=pg_schema) as broken, \
            pytest.raises(StoreError, match="closed or broken"):
        broken.count()


def test_lock_contention_is_retried_then_reported_as_retryable(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str, admin: psycopg.Connection
) -> None:
    key = advisory_key("smskit.consent", pg_schema, "default")
    with PostgresConsentStore(postgres_dsn, schema=pg_schema, attempts=2,
                              lock_timeout=0.05) as impatient:
        with admin.transaction():
            admin.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            with pytest.raises(StoreError, match="contention 2 times") as caught:
                _fill(ConsentLedger(impatient))
        assert caught.value.retryable is True
        assert impatient.count() == 0
        _fill(ConsentLedger(impatient))  # the lock is gone with the other transaction
        assert impatient.count() == 4


def test_a_closed_store_refuses_work(postgres_dsn: str, pg_schema: str) -> None:
    store = PostgresConsentStore(postgres_dsn, schema=pg_schema)
    store.create_schema()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count()


def test_bad_arguments_are_configuration_errors(pg_schema: str) -> None:
    from smskit.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="psycopg Connection"):
        PostgresConsentStore(42)
    with pytest.raises(ConfigurationError, match="chain"):
        PostgresConsentStore("postgresql://", chain="")
    with pytest.raises(ConfigurationError, match="schema"):
        PostgresConsentStore("postgresql://", schema="x" * 64)


def test_an_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        PostgresConsentStore("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_without_psycopg_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # makes `import psycopg` fail
    with pytest.raises(MissingExtraError, match=r"smskit-compliance\[postgres\]") as caught:
        import_psycopg()
    assert caught.value.extra == "postgres"


@pytest.mark.parametrize("isolation", ["REPEATABLE_READ", "SERIALIZABLE"])
def test_an_append_waiting_for_the_lock_sees_the_head_committed_meanwhile(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str,
    admin: psycopg.Connection, isolation: str,
) -> None:
    # An application connection (or pool) may default to a stricter isolation level. Its
    # snapshot would then be taken before the append waits for the chain's lock, so the
    # head it reads misses the append that held the lock: a lost attempt on every wait.
    with PostgresConsentStore(postgres_dsn, schema=pg_schema, chain="other") as other:
        ConsentLedger(other).grant(M, scope="acme", purposes="informational", kind="express",
                                   source="api", at=T0)
    key = advisory_key("smskit.consent", pg_schema, "default")
    conn = psycopg.connect(postgres_dsn, autocommit=True)
    conn.isolation_level = getattr(psycopg.IsolationLevel, isolation)
    errors: list[BaseException] = []
    with conn, PostgresConsentStore(conn, schema=pg_schema, attempts=1) as strict:
        with admin.transaction():
            admin.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
            # What another host's append commits while `strict` waits for the lock.
            admin.execute(f'INSERT INTO "{pg_schema}".consent_events SELECT %s, seq, '
                          "recipient, occurred_at, prev_hash, hash, body FROM "
                          f'"{pg_schema}".consent_events WHERE chain = %s', ("default", "other"))

            def grant() -> None:
                try:
                    ConsentLedger(strict).grant(N, scope="acme", purposes="marketing",
                                                kind="express", source="api", at=T0)
                except BaseException as exc:
                    errors.append(exc)

            thread = threading.Thread(target=grant)
            thread.start()
            for _ in range(500):
                waiting = admin.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND NOT granted").fetchone()
                if waiting == (1,):
                    break
                threading.Event().wait(0.01)
            else:
                pytest.fail("the append never waited for the chain's lock")
        thread.join(timeout=30)
    assert errors == []
    assert store.head()[0] == 2
    ConsentLedger(store).verify()


class _AppendsBeforeCounting(PostgresConsentStore):
    """A store whose first count() lets another host append first (the race, made certain)."""

    other: PostgresConsentStore
    raced = False

    def count(self) -> int:
        if not self.raced:
            self.raced = True
            ConsentLedger(self.other).grant(M, scope="acme", purposes="informational",
                                            kind="express", source="api", at=T0)
        return super().count()


def test_verify_incremental_is_not_fooled_by_an_append_during_it(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str
) -> None:
    # Another host appended between the scan and the count: that is no deletion.
    ledger = ConsentLedger(store)
    _fill(ledger)
    head = ledger.verify()
    with _AppendsBeforeCounting(postgres_dsn, schema=pg_schema) as racing:
        racing.other = store
        found = ConsentLedger(racing).verify_incremental(head)
    assert found == store.head() == (head[0] + 1, store.head()[1])


def test_verify_incremental_finds_an_old_deletion_masked_by_an_append(
    store: PostgresConsentStore, postgres_dsn: str, pg_schema: str, admin: psycopg.Connection
) -> None:
    # One old row deleted, one new row appended while verifying: the count matches
    # the head the scan reached, yet an event before the kept head is gone.
    ledger = ConsentLedger(store)
    _fill(ledger)
    head = ledger.verify()
    _tamper(admin, pg_schema, "DELETE FROM {t} WHERE seq = 1")
    with _AppendsBeforeCounting(postgres_dsn, schema=pg_schema) as racing:
        racing.other = store
        with pytest.raises(LedgerIntegrityError, match="deleted"):
            ConsentLedger(racing).verify_incremental(head)


def test_a_read_racing_the_first_create_schema_is_no_tamper_alarm(
    postgres_dsn: str, pg_schema: str, admin: psycopg.Connection
) -> None:
    # Review: create_schema() marks the version as checked before it has read any
    # record; a read on another pool connection meanwhile met the missing table and
    # was reported as tampering (LedgerIntegrityError) on a schema never created.
    pool_module = _services.require_module("psycopg_pool", "postgres")
    with pool_module.ConnectionPool(postgres_dsn, min_size=2, max_size=2, timeout=5,
                                    open=True) as pool:
        store = PostgresConsentStore(pool, schema=pg_schema)
        admin.execute("BEGIN")
        admin.execute("SELECT pg_advisory_xact_lock(%s)", (advisory_key("schema", pg_schema),))
        creating = threading.Thread(target=store.create_schema)
        creating.start()
        try:
            waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            for _ in range(500):  # until create_schema() waits for the schema lock
                if admin.execute(waiting).fetchone() == (1,):
                    break
                threading.Event().wait(0.01)
            with pytest.raises(StoreError) as raised:
                store.count()
            assert not isinstance(raised.value, LedgerIntegrityError)
        finally:
            admin.execute("ROLLBACK")
            creating.join()
        assert store.count() == 0
        store.close()
