"""A PostgreSQL outbox made by smskit before ``cancelled`` and ``expired`` (version 1).

Its state CHECK refuses the new states and its trigger guards only ``sent`` and
``failed``. The new smskit refuses to use it until ``create_schema()`` upgrades it
in place; the rows stay as they were, and the table then holds the new final states
against hand edits too.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import _services
from smskit import PostgresOutbox
from smskit.errors import StoreError
from smskit.messenger import OutboxEntry, OutboxState

psycopg = _services.require_module("psycopg", "postgres")

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

# What smskit's version 1 created (smskit_schema row and outbox table), as it was.
V1 = (
    "CREATE SCHEMA {s}",
    "CREATE TABLE {s}.smskit_schema (component text PRIMARY KEY, version integer NOT NULL)",
    """CREATE TABLE {s}.outbox (
        key text PRIMARY KEY,
        state text NOT NULL CHECK (state IN
            ('reserved', 'sent', 'failed', 'deferred', 'ambiguous')),
        recipient text NOT NULL, sender text NOT NULL, payload text NOT NULL,
        created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
        attempts integer NOT NULL CHECK (attempts >= 0),
        provider_id text, not_before timestamptz, error text)""",
    """CREATE INDEX outbox_unresolved ON {s}.outbox (created_at, key)
       WHERE state IN ('reserved', 'ambiguous')""",
    """CREATE INDEX outbox_due ON {s}.outbox (COALESCE(not_before, created_at), key)
       WHERE state = 'deferred'""",
    """CREATE FUNCTION {s}.smskit_outbox_final() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'smskit: %.% row is %, a final state: it cannot change',
           TG_TABLE_SCHEMA, TG_TABLE_NAME, OLD.state USING ERRCODE = 'check_violation';
       END $$""",
    """CREATE TRIGGER outbox_final_states BEFORE UPDATE ON {s}.outbox
       FOR EACH ROW WHEN (OLD.state IN ('sent', 'failed'))
       EXECUTE FUNCTION {s}.smskit_outbox_final()""",
    "INSERT INTO {s}.smskit_schema VALUES ('outbox', 1)",
    """INSERT INTO {s}.outbox VALUES ('queued', 'deferred', '+12125550123', '+12125550199',
       '{{}}', '2026-11-20T10:00Z', '2026-11-20T10:00Z', 0, NULL, '2026-11-20T14:00Z', NULL)""",
)


def test_a_version_1_outbox_is_refused_then_upgraded_in_place(
    postgres_dsn: str, pg_schema: str
) -> None:
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        for statement in V1:
            conn.execute(statement.format(s=f'"{pg_schema}"'))
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        with pytest.raises(StoreError, match=r"version 1, written by an older smskit"
                           r".*upgrades the tables in place"):
            box.get("queued")
        assert box.create_schema() is True
        assert box.create_schema() is False  # idempotent
        queued = box.get("queued")
        assert queued is not None
        assert (queued.state, queued.not_before) == (
            OutboxState.DEFERRED, datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
        assert [e.key for e in box.due(datetime(2026, 11, 20, 15, 0, tzinfo=UTC))] == ["queued"]
        box.update("queued", OutboxState.CANCELLED, at=T0, error="appointment cancelled",
                   expected=queued)
        box.reserve(OutboxEntry(key="late", recipient="+12125550123", sender="+12125550199",
                                state=OutboxState.DEFERRED, created_at=T0, updated_at=T0))
        box.update("late", OutboxState.EXPIRED, at=T0, error="send_by passed")
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        for key in ("queued", "late"):
            with pytest.raises(psycopg.errors.CheckViolation, match="final state"):
                conn.execute(f'UPDATE "{pg_schema}".outbox SET state = %s WHERE key = %s',
                             ("deferred", key))
        version = conn.execute(
            f'SELECT version FROM "{pg_schema}".smskit_schema WHERE component = %s',
            ("outbox",)).fetchone()
    assert version == (3,)


# Version 2's trigger, as smskit 2 left it: every final row refused, a late receipt too.
V2_TRIGGER = """CREATE TRIGGER outbox_final_states BEFORE UPDATE ON {s}.outbox
    FOR EACH ROW WHEN (OLD.state IN ('cancelled', 'expired', 'failed', 'sent'))
    EXECUTE FUNCTION {s}.smskit_outbox_final()"""


def test_a_version_2_outbox_is_upgraded_to_take_a_late_receipt_and_nothing_more(
    postgres_dsn: str, pg_schema: str
) -> None:
    s = f'"{pg_schema}"'
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()
        box.reserve(OutboxEntry(key="appt", recipient="+12125550123", sender="+12125550199",
                                state=OutboxState.DEFERRED, created_at=T0, updated_at=T0))
        cancelled = box.update("appt", OutboxState.CANCELLED, at=T0, error="appt cancelled")
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"DROP TRIGGER outbox_final_states ON {s}.outbox")
        conn.execute(V2_TRIGGER.format(s=s))
        conn.execute(f"UPDATE {s}.smskit_schema SET version = 2 WHERE component = 'outbox'")
        with pytest.raises(psycopg.errors.CheckViolation, match="final state"):
            conn.execute(f"UPDATE {s}.outbox SET state = 'sent', provider_id = 'SM1'")
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        with pytest.raises(StoreError, match=r"version 2, written by an older smskit"):
            box.get("appt")
        assert box.create_schema() is True
        assert box.get("appt") == cancelled  # the row untouched
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        update = f"UPDATE {s}.outbox SET state = %s, provider_id = %s WHERE key = 'appt'"
        for state, pid in (("sent", None), ("deferred", "SM1"), ("reserved", "SM1")):
            with pytest.raises(psycopg.errors.CheckViolation, match="final state"):
                conn.execute(update, (state, pid))
        # Review rev29m: the late receipt says what became of the message; it does
        # not rewrite the message (its text, number, sender, key or creation).
        for column, value in (("payload", '{"body": "another text"}'),
                              ("recipient", "+12125550124"), ("sender", "+12125550100"),
                              ("key", "other"), ("created_at", T0 - timedelta(days=1))):
            with pytest.raises(psycopg.errors.CheckViolation, match="final state"):
                conn.execute(f"UPDATE {s}.outbox SET state = 'sent', provider_id = 'SM1', "
                             f"{column} = %s WHERE key = 'appt'", (value,))
        conn.execute(update, ("sent", "SM1"))  # the late receipt
        with pytest.raises(psycopg.errors.CheckViolation, match="final state"):
            conn.execute(update, ("sent", "SM2"))  # sent stays as it is
        assert conn.execute(
            f"SELECT version FROM {s}.smskit_schema WHERE component = 'outbox'"
        ).fetchone() == (3,)


class _Recording(psycopg.Connection):  # type: ignore[type-arg]
    """A connection that keeps the text of each statement sent through it."""

    statements: list[str]

    def execute(self, query: object, *args: object, **kwargs: object) -> object:
        text = query if isinstance(query, str) else query.as_string(self)  # type: ignore[attr-defined]
        self.statements.append(text)
        return super().execute(query, *args, **kwargs)  # type: ignore[arg-type]


def test_the_upgrade_adds_the_state_check_without_a_scan_under_an_exclusive_lock(
    postgres_dsn: str, pg_schema: str
) -> None:
    # The upgrade transaction holds ACCESS EXCLUSIVE until it commits: the check goes
    # in NOT VALID there (no scan), and is validated afterwards in its own transaction
    # (SHARE UPDATE EXCLUSIVE, which lets the workers read and write meanwhile).
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        for statement in V1:
            conn.execute(statement.format(s=f'"{pg_schema}"'))
        with _Recording.connect(postgres_dsn, autocommit=True) as recording:
            recording.statements = []
            with PostgresOutbox(recording, schema=pg_schema) as box:
                assert box.create_schema() is True
                assert box.create_schema() is False
            sent = recording.statements
        adds = [i for i, text in enumerate(sent) if "ADD CONSTRAINT" in text]
        validates = [i for i, text in enumerate(sent) if "VALIDATE CONSTRAINT" in text]
        assert len(adds) == 1
        assert "NOT VALID" in sent[adds[0]]
        # After the upgrade's transaction committed (its version record written).
        record = max(i for i, text in enumerate(sent) if "SET version" in text)
        assert validates
        assert validates[0] > record
        validated = conn.execute(
            "SELECT convalidated FROM pg_constraint WHERE conname = 'outbox_state_check' "
            "AND conrelid = %s::regclass", (f'"{pg_schema}".outbox',)).fetchone()
        assert validated == (True,)


def test_a_worker_start_does_not_queue_behind_a_vacuum_of_a_valid_outbox(
    postgres_dsn: str, pg_schema: str
) -> None:
    # Review: VALIDATE CONSTRAINT asks for SHARE UPDATE EXCLUSIVE even on a check that
    # is already valid, so every create_schema() waited behind a VACUUM, an ANALYZE or
    # a CREATE INDEX CONCURRENTLY of the outbox and then failed the worker's start.
    with PostgresOutbox(postgres_dsn, schema=pg_schema, lock_timeout=0.2, attempts=1) as box:
        assert box.create_schema() is True
        with psycopg.connect(postgres_dsn) as vacuum:  # holds the lock VACUUM takes
            vacuum.execute(f'LOCK TABLE "{pg_schema}".outbox IN SHARE UPDATE EXCLUSIVE MODE')
            assert box.create_schema() is False
            vacuum.rollback()


def test_a_check_left_not_valid_by_an_interrupted_upgrade_is_validated_next_start(
    postgres_dsn: str, pg_schema: str
) -> None:
    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        assert box.create_schema() is True
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            # As the upgrade's first transaction leaves it, before VALIDATE ran.
            conn.execute(
                f'ALTER TABLE "{pg_schema}".outbox DROP CONSTRAINT outbox_state_check, '
                "ADD CONSTRAINT outbox_state_check CHECK (state IN ('reserved', 'sent', "
                "'failed', 'deferred', 'ambiguous', 'cancelled', 'expired')) NOT VALID")
            query = ("SELECT convalidated FROM pg_constraint WHERE conname = "
                     "'outbox_state_check' AND conrelid = %s::regclass")
            table = (f'"{pg_schema}".outbox',)
            assert conn.execute(query, table).fetchone() == (False,)
            assert box.create_schema() is False
            assert conn.execute(query, table).fetchone() == (True,)
