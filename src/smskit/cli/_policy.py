"""The ``smskit lint`` and ``smskit check`` commands: may this message go, and when."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import TemplateError
from ..findings import Finding, Severity
from ..purpose import Purpose
from ._common import (
    EXIT_BLOCKED,
    EXIT_OK,
    UsageError,
    plural,
    print_findings,
    print_json,
    read_template,
    read_text,
)

if TYPE_CHECKING:
    from ..pricing.templates import SegmentBounds, Template

_PURPOSES = [purpose.value for purpose in Purpose]
# smskit.pricing.templates.Alphabet's values, written out: importing it loads the
# pricing package, which only a template lint needs (a test keeps the two equal).
ALPHABETS = ("gsm7", "gsm7_extended", "ucs2")


def add_parsers(commands: Any, text_argument: Any, aware_datetime: Any) -> None:
    """Register ``lint`` and ``check`` on the ``smskit`` sub-command parser."""
    lint_parser = commands.add_parser(
        "lint",
        help="content rules: opt-out language, sender id, shorteners, restricted words, cost",
        description="Lint TEXT against the content rules (docs/content.md). Exit 1 when a "
        "finding blocks the send.",
    )
    lint_parser.add_argument(
        "text", metavar="TEXT", nargs="?", help="the message, or - to read it from stdin"
    )
    lint_parser.add_argument(
        "--template", metavar="FILE", help="lint a template file (- for stdin) instead of TEXT"
    )
    lint_parser.add_argument(
        "--template-text", metavar="TEMPLATE", help="lint this template text instead of TEXT"
    )
    lint_parser.add_argument(
        "--field-length",
        action="append",
        default=[],
        metavar="NAME=N",
        type=_field_length,
        help="longest value of a template field, for the worst-case segment count "
        "(repeatable; every field without a default needs one)",
    )
    lint_parser.add_argument(
        "--alphabet",
        choices=ALPHABETS,
        help="with a template: characters the field values may hold (default gsm7)",
    )
    lint_parser.add_argument("--purpose", choices=_PURPOSES, default="marketing")
    lint_parser.add_argument(
        "--first", action="store_true", help="the first message of the conversation"
    )
    lint_parser.add_argument(
        "--brand", action="append", help="sender name the text must contain (repeatable)"
    )
    lint_parser.add_argument(
        "--segments-limit", type=_segments_limit, metavar="N", help="most segments allowed"
    )
    lint_parser.add_argument("--media", action="store_true", help="the message carries media")
    lint_parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    lint_parser.set_defaults(handler=_cmd_lint)


def _json_value(value: object) -> object:
    """Details as JSON keeps them: numbers and booleans as such, times in ISO 8601."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(item) for item in value]
    return str(value)


def _finding_json(finding: Finding) -> dict[str, object]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "source": finding.source,
        "details": {key: _json_value(value) for key, value in finding.details.items()},
    }


def _print_findings(findings: Sequence[Finding]) -> None:
    print_findings(findings, heading=False)


def _field_length(value: str) -> tuple[str, int]:
    name, _, length = value.partition("=")
    try:
        count = int(length)
    except ValueError:
        count = -1
    if not name or count < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not NAME=N with N a whole number >= 0")
    return name, count


def _segments_limit(value: str) -> int:
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return limit


def _blocking(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.BLOCK for f in findings)


def _cmd_lint(args: argparse.Namespace) -> int:
    from ..content.checks import lint

    given = [x is not None for x in (args.text, args.template, args.template_text)]
    if sum(given) > 1:
        raise UsageError(
            "give only one of the message TEXT, --template FILE and --template-text TEXT"
        )
    if not any(given):
        raise UsageError("give the message TEXT, or --template FILE, or --template-text TEXT")
    worst: Finding | None = None
    bounds: SegmentBounds | None = None
    template: Template | None = None
    if args.text is not None:
        # They describe a template's fields: a plain TEXT has none, and they would be
        # ignored without a word.
        unread = [name for name, given in (("--field-length", args.field_length),
                                           ("--alphabet", args.alphabet)) if given]
        if unread:
            raise UsageError(
                f"{' and '.join(unread)} describe{'' if len(unread) > 1 else 's'} a "
                "template's fields; TEXT has none: give --template or --template-text, "
                f"or drop {'them' if len(unread) > 1 else unread[0]}"
            )
        text = read_text(args.text)
        segments_limit = args.segments_limit
    else:
        template, label = _template(args.template, args.template_text)
        # The fixed text with every field empty (or its default): what every message says.
        text = template.render(dict.fromkeys(template.fields, ""))
        segments_limit = None
        bounds, worst = _worst_case(template, label, args)
    findings = lint(
        text,
        purpose=args.purpose,
        first_message=args.first,
        brand=args.brand,
        segments_limit=segments_limit,
        has_media=args.media,
    )
    if template is not None:
        findings = [_in_template(f) for f in findings]
    if worst is not None:
        findings.append(worst)
    blocked = _blocking(findings)
    if args.json:
        print_json(
            {
                "blocked": blocked,
                "findings": [_finding_json(f) for f in findings],
                **(
                    {}
                    if bounds is None
                    else {
                        "worst_case": {
                            "minimum": bounds.minimum,
                            "maximum": bounds.maximum,
                            "encoding": bounds.encoding.value,
                        }
                    }
                ),
            },
        )
    else:
        if bounds is not None:
            span = f"{bounds.minimum} to " if bounds.minimum != bounds.maximum else ""
            print(
                f"Template: {span}{plural(bounds.maximum, 'segment')} "
                f"({bounds.encoding} in the worst case)"
            )
        elif template is not None:
            missing = ", ".join(_unbounded(template, args))
            print(f"Template: give --field-length for {missing} to bound its segments")
        print_findings(findings, blocked=blocked)
    return EXIT_BLOCKED if blocked else EXIT_OK


def _in_template(finding: Finding) -> Finding:
    """A placeholder in a template's own text is fixed in the template: "render the
    template first" was the wrong advice to someone linting the template."""
    if finding.code != "content.placeholder":
        return finding
    placeholders = finding.details.get("placeholders", ())
    found = [str(p) for p in placeholders] if isinstance(placeholders, tuple) else []
    # The braces explain only a field written in them ({{x}} read as "{x}").
    braces = (
        "{{ and }} are literal braces in smskit templates; "
        if any("{" in p for p in found) else ""
    )
    return replace(finding, message=(
        f"the template's own text holds {found} as written, so every message would carry "
        f"it ({braces}a field is written {{name}}, e.g. {{first_name}})"
    ))


def _template(path: str | None, inline: str | None) -> tuple[Template, str]:
    from ..pricing.templates import Template

    source, label = read_template(path, inline)
    try:
        return Template(source), label
    except TemplateError as exc:
        raise UsageError(f"template {label}: {exc}") from None


def _unbounded(template: Template, args: argparse.Namespace) -> list[str]:
    lengths = dict(args.field_length)
    return [
        p.name for p in template.placeholders if p.default is None and p.name not in lengths
    ]


def _worst_case(
    template: Template, label: str, args: argparse.Namespace
) -> tuple[SegmentBounds | None, Finding | None]:
    """The template's segment bounds from the field lengths given, and a finding
    when the worst case is over ``--segments-limit``."""
    from ..pricing.templates import Alphabet

    lengths = dict(args.field_length)
    unknown = sorted(set(lengths) - set(template.fields))
    if unknown:
        raise UsageError(f"--field-length {unknown[0]!r}: the template has no such field")
    if any(p.default is None and p.name not in lengths for p in template.placeholders):
        if args.segments_limit is not None:
            # Unbounded, the worst case cannot be held to the limit: not checked, and
            # the exit code would say it passed.
            missing = ", ".join(_unbounded(template, args))
            raise UsageError(
                f"--segments-limit needs the template's worst case: give --field-length "
                f"for {missing}"
            )
        return None, None
    try:
        bounds = template.segment_bounds(lengths, alphabet=Alphabet(args.alphabet or "gsm7"))
    except TemplateError as exc:
        raise UsageError(f"template {label}: {exc}") from None
    limit = args.segments_limit
    if limit is None or bounds.maximum <= limit:
        return bounds, None
    return bounds, Finding(
        "content.segments_over_limit",
        Severity.BLOCK,
        f"up to {bounds.maximum} segments with the longest field values; this sender "
        f"allows at most {limit}: shorten the fixed text or the fields",
        source="sender configuration (--segments-limit)",
        details={"segments": bounds.maximum, "limit": limit},
    )
