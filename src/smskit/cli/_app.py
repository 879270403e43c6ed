"""The ``smskit`` command: ``count``, ``explain``, ``estimate``, ``lint``, ``check``,
``plan``, ``classify``, ``mms``, ``ledger``, ``health``.

Exit codes: 0 success, 1 a check found a blocking problem (or a text too long to
send), 2 a usage or input error (one line on stderr, never a traceback for a user's
mistake), 3 ``check`` deferred the message (it may go later), 130 interrupted.
Reference: ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, NoReturn, TextIO

from ..errors import DISTRIBUTION, MessageTooLongError, SmskitError
from . import _engine, _estimate, _health, _policy, _tools
from ._common import (
    EXIT_BLOCKED,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    plural,
    print_json,
    printable,
    read_text,
)

if TYPE_CHECKING:
    from ..segments.encoding import Encoding, NonGsmCharacter
    from ..segments.segmentation import SegmentedMessage

__all__ = ["main"]

EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE
#: The top-level modules of the distribution's required dependencies (pyproject.toml;
#: a test keeps the two equal): only these missing mean a broken install.
REQUIRED = ("phonenumbers", "regex", "tzdata")



def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader went away (``| head``): say nothing more, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except UsageError as exc:
        return _fail(str(exc))
    except SmskitError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    except ModuleNotFoundError as exc:
        # Commands import what they need when they run, so a dependency missing from a
        # broken install shows up here (a missing extra is a MissingExtraError, above).
        # Any other module missing (smskit's own, an extra's imported unguarded) is a
        # bug that reinstalling cannot fix: let it show its traceback.
        top = (exc.name or "").partition(".")[0]
        if top in sys.stdlib_module_names:  # e.g. _sqlite3: a Python built without SQLite
            return _fail(f"{exc}: this Python lacks its standard module {top!r}; "
                         "use a Python built with it")
        if top not in REQUIRED:
            raise
        return _fail(f"{exc}: the installation is incomplete; reinstall {DISTRIBUTION}")
    except KeyboardInterrupt:
        print("smskit: interrupted", file=sys.stderr)
        return 130


def _fail(message: str) -> int:
    # Errors repeat what was typed (``mms --provider +1415...``, a file named after a
    # number): a phone number in them is masked, as in every other line.
    print(f"smskit: error: {printable(_masked(message))}", file=sys.stderr)
    return EXIT_USAGE


def _masked(message: str) -> str:
    """``message`` with the phone numbers in it masked."""
    try:
        return _tools._mask_numbers_in(message)
    except ImportError:  # phonenumbers missing (a broken install): the plainer masking
        from ..findings import masked_text

        return masked_text(message)


class _Parser(argparse.ArgumentParser):
    """argparse, with the user's words in its error messages escaped ("unrecognized
    arguments" repeats them raw) and any phone number in them masked (``check --at
    +14155550123``, the number typed where the time goes, was echoed in full).
    Sub-command parsers are of the same class."""

    def error(self, message: str) -> NoReturn:
        super().error(printable(_masked(message)))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="smskit",
        description="What a text message costs (encoding, segments, price) "
        "and whether it may be sent.",
        epilog="Exit codes: 0 ok, 1 a check found a blocking problem, 2 usage or input "
        "error, 3 check deferred the message, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    count = commands.add_parser(
        "count",
        help="encoding, segments and units of a text",
        description="Show the encoding, segments and units of TEXT, mark the characters "
        "that force UCS-2, and what smart encoding would save.",
    )
    _text_argument(count)
    count.add_argument(
        "--smart", action="store_true", help="count after smart encoding (look-alikes replaced)"
    )
    count.add_argument("--json", action="store_true", help="print JSON for scripts")
    count.set_defaults(handler=_cmd_count)

    explain = commands.add_parser(
        "explain",
        help="per-segment breakdown: UDH, units and text of each segment",
        description="Split TEXT into the SMS parts it is sent as and show each part's "
        "User Data Header, units and text.",
    )
    _text_argument(explain)
    explain.add_argument("--smart", action="store_true", help="apply smart encoding first")
    explain.add_argument("--json", action="store_true", help="print JSON for scripts")
    explain.set_defaults(handler=_cmd_explain)

    _estimate.add_parser(commands)

    _policy.add_parsers(commands, _text_argument, _aware_datetime)
    _tools.add_parsers(commands, _text_argument, _aware_datetime)
    _engine.add_parsers(commands, _aware_datetime)
    _health.add_parser(commands, _aware_datetime)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown"


def _text_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", metavar="TEXT", help="the message, or - to read it from stdin")


def _aware_datetime(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date-time (e.g. 2026-11-23T09:30:00-05:00)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} has no UTC offset; add one (e.g. -05:00 or Z) so the time is unambiguous"
        )
    return moment


# --- count ---------------------------------------------------------------------------


class _Plain(NamedTuple):
    """The text as it is (no smart encoding), which ``count`` compares with the smart
    one. ``segment_count`` is the library's number, a lower bound when ``too_long``."""

    text: str
    encoding: Encoding
    segment_count: int
    non_gsm: tuple[NonGsmCharacter, ...]
    too_long: bool


def _cmd_count(args: argparse.Namespace) -> int:
    from ..segments import Encoding, detect_encoding, non_gsm_characters, segment

    text = read_text(args.text)
    try:
        smart = segment(text, smart=True)  # never more parts than the text as it is
    except MessageTooLongError:
        return _too_long(text, args.smart, args.json)
    try:
        message = segment(text)
    except MessageTooLongError as exc:
        # Too long as it is, yet smart encoding fits it: --smart shows that message.
        if not args.smart:
            return _too_long(text, False, args.json, smart_fits=smart.segment_count)
        plain = _Plain(text, detect_encoding(text), exc.segments, non_gsm_characters(text), True)
        shown = smart
    else:
        plain = _Plain(text, message.encoding, message.segment_count, message.non_gsm, False)
        shown = smart if args.smart else message
    if args.json:
        print_json(_count_json(plain, smart, shown))
        return EXIT_OK
    out = sys.stdout
    unit_name = "septets" if shown.encoding is Encoding.GSM7 else "UTF-16 units"
    print(f"Encoding:   {shown.encoding}", file=out)
    print(f"Segments:   {shown.segment_count}", file=out)
    print(f"Characters: {len(text)}", file=out)
    print(
        f"Units:      {shown.units} {unit_name} used, {shown.remaining} left "
        "before another segment",
        file=out,
    )
    if plain.non_gsm:
        positions = {p for c in plain.non_gsm for p in c.positions}
        clusters = Counter(c for c, start in _clusters(text) if _marked(c, start, positions))
        listed = ", ".join(f"{_show(c)} ×{n}" for c, n in clusters.items())
        print(f"Non-GSM:    {listed} (force UCS-2, marked ^ below)", file=out)
        _print_marked(text, positions, out)
    _print_smart(plain, smart, out, applied=args.smart)
    return EXIT_OK


def _too_long(text: str, smart: bool, as_json: bool, smart_fits: int = 0) -> int:
    """Report a text beyond the concatenation limit: how many segments it needs, exit 1.
    ``smart_fits``: the segments smart encoding sends it in, when that fits."""
    from ..segments import MAX_SEGMENTS, Encoding, count_segments, detect_encoding

    try:
        count_segments(text, smart=smart)
        raise AssertionError("segment() and count_segments() disagree on the limit")
    except MessageTooLongError as exc:
        needed = exc.segments
    encoding = detect_encoding(text)
    if smart and encoding is Encoding.UCS2 and _smart_gsm7_parts(text) == needed:
        encoding = Encoding.GSM7  # the number is the smart text's, sent as GSM-7
    if as_json:
        print_json(
            {
                "encoding": encoding.value,
                "segments": needed,
                "characters": len(text),
                "too_long": True,
                "max_segments": MAX_SEGMENTS,
            }
        )
    else:
        print(f"Encoding:   {encoding}")
        # The library's number (see MessageTooLongError.segments): exact when only the
        # cuts take the text past the limit, else the fewest parts its units fill.
        print(f"Segments:   at least {needed:,} needed: more than the {MAX_SEGMENTS} a")
        print("            concatenated message can have; shorten it or send it as")
        print("            several messages")
        if smart_fits:
            print(f"            (--smart sends it in {smart_fits:,} segments)")
        print(f"Characters: {len(text):,}")
    return EXIT_BLOCKED


def _smart_gsm7_parts(text: str) -> int:
    """The parts of ``text`` too long after smart encoding, sent as GSM-7; 0 when smart
    encoding leaves a character GSM-7 lacks. Ties go to GSM-7 in the library too."""
    from ..errors import EncodingError
    from ..segments import Encoding, segment

    try:
        segment(text, smart=True, encoding=Encoding.GSM7)
    except MessageTooLongError as exc:
        return exc.segments
    except EncodingError:
        return 0
    return 0  # pragma: no cover - called only for a text too long whatever its encoding


def _clusters(text: str) -> list[tuple[str, int]]:
    """Each grapheme cluster (what a reader sees as one character) and where it starts."""
    import regex

    return [(m.group(), m.start()) for m in regex.finditer(r"\X", text)]


def _marked(cluster: str, start: int, positions: set[int]) -> bool:
    return any(start + i in positions for i in range(len(cluster)))


def _print_smart(plain: _Plain, smart: SegmentedMessage, out: TextIO, *, applied: bool) -> None:
    from ..segments import Encoding, segment

    if not smart.replacements:
        if plain.encoding is Encoding.GSM7:
            print("Smart encoding: nothing to replace (already GSM-7)", file=out)
            return
        stuck = {
            cluster: None
            for cluster, _ in _clusters(plain.text)
            if segment(cluster, smart=True).encoding is Encoding.UCS2
        }
        listed = " ".join(_show(c) for c in stuck)
        verb = "has" if len(stuck) == 1 else "have"
        print(f"Smart encoding: no saving ({listed} {verb} no GSM-7 look-alike)", file=out)
        return
    changes = ", ".join(f"{_show(r.char)}→{_show(r.replacement)}" for r in smart.replacements)
    saved = plain.segment_count - smart.segment_count
    verdict = (
        f"saves {'at least ' if plain.too_long else ''}{plural(saved, 'segment')} per message"
        if saved > 0
        else "saves nothing here"
    )
    if applied:
        without = plural(plain.segment_count, "segment")
        if plain.too_long:
            without = f"at least {without}, over the 255 allowed"
        print(f"Smart encoding: applied {changes} ({verdict}; without it: {plain.encoding}, "
              f"{without})", file=out)
        return
    print(
        f"Smart encoding: {changes} → {smart.encoding}, "
        f"{plural(smart.segment_count, 'segment')} ({verdict})",
        file=out,
    )


def _count_json(
    plain: _Plain, smart: SegmentedMessage, shown: SegmentedMessage
) -> dict[str, object]:
    return {
        "encoding": shown.encoding.value,
        "segments": shown.segment_count,
        "characters": len(plain.text),
        "units": shown.units,
        "remaining": shown.remaining,
        "too_long": False,
        "smart_applied": shown is smart,
        "non_gsm": [{"char": c.char, "positions": list(c.positions)} for c in plain.non_gsm],
        "smart": {
            "encoding": smart.encoding.value,
            "segments": smart.segment_count,
            "saved_segments": plain.segment_count - smart.segment_count,  # at least
            "too_long_without": plain.too_long,
            "replacements": [
                {"char": r.char, "replacement": r.replacement, "positions": list(r.positions)}
                for r in smart.replacements
            ],
        },
    }


def _show(text: str) -> str:
    """A character (or grapheme cluster) as a person can read it: visible ones as is,
    spaces and invisible ones by name, control characters escaped."""
    if text == "":
        return "(removed)"
    if len(text) == 1 and (text.isspace() or not text.isprintable()):
        name = unicodedata.name(text, "")
        return f"<{name}>" if name else printable(text)
    return printable(text)


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def _cluster_display(cluster: str) -> tuple[str, int]:
    """What a cluster prints as, and how many columns that takes."""
    shown = printable(cluster)
    if shown != cluster:  # escaped: plain ASCII
        return shown, len(shown)
    return cluster, max(max(_width(c) for c in cluster), 1)


def _print_marked(text: str, positions: set[int], out: TextIO) -> None:
    """Print each line of ``text`` with a line of carets under the marked characters."""
    start = 0
    for line in text.split("\n"):
        if any(start <= p < start + len(line) for p in positions):
            shown, carets = [], []
            for cluster, at in _clusters(line):
                display, width = _cluster_display(cluster)
                shown.append(display)
                carets.append(("^" if _marked(cluster, start + at, positions) else " ") * width)
            print(f"    {''.join(shown)}", file=out)
            print(f"    {''.join(carets).rstrip()}", file=out)
        start += len(line) + 1


# --- explain -------------------------------------------------------------------------


def _cmd_explain(args: argparse.Namespace) -> int:
    from ..segments import Encoding, segment

    text = read_text(args.text)
    try:
        message = segment(text, smart=args.smart)
    except MessageTooLongError:
        return _too_long(text, args.smart, args.json)
    if args.json:
        print_json(
            {
                "encoding": message.encoding.value,
                "segments": [
                    {
                        "index": i,
                        "udh": s.udh.hex(),
                        "units": s.units,
                        "text": s.text,
                        "user_data_octets": len(s.user_data),
                    }
                    for i, s in enumerate(message.segments, 1)
                ],
            }
        )
        return EXIT_OK
    unit = "septets" if message.encoding is Encoding.GSM7 else "UTF-16 units"
    total = message.segment_count
    print(f"{message.encoding}, {plural(total, 'segment')}, {message.units} {unit}")
    for index, part in enumerate(message.segments, 1):
        udh = part.udh.hex(" ") if part.udh else "none"
        print(
            f"\nSegment {index}/{total}: {part.units} {unit}, "
            f"{len(part.user_data)} octets of user data, UDH {udh}"
        )
        # Quoted so spaces at either end show; escaped, never raw, so the
        # terminal shows the text rather than acting on it.
        print(f"  '{printable(part.text)}'")
    return EXIT_OK
