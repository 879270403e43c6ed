"""``smskit ledger verify|export|status --database DSN``: the PostgreSQL ledger, read
from the command line as the SQLite file is, against the real server of the test run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from _cli import ROOT, run
from smskit.consent import ConsentKind, ConsentLedger, Evidence, PostgresConsentStore

NUMBER = "+14155550123"
T0 = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


@pytest.fixture
def pg_ledger(postgres_dsn: str, pg_schema: str) -> tuple[str, str]:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
        ledger = ConsentLedger(store)
        ledger.grant(NUMBER, scope="acme", purposes="marketing",
                     kind=ConsentKind.EXPRESS_WRITTEN, source="web_form", at=T0,
                     evidence=Evidence(form_url="https://acme.example/join",
                                       consent_text="I agree to marketing texts from Acme."))
        ledger.handle_reply(NUMBER, "Wrong number", scope="acme", at=T0 + timedelta(days=1))
    return postgres_dsn, pg_schema


def test_verify_export_and_status_read_the_postgresql_ledger(pg_ledger: tuple[str, str]) -> None:
    dsn, schema = pg_ledger
    db = ("--database", dsn, "--schema", schema)
    verified = run("ledger", "verify", *db, "--json")
    assert verified.returncode == 0, verified.stderr
    data = json.loads(verified.stdout)
    assert (data["ok"], data["events"]) == (True, 2)
    again = run("ledger", "verify", *db, "--expected-head", data["head"])
    assert again.stdout.startswith("OK: 2 events, chain intact\n")
    exported = run("ledger", "export", *db)
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [line["recipient"] for line in lines] == [NUMBER, NUMBER]  # the audit record
    assert [line["revocation_method"] for line in lines] == [None, "wrong_number"]
    status = run("ledger", "status", NUMBER, *db, "--scope", "acme",
                 "--at", (T0 + timedelta(days=2)).isoformat())
    assert status.returncode == 1, status.stderr
    assert "5550123" not in status.stdout + status.stderr  # masked
    assert status.stdout.startswith("Recipient  +1********23, scope acme\nState      revoked")
    assert "revoked by wrong_number" in status.stdout
    before = run("ledger", "status", NUMBER, *db, "--scope", "acme", "--json",
                 "--at", (T0 + timedelta(hours=1)).isoformat())
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["recipient"] == "+1********23"


def test_an_empty_chain_or_schema_is_named_in_one_line(pg_ledger: tuple[str, str]) -> None:
    dsn, schema = pg_ledger
    # Review rev26q: a mistyped chain beside others' events was "OK: 0 events, chain
    # intact" (exit 0), and status answered "no consent" from it.
    for action in (("verify",), ("export",),
                   ("status", NUMBER, "--scope", "acme", "--at", T0.isoformat())):
        empty = run("ledger", *action, "--database", dsn, "--schema", schema,
                    "--chain", "tenant-42\x1b[31m")
        assert empty.returncode == 2, empty.stdout
        assert empty.stdout == ""
        assert empty.stderr.count("\n") == 1
        assert "--chain 'tenant-42\\x1b[31m'" in empty.stderr
        assert "\x1b" not in empty.stderr
    missing = run("ledger", "verify", "--database", dsn, "--schema", schema + "_none")
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1
    assert "Traceback" not in missing.stderr
    assert "no consent tables" in missing.stderr


@pytest.mark.parametrize("dsn", [
    "postgresql://smskit:hunter2secret@127.0.0.1:1/test",  # nothing listens on port 1
    "postgresql//smskit:hunter2secret@127.0.0.1/test",  # not an address: libpq quotes it
    "host=127.0.0.1 port=5432 dbname=no_such_db_x user=postgres password=hunter2secret",
    "",
])
def test_a_bad_address_is_one_line_that_never_shows_it(dsn: str) -> None:
    result = run("ledger", "verify", "--database", dsn)
    assert result.returncode == 2
    assert result.stderr.startswith("smskit: error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "hunter2secret" not in result.stderr + result.stdout
    assert result.stdout == ""


def test_a_file_and_a_database_together_or_neither_is_a_usage_error(tmp_path: object) -> None:
    both = run("ledger", "verify", "consent.db", "--database", "postgresql://x@127.0.0.1/test")
    assert both.returncode == 2
    assert "not both" in both.stderr
    neither = run("ledger", "verify")
    assert neither.returncode == 2
    assert "--database" in neither.stderr
    # An address given where the file goes points at --database.
    positional = run("ledger", "verify", "postgresql://x:pw@127.0.0.1/test")
    assert positional.returncode == 2
    assert "--database" in positional.stderr
    assert "pw@" not in positional.stderr


def test_without_psycopg_the_error_names_the_extra() -> None:
    # psycopg hidden from the smskit process (as on an install without the postgres extra).
    code = (
        "import sys; sys.modules['psycopg'] = None; "
        "from smskit.cli import main; "
        "sys.exit(main(['ledger', 'verify', '--database', 'postgresql://x@127.0.0.1/test']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=False, env=dict(os.environ))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "postgres" in result.stderr
    assert "pip install" in result.stderr


def test_an_empty_ledger_is_verified_as_empty(postgres_dsn: str, pg_schema: str) -> None:
    # No chain at all yet: nothing to mistype, the empty chain verifies.
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
    empty = run("ledger", "verify", "--database", postgres_dsn, "--schema", pg_schema,
                "--chain", "tenant-42")
    assert empty.returncode == 0, empty.stderr
    assert empty.stdout.startswith("OK: 0 events")


@pytest.mark.parametrize("table", ["consent_events"])
def test_a_ledger_whose_table_was_renamed_is_broken_not_a_usage_error(
    pg_ledger: tuple[str, str], capsys: pytest.CaptureFixture[str], table: str
) -> None:
    # Review: the schema's record still says the consent tables are there, so a table
    # gone under another name is tampering (exit 1, BROKEN), as on a SQLite file.
    import psycopg

    from smskit.cli import main

    dsn, schema = pg_ledger
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'ALTER TABLE "{schema}".{table} RENAME TO {table}_old')
    code = main(["ledger", "verify", "--database", dsn, "--schema", schema])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert out.startswith("BROKEN: "), out
    assert table in out
