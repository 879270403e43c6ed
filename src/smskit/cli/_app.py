"""The ``smskit`` command: ``count``, ``explain``, ``estimate``, ``lint``, ``check``, ``plan``.

Exit codes: 0 success, 1 a check found a blocking problem, 2 a usage or input error
(one line on stderr, never a traceback for a user's mistake), 3 ``check`` deferred the
message (it may go later). Reference: ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TextIO

from ..errors import DISTRIBUTION, SmskitError
from ..segments.encoding import Encoding
from ..segments.segmentation import SegmentedMessage, segment
from . import _engine, _estimate, _health, _policy
from ._common import EXIT_OK, EXIT_USAGE, UsageError, read_text

__all__ = ["main"]

EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE

#: Subcommands whose module is not in this build yet: name -> what will provide it.
#: Wiring one up: replace its ``_cmd_*`` body and drop its entry here.


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
    except KeyboardInterrupt:
        print("smskit: interrupted", file=sys.stderr)
        return 130


def _fail(message: str) -> int:
    print(f"smskit: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smskit",
        description="What a text message costs (encoding, segments, price) "
        "and whether it may be sent.",
        epilog="Exit codes: 0 ok, 1 a check found a blocking problem, 2 usage or input error, "
        "3 check deferred the message.",
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


def _cmd_count(args: argparse.Namespace) -> int:
    text = read_text(args.text)
    plain = segment(text)
    smart = segment(text, smart=True)
    if args.json:
        _print_json(_count_json(plain, smart))
        return EXIT_OK
    out = sys.stdout
    unit_name = "septets" if plain.encoding is Encoding.GSM7 else "UTF-16 units"
    print(f"Encoding:   {plain.encoding}", file=out)
    print(f"Segments:   {plain.segment_count}", file=out)
    print(f"Characters: {len(text)}", file=out)
    print(
        f"Units:      {plain.units} {unit_name} used, {plain.remaining} left "
        "before another segment",
        file=out,
    )
    if plain.non_gsm:
        listed = ", ".join(f"{_show(c.char)} ×{len(c.positions)}" for c in plain.non_gsm)
        print(f"Non-GSM:    {listed} (force UCS-2, marked ^ below)", file=out)
        positions = {p for c in plain.non_gsm for p in c.positions}
        _print_marked(text, positions, out)
    _print_smart(plain, smart, out)
    return EXIT_OK


def _print_smart(plain: SegmentedMessage, smart: SegmentedMessage, out: TextIO) -> None:
    if not smart.replacements:
        if plain.encoding is Encoding.GSM7:
            print("Smart encoding: nothing to replace (already GSM-7)", file=out)
            return
        stuck = [
            c.char for c in plain.non_gsm if segment(c.char, smart=True).encoding is Encoding.UCS2
        ]
        listed = " ".join(_show(c) for c in stuck)
        print(f"Smart encoding: no saving ({listed} has no GSM-7 look-alike)", file=out)
        return
    changes = ", ".join(f"{_show(r.char)}→{_show(r.replacement)}" for r in smart.replacements)
    saved = plain.segment_count - smart.segment_count
    verdict = (
        f"saves {saved} segment{'s' if saved != 1 else ''} per message"
        if saved > 0
        else "saves nothing here"
    )
    print(
        f"Smart encoding: {changes} → {smart.encoding}, {smart.segment_count} "
        f"segment{'s' if smart.segment_count != 1 else ''} ({verdict})",
        file=out,
    )


def _count_json(plain: SegmentedMessage, smart: SegmentedMessage) -> dict[str, object]:
    return {
        "encoding": plain.encoding.value,
        "segments": plain.segment_count,
        "characters": len(plain.text),
        "units": plain.units,
        "remaining": plain.remaining,
        "non_gsm": [{"char": c.char, "positions": list(c.positions)} for c in plain.non_gsm],
        "smart": {
            "encoding": smart.encoding.value,
            "segments": smart.segment_count,
            "saved_segments": plain.segment_count - smart.segment_count,
            "replacements": [
                {"char": r.char, "replacement": r.replacement, "positions": list(r.positions)}
                for r in smart.replacements
            ],
        },
    }


def _show(char: str) -> str:
    """A character as a person can read it: visible ones as is, others by name."""
    if char == "":
        return "(removed)"
    if char.isprintable() and not char.isspace():
        return char
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    return f"<{name}>"


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def _print_marked(text: str, positions: set[int], out: TextIO) -> None:
    """Print each line of ``text`` with a line of carets under the marked characters."""
    start = 0
    for line in text.split("\n"):
        if any(start <= p < start + len(line) for p in positions):
            carets = "".join(
                "^" * max(_width(c), 1) if start + i in positions else " " * _width(c)
                for i, c in enumerate(line)
            )
            print(f"    {line}", file=out)
            print(f"    {carets.rstrip()}", file=out)
        start += len(line) + 1


# --- explain -------------------------------------------------------------------------


def _cmd_explain(args: argparse.Namespace) -> int:
    text = read_text(args.text)
    message = segment(text, smart=args.smart)
    if args.json:
        _print_json(
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
    print(f"{message.encoding}, {total} segment{'s' if total != 1 else ''}, {message.units} {unit}")
    for index, part in enumerate(message.segments, 1):
        udh = part.udh.hex(" ") if part.udh else "none"
        print(
            f"\nSegment {index}/{total}: {part.units} {unit}, "
            f"{len(part.user_data)} octets of user data, UDH {udh}"
        )
        print(f"  {part.text!r}")
    return EXIT_OK


# --- pending subcommands ---------------------------------------------------------------


def _print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
