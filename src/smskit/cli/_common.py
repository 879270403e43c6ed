"""Helpers shared by the ``smskit`` subcommands."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..findings import UNSAFE_CHARACTERS

if TYPE_CHECKING:
    import argparse

    from ..consent._rules import ConsentRules
    from ..consent.postgres import PostgresConsentStore
    from ..consent.sender import SenderProfile
    from ..consent.sqlite import SQLiteStore
    from ..findings import Finding
    from ..messenger.postgres_history import PostgresMessageHistory
    from ..timing.postgres import PostgresSendHistory

_Store = TypeVar("_Store")
_History = TypeVar("_History", bound="PostgresSendHistory")

__all__ = [
    "EXIT_BLOCKED",
    "EXIT_OK",
    "EXIT_USAGE",
    "UsageError",
    "add_exempt_option",
    "check_region",
    "consent_rules",
    "json_for_terminal",
    "open_ledger",
    "plural",
    "print_findings",
    "print_json",
    "printable",
    "read_template",
    "read_text",
]

EXIT_OK = 0
EXIT_BLOCKED = 1  # a check found a blocking problem
EXIT_USAGE = 2  # a mistake on the command line or in an input file

# C0 and C1 controls and DEL (a terminal acts on ESC, BEL...: retitles, recolours,
# rewrites lines), the line and paragraph separators, the bidirectional controls
# (which reorder what follows them, so a line reads differently from what it holds:
# "Trojan Source"), and lone surrogates (a file name's undecodable bytes: a stream in
# strict UTF-8 raised on them, a traceback instead of the line).
_UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
_UNSAFE_KEEP_NEWLINES = re.compile(f"(?!\n)[{UNSAFE_CHARACTERS}]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


class UsageError(Exception):
    """A mistake on the command line or in an input file: one line on stderr, exit 2."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` safe to print to a terminal: control and bidirectional-override
    characters written as escapes (``\\x1b``, ``\\u202e``); the rest as is.

    Every human-readable output of the command passes user text (and anything
    derived from it) through here; JSON output is left exact.

    >>> printable("a\\x1b]0;pwned\\x07 \\u202eabc")
    'a\\\\x1b]0;pwned\\\\x07 \\\\u202eabc'
    >>> printable("two\\nlines", newlines=True)
    'two\\nlines'
    """
    return (_UNSAFE_KEEP_NEWLINES if newlines else _UNSAFE).sub(_escape, text)


def json_for_terminal(data: object, *, sort_keys: bool = False) -> str:
    r"""``data`` as indented JSON whose strings hold no raw control or bidirectional
    characters: those are written as ``\uXXXX`` escapes, so the JSON reads back
    exactly the same values but a terminal acts on none of them.

    >>> out = json_for_terminal({"body": "a\u009b2J\u202e"})
    >>> "\u009b" in out, "\\u009b" in out, json.loads(out) == {"body": "a\u009b2J\u202e"}
    (False, True, True)
    """
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys)
    # json.dumps escapes C0 controls itself; outside strings it writes only ASCII
    # punctuation, spaces and newlines, so every other match is inside a string.
    return _UNSAFE_KEEP_NEWLINES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def print_json(data: object, *, sort_keys: bool = False) -> None:
    """Print ``data`` as :func:`json_for_terminal` does: exact JSON, safe on a terminal."""
    sys.stdout.write(json_for_terminal(data, sort_keys=sort_keys) + "\n")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 recipient"``, ``"1,234 recipients"``: the count and the right form."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def check_region(region: str, *, option: str = "--region") -> str:
    """The ``--region`` value upper-cased, or a :class:`UsageError` before any row is read."""
    import phonenumbers

    code = region.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise UsageError(
            f"{option} {printable(region[:12])!r} is not a region code phonenumbers knows; "
            "give an ISO 3166-1 alpha-2 code such as US, CA or GB"
        )
    return code


# A database address however it was pasted: a URL anywhere in it (with a space or the
# shell's quotes kept, "jdbc:postgresql://"), libpq keywords ("host=db password=..."),
# or credentials before a host ("app:secret@db:5432/crm").
_ADDRESS = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*://|\b(?:host|hostaddr|dbname|user|password|port)\s*="
    r"|^[^/\\@\s]+:[^@\s/\\]*@"
)


def refuse_address(path: str, what: str, hint: str) -> None:
    """A :class:`UsageError` when ``path`` is a database address, not a file. The
    address is not echoed: it may hold a password."""
    if _ADDRESS.search(path.strip(" \t'\"")) and not Path(path).is_file():
        raise UsageError(
            f"the {what} is a database address, not a file: this argument takes a SQLite "
            f"file; {hint}"
        )


_API_HINT = ("read a PostgreSQL ledger through the API: ConsentLedger(PostgresConsentStore(...)) "
             "(docs/scale.md), or with smskit ledger ... --database DSN")


def open_ledger(path: str, hint: str = _API_HINT) -> SQLiteStore:
    """The consent ledger file at ``path``, opened read-only for the commands that only
    read it. A missing file is a :class:`UsageError`: ``SQLiteStore`` would create it,
    and a typo must not become a fresh, empty ledger that answers. Read-only, so an
    empty or stray file is reported, never converted into a ledger."""
    from ..consent.sqlite import SQLiteStore
    from ..errors import LedgerIntegrityError

    refuse_address(path, "ledger", hint)
    if Path(path).is_dir():
        raise UsageError(f"{path}: is a directory, not a ledger file")
    if not Path(path).is_file():
        raise UsageError(f"{path}: no such ledger file")
    try:
        return SQLiteStore(path, read_only=True)
    except LedgerIntegrityError:
        # A file that never was a ledger is a wrong argument (exit 2), not a ledger
        # whose chain is broken (exit 1, "BROKEN"): say what it is and what to give.
        what = _not_a_ledger(Path(path))
        if what is None:
            raise
        raise UsageError(
            f"{path} is not a smskit consent ledger ({what}); give the file "
            "smskit.SQLiteStore writes"
        ) from None


_SQLITE_MAGIC = b"SQLite format 3\x00"
# The message of the ledger's append-only triggers, stored in its schema's text: still
# in the file when its header, its mark or its tables' names were altered.
_LEDGER_TRACE = b"the consent ledger is append-only"
_TRACE_SCAN = 1 << 20  # bytes searched for it: the schema is at the file's start
# The names of the ledger's own tables, index and triggers.
_LEDGER_NAMES = frozenset({
    "events", "facts", "events_by_recipient", "events_no_update", "events_no_delete",
    "facts_no_update", "facts_no_delete", "events_need_facts",
})


def _not_a_ledger(path: Path) -> str | None:
    """What ``path`` is when it is no consent ledger at all (an empty file, another
    format, another application's SQLite file), or None when it may be a damaged one:
    a file with the ledger's mark, one of its tables, triggers or their text, or an
    emptied SQLite file (free pages left by dropped tables) keeps its error ("BROKEN"):
    tampering must not read as a wrong argument."""
    import sqlite3

    from .._sqlite import LEDGER_APPLICATION_ID

    try:
        with path.open("rb") as file:
            start = file.read(_TRACE_SCAN)
    except OSError:
        return None
    if not start:
        return "an empty file"
    if _LEDGER_TRACE in start and b"\x00" in start:  # a database's bytes, not a SQL dump
        return None
    if not start.startswith(_SQLITE_MAGIC):
        return "not a SQLite database"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
            free = db.execute("PRAGMA freelist_count").fetchone()[0]
            names = {row[0].casefold(): row[1] for row in db.execute(
                "SELECT name, type FROM sqlite_master")}
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    if app_id == LEDGER_APPLICATION_ID or not _LEDGER_NAMES.isdisjoint(names):
        return None
    if "table" not in names.values():
        return None if free else "an empty SQLite database"
    return "a SQLite file of another application"


#: ``--schema`` and ``--chain`` when not given (they default to None, so that one given
#: where nothing reads it is refused rather than ignored).
DEFAULT_SCHEMA = "smskit"
DEFAULT_CHAIN = "default"


def add_exempt_option(parser: argparse.ArgumentParser) -> None:
    """``--exempt-without-record``, one name and meaning for every command that reads
    consent (``check``, ``plan``, ``ledger status``)."""
    parser.add_argument(
        "--exempt-without-record", action="store_true",
        help="allow a purpose the consent rules exempt (CASL s.6(6): transactional, to a "
        "Canadian number) with nothing recorded, when you keep the proof of the purchase "
        "or account elsewhere (ConsentRules.exempt_needs_record=False; finding "
        "consent.exempt); a revocation still blocks, and marketing always needs consent",
    )


def consent_rules(exempt_without_record: bool) -> Mapping[str, ConsentRules]:
    """The engine's consent rules per country, with ``exempt_needs_record`` off in each
    when ``exempt_without_record`` (rules that exempt nothing are unchanged by it)."""
    from dataclasses import replace

    from ..policy.builtin import DEFAULT_CONSENT_RULES

    if not exempt_without_record:
        return DEFAULT_CONSENT_RULES
    return {country: replace(rules, exempt_needs_record=False)
            for country, rules in DEFAULT_CONSENT_RULES.items()}


def refuse_unread_database_options(
    schema: str | None, chain: str | None, *, database: str | None, ledger_file: bool
) -> None:
    """A :class:`UsageError` for a ``--schema`` or ``--chain`` nothing would read: without
    ``--database`` (a SQLite file has neither), or ``--chain`` when the ledger is a file
    (only the PostgreSQL send history is read from ``--database`` then)."""
    if database is None:
        given = [name for name, value in (("--schema", schema), ("--chain", chain))
                 if value is not None]
        if given:
            raise UsageError(
                f"{' and '.join(given)} appl{'y' if len(given) > 1 else 'ies'} only to "
                "the PostgreSQL database read with --database DSN; give --database, or "
                f"drop {'them' if len(given) > 1 else given[0]} (a SQLite file has no "
                "schema or chain)"
            )
    elif ledger_file and chain is not None:
        raise UsageError(
            "--chain names a PostgreSQL ledger's chain, but the ledger is read from the "
            "--ledger file (--database reads only the send history here); drop --chain "
            "or --ledger"
        )


def open_any_ledger(
    path: str | None, database: str | None, *, schema: str | None, chain: str | None
) -> SQLiteStore | PostgresConsentStore:
    """The ledger file at ``path`` or the PostgreSQL ledger at ``database`` (one of them),
    for the ``ledger`` commands, which only read it."""
    if (path is None) == (database is None):
        raise UsageError(
            "give the ledger as a file (LEDGER.db) or as --database DSN (PostgreSQL), "
            + ("not both" if path is not None else "one of them")
        )
    refuse_unread_database_options(schema, chain, database=database, ledger_file=False)
    if path is not None:
        return open_ledger(path, "give a PostgreSQL ledger as --database DSN (with "
                                 "--schema and --chain if not the defaults)")
    assert database is not None
    return open_postgres_ledger(
        database, schema=schema or DEFAULT_SCHEMA, chain=chain or DEFAULT_CHAIN
    )


def open_postgres_ledger(dsn: str, *, schema: str, chain: str) -> PostgresConsentStore:
    """The PostgreSQL consent ledger at ``dsn``, as :class:`PostgresConsentStore` reads it
    (never creating tables). The address is never shown: it may hold a password."""
    from ..consent.postgres import PostgresConsentStore

    def open_store() -> PostgresConsentStore:
        store = PostgresConsentStore(dsn, schema=schema, chain=chain)
        try:
            _check_chain(store, schema, chain)
        except BaseException:
            store.close()
            raise
        return store

    return _opened_hiding_password(dsn, open_store)


def open_postgres_history(dsn: str, *, schema: str) -> PostgresSendHistory:
    """The PostgreSQL send history at ``dsn`` (:class:`PostgresSendHistory`), its table
    checked now (never created): missing, it is named before any row is decided, not
    found by the first frequency cap. The address is never shown."""
    from ..timing.postgres import PostgresSendHistory

    return _opened_and_checked(dsn, lambda: PostgresSendHistory(dsn, schema=schema))


def open_postgres_message_history(dsn: str, *, schema: str) -> PostgresMessageHistory:
    """The PostgreSQL message history at ``dsn`` (:class:`PostgresMessageHistory`), its
    tables and the send history's checked now (never created): ``smskit health`` reads
    it as the SQLite file. The address is never shown."""
    from ..messenger.postgres_history import PostgresMessageHistory

    return _opened_and_checked(dsn, lambda: PostgresMessageHistory(dsn, schema=schema))


def _opened_and_checked(dsn: str, make: Callable[[], _History]) -> _History:
    """``make()``'s history, read once now: the version check runs with any read, so
    missing or old tables are named before any row is decided (a message history
    checks its send history's too). The address is never shown."""

    def open_store() -> _History:
        store = make()
        try:
            store._db.run(lambda conn: None, what="read", write=False)
        except BaseException:
            store.close()
            raise
        return store

    return _opened_hiding_password(dsn, open_store)


def _opened_hiding_password(dsn: str, open_store: Callable[[], _Store]) -> _Store:
    """``open_store()`` for ``--database DSN``: an address that is not one, and a store
    error, are one line that never shows the password."""
    from .._postgres import import_psycopg
    from ..errors import LedgerIntegrityError, StoreError

    psycopg = import_psycopg()  # MissingExtraError: names the postgres extra
    hidden = "the address itself is not shown, as it may hold a password"
    if not dsn.strip():
        raise UsageError(f"--database is empty: give a PostgreSQL address ({_DSN_FORMS})")
    try:
        # Bytes that are not UTF-8 reach argv as lone surrogates (os.fsdecode); libpq
        # takes UTF-8 only, and psycopg's encode would raise before it parses.
        dsn.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            f"--database holds bytes that are not UTF-8: retype the address; {hidden}"
        ) from None
    try:
        # Parsed here first: libpq's own complaint quotes the text, password included.
        password = psycopg.conninfo.conninfo_to_dict(dsn).get("password")
    except psycopg.Error:
        raise UsageError(
            f"--database is not a PostgreSQL address ({_DSN_FORMS}); {hidden}"
        ) from None
    try:
        return open_store()
    except StoreError as exc:
        message = str(exc)
        if password:
            message = message.replace(str(password), "***")
        if isinstance(exc, LedgerIntegrityError):  # tampering stays "BROKEN" (exit 1)
            raise LedgerIntegrityError(f"{message} ({hidden})", sequence=exc.sequence) from None
        raise StoreError(f"{message} ({hidden})") from None


_DSN_FORMS = "postgresql://USER@HOST:PORT/DATABASE or host=... dbname=... user=..."


def _check_chain(store: PostgresConsentStore, schema: str, chain: str) -> None:
    """A chain with no events in a table holding other chains' is a mistyped --chain:
    "OK: 0 events, chain intact" (or "no consent") would be a wrong answer."""
    if store.count():
        return
    query = store._db.sql(  # the CLI reads the store it opened; no public API for this
        "SELECT EXISTS (SELECT 1 FROM {schema}.consent_events WHERE chain <> %s)"
    )
    row = store._db.run(lambda conn: conn.execute(query, (chain,)).fetchone(),
                        what="read", write=False)
    if row is not None and row[0]:
        raise UsageError(
            f"--chain {chain!r}: schema {schema!r} holds no event "
            "of that chain, only other chains' events; check the chain name (default "
            "'default')"
        )


def load_sender(path: str) -> SenderProfile:
    """The sender profile file ``--sender`` names; a missing file, a directory or a
    mistake in it is one line that names the file once."""
    from ..consent.sender import SenderProfile
    from ..errors import ConfigurationError

    file = Path(path)
    if file.is_dir():
        raise UsageError(f"{path}: is a directory, not a sender profile")
    if not file.exists():
        raise UsageError(f"{path}: no such file")
    try:
        return SenderProfile.from_toml(file)  # not UTF-8, not TOML: a ConfigurationError
    except ConfigurationError as exc:  # say which of the files given holds the mistake
        message = str(exc)
        raise UsageError(message if message.startswith(f"{path}:") else f"{path}: {message}") \
            from None


def require_history(
    path: str, table: str = "smskit_sends", writer: str = "the Messenger or SQLiteSendHistory"
) -> None:
    """A :class:`UsageError` unless ``path`` (an existing file) is a send history
    (holds ``table``, which ``writer`` writes).

    The history classes create their tables in whatever file they open: given the
    consent ledger by mistake, a read-only command would add tables to it (and the
    ledger then fails verification), and an empty file would become an empty history.
    The file is only read here."""
    import sqlite3

    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            found = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        found = None
    if found is None:
        raise UsageError(
            f"{path} is not a send history (no {table} table): give the file {writer} writes"
        )


def read_text(argument: str) -> str:
    """The message given on the command line, or stdin for ``-`` (one final newline dropped)."""
    if argument != "-":
        return argument
    if sys.stdin is None:  # started with ``<&-``
        raise UsageError("standard input is closed; give the text as an argument")
    # Strict UTF-8 (the platform default may let bad bytes through as surrogates);
    # universal newlines as before, so a CRLF file counts like an LF one. A leading
    # byte-order mark (a file saved by Windows Notepad) says how the file is encoded: it
    # is no character of the message, and read as one it made every text UCS-2.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="strict")
    try:
        text = stdin.read()
    except UnicodeDecodeError:
        raise UsageError("stdin is not UTF-8 text; save or convert it as UTF-8") from None
    finally:
        stdin.detach()
    return text[:-1] if text.endswith("\n") else text


def read_template(path: str | None, inline: str | None) -> tuple[str, str]:
    """``(source, label)`` of the template given as ``--template FILE`` (``-``: stdin)
    or ``--template-text TEXT``.

    A file is never guessed at: a ``--template`` that names no file is an error
    (a mistyped path must not be priced as the text "nope.txt"). A file's one
    final newline is dropped (editors add it; a message seldom wants it), and a leading
    byte-order mark. An empty
    template is an error.
    """
    if inline is not None:
        source, label = inline, "(inline template)"
    elif path == "-":
        if sys.stdin is None:  # started with ``<&-``
            raise UsageError(
                "standard input is closed; "
                "name the template file instead of -, or give it with --template-text"
            )
        source, label = read_text("-"), "<stdin>"
    else:
        assert path is not None  # argparse requires one of the two
        shown = printable(path)
        file = Path(path)
        if not file.is_file():
            looks_like_text = not (path.endswith(".txt") or "/" in path or "\\" in path)
            hint = "; to give the template text itself use --template-text" * looks_like_text
            what = "is a directory" if file.is_dir() else "no such file"
            raise UsageError(f"template {shown!r}: {what}{hint}")
        try:
            text = file.read_text(encoding="utf-8-sig")  # no byte-order mark, as above
        except UnicodeDecodeError:
            raise UsageError(f"template file {shown!r} is not UTF-8 text") from None
        source, label = (text[:-1] if text.endswith("\n") else text), path
    if not source.strip():
        raise UsageError(f"template {printable(label)} is empty; give the message text")
    return source, label


def print_findings(
    findings: Sequence[Finding], *, blocked: bool = False, heading: bool = True
) -> None:
    """``2 findings: BLOCKED``, then one line per finding (and its source), escaped."""
    if heading:
        if not findings:
            print("no findings")
            return
        print(f"{plural(len(findings), 'finding')}{': BLOCKED' if blocked else ''}")
    for finding in findings:
        print(f"  {finding.severity.value:8} {finding.code}: {printable(finding.message)}")
        if finding.source:
            print(f"           source: {printable(finding.source)}")
