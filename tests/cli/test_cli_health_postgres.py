"""``smskit health --database DSN``: the PostgreSQL message history read as the SQLite
file is, on a real server (in process: cheap)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.cli import main
from smskit.messenger import (
    DeliveryRecord,
    MessageHistory,
    MessageRecord,
    PostgresMessageHistory,
    SQLiteMessageHistory,
)
from smskit.pricing import Direction
from smskit.purpose import Purpose
from smskit.timing import PostgresSendHistory

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SENDERS = ("+18005550100", "+18005550177")
AT = ("--at", "2026-11-20T13:00:00Z")


def _fill(history: MessageHistory) -> None:
    # The first number over the halt threshold (2 of 40 opted out), with failures by
    # category; the second healthy; one message outside a 2-hour window (ending 13:00).
    for sender, stops in zip(SENDERS, (2, 0), strict=True):
        for i in range(40):
            history.record_message(MessageRecord(
                Direction.OUTBOUND, sender, f"+1305555{i:04d}", T0, 1,
                purpose=Purpose.MARKETING, provider_id=f"{sender}-{i}",
            ))
        for i in range(stops):
            history.record_message(MessageRecord(
                Direction.INBOUND, sender, f"+1305555{i:04d}", T0 + timedelta(minutes=1), 1,
                reply="opt_out",
            ))
    for i, category in enumerate(("invalid_number", "invalid_number", "carrier_filtered")):
        history.record_delivery(DeliveryRecord(
            f"{SENDERS[0]}-{i}", SENDERS[0], f"+1305555{i:04d}", T0 + timedelta(minutes=2),
            "failed", category, "30007",
        ))
    history.record_message(MessageRecord(
        Direction.OUTBOUND, SENDERS[1], "+13055559999", T0 - timedelta(hours=2), 1,
        purpose=Purpose.MARKETING,
    ))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["health", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def both(tmp_path: Path, postgres_dsn: str, pg_schema: str) -> tuple[list[str], list[str]]:
    """The same messages and reports in a SQLite file and in a PostgreSQL schema."""
    path = tmp_path / "h.db"
    with SQLiteMessageHistory(path) as sqlite:
        _fill(sqlite)
    with PostgresMessageHistory(postgres_dsn, schema=pg_schema) as postgres:
        postgres.create_schema()
        _fill(postgres)
    return ["--history", str(path)], ["--database", postgres_dsn, "--schema", pg_schema]


@pytest.mark.parametrize("extra", [(), ("--json",), ("--hours", "2", "--sender", SENDERS[1])])
def test_postgresql_output_matches_the_sqlite_file(
    both: tuple[list[str], list[str]], capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
) -> None:
    sqlite, postgres = both
    from_file = _run(capsys, *sqlite, *AT, *extra)
    from_database = _run(capsys, *postgres, *AT, *extra)
    assert from_database == from_file
    code, out, _ = from_database
    if extra == ():  # what the report holds, written out, so that both could not be empty
        assert code == 1
        assert "+1********00: HALT" in out
        assert "failures carrier_filtered 1, invalid_number 2" in out
        assert SENDERS[0] not in out
        assert "recipients 41" in out  # the older message counted over 24 hours
    elif extra[0] == "--hours":
        assert (code, out.count("recipients 40")) == (0, 1)  # the old message left out


def test_a_schema_without_the_message_tables_is_named(
    postgres_dsn: str, pg_schema: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # An empty schema is no history: said before any report (exit 2, the store's error),
    # and nothing is created in it.
    code, out, err = _run(capsys, "--database", postgres_dsn, "--schema", pg_schema, *AT)
    assert (code, out) == (2, "")
    assert "has no message_history tables" in err
    assert "call create_schema()" in err
    assert "postgres@" not in err  # the address is never echoed
    # A send history alone is no message history either (it holds no reports).
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as sends:
        sends.create_schema()
    code, out, err = _run(capsys, "--database", postgres_dsn, "--schema", pg_schema, *AT)
    assert (code, out) == (2, "")
    assert "has no message_history tables" in err


@pytest.mark.parametrize(("argv", "said"), [
    ((), "one of them"),
    (("--history", "h.db", "--database", "host=db"), "not both"),
    (("--history", "h.db", "--schema", "other"), "--schema applies only"),
])
def test_option_combinations_that_do_nothing_are_refused(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], said: str
) -> None:
    code, out, err = _run(capsys, *argv, *AT)
    assert (code, out) == (2, "")
    assert said in err


def test_an_address_that_fails_to_connect_is_not_echoed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Review rev29x: port 1 refuses at once; neither the password nor the user is shown.
    dsn = "postgresql://rev29x_user:s3cretPW@127.0.0.1:1/test"
    code, out, err = _run(capsys, "--database", dsn, "--schema", "x", *AT)
    assert (code, out) == (2, "")
    assert "cannot connect" in err
    assert "s3cretPW" not in err
    assert "rev29x_user" not in err
