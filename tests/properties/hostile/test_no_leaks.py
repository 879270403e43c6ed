"""No phone number in full, and no raw control character, in what smskit shows.

The entry points most likely to leak are driven with random valid numbers (of several
countries) and hostile text (C0 and C1 controls, ESC sequences, bidirectional overrides,
lone surrogates): number parsing errors, the outboxes' and the ledgers' refusals on
memory, SQLite and PostgreSQL (a key or a reference built from the number, as CRMs build
them), PostgreSQL's unique violation (whose DETAIL quotes the row), the messenger's
refusals and inbound log lines, webhook parsing errors, and ``smskit plan``/``estimate``
over CSVs with bad rows. Each shown text must hold neither the number (E.164, its digits,
the national significant number, the national format) nor a raw control character:
``str(exc)``, ``repr(exc)``, the chain a traceback prints (``__cause__``, and
``__context__`` unless suppressed), ``repr`` of the values returned, every log record at
DEBUG, and the command's stdout and stderr.

Per-site tests (``grep -rn mask tests/``) pin the exact masked forms; this file asks
the same question of every site at once.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import tempfile
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import _services
from smskit.cli import main
from smskit.consent import ConsentLedger, Evidence, MemoryStore, SQLiteStore
from smskit.consent.store import ConsentStore
from smskit.errors import SmskitError
from smskit.messenger import MemoryOutbox, Outbox, OutboxEntry, OutboxState, SQLiteOutbox
from smskit.numbers import parse_number, region_of
from smskit.providers.telnyx_webhooks import parse_telnyx_inbound, parse_telnyx_status
from smskit.providers.twilio_webhooks import parse_twilio_inbound, parse_twilio_status

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # Friday, 10:00 in New York
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

# What a terminal acts on (C0 but newline, DEL, C1), reorders text with (bidirectional
# controls), or cannot be written as UTF-8 at all (lone surrogates).
_RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)

# Regions with numbers long enough that their digits cannot turn up by chance.
_REGIONS = ["US", "CA", "GB", "DE", "FR", "AU", "IN", "BR", "MX", "ES"]


@dataclass(frozen=True)
class Number:
    e164: str
    national: str  # "(415) 555-0123", "07911 123456"
    significant: str  # "4155550123": inside the E.164 form and every digits-only form


@st.composite
def numbers(draw: st.DrawFn) -> Number:
    """A valid mobile number: the region's example with its last five digits drawn."""
    region = draw(st.sampled_from(_REGIONS))
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    assert example is not None
    nsn = str(example.national_number)
    tail = draw(st.text(alphabet="0123456789", min_size=5, max_size=5))
    parsed = phonenumbers.parse(f"+{example.country_code}{nsn[:-5]}{tail}")
    if not phonenumbers.is_valid_number(parsed):
        parsed = example
    return Number(
        e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        significant=str(parsed.national_number),
    )


# Each test's first example, so every run checks the leak it was written for.
_NORA = Number("+12015550123", "(201) 555-0123", "2015550123")

_CONTROLS = st.sampled_from(
    ["\x1b[2J", "\x1b]0;pwned\x07", "\x9b31m", "\x85", "\u202e", "\u2066", "\x00", "\x08",
     "\r", "\t", "\x7f", "\ud800", "\udcff"]
)
hostile = st.lists(st.one_of(_CONTROLS, st.text(max_size=4)), max_size=4).map("".join)


def _shown(value: object) -> list[str]:
    """What an exception shows: str and repr, and those of the chain a traceback prints."""
    out: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = value if isinstance(value, BaseException) else None
    if current is None:
        return [repr(value)]
    out += traceback.format_exception(current)
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out += [str(current), repr(current)]
        chained = current.__cause__
        if chained is None and not current.__suppress_context__:
            chained = current.__context__
        current = chained
    return out


def assert_no_leak(number: Number, *texts: str) -> None:
    for text in texts:
        for form in (number.significant, number.national):
            assert form not in text, f"{form!r} shown in full in {text!r}"
        raw = _RAW_CONTROL.search(text)
        assert raw is None, f"raw {raw.group()!r} in {text!r}"


@contextlib.contextmanager
def logged() -> Iterator[list[str]]:
    """Every record of the ``smskit`` loggers at DEBUG, as a handler would format it."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect(logging.DEBUG)
    root = logging.getLogger("smskit")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _raised(call: Any) -> list[str]:
    try:
        result = call()
    except (SmskitError, TypeError) as exc:
        return _shown(exc)
    return [repr(result)]


_SETTINGS = settings(suppress_health_check=[HealthCheck.too_slow,
                                            HealthCheck.function_scoped_fixture])


# -- numbers -------------------------------------------------------------------------


@_SETTINGS
@given(number=numbers(), noise=hostile, form=st.integers(min_value=0, max_value=9))
def test_number_parsing_errors(number: Number, noise: str, form: int) -> None:
    written = [
        f"{number.national} ext 12", f"tel:{number.e164}", f"{number.e164}{noise}",
        f"{number.significant}.0", f"{number.e164}; {number.e164}", f"cell {number.national}",
        f"{noise}{number.significant}{noise}", f"{number.e164}{noise}x",
        f"{number.significant[:-1]}", f"+{number.e164}9999",
    ][form]
    with logged() as lines:
        shown = _raised(lambda: parse_number(written, region="US"))
        shown += _raised(lambda: region_of(written, region="GB"))
    assert_no_leak(number, *shown, *lines)


# -- outboxes --------------------------------------------------------------------------


def _outbox(kind: str, folder: Path, request: pytest.FixtureRequest) -> Outbox:
    if kind == "memory":
        return MemoryOutbox()
    if kind == "sqlite":
        return SQLiteOutbox(folder / "outbox.db")
    _services.require_module("psycopg", "postgres")
    from smskit import PostgresOutbox

    box = PostgresOutbox(request.getfixturevalue("postgres_dsn"),
                         schema=request.getfixturevalue("pg_schema"))
    box.create_schema()
    return box


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_outbox_refusals_and_reprs(kind: str, request: pytest.FixtureRequest) -> None:
    with tempfile.TemporaryDirectory() as folder:
        box = _outbox(kind, Path(folder), request)
        try:
            _outbox_refusals(box)
        finally:
            box.close()


def _outbox_refusals(box: Outbox) -> None:
    @_SETTINGS
    @given(number=numbers(), noise=hostile)
    @example(number=_NORA, noise="")  # the key's number in the refusals and the reprs
    @example(number=_NORA, noise="\ud800")  # UnicodeEncodeError from SQLite, PostgreSQL
    def check(number: Number, noise: str) -> None:
        # A CRM builds its keys from the number (the messenger's warnings mask them).
        key = f"lead-{number.e164[1:]}-{noise}reminder"
        shown: list[str] = []
        with logged() as lines:
            try:  # a lone surrogate in the key is refused here, before any store
                entry = OutboxEntry(key=key, recipient=number.e164, sender="+18005550100",
                                    state=OutboxState.SENT, created_at=T0, updated_at=T0,
                                    payload=json.dumps({"to": number.e164, "body": noise}))
            except SmskitError as exc:
                assert "\ud800" in noise or "\udcff" in noise
                assert_no_leak(number, *_shown(exc))
                return
            if "\x00" in key:  # PostgreSQL refuses a NUL: a StoreError saying so
                shown += _raised(lambda: box.reserve(entry))
                assert_no_leak(number, *shown, *lines)
                return
            stored, _ = box.reserve(entry)
            shown += [repr(stored), repr(entry)]
            shown += _raised(lambda: box.update(key, OutboxState.FAILED, at=T0))
            shown += _raised(lambda: box.update(key + "-other", OutboxState.FAILED, at=T0))
        assert_no_leak(number, *shown, *lines)

    check()


# -- ledgers ---------------------------------------------------------------------------


def _store(kind: str, folder: Path, request: pytest.FixtureRequest) -> ConsentStore:
    if kind == "memory":
        return MemoryStore()
    if kind == "sqlite":
        return SQLiteStore(folder / "consent.db")
    _services.require_module("psycopg", "postgres")
    from smskit.consent import PostgresConsentStore

    store = PostgresConsentStore(request.getfixturevalue("postgres_dsn"),
                                 schema=request.getfixturevalue("pg_schema"))
    store.create_schema()
    return store


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_ledger_refusals_logs_and_reprs(kind: str, request: pytest.FixtureRequest) -> None:
    with (tempfile.TemporaryDirectory() as folder,
          ConsentLedger(_store(kind, Path(folder), request)) as ledger):
        _ledger_refusals(ledger)


def _ledger_refusals(ledger: ConsentLedger) -> None:
    @_SETTINGS
    @given(number=numbers(), noise=hostile)
    @example(number=_NORA, noise="\x1b[2J")  # the scope's ESC in the log line
    def check(number: Number, noise: str) -> None:
        printable = "".join(c for c in noise if c.isprintable() and c not in "/ ") or "x"
        # A scope is the caller's text: controls inside it are allowed, and logged.
        scope = f"acme{noise.replace('/', '')}x".replace("\x00", "")
        evidence = Evidence(reference=f"call {number.national} {printable}",
                            reply_text=f"wrong number, I am {number.national}",
                            actor=f"agent at {number.e164}")
        shown = [repr(evidence)]
        with logged() as lines:
            for call in (
                lambda: ledger.grant(number.e164, scope=scope, purposes=["marketing"],
                                     kind="express", source="web_form", at=T0,
                                     evidence=evidence),
                lambda: ledger.handle_reply(number.national, "STOP", scope=scope,
                                            at=T0 + timedelta(minutes=1)),
                # The same act of consent recorded again after the STOP: refused.
                lambda: ledger.grant(number.e164, scope=scope, purposes=["marketing"],
                                     kind="express", source="web_form",
                                     at=T0 + timedelta(minutes=2), evidence=evidence),
                lambda: ledger.grant(f"{number.e164}{noise}x", scope="acme",
                                     purposes=["marketing"], kind="express", source="api",
                                     at=T0),
                lambda: ledger.grant(number.e164, scope="acme", purposes=[number.e164],
                                     kind="express", source=number.e164, at=T0),
                lambda: ledger.status(number.national, "marketing", scope=scope, at=T0),
            ):
                shown += _raised(call)
        assert_no_leak(number, *shown, *lines)

    check()


def test_a_postgres_unique_violation_never_shows_its_detail(
    postgres_dsn: str, pg_schema: str
) -> None:
    # PostgreSQL's DETAIL quotes the row: 'Key (phone)=(+14155550123) already exists.'
    _services.require_module("psycopg", "postgres")
    import psycopg

    from smskit._postgres import Database

    number = Number("+14155550123", "(415) 555-0123", "4155550123")
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{pg_schema}"')
        conn.execute(f'CREATE TABLE "{pg_schema}".t (phone text UNIQUE)')
        conn.execute(f'INSERT INTO "{pg_schema}".t VALUES (%s)', (number.e164,))
        db = Database(conn, schema=pg_schema, component="leak", version=1, store="LeakStore",
                      attempts=1)
        db._checked = True  # no smskit_schema row: this table is the test's own

        def insert(c: psycopg.Connection[Any]) -> None:
            c.execute(f'INSERT INTO "{pg_schema}".t VALUES (%s)', (number.e164,))

        with pytest.raises(SmskitError) as caught:
            db.run(insert, what="insert")
    assert "SQLSTATE 23505" in str(caught.value)  # the violation it is
    assert_no_leak(number, *_shown(caught.value))
    # Not kept even as a suppressed __context__, which "from None" leaves for any handler
    # that walks the chain without honouring __suppress_context__.
    assert caught.value.__context__ is None


def test_an_sqlite_unique_or_check_violation_never_shows_the_row(tmp_path: Path) -> None:
    # The SQLite stores' write transaction chains sqlite3's error (from exc): its text
    # names the constraint, never the row's values.
    import sqlite3

    from smskit._sqlite import write_transaction

    number = Number("+14155550123", "(415) 555-0123", "4155550123")
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    conn.execute("CREATE TABLE t (phone TEXT UNIQUE CHECK (length(phone) < 14))")
    conn.execute("INSERT INTO t VALUES (?)", (number.e164,))
    for value in (number.e164, number.e164 + "99"):
        with pytest.raises(SmskitError) as caught, write_transaction(conn, "insert"):
            conn.execute("INSERT INTO t VALUES (?)", (value,))
        assert "constraint failed" in str(caught.value)  # the violation it is
        assert_no_leak(number, *_shown(caught.value))
    conn.close()


# -- messenger -------------------------------------------------------------------------


@_SETTINGS
@given(number=numbers(), noise=hostile)
@example(number=_NORA, noise="\x1b]0;x\x07")  # the key in SendResult, a sender's escape
@example(number=_NORA, noise="\u202e\x9b")  # raw in the decision's to_json(mask=True)
def test_messenger_refusals_and_inbound_logs(number: Number, noise: str) -> None:
    from smskit import Purpose, SendRequest
    from smskit.consent.sender import Registration, SenderProfile
    from smskit.messenger import MemoryMessageHistory, Messenger
    from smskit.policy import CompliancePipeline, default_policies
    from smskit.providers import MemoryProvider
    from smskit.testing import FixedClock

    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    ours = "+12125550199"
    sender = SenderProfile(sender_id=ours, registration=Registration.APPROVED,
                           consent_scope="acme", brand="Acme")
    pipeline = CompliancePipeline(default_policies(store=ledger.store, history=history),
                                  history=history)
    messenger = Messenger(provider, pipeline, ledger, history, MemoryOutbox(),
                          senders=[sender])
    key = f"lead-{number.e164[1:]}-{noise.replace(chr(0), '')}reminder"
    shown: list[str] = []
    with logged() as lines:
        for to in (number.e164, number.national + noise, f"{number.significant}99"):
            def send(to: str = to, shown: list[str] = shown) -> object:
                request = SendRequest(to, body=f"Hi {noise}", purpose=Purpose.MARKETING,
                                      idempotency_key=key)
                shown.append(repr(request))
                result = messenger.send(request, sender, T0)
                if result.decision is not None:  # the audit record "for logs and terminals"
                    shown.append(result.decision.to_json(mask=True))
                return result

            shown += _raised(send)
        # Consented, then refused by the provider: the history keeps the failure under
        # an id built from the key.
        shown += _raised(lambda: ledger.grant(number.e164, scope="acme",
                                              purposes=["informational"], kind="express",
                                              source="web_form", at=T0 - timedelta(days=1)))
        provider.fail_next("invalid_number")
        shown += _raised(lambda: messenger.send(
            SendRequest(number.e164, body="Your order is ready", idempotency_key=key + "-2",
                        purpose=Purpose.INFORMATIONAL), sender, T0))
        since, until = T0 - timedelta(days=2), T0 + timedelta(days=1)
        shown += [repr(r) for r in history.messages(since=since, until=until)]
        shown += [repr(r) for r in history.deliveries(since=since, until=until)]
        for params in (
            provider.inbound_params(number.e164, ours, f"STOP {noise}"),
            provider.inbound_params(f"Acme{noise}", ours, "hi"),
            provider.inbound_params(f"{number.e164}{noise}", ours, "hi"),
        ):
            shown += _raised(lambda p=params: messenger.handle_inbound("u", p, {}, T0))  # type: ignore[misc]
    assert_no_leak(number, *shown, *lines)


# -- webhooks --------------------------------------------------------------------------


@_SETTINGS
@given(number=numbers(), noise=hostile, which=st.integers(min_value=0, max_value=5))
@example(number=_NORA, noise="", which=1)  # a status callback's status quoted
def test_webhook_parsing_errors(number: Number, noise: str, which: int) -> None:
    status = f"{noise}{number.e164}"
    bodies: list[Any] = [
        lambda: parse_twilio_inbound({"From": number.e164, "To": status}),
        lambda: parse_twilio_inbound({"From": number.e164, "MessageStatus": status}),
        lambda: parse_twilio_status({"To": number.e164, "MessageStatus": status,
                                     "ErrorCode": status}),
        lambda: parse_telnyx_inbound(json.dumps({"data": {"event_type": status}})),
        lambda: parse_telnyx_inbound(json.dumps({"data": {
            "event_type": "message.received",
            "payload": {"from": {"phone_number": number.e164}, "text": noise}}})),
        lambda: parse_telnyx_status(
            '{"data": {"event_type": "message.finalized", "payload": ' + status + "}}"),
    ]
    with logged() as lines:
        shown = _raised(bodies[which])
    assert_no_leak(number, *shown, *lines)


@_SETTINGS
@given(number=numbers(), noise=hostile, https=st.booleans())
@example(number=_NORA, noise="", https=True)
def test_a_webhook_signature_failure_names_the_url_masked(
    number: Number, noise: str, https: bool
) -> None:
    # A GET webhook carries its fields in the query, which Twilio signs: the failure
    # names the URL it was signed for, a number in its query masked.
    from urllib.parse import quote

    from smskit.providers.twilio_webhooks import (
        SIGNATURE_HEADER,
        TwilioSignatureVerifier,
        compute_twilio_signature,
    )

    token = "test-token"
    query = f"?From={quote(number.e164)}&Body={quote(noise, errors='surrogatepass')}"
    signed = "http://crm.example.com/sms" + query
    # Near the signed URL (another scheme, or a trailing slash added): the reason names both.
    checked = ("https://crm.example.com/sms" if https else "http://crm.example.com/sms/") + query
    headers = {SIGNATURE_HEADER: compute_twilio_signature(signed, {}, token)}
    with logged() as lines:
        reason = TwilioSignatureVerifier(token).failure(checked, {}, headers)
    assert reason is not None
    assert reason.startswith("the signature is Twilio's for")  # the URL it was signed for
    assert_no_leak(number, reason, *lines)


# -- the command line ------------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    capsys.readouterr()
    with contextlib.suppress(SystemExit):
        main(args)
    captured = capsys.readouterr()
    return captured.out, captured.err


@_SETTINGS
@given(number=numbers(), noise=hostile, command=st.sampled_from(["plan", "estimate"]))
# A file name's undecodable byte (a lone surrogate) raised UnicodeEncodeError on a
# strict UTF-8 stream: a traceback instead of the plan.
@example(number=_NORA, noise="\x1b]0;x\x07\udcff", command="plan")
@example(number=_NORA, noise="\u202e\udcff", command="estimate")
def test_cli_over_a_csv_with_bad_rows(
    number: Number, noise: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        [number.e164, "Nora", "2026-12-02", "8:00 AM"],
        [f"{number.national}{noise}", f"Bob {number.national}", "2026-12-02", "8:00 AM"],
        [f"{number.significant}.0", f"Eve{noise}", f"bad {number.significant}", "9"],
        [f"{number.e164}; {number.e164}", "x", "2026-12-02", "9"],
    ]
    buffer = io.StringIO()
    import csv

    writer = csv.writer(buffer)
    writer.writerow(["number", "first_name", "date", "time"])
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("campaign" + re.sub("[/\x00\ud800-\udc7f]", "", noise) + ".csv")
        path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
        template = ["--template", str(EXAMPLES / "reminder.txt")]
        if command == "plan":
            args = ["plan", str(path), *template, "--sender", str(EXAMPLES / "sender.toml"),
                    "--at", "2026-12-01T15:00:00Z"]
        else:
            args = ["estimate", str(path), *template, "--rates", str(EXAMPLES / "rates.toml")]
        with logged() as lines:
            out, err = _cli(args, capsys)
    assert_no_leak(number, out, err, *lines)
