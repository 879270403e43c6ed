"""``smskit check|plan --database DSN``: the consent ledger and the send history read from
PostgreSQL, as ``smskit ledger ... --database DSN`` reads the ledger (fix27m).

``check`` and ``plan`` took SQLite files only (``--ledger``, ``--history``) and refused an
address there, pointing at the Python API: a team on PostgreSQL could not check a send
from the command line against its real ledger and caps. Real server, real processes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.cli.test_cli import EXAMPLES, run

from smskit import ConsentLedger, Evidence, PostgresConsentStore, PostgresSendHistory
from smskit.timing import SendRecord

SENDER = str(EXAMPLES / "sender.toml")  # +14155550100, scope "acme"
MIAMI = "+13055550123"  # Florida: at most 3 marketing texts in 24 hours (us-fl.cap)
NEW_YORK = "+12125550123"
AT = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # 12:00 in both places
BODY = ("--body", "Spring tune-up: 15% off")


@pytest.fixture
def pg(postgres_dsn: str, pg_schema: str) -> tuple[str, str]:
    """Consent for both numbers in a PostgreSQL ledger; three marketing texts to Miami in
    the last day in a PostgreSQL send history, in one schema."""
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()
        ledger = ConsentLedger(store)
        for number in (MIAMI, NEW_YORK):
            ledger.grant(number, scope="acme", purposes="marketing", kind="express_written",
                         source="web_form", at=AT - timedelta(days=30),
                         evidence=Evidence(consent_text="Texts from Acme",
                                           form_url="https://acme.example/join"))
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as history:
        history.create_schema()
        for hours in (20, 10, 2):
            history.record(SendRecord(MIAMI, "+14155550100", AT - timedelta(hours=hours)))
    return postgres_dsn, pg_schema


def _check(number: str, *options: str) -> tuple[int, str, str]:
    result = run("check", number, "--at", AT.isoformat(), "--sender", SENDER, *BODY, *options)
    return result.returncode, result.stdout, result.stderr


def test_check_reads_consent_and_caps_from_postgresql(pg: tuple[str, str]) -> None:
    dsn, schema = pg
    db = ("--database", dsn, "--schema", schema)
    code, out, err = _check(NEW_YORK, *db)
    assert code == 0, out + err  # consent found in the PostgreSQL ledger
    assert "note: no --ledger" not in out  # consent was checked
    code, out, err = _check(MIAMI, *db, "--json")
    assert code == 3, out + err  # the fourth in 24 hours waits: the PostgreSQL history
    record = json.loads(out)
    assert record["verdict"] == "defer"
    assert "frequency_cap.exceeded" in [finding["code"] for finding in record["findings"]]
    assert "us-fl.cap" in out  # the rule named in the finding
    assert "5550123" not in out + err
    code, out, _ = _check("+13125550123", *db)  # Chicago: no consent anywhere
    assert code == 1
    assert "consent.missing" in out


def test_plan_reads_the_postgresql_stores(pg: tuple[str, str], tmp_path: Path) -> None:
    dsn, schema = pg
    campaign = tmp_path / "c.csv"
    campaign.write_text(f"phone\n{NEW_YORK}\n{MIAMI}\n+13125550123\n", encoding="utf-8")
    result = run("plan", str(campaign), "--at", AT.isoformat(), "--template-text",
                 "Acme: spring sale", "--sender", SENDER, "--database", dsn,
                 "--schema", schema, "--csv")
    assert result.returncode == 0, result.stderr
    verdicts = [line.split(",") for line in result.stdout.splitlines()[1:]]
    header = result.stdout.splitlines()[0].split(",")
    verdict = header.index("verdict")
    assert [row[verdict] for row in verdicts] == ["allow", "defer", "block"]
    assert "5550123" not in result.stdout + result.stderr


def test_a_ledger_file_with_the_database_reads_the_history_from_postgresql(
    pg: tuple[str, str], tmp_path: Path
) -> None:
    dsn, schema = pg
    from smskit import SQLiteStore

    path = tmp_path / "consent.db"
    with SQLiteStore(path) as store:
        ConsentLedger(store).grant(
            MIAMI, scope="acme", purposes="marketing", kind="express_written",
            source="web_form", at=AT - timedelta(days=1),
            evidence=Evidence(consent_text="Texts from Acme", form_url="https://a.example"))
    code, out, err = _check(MIAMI, "--ledger", str(path), "--database", dsn, "--schema", schema)
    assert code == 3, out + err  # the cap counted the PostgreSQL sends
    code, out, err = _check(MIAMI, "--ledger", str(path), "--history", str(path),
                            "--database", dsn)
    assert code == 2
    assert "drop one" in err


def test_a_missing_send_history_is_named_in_one_line(postgres_dsn: str, pg_schema: str) -> None:
    with PostgresConsentStore(postgres_dsn, schema=pg_schema) as store:
        store.create_schema()  # a ledger only: no send history table in the schema
    code, out, err = _check(NEW_YORK, "--database", postgres_dsn, "--schema", pg_schema)
    assert code == 2, out
    assert out == ""
    assert err.count("\n") == 1
    assert "no send_history tables" in err
    assert "Traceback" not in err


def test_a_bad_address_is_one_line_that_never_shows_it() -> None:
    code, out, err = _check(NEW_YORK, "--database",
                            "postgresql://smskit:hunter2secret@127.0.0.1:1/test")
    assert code == 2
    assert err.startswith("smskit: error: ")
    assert err.count("\n") == 1
    assert "hunter2secret" not in out + err


def test_the_database_needs_a_sender_and_an_address_as_a_file_points_to_it() -> None:
    result = run("check", NEW_YORK, "--at", AT.isoformat(), *BODY,
                 "--database", "postgresql://x@127.0.0.1/test")
    assert result.returncode == 2
    assert "--database needs --sender" in result.stderr
    for option in ("--ledger", "--history"):
        code, _, err = _check(NEW_YORK, option, "postgresql://x:pw@127.0.0.1/test")
        assert code == 2
        assert "--database DSN" in err
        assert "pw@" not in err
