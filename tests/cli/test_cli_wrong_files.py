"""A user's wrong file or option on the ``smskit`` command line (fix28c): a file that is
no consent ledger, an option that would be ignored, a region written as a name. Each is
one line on stderr and exit 2, never a traceback, nor a ledger reported "BROKEN" (exit
1), which means its chain was tampered with. Run in process (``main`` and capsys)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from smskit.cli import main
from smskit.consent import SQLiteStore

AT = "2026-06-01T12:00:00+00:00"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _foreign(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.commit()
    db.close()
    return path


def _empty_sqlite(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("VACUUM")  # writes the header: a valid database with no table
    db.close()
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _text(path: Path) -> Path:
    path.write_text("name,phone\n", encoding="utf-8")
    return path


def _dump(path: Path) -> Path:
    # A ledger's SQL dump: its schema's text, a trigger's message too, but no database.
    ledger = path.with_suffix(".ledger")
    SQLiteStore(ledger).close()
    db = sqlite3.connect(ledger)
    path.write_text("\n".join(db.iterdump()), encoding="utf-8")
    db.close()
    return path


_NOT_LEDGERS = {
    "empty file": (_empty, "an empty file"),
    "sql dump": (_dump, "not a SQLite database"),
    "text file": (_text, "not a SQLite database"),
    "other application": (_foreign, "a SQLite file of another application"),
    "empty database": (_empty_sqlite, "an empty SQLite database"),
}


@pytest.mark.parametrize("kind", sorted(_NOT_LEDGERS))
@pytest.mark.parametrize("action", [
    ["verify"], ["verify", "--json"], ["export"],
    ["status", "NUMBER", "--scope", "acme", "--at", AT],
])
def test_a_file_that_is_no_ledger_is_a_usage_error_not_a_broken_chain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, action: list[str]
) -> None:
    make, what = _NOT_LEDGERS[kind]
    path = tmp_path / "crm.db"
    make(path)
    before = path.read_bytes()
    args = [a if a != "NUMBER" else "+14155550123" for a in action]
    code, out, err = _run(capsys, "ledger", args[0], str(path), *args[1:])
    assert code == 2
    assert out == ""  # no "BROKEN", no JSON saying ok: false
    assert err == (f"smskit: error: {path} is not a smskit consent ledger ({what}); "
                   "give the file smskit.SQLiteStore writes\n")
    assert path.read_bytes() == before  # read only


def test_a_directory_as_the_ledger_is_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "ledger", "verify", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"smskit: error: {tmp_path}: is a directory, not a ledger file\n"


def test_a_ledger_whose_mark_was_erased_is_still_broken_not_foreign(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Its events table says it was a ledger: zeroing the header's mark is tampering.
    path = tmp_path / "ledger.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 0")
    db.execute("PRAGMA user_version = 0")
    db.commit()
    db.close()
    code, out, err = _run(capsys, "ledger", "verify", str(path))
    assert code == 1
    assert out.startswith("BROKEN: ")
    assert err == ""


# --- --schema and --chain without --database --------------------------------------------


@pytest.mark.parametrize("options", [["--schema", "crm"], ["--chain", "tenant-7"],
                                     ["--schema", "crm", "--chain", "tenant-7"]])
@pytest.mark.parametrize("command", ["verify", "export", "status", "check", "plan"])
def test_schema_and_chain_without_a_database_are_refused_not_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], command: str
) -> None:
    ledger = tmp_path / "ledger.db"
    SQLiteStore(ledger).close()
    campaign = tmp_path / "c.csv"
    campaign.write_text("phone\n+14155550123\n", encoding="utf-8")
    args = {
        "verify": ["ledger", "verify", str(ledger)],
        "export": ["ledger", "export", str(ledger)],
        "status": ["ledger", "status", str(ledger), "+14155550123", "--scope", "acme",
                   "--at", AT],
        "check": ["check", "+14155550123", "--at", AT],
        "plan": ["plan", str(campaign), "--template-text", "Hi", "--at", AT],
    }[command]
    code, out, err = _run(capsys, *args, *options)
    assert (code, out) == (2, "")
    named = " and ".join(o for o in options if o.startswith("--"))
    verb = "apply" if len(options) > 2 else "applies"
    assert err.startswith(f"smskit: error: {named} {verb} only to the PostgreSQL database "
                          "read with --database DSN; give --database, or drop "), err
    assert err.count("\n") == 1


def test_chain_beside_a_ledger_file_is_refused_where_database_reads_the_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --database then reads only the send history, which has no chain: the file's
    # ledger would be read whatever --chain said. Refused before any connection.
    ledger = tmp_path / "ledger.db"
    SQLiteStore(ledger).close()
    code, out, err = _run(
        capsys, "check", "+14155550123", "--at", AT, "--sender", "examples/sender.toml",
        "--ledger", str(ledger), "--database", "postgresql://nobody@127.0.0.1:1/none",
        "--chain", "tenant-7",
    )
    assert (code, out) == (2, "")
    assert "--chain names a PostgreSQL ledger's chain, but the ledger is read from the " \
        "--ledger file" in err


# --- one reading of a region for check --region and plan --state-column ------------------

MIAMI = "+13055550123"
EVENING = "2026-11-20T20:30:00-05:00"  # a Friday: after Florida's 20:00, before the TCPA's 21:00


def _plan_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str],
               states: list[str]) -> list[list[str]]:
    campaign = tmp_path / "leads.csv"
    campaign.write_text(
        "Phone,State\n" + "".join(f'{MIAMI},"{state}"\n' for state in states), encoding="utf-8"
    )
    code, out, err = _run(capsys, "plan", str(campaign), "--template-text", "Hi", "--at",
                          EVENING, "--state-column", "State", "--csv")
    assert code == 0, err
    return [[row["verdict"], row["reason"]] for row in csv.DictReader(io.StringIO(out))]


@pytest.mark.parametrize("written", ["Puerto Rico", "Florida", "FL", "fl", "Fla.", "US-FL",
                                     "Québec", "ON", "MX"])
def test_check_reads_a_region_as_plan_reads_a_state_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    # `check --region "Puerto Rico"` was refused (exit 2) where `plan` read the same
    # cell as US-PR. Now both read it, and decide alike.
    code, out, err = _run(capsys, "check", MIAMI, "--at", EVENING, "--region", written)
    assert code != 2, err
    verdict = out.split()[0].lower()
    [[plan_verdict, _]] = _plan_rows(tmp_path, capsys, [written])
    assert plan_verdict == verdict


def test_puerto_rico_by_name_is_decided_as_its_code(capsys: pytest.CaptureFixture[str]) -> None:
    decided = [_run(capsys, "check", MIAMI, "--at", EVENING, "--region", region, "--json")
               for region in ("Puerto Rico", "US-PR")]
    assert decided[0] == decided[1]
    assert decided[0][0] == 3  # Florida's 20:00 still holds for a Miami number


@pytest.mark.parametrize("written", ["Narnia", "Penn.", "UK"])
def test_an_unknown_region_is_the_same_error_in_check_and_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    code, out, err = _run(capsys, "check", MIAMI, "--at", EVENING, "--region", written)
    assert (code, out) == (2, "")
    prefix = f"smskit: error: --region {written!r}: "
    assert err.startswith(prefix)
    assert err.count("\n") == 1
    why = err[len(prefix):-1]
    assert why.startswith("not a US state or Canadian province, nor a country's ISO 3166-1 code")
    [[verdict, reason]] = _plan_rows(tmp_path, capsys, [written])
    assert verdict == "invalid"
    assert reason == f"column 'State' holds {written!r}: {why}"


# --- other options that were read by nothing -------------------------------------------


def test_ledger_status_reads_a_national_number_by_its_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --region was accepted and ignored: a UK mobile written as at home was read as a
    # US number and refused, whatever --region said.
    ledger = tmp_path / "ledger.db"
    SQLiteStore(ledger).close()
    args = ["ledger", "status", str(ledger), "07400 123456", "--scope", "acme", "--at", AT]
    code, out, err = _run(capsys, *args, "--region", "GB")
    assert (code, err) == (1, "")  # answered: no consent recorded
    assert out.startswith("Recipient  +44********56, scope acme\n"), out
    assert "7400123456" not in out
    code, out, err = _run(capsys, *args)
    assert (code, out) == (2, "")


@pytest.mark.parametrize(("options", "named"), [
    (["--field-length", "name=5"], "--field-length describes"),
    (["--alphabet", "ucs2"], "--alphabet describes"),
    (["--field-length", "name=5", "--alphabet", "ucs2"], "--field-length and --alphabet describe"),
])
def test_lint_refuses_template_options_beside_a_plain_text(
    capsys: pytest.CaptureFixture[str], options: list[str], named: str
) -> None:
    code, out, err = _run(capsys, "lint", "Acme: hi. Reply STOP to opt out", *options)
    assert (code, out) == (2, "")
    assert err.startswith(f"smskit: error: {named} a template's fields; TEXT has none"), err


def test_lint_segments_limit_on_an_unbounded_template_is_refused_not_passed(
    capsys: pytest.CaptureFixture[str]
) -> None:
    # Without every field's length the worst case is unknown: the limit went unchecked
    # and the exit code said 0.
    code, out, err = _run(capsys, "lint", "--template-text", "Acme: {body}. Reply STOP to opt out",
                          "--segments-limit", "1")
    assert (code, out) == (2, "")
    assert err == ("smskit: error: --segments-limit needs the template's worst case: "
                   "give --field-length for body\n")
    code, out, _ = _run(capsys, "lint", "--template-text", "Acme: {body}. Reply STOP to opt out",
                        "--segments-limit", "1", "--field-length", "body=200")
    assert code == 1
    assert "content.segments_over_limit" in out


def test_estimate_top_with_csv_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.csv").write_text("phone\n+14155550123\n", encoding="utf-8")
    code, out, err = _run(capsys, "estimate", str(tmp_path / "c.csv"), "--template-text", "Hi",
                          "--rates", "examples/rates.toml", "--csv", "--top", "3")
    assert (code, out) == (2, "")
    assert "--top chooses the costliest rows the text and JSON output show" in err


@pytest.mark.parametrize("command", ["check", "estimate"])
def test_a_directory_or_a_bad_file_as_the_sender_is_named_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    (tmp_path / "c.csv").write_text("phone\n+14155550123\n", encoding="utf-8")
    latin1 = tmp_path / "sender.toml"
    latin1.write_bytes(b'[sender]\nbrand = "Caf\xe9"\n')
    base = {"check": ["check", "+14155550123", "--at", AT],
            "estimate": ["estimate", str(tmp_path / "c.csv"), "--template-text", "Hi",
                         "--rates", "examples/rates.toml"]}[command]
    code, out, err = _run(capsys, *base, "--sender", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"smskit: error: {tmp_path}: is a directory, not a sender profile\n"
    code, out, err = _run(capsys, *base, "--sender", str(latin1))
    assert (code, out) == (2, "")
    assert err.count(str(latin1)) == 1, err


def test_a_directory_as_the_send_history_is_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "check", "+14155550123", "--at", AT, "--sender",
                          "examples/sender.toml", "--history", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"smskit: error: {tmp_path}: is a directory, not a send history file\n"


# --- a tampered ledger stays BROKEN (rev28c) --------------------------------------------


def _erase_mark(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA application_id = 0")
    db.execute("PRAGMA user_version = 0")


def _rename_events(path: Path) -> None:
    db = sqlite3.connect(path)
    _erase_mark(db)
    db.execute("DROP TRIGGER events_need_facts")  # it names events: the rename needs it gone
    db.execute("ALTER TABLE events RENAME TO archive")
    db.commit()
    db.close()


def _drop_tables(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA secure_delete = OFF")  # SQLite's default: what a plain DROP leaves
    _erase_mark(db)
    db.execute("DROP TABLE events")
    db.execute("DROP TABLE facts")
    db.commit()
    db.close()


def _damage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:16] = bytes(16)  # the "SQLite format 3" magic, gone
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("tamper", [_rename_events, _drop_tables, _damage_header],
                         ids=["events renamed", "tables dropped", "header damaged"])
def test_a_ledger_tampered_past_its_mark_is_broken_not_foreign(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tamper: object
) -> None:
    # Each leaves the ledger's own schema text in the file (a trigger's message): the
    # auditor must hear "BROKEN" (exit 1), as before fix28c, not "not a ledger" (exit 2).
    path = tmp_path / "ledger.db"
    with SQLiteStore(path) as store:
        assert store.count() == 0
    assert callable(tamper)
    tamper(path)
    code, out, err = _run(capsys, "ledger", "verify", str(path))
    assert (code, err) == (1, "")
    assert out.startswith("BROKEN: ")
