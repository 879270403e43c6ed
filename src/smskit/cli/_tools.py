"""``smskit classify``, ``smskit mms`` and ``smskit ledger``: the library's other
modules on the command line."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LedgerIntegrityError
from ..findings import Finding, Severity
from ..purpose import Purpose
from ..routes import Route
from ._common import (
    EXIT_BLOCKED,
    EXIT_OK,
    UsageError,
    add_exempt_option,
    check_region,
    consent_rules,
    load_sender,
    open_any_ledger,
    plural,
    print_findings,
    print_json,
    printable,
    read_text,
)

if TYPE_CHECKING:
    from ..consent.ledger import ConsentLedger
    from ..consent.model import ConsentEvent
    from ..consent.postgres import PostgresConsentStore
    from ..consent.sqlite import SQLiteStore

__all__ = ["add_parsers"]

# smskit.consent.model.Channel's values, written out: importing it loads the consent
# package, which only ``ledger status`` needs (a test keeps the two equal).
CHANNELS = ("sms", "mms", "rcs", "email", "voice")


def add_parsers(commands: Any, text_argument: Any, aware_datetime: Any) -> None:
    """Register ``classify``, ``mms`` and ``ledger`` on the ``smskit`` sub-command parser."""
    classify = commands.add_parser(
        "classify",
        help="is a reply an opt-out, opt-in or help request (STOP, START, HELP...)",
        description="Classify an inbound reply with the default keyword set, or a sender "
        "profile's (docs/keywords.md). Exit 0 with the answer printed; 2 for a mistake "
        "in the --sender file.",
    )
    text_argument(classify)
    classify.add_argument(
        "--route",
        choices=[r.value for r in Route],
        help="the number the reply was sent to (on toll_free only START/UNSTOP re-subscribe)",
    )
    classify.add_argument("--sender", metavar="sender.toml",
                          help="classify with the keyword set of this sender profile "
                          "([sender.keywords]) instead of the default one")
    classify.add_argument("--json", action="store_true", help="print JSON for scripts")
    classify.set_defaults(handler=_cmd_classify)

    mms = commands.add_parser(
        "mms",
        help="may these files go as one MMS on a route: type, size and count limits",
        description="Sniff each FILE (type, size, pixels) and check the message against "
        "the MMS limits of --route (docs/mms.md). Exit 1 when a finding blocks the send.",
    )
    mms.add_argument("files", nargs="+", metavar="FILE", help="media file(s) of one message")
    mms.add_argument(
        "--route", choices=[r.value for r in Route], default=Route.TEN_DLC.value,
        help="sending number type (default: 10dlc)",
    )
    mms.add_argument("--provider", help="twilio, telnyx, bandwidth, signalwire, aws or plivo")
    mms.add_argument("--text", default="", help="the message body sent with the media")
    mms.add_argument("--json", action="store_true", help="print JSON for scripts")
    mms.set_defaults(handler=_cmd_mms)

    ledger = commands.add_parser(
        "ledger",
        help="audit a consent ledger (SQLite file or PostgreSQL): verify, export, status",
        description="Read a consent ledger file written by smskit.SQLiteStore, or with "
        "--database DSN one written by smskit.PostgresConsentStore (the postgres extra) "
        "(docs/consent.md). Phone numbers are masked in every human-readable line.",
    )
    actions = ledger.add_subparsers(title="actions", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="check the hash chain; print the head to keep elsewhere",
        description="Check every event's hash chain. Exit 1 when an event was edited, "
        "deleted or reordered (or the head differs from --expected-head).",
    )
    verify.add_argument("ledger", metavar="LEDGER.db", nargs="?",
                        help="the SQLite ledger file (or give --database)")
    _database_arguments(verify)
    verify.add_argument(
        "--expected-head", metavar="SEQ:HASH", type=_head,
        help="the head printed by an earlier verify: also catches removed newest events",
    )
    verify.add_argument("--json", action="store_true", help="print JSON for scripts")
    verify.set_defaults(handler=_cmd_verify)
    export = actions.add_parser(
        "export",
        help="write every event as JSON lines (verified while written)",
        description="Write every event, one JSON object per line with its hash, to "
        "stdout or --output; the head goes to stderr. The export holds the full numbers: "
        "it is the audit record.",
    )
    export.add_argument("ledger", metavar="LEDGER.db", nargs="?",
                        help="the SQLite ledger file (or give --database)")
    _database_arguments(export)
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler=_cmd_export)
    status = actions.add_parser(
        "status",
        help="may a purpose be sent to a number from a scope at a time",
        description="Answer from the ledger: state, whether it allows the send, and the "
        "events that decided it. Exit 1 when the send is not allowed.",
    )
    status.add_argument("ledger", metavar="LEDGER.db", nargs="?",
                        help="the SQLite ledger file (or give --database)")
    _database_arguments(status)
    status.add_argument("number", metavar="NUMBER")
    status.add_argument("--purpose", choices=[p.value for p in Purpose], default="marketing")
    status.add_argument("--scope", required=True, help="brand or account, e.g. acme/app-7")
    status.add_argument(
        "--at", required=True, type=aware_datetime, metavar="ISO8601",
        help="the moment asked about, with its UTC offset",
    )
    status.add_argument(
        "--known-at", type=aware_datetime, metavar="ISO8601",
        help="count only the events recorded by then (what the sender could know at "
        "--at; a STOP keyed in late is left out)",
    )
    status.add_argument("--channel", choices=CHANNELS, default="sms")
    status.add_argument("--region", default="US", help="region of numbers without +country")
    add_exempt_option(status)
    status.add_argument("--json", action="store_true", help="print JSON for scripts")
    status.set_defaults(handler=_cmd_status)


def _database_arguments(parser: Any) -> None:
    parser.add_argument(
        "--database", metavar="DSN",
        help="read a PostgreSQL ledger instead of a file: postgresql://USER@HOST:PORT/DB "
        "(needs the postgres extra; never printed)",
    )
    parser.add_argument("--schema",
                        help="with --database: PostgreSQL schema of the ledger tables "
                        "(default smskit)")
    parser.add_argument("--chain",
                        help="with --database: PostgreSQL ledger chain, e.g. a tenant "
                        "(default 'default')")


# --- classify ----------------------------------------------------------------------------


def _cmd_classify(args: argparse.Namespace) -> int:
    from ..keywords.classify import classify_reply

    keywords = None if args.sender is None else load_sender(args.sender).keywords
    text = read_text(args.text)
    match = classify_reply(text, keywords=keywords,
                           route=Route(args.route) if args.route else None)
    if args.json:
        print_json(
            None if match is None else {
                "kind": match.kind.value,
                # A phrase may name the phone: masked here as well (scripts act on
                # "kind"; the clause is for a person to read).
                "keyword": _mask_numbers_in(match.keyword),
                "language": match.language,
                "confidence": match.confidence.value,
                "rule": match.rule,
                "sources": list(match.sources),
            }
        )
        return EXIT_OK
    if match is None:
        print("ordinary reply (no opt-out, opt-in or help keyword)")
        return EXIT_OK
    # The clause may name a phone number ("stop texting 2125550123"): masked, as in
    # every line smskit prints.
    shown = printable(_mask_numbers_in(match.keyword))
    print(f"{match.kind.value} ({match.confidence.value}): {shown!r}, "
          f"{match.language}, rule {printable(match.rule)}")
    for source in match.sources:
        print(f"  source: {source}")
    return EXIT_OK


# --- mms ---------------------------------------------------------------------------------


# File name extensions whose media type is not in doubt (an .mp4 or .3gp may hold
# audio or video, and the sniffed type allows both).
_NAMED_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".bmp": "image/bmp",
    ".heic": "image/heic",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
    ".vcf": "text/vcard",
}


def _cmd_mms(args: argparse.Namespace) -> int:
    from ..mms._limits import PROVIDERS
    from ..mms._sniff import sniff_media
    from ..mms.policy import MmsPolicy

    if args.provider is not None and args.provider not in PROVIDERS:
        raise UsageError(
            f"--provider {args.provider!r} is not a provider smskit knows; use one of "
            f"{sorted(PROVIDERS)}, or leave it out"
        )
    media = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            what = "is a directory, not a media file" if path.is_dir() else "no such file"
            raise UsageError(f"{name}: {what}")
        # The type a web server declares for the file's name: what the carrier is told
        # when the provider fetches it from a URL (a JPEG named flyer.png goes out as
        # image/png). Reads the header, not a whole video.
        media.append(sniff_media(path, declared_type=_NAMED_TYPES.get(path.suffix.lower())))
    verdict = MmsPolicy(route=Route(args.route), provider=args.provider).check(
        media, text=args.text
    )
    blocked = any(f.severity is Severity.BLOCK for f in verdict.findings)
    if args.json:
        print_json(
            {
                "ok": verdict.ok,
                "blocked": blocked,
                "total_bytes": verdict.total_bytes,
                "limit_bytes": verdict.limit_bytes,
                "action": verdict.action.value if verdict.action else None,
                "attachments": [
                    {
                        "file": name,
                        "content_type": info.content_type,
                        "size": info.size,
                        "width": info.width,
                        "height": info.height,
                    }
                    for name, info in zip(args.files, verdict.attachments, strict=True)
                ],
                "findings": [_finding_json(f) for f in verdict.findings],
            }
        )
        return EXIT_BLOCKED if blocked else EXIT_OK
    limit = "no limit" if verdict.limit_bytes is None else f"limit {verdict.limit_bytes:,} bytes"
    print(f"{plural(len(media), 'attachment')}, {verdict.total_bytes:,} bytes in all ({limit}) "
          f"on {args.route}")
    for name, info in zip(args.files, verdict.attachments, strict=True):
        size = f", {info.width}x{info.height}" if info.width and info.height else ""
        named = f" (its name says {info.declared_type})" if info.type_mismatch else ""
        print(f"  {printable(name)}: {info.content_type or 'unknown type'}{named}, "
              f"{info.size:,} bytes{size}")
    if verdict.action is not None:
        print(f"Too large: {verdict.action.value}")
    print_findings(verdict.findings, blocked=blocked)
    return EXIT_BLOCKED if blocked else EXIT_OK


# --- ledger ------------------------------------------------------------------------------


def _head(value: str) -> tuple[int, str]:
    # A malformed head is a typing mistake, not a broken chain: refused here (exit 2)
    # rather than reported as "BROKEN" (exit 1).
    sequence, _, digest = value.partition(":")
    if sequence.isdecimal() and re.fullmatch("[0-9a-f]{64}", digest):
        return int(sequence), digest
    raise argparse.ArgumentTypeError(
        f"{value[:80]!r} is not SEQ:HASH (a 64-digit hex hash) as printed by "
        "'smskit ledger verify'"
    )


def _open(args: argparse.Namespace) -> ConsentLedger:
    from ..consent.ledger import ConsentLedger

    return ConsentLedger(_store(args))


def _store(args: argparse.Namespace) -> SQLiteStore | PostgresConsentStore:
    return open_any_ledger(args.ledger, args.database, schema=args.schema, chain=args.chain)


def _cmd_verify(args: argparse.Namespace) -> int:
    count = 0
    try:
        ledger = _open(args)  # an altered schema is found here
        try:
            count = ledger.store.count()
            sequence, digest = ledger.verify(expected_head=args.expected_head)
        finally:
            ledger.store.close()
    except LedgerIntegrityError as exc:
        if args.json:
            print_json({"ok": False, "events": count, "error": str(exc)})
        else:
            print(f"BROKEN: {printable(str(exc))}")
        return EXIT_BLOCKED
    if args.json:
        print_json({"ok": True, "events": count, "head": f"{sequence}:{digest}"})
    else:
        print(f"OK: {plural(count, 'event')}, chain intact")
        print(f"Head {sequence}:{digest} (keep it elsewhere; pass it back as --expected-head)")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    if args.output and args.ledger is not None:
        _refuse_the_ledger_as_output(Path(args.ledger), Path(args.output))
    ledger = _open(args)
    try:
        if args.output:
            sequence, digest = _export_to_file(ledger, Path(args.output))
        else:
            sequence, digest = ledger.export_jsonl(sys.stdout)
            sys.stdout.flush()
    finally:
        ledger.store.close()
    print(f"smskit: exported through {sequence}:{digest}", file=sys.stderr)
    return EXIT_OK


def _export_to_file(ledger: ConsentLedger, output: Path) -> tuple[int, str]:
    """Write the export beside ``output`` and rename it into place once complete: an
    export that stops (a broken chain, a full disk) leaves no partial file that looks
    like an audit record, and does not replace an earlier export."""
    import errno
    import os
    import stat
    import tempfile

    try:
        mode = os.stat(output).st_mode  # follows a symlink
    except FileNotFoundError:
        mode = stat.S_IFREG
    if stat.S_ISDIR(mode):  # found now, not by the rename after the whole export
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(output))
    if not stat.S_ISREG(mode):
        # A pipe or device (/dev/stdout, a shell's >(gzip)): there is no earlier export
        # to keep, and a rename would replace the pipe or device itself with a file.
        with output.open("w", encoding="utf-8", newline="\n") as out:
            return ledger.export_jsonl(out)
    # A symlink keeps pointing where it did: the new file goes beside what it names.
    target = Path(os.path.realpath(output))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(output)) from None
    try:
        with open(handle, "w", encoding="utf-8", newline="\n") as out:
            exported = ledger.export_jsonl(out)
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename == temporary:
            raise OSError(exc.errno, exc.strerror, str(output)) from None
        raise
    return exported


def _refuse_the_ledger_as_output(ledger: Path, output: Path) -> None:
    """Opening ``--output`` for writing empties it: the ledger's own name (or its WAL,
    shared-memory or journal file), typed by mistake, would lose the audit record."""
    target = output.resolve()
    own = [ledger.resolve()]
    own += [Path(f"{own[0]}{suffix}") for suffix in ("-wal", "-shm", "-journal")]
    same = target in own or (
        output.exists() and ledger.exists() and output.samefile(ledger)  # a hard link
    )
    if same:
        raise UsageError(
            f"--output {output} is the ledger itself (or one of its files); "
            "write the export to another file"
        )


def _cmd_status(args: argparse.Namespace) -> int:
    from ..consent._rules import US
    from ..consent.ledger import ConsentLedger
    from ..errors import SmskitError
    from ..numbers import region_of
    from ..numbers.parse import mask_number

    # The engine's rules for the recipient's country (CASL for a Canadian number): the
    # ledger's own default is the US rules, and the answer must be the one `check` gave.
    # --region reads a number written without its +country, as the ledger does: it was
    # ignored, so "020 7946 0123 --region GB" was read as a US number.
    assumed = check_region(args.region)
    try:
        region: str | None = region_of(args.number, region=assumed)
    except SmskitError:
        region = None  # status() names what is wrong with the number
    rules = consent_rules(args.exempt_without_record).get(region or "", US)
    ledger = ConsentLedger(_store(args), rules=rules, region=assumed)
    try:
        at: datetime = args.at
        answer = ledger.status(
            args.number, args.purpose, scope=args.scope, at=at, channel=args.channel,
            known_at=args.known_at,
        )
    finally:
        ledger.store.close()
    if args.json:
        print_json(
            {
                "recipient": mask_number(answer.recipient),
                "purpose": answer.purpose.value,
                "scope": str(answer.scope),
                "channel": answer.channel.value,
                "at": answer.at.isoformat(),
                "known_at": args.known_at.isoformat() if args.known_at else None,
                "state": answer.state.value,
                "allows_send": answer.allows_send,
                "expires_at": answer.expires_at.isoformat() if answer.expires_at else None,
                "evidence": [e.sequence for e in answer.evidence],
                "events": [_event_json(e) for e in answer.evidence],
                "findings": [_finding_json(f) for f in answer.findings],
            }
        )
    else:
        verdict = "allows" if answer.allows_send else "does NOT allow"
        print(f"Recipient  {mask_number(answer.recipient)}, scope {printable(str(answer.scope))}")
        print(f"State      {answer.state.value}: {verdict} {answer.purpose.value} "
              f"{answer.channel.value} at {answer.at.isoformat()}")
        if args.known_at:
            print(f"Known at   {args.known_at.isoformat()}: events recorded later left out")
        if answer.expires_at:
            print(f"Expires    {answer.expires_at.isoformat()}")
        for event in answer.evidence:
            print(f"  event {event.sequence}: {event.kind.value} "
                  f"{event.occurred_at.isoformat()} ({printable(str(event.scope))})")
            print(f"    {_how(event)}")
            # When the ledger learnt of it: a STOP keyed in days late explains texts sent
            # after it, and the auditor needs both instants.
            print(f"    {'recorded_at':<13} {_recorded(event)}")
            for name, value in _evidence_fields(event):
                print(f"    {name:<13} {printable(value)}")
        print_findings(answer.findings, heading=False)
    return EXIT_OK if answer.allows_send else EXIT_BLOCKED


def _recorded(event: ConsentEvent) -> str:
    """``2026-03-07T19:00:00+00:00 (2 days 5:00:00 after it occurred)``."""
    if event.recorded_at is None:  # an event not written by a ledger
        return "unknown"
    lag = event.recorded_at - event.occurred_at
    if lag <= timedelta(minutes=5) and lag >= timedelta(0):
        return event.recorded_at.isoformat()
    # Whole seconds: "187 days, 21:43:49.301414" reads as noise to an auditor.
    seconds = round(abs(lag).total_seconds())
    # A clock a fraction of a second apart still wrote it BEFORE: "0:00:00" hid that.
    shown = timedelta(seconds=seconds) if seconds else "under a second"
    if lag < timedelta(0):
        return f"{event.recorded_at.isoformat()} ({shown} BEFORE it occurred)"
    return f"{event.recorded_at.isoformat()} ({shown} after it occurred)"


def _how(event: ConsentEvent) -> str:
    """``express_written consent, source web_form``; ``revoked by phrase, source keyword``."""
    if event.revocation_method is not None:
        return f"revoked by {event.revocation_method.value}, source {event.source.value}"
    kind = event.consent_kind.value if event.consent_kind is not None else event.kind.value
    basis = f" ({event.implied_basis.value})" if event.implied_basis is not None else ""
    return f"{kind}{basis} consent, source {event.source.value}"


def _mask_numbers_in(text: str, *, valid_only: bool = False) -> str:
    """``text`` with every phone number in it shown as its first digit (after any +) and
    last two: those ``phonenumbers`` finds ("415-555-0123", "+1 (415) 555 0123", a
    local "555-0123"), then any other run of seven digits or more with the usual
    separators, whatever its region ("0044 20 7946 0958", UK "07700 900123"), also
    glued to letters ("tel:+14155550123", "cell5551234567") or split by commas or colons
    ("415,555,0123", "415:555:0123"). Kept as written, each only as a whole run: a date
    and its time, a list of those ("2026-12-05 13:58:24", "09:00-21:00"), an IPv4
    address, the last group of a UUID and an amount with thousands separators
    ("1,234,567.89"); an order number may be masked too.

    Found in a copy whose control, format and space characters are plain spaces (one for
    one, so the positions hold): "212\t555\t0188" or an escape character between the
    digits is still a number, whose digits would otherwise reach the terminal escaped
    but in full. ``valid_only``, for fields a machine writes: the ``phonenumbers`` pass
    keeps only numbers valid in their region, and a run glued to a letter or following
    a product name's slash (a message id "SM0123...", "Chrome/120.0.6099.130") is
    masked only when it holds a valid number ("ref4155550123x"): a message id or a
    browser version is a "possible" number one time in six, a valid one almost never."""
    import phonenumbers

    leniency = phonenumbers.Leniency.VALID if valid_only else phonenumbers.Leniency.POSSIBLE
    view = _spaced(text)
    # A date, time, address or amount as a whole is kept even where phonenumbers reads a
    # "possible" local number in it ("1.234.567,89").
    kept = [
        (run.start(), run.end()) for run in _DIGIT_RUN.finditer(view)
        if sum(c.isdigit() for c in run.group()) >= 7 and _kept(view, run)
    ]
    spans = [
        (match.start, match.end)
        for match in phonenumbers.PhoneNumberMatcher(view, "US", leniency=leniency)
        if not (valid_only and _after_product_name(text, match.start))
        and not any(start <= match.start and match.end <= end for start, end in kept)
    ]
    masked = _mask_spans(text, spans)
    view = _spaced(masked)
    runs = [
        (run.start(), run.end()) for run in _DIGIT_RUN.finditer(view)
        if sum(c.isdigit() for c in run.group()) >= 7 and not _kept(view, run)
        and not (valid_only and _machine_kept(view, run))
    ]
    return _mask_spans(masked, runs)


# Seven digits or more with spaces, dashes, dots, slashes or brackets between them, or a
# comma, colon or plus directly between two digits ("415,555,0123"; "1, 2, 3" is a list;
# "1+415+555+0123", a query string's spaces), the
# count checked by the caller. Wherever it sits: a run glued to letters is judged by the
# caller. Separators and digits are disjoint, so a run is read in linear time.
_DIGIT_RUN = re.compile(r"\+?\d(?:(?:[ .()/-]|[,:+](?=\d))*\d)*")
_WORD_CHAR = re.compile(r"\w")
_DATE = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)"
# Dates and times only, each whole, a space or a dash, slash or plus between them (a
# time's offset, "13:58:24+00:00").
_DATES_AND_TIMES = re.compile(rf"(?:{_DATE}|{_TIME})(?:(?: ?[-/+] ?| +)(?:{_DATE}|{_TIME}))*")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")
# A year then a time, as a mail or HTTP date writes them ("05 Dec 2026 13:58:24 GMT"),
# and an IPv4 address with its port ("203.0.113.45:8443").
_YEAR_TIME = re.compile(rf"(?:19|20)\d\d +{_TIME}")
_IPV4_PORT = re.compile(rf"{_IPV4.pattern}:\d{{1,5}}")
_UUID = re.compile(r"(?<![\w-])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
# 1,234,567.89 or 1.234.567,89: groups of exactly three after the first.
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d{1,3}(?:\.\d{3})+(?:,\d{1,4})?")


_KEPT_WHOLE = (_DATES_AND_TIMES, _IPV4, _AMOUNT, _YEAR_TIME, _IPV4_PORT)


def _kept(view: str, run: re.Match[str]) -> bool:
    """Whether a run of seven digits or more is, as a whole, no phone number: dates and
    times ("12/05/2026", "2026-12-05 13:58:24", "13:58:24.123456", "09:00-21:00", a mail
    date's "2026 13:58:24"), a dotted IPv4 address ("203.0.113.45", evidence an auditor
    reads; with its port, "203.0.113.45:8443"), an amount
    ("1,234,567") or the last group of a UUID. As a whole only: with more digits beside
    it ("+44 (0)12-05-2026", "01.23.45.67.89", "415:555:0123") the run is masked."""
    text, start, end = run.group(), run.start(), run.end()
    if any(kind.fullmatch(text) for kind in _KEPT_WHOLE):
        return True
    # The run must lie inside the UUID: a number before it, dashes between, is a number.
    return start >= end - 36 and _UUID.fullmatch(view, max(0, end - 36), end) is not None


def _machine_kept(view: str, run: re.Match[str]) -> bool:
    """In a field a machine writes, whether a run is kept: it follows a product name's
    slash (a version, "Chrome/121.0.6167.160", whose digits may read as a valid number),
    or it touches a letter (a message id's digits) and holds no valid number."""
    start, end = run.start(), run.end()
    if _after_product_name(view, start):
        return True
    before = view[start - 1] if start else ""
    glued = _WORD_CHAR.match(view, end) or _WORD_CHAR.fullmatch(before)
    return bool(glued) and not _holds_valid_number(run.group())


def _after_product_name(text: str, start: int) -> bool:
    """Whether a digit at ``start`` follows "word/": a product token's version in a user
    agent ("Chrome/131.0.6778.205"). A "+" there is a number's."""
    return (
        start >= 2 and text[start].isdigit() and text[start - 1] == "/"
        and _WORD_CHAR.match(text, start - 2) is not None
    )


def _holds_valid_number(run: str) -> bool:
    """Whether a run holds a number valid in its region: ``phonenumbers`` finds one in
    the run alone, or some consecutive groups of its digits are one (read as a US reader
    would, or international after a "+" before them, a "00" or a "011"): the number
    in "+12015550123)0" is its first groups. A run of more than 40 digits counts as
    holding one (no message id is that long; the search stays short)."""
    import phonenumbers

    found = list(re.finditer(r"\d+", run))
    groups = [group.group() for group in found]
    if sum(len(g) for g in groups) > 40:
        return True
    if phonenumbers.PhoneNumberMatcher(run, "US", leniency=phonenumbers.Leniency.VALID).has_next():
        return True
    for first in range(len(groups)):
        digits = ""
        for group in groups[first:]:
            digits += group
            if len(digits) > 17:
                break
            # International after a "+" before the first group ("0+447400123456").
            plus = run[found[first].start() - 1 : found[first].start()] == "+"
            if len(digits) >= 7 and _is_valid(digits, plus=plus):
                return True
    return False


def _is_valid(digits: str, *, plus: bool) -> bool:
    import phonenumbers

    if digits.startswith(("00", "011")):
        digits, plus = digits[3 if digits.startswith("011") else 2:], True
    try:
        number = phonenumbers.parse(("+" if plus else "") + digits, "US")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _spaced(text: str) -> str:
    """``text`` with each control, format or space character a plain space and each
    dash ("415\u2013555\u20130123", as a word processor writes it) a "-", one for one; so
    too a URL's escaped space, plus, dash or bracket ("%20" three spaces, "%2B"
    two and a "+") and a "_" between two digits, whose numbers would otherwise show in
    full. (A "+" between two digits, a query string's space in "to=1+415+555+0123", is
    a separator of _DIGIT_RUN: it may also open an international number.)"""
    import unicodedata

    view = "".join(
        " " if (kind := unicodedata.category(c))[0] in "CZ"
        else "-" if kind == "Pd" or c == "\u2212" else c
        for c in text
    )
    view = _PERCENT.sub(lambda m: "  " + _UNESCAPED[m.group(1).upper()], view)
    return _JOINER.sub(" ", view)


_PERCENT = re.compile(r"%(2[0BbDd89])")
_UNESCAPED = {"20": " ", "2B": "+", "2D": "-", "28": "(", "29": ")"}
_JOINER = re.compile(r"(?<=\d)_(?=\d)")


def _mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span masked; its digits and "+" read in the spaced view (the
    "2" and "0" of a "%20" are no digits of the number)."""
    view = _spaced(text)
    out, end = [], 0
    for start, stop in spans:
        raw = view[start:stop]
        digits = [char for char in raw if char.isdigit()]
        plus = "+" if raw.startswith("+") else ""
        out += [text[end:start], plus, digits[0], "*" * (len(digits) - 3), *digits[-2:]]
        end = stop
    return "".join(out) + text[end:]


# Evidence fields a machine writes: a number in them is masked only when it is a valid
# one (a provider's message id or a browser's version would be useless with digits
# hidden). The IP address is checked to be one when recorded: shown as it is.
_MACHINE_WRITTEN = frozenset({"reference", "user_agent"})
_IP_ADDRESS = "ip_address"


def _evidence_fields(event: ConsentEvent) -> list[tuple[str, str]]:
    """The event's evidence, field by field, numbers in it masked (an auditor's view;
    ``ledger export`` is the exact record)."""
    if event.evidence is None:
        return []
    return [
        (name, value if name == _IP_ADDRESS
         else _mask_numbers_in(value, valid_only=name in _MACHINE_WRITTEN))
        for name in event.evidence.__slots__
        if (value := getattr(event.evidence, name)) is not None
    ]


def _event_json(event: ConsentEvent) -> dict[str, object]:
    return {
        "sequence": event.sequence,
        "kind": event.kind.value,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat() if event.recorded_at else None,
        "scope": str(event.scope),
        "source": event.source.value,
        "consent_kind": event.consent_kind.value if event.consent_kind else None,
        "revocation_method": event.revocation_method.value if event.revocation_method else None,
        "evidence": dict(_evidence_fields(event)),
    }


# --- shared ------------------------------------------------------------------------------


def _finding_json(finding: Finding) -> dict[str, object]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "source": finding.source,
    }
