"""Message templates: ``{field}`` placeholders, strict rendering, per-campaign analysis.

Syntax (documented in ``docs/pricing.md``)::

    Hi {first_name|there}, your visit is {date:%b %d}. Reply STOP to opt out.

- ``{name}``: the value of ``name``; a missing field is a :class:`TemplateError`.
- ``{name|text}``: ``text`` when ``name`` is missing, ``None``, empty, blank or a data
  frame's empty cell (NaN, NaT, pandas' NA).
- ``{name:spec}``: the value formatted with Python's format ``spec``. A ``str`` value
  (a CSV cell) is first read as an ISO 8601 date/datetime when the spec holds a
  ``%`` directive (``%b``, ``%Y``...), stays text under fill, alignment, width and
  precision only (``{name:.10}`` cuts it, between grapheme clusters; a number cell keeps
  a precision's significant digits, unless a leading zero makes it an identifier),
  and is read as a decimal number otherwise (``.1%`` is a percentage); both forms
  combine: ``{date:%b %d|soon}``.
- ``{{`` and ``}}`` are literal braces. A default or spec cannot hold braces or ``|``
  (so ``{x:|>5}``, a ``|`` fill or an empty spec, is refused, never read as a default,
  and so is ``{t:%H|%M}``, a default holding a date directive after a date spec).

Field names start with a letter or ``_`` and go on with letters, digits, ``_`` or ``-``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

import regex

from ..errors import MessageTooLongError, TemplateError
from ..numbers.parse import mask_number
from ..segments._smart import smart_candidates
from ..segments.encoding import NON_GSM_RE, Encoding, detect_encoding, non_gsm_characters
from ..segments.segmentation import count_many, segment

__all__ = [
    "Alphabet",
    "CampaignReport",
    "IssueKind",
    "Placeholder",
    "RowIssue",
    "SegmentBounds",
    "Template",
    "escape_template",
]

# 3GPP TS 23.040 9.2.3.24.1 / TS 23.038: user-data capacity of one segment, alone and
# in a concatenated message with an 8-bit reference UDH (6 octets).
GSM7_SINGLE_SEPTETS = 160
GSM7_CONCAT_SEPTETS = 153
UCS2_SINGLE_UNITS = 70
UCS2_CONCAT_UNITS = 67

_GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_BRACE = re.compile(r"[{}]")
# After "{": name, then optional ":spec", then optional "|default", then "}".
_PLACEHOLDER = re.compile(r"\{([^{}:|]*)(?::([^{}|]*))?(?:\|([^{}]*))?\}")
_MISSING = object()
# A format spec such as "{x:999999999}" would build a gigabyte string; no message
# (255 segments at most) needs a width of five digits.
_MAX_WIDTH = 9999
_HUGE_WIDTH = re.compile(r"\d{5,}")
# A value with this many digits may be a phone number: errors show it masked.
_MASK_DIGITS = 6
_SHOWN_CHARS = 40
_CACHED_CHARS = 64
# "%b", "%Y"... make a date spec; a bare "%" ends a number's percent spec (".1%").
_STRFTIME = re.compile(r"%[A-Za-z%]")
# Fill, alignment, width and precision only (or "s"): a text spec. A CSV cell keeps its
# characters under it, so the leading zeros of a ZIP code or an MLS number are never
# dropped. A width with a leading 0 ("05") zero-pads a number: not a text spec.
_TEXT_SPEC = re.compile(r"(?:.?[<>^])?(?:[1-9]\d*)?(\.\d+)?s?", re.DOTALL)
# A whole number written with a leading zero is an identifier (a ZIP code, an MLS
# number): a precision cuts it as text rather than drop its zeros as a number would.
_LEADING_ZERO = re.compile(r"\s*0\d+\s*")
_CLUSTER = regex.compile(r"\X")
# Presentation types Python has for int but not Decimal: a whole-number cell is an int.
_INT_TYPES = frozenset("bdoxX")


def escape_template(text: str) -> str:
    """Return ``text`` as template source that renders back to ``text`` exactly."""
    return text.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One ``{name:spec|default}`` in a template.

    Attributes:
        name: the field it reads.
        spec: format spec after ``:``, or ``""``.
        default: text used when the value is missing, ``None``, blank or an empty cell
            (NaN, NaT, NA); ``None`` means the field is required.
    """

    name: str
    spec: str = ""
    default: str | None = None

    def resolve(self, values: Mapping[str, object]) -> str:
        """Render this placeholder from ``values`` (see :meth:`Template.render`)."""
        value = values.get(self.name, _MISSING)
        if type(value) is str and value and not value.isspace():  # a filled CSV cell
            return _format_text(value, self.spec, self.name) if self.spec else value
        if isinstance(value, bytes | bytearray | memoryview):
            # format() gives its repr: "Hi b'Ann'" went to the recipient.
            raise TemplateError(
                f"field {self.name!r} holds {type(value).__name__}, not text: decode it "
                "first (value.decode('utf-8'))",
                field=self.name,
            )
        # A blank cell (" ", as some CRM exports write an empty name) is no value:
        # "Hi {first_name|there}" must not send "Hi  ,". A str subclass (numpy.str_
        # from a dataframe) is a cell too.
        blank = (
            isinstance(value, str) and (not value or value.isspace())
            and self.default is not None
        )
        empty = isinstance(value, str) and not value
        if value is _MISSING or value is None or empty or blank or is_empty_cell(value):
            if self.default is not None:
                return self.default
            if empty:
                return ""
            raise TemplateError(
                f"missing value for field {self.name!r}; add it or give a default "
                f"with {{{self.name}|...}}",
                field=self.name,
            )
        if not self.spec:
            return _format_value(value, "", self.name)
        return _format(value, self.spec, self.name)


def is_empty_cell(value: object) -> bool:
    """Whether ``value`` is a data frame's empty cell: a NaN of any float type, NaT,
    or pandas' ``NA``.

    Rendered, they sent "Listed at $nan" and "your appointment is NaT" where
    ``{field|default}`` meant the default. Told apart without importing pandas or
    NumPy: such a value is not equal to itself, or (``NA``) its comparison with
    itself has no truth value.
    """
    if isinstance(value, str | int):
        return False
    if isinstance(value, Decimal):
        return value.is_nan()
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)
    except TypeError:  # pandas' NA: "boolean value of NA is ambiguous"
        return type(value).__name__ == "NAType"
    except ValueError:  # an array compares element by element: a value all the same
        return False


def _format(value: object, spec: str, name: str) -> str:
    if isinstance(value, str):
        return _format_text(value, spec, name)
    return _format_value(value, spec, name)


def _shown(value: str) -> str:
    """A cell for an error message: never a phone number in full, never a long text."""
    head = value[:_SHOWN_CHARS]
    shown = (
        f"{mask_number(head)!r} (digits masked)"
        if sum(c.isdigit() for c in head) >= _MASK_DIGITS else repr(head)
    )
    return shown if head == value else f"{shown}… ({len(value)} characters)"


def _format_text(value: str, spec: str, name: str) -> str:
    if len(value) > _CACHED_CHARS:
        return _format_cell(value, spec, name)
    return _format_short_text(value, spec, name)


def _format_cell(value: str, spec: str, name: str) -> str:
    text_spec = _TEXT_SPEC.fullmatch(spec)
    precision = text_spec.group(1) if text_spec else None
    if precision and spec[-1] != "s" and _reads_as_number(value):
        # A precision with no type is significant digits on a number ("{v:.2}" on
        # "3.14159" is "3.1", as it always was) and a cut on text ("{v:.10}").
        # "nan" and "inf" read as numbers too: the coercion refuses them, where a cut
        # sent "Listed at $na".
        text_spec = None
    if text_spec:
        if precision:
            # Python cuts between code points: "José" (an e and a combining accent)
            # became "Jose", a flag or a family emoji half of itself. The cut moves back
            # to the last whole grapheme cluster, so the text never grows past it.
            value = _cut(value, int(precision[1:]))
        # A bare width right-aligns a number, as it always did; a digit before an
        # alignment is a fill ("{zip:0>5}" on "2134"), and gets no second alignment;
        # "5s" asks for text, left-aligned as Python's str does.
        bare = spec[0].isdigit() and spec[1:2] not in ("<", ">", "^") and spec[-1] != "s"
        if bare and _is_number(value):
            spec = ">" + spec
        return _format_value(value, spec, name)
    return _format_value(_coerce(value, spec, name), spec, name)


def _reads_as_number(value: str) -> bool:
    if _LEADING_ZERO.fullmatch(value):
        return False
    try:
        Decimal(value.strip())
    except InvalidOperation:
        return False
    return True


def _cut(value: str, limit: int) -> str:
    """The longest head of ``value`` made of whole grapheme clusters, at most ``limit``
    characters long."""
    if len(value) <= limit:
        return value
    end = 0
    for cluster in _CLUSTER.finditer(value):
        if cluster.end() > limit:
            break
        end = cluster.end()
    return value[:end]


def _is_number(value: str) -> bool:
    try:
        return Decimal(value.strip()).is_finite()
    except InvalidOperation:
        return False


# CSV cells repeat (dates, times, amounts) and reading then formatting one is pure.
# Only short cells are cached, so the cache stays small (4,096 x 64 characters) and
# does not keep customer data of any size alive. Errors are never cached.
@lru_cache(maxsize=4096)
def _format_short_text(value: str, spec: str, name: str) -> str:
    return _format_cell(value, spec, name)


def _format_value(value: object, spec: str, name: str) -> str:
    try:
        return format(value, spec)
    except (ValueError, TypeError, OverflowError) as exc:
        # str(exc) names the type and the spec, never the value (a number, perhaps).
        raise TemplateError(
            f"field {name!r}: cannot format {type(value).__name__} with {spec!r} ({exc})",
            field=name,
        ) from None


def _coerce(value: str, spec: str, name: str) -> object:
    text = value.strip()
    if _STRFTIME.search(spec):
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            raise TemplateError(
                f"field {name!r}: {_shown(value)} is not an ISO 8601 date or datetime "
                f"(needed by the format {spec!r})",
                field=name,
            ) from None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    # NaN would be sent as "NaN"; 1e99999999 formatted with ".2f" is 100 million digits.
    if not number.is_finite() or not -_MAX_WIDTH <= number.adjusted() <= _MAX_WIDTH:
        raise TemplateError(
            f"field {name!r}: {_shown(value)} is not a number (needed by the format {spec!r})",
            field=name,
        )
    if spec[-1] in _INT_TYPES:
        if number != number.to_integral_value():
            raise TemplateError(
                f"field {name!r}: {_shown(value)} is not a whole number (needed by the "
                f"format {spec!r}); use a format such as '.2f' for decimals",
                field=name,
            )
        return int(number)
    return number


def _parse(source: str) -> tuple[str | Placeholder, ...]:
    parts: list[str | Placeholder] = []
    literal: list[str] = []
    pos = 0
    while (brace := _BRACE.search(source, pos)) is not None:
        start = brace.start()
        literal.append(source[pos:start])
        char = brace.group()
        if source.startswith(char * 2, start):
            literal.append(char)
            pos = start + 2
            continue
        if char == "}":
            raise TemplateError(
                f"single '}}' at position {start}; write '}}}}' for a literal brace"
            )
        match = _PLACEHOLDER.match(source, start)
        if match is None:
            raise TemplateError(
                f"unclosed or malformed placeholder at position {start}; "
                "write '{{' for a literal brace"
            )
        name, spec, default = match.group(1).strip(), match.group(2), match.group(3)
        if not _NAME.match(name):
            what = "empty placeholder" if not name else f"invalid field name {name!r}"
            # A spreadsheet's header ("Window Start") copied into the template: the
            # command line reads that column as {window_start}; say so, keyed as it
            # keys a header (each space one "_": "Window  Start" is window__start).
            spaced = name.lower().replace(" ", "_")
            hint = (
                f" (for a column headed {name!r}, write {{{spaced}}})"
                if " " in name and _NAME.match(spaced) else ""
            )
            raise TemplateError(
                f"{what} at position {start}; names start with a letter or '_' and go on "
                f"with letters, digits, '_' or '-'{hint}",
                field=name or None,
            )
        if spec == "" and default is not None:
            # "{x:|>5}" means a '|' fill to Python, but '|' starts the default here: it
            # read as the default ">5", sent to every row without a value. An empty spec
            # adds nothing, so ":|" is refused rather than guessed.
            raise TemplateError(
                f"placeholder {name!r} at position {start} has ':' then '|'; a spec cannot "
                f"hold '|', so it cannot be a fill character: write {{{name}|{default}}} "
                f"for the default {default!r}, or another fill ({{{name}:*>5}})",
                field=name,
            )
        if default is not None and spec and _STRFTIME.search(spec) and _STRFTIME.search(
            default
        ):
            # "{t:%H|%M}" meant a '|' inside the date spec, but '|' starts the default: it
            # read as the spec "%H" with the default "%M", sent as is to rows without t.
            # A default holding a date directive can only be the rest of the spec.
            raise TemplateError(
                f"placeholder {name!r} at position {start} has '|' in the date spec "
                f"{spec + '|' + default!r}; a spec cannot hold '|', so it would read as the spec "
                f"{spec!r} with the default {default!r}: write another separator "
                f"({{{name}:{spec}:{default}}}), the '|' between two fields "
                f"({{{name}:{spec}}}|{{{name}:{default}}}), or a default of text "
                f"({{{name}:{spec}|soon}})",
                field=name,
            )
        if default is not None and "|" in default:
            # Documented as refused: "{a|nickname|there}" is no fallback chain, and as a
            # default it sent "nickname|there" to every row without a value.
            raise TemplateError(
                f"placeholder {name!r} at position {start} has a second '|'; a default "
                "cannot hold '|' (one default per field: {name|text})",
                field=name,
            )
        if spec and _HUGE_WIDTH.search(spec):
            raise TemplateError(
                f"format spec {spec!r} of {name!r} asks for a width or precision over "
                f"{_MAX_WIDTH}; no text message is that long",
                field=name,
            )
        if literal:
            parts.append("".join(literal))
            literal = []
        parts.append(Placeholder(name, spec or "", default))
        pos = match.end()
    literal.append(source[pos:])
    if text := "".join(literal):
        parts.append(text)
    return tuple(parts)


class Alphabet(StrEnum):
    """Which characters field values may hold, for :meth:`Template.segment_bounds`."""

    #: GSM 03.38 default alphabet only: one septet per character.
    GSM7 = "gsm7"
    #: Default alphabet plus the extension table (``€ [ ] { } ...``, two septets each).
    GSM7_EXTENDED = "gsm7_extended"
    #: Anything: forces UCS-2; a character may take two UTF-16 units (emoji).
    UCS2 = "ucs2"


@dataclass(frozen=True, slots=True)
class SegmentBounds:
    """Fewest and most segments a template can take, before any data exists.

    Attributes:
        minimum: segments when every value is empty (a lower bound for any data).
        maximum: segments when every value has its maximum length in the widest
            characters of the alphabet: an upper bound, save for values holding
            grapheme clusters of more than 4 UTF-16 units (ZWJ sequences, the flag
            of England), which ``docs/pricing.md`` says it does not cover.
        encoding: the encoding of the worst case.
    """

    minimum: int
    maximum: int
    encoding: Encoding


class IssueKind(StrEnum):
    """Why a campaign row costs more than it should."""

    UCS2 = "ucs2"
    EXTRA_SEGMENT = "extra_segment"


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A row whose values make it cost more than the campaign's usual message.

    Attributes:
        row: 0-based index of the recipient in the list given.
        kind: UCS-2 forced by a value, or more segments than usual.
        segments: what the row takes.
        expected: what it would take fixed: for ``UCS2``, with the offending
            characters replaced by GSM-7 ones; otherwise the campaign's usual count.
        fields: the fields responsible.
        characters: for ``UCS2``, the characters that force it.
    """

    row: int
    kind: IssueKind
    segments: int
    expected: int
    fields: tuple[str, ...]
    characters: tuple[str, ...] = ()

    @property
    def detail(self) -> str:
        """What is wrong and what it costs, without the row: for a marketer."""
        fields = ", ".join(self.fields) or "the template"
        counted = f"{self.segments} {_plural(self.segments)} instead of {self.expected}"
        if self.segments == self.expected:
            # A short UCS-2 row costs no more today; saying "1 segment instead of 1"
            # read as a mistake, yet the row is still worth a look before an edit.
            counted = f"{self.segments} {_plural(self.segments)} either way"
        if self.kind is IssueKind.UCS2:
            # Comma-separated: joined by spaces, the letters of a Cyrillic or Greek
            # name read as a spaced-out word ("О л ь г а").
            shown = ", ".join(_visible(c) for c in self.characters)
            return f"{shown} in {fields} forces UCS-2: {counted}"
        return f"long value in {fields}: {counted}"

    @property
    def message(self) -> str:
        """One line: ``"row 7: ë in first_name forces UCS-2: 3 segments instead of 1"``."""
        return f"row {self.row}: {self.detail}"


def _visible(char: str) -> str:
    """A character a reader can find: invisible ones (a zero-width space, a no-break
    space, a control) by code point and name, since printed as they are they show
    nothing, or a blank, before "forces UCS-2"."""
    if all(c.isprintable() and not c.isspace() for c in char):
        return char
    return " ".join(
        f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in char
    )


def _plural(segments: int) -> str:
    return "segment" if segments == 1 else "segments"


@dataclass(frozen=True, slots=True)
class CampaignReport:
    """Segments per recipient and the rows to fix.

    Attributes:
        segments: segments of each row, in input order.
        encodings: encoding of each row.
        usual: the most common segment count (ties go to the smaller).
        issues: rows that cost more than the usual, most costly first.
    """

    segments: tuple[int, ...]
    encodings: tuple[Encoding, ...]
    usual: int
    issues: tuple[RowIssue, ...]

    def __repr__(self) -> str:
        # One entry a row would flood a notebook: counts only (the rows are fields).
        return (
            f"CampaignReport(rows={self.rows}, usual={self.usual}, "
            f"minimum={self.minimum}, maximum={self.maximum}, total={self.total}, "
            f"issues=<{len(self.issues)}>)"
        )

    @property
    def rows(self) -> int:
        """Number of recipients."""
        return len(self.segments)

    @property
    def minimum(self) -> int:
        """Fewest segments of any row (0 when there are no rows)."""
        return min(self.segments, default=0)

    @property
    def maximum(self) -> int:
        """Most segments of any row (0 when there are no rows)."""
        return max(self.segments, default=0)

    @property
    def total(self) -> int:
        """Segments of the whole campaign."""
        return sum(self.segments)


class Template:
    """A message with ``{field}`` placeholders (syntax in the module docstring).

    Raises:
        TemplateError: at construction, for a malformed template (the message gives
            the position).
    """

    __slots__ = ("_parts", "fields", "source")

    def __init__(self, source: str) -> None:
        if not isinstance(source, str):
            raise TypeError(f"Template() takes a str, not {type(source).__name__}")
        self.source = source
        self._parts = _parse(source)
        names = (p.name for p in self._parts if isinstance(p, Placeholder))
        #: Field names in order of first use.
        self.fields: tuple[str, ...] = tuple(dict.fromkeys(names))

    def __repr__(self) -> str:
        return f"Template({self.source!r})"

    def __reduce__(self) -> tuple[type[Template], tuple[str]]:
        # Rebuilt from its text: pickle protocols 0 and 1 cannot carry __slots__ (a
        # request holding a template goes to worker processes too).
        return type(self), (self.source,)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Template) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        """Every placeholder, in order (a field used twice appears twice)."""
        return tuple(p for p in self._parts if isinstance(p, Placeholder))

    @property
    def literal_text(self) -> str:
        """The template with every placeholder removed and escapes resolved."""
        return "".join(p for p in self._parts if isinstance(p, str))

    def render(self, values: Mapping[str, object]) -> str:
        """Fill the placeholders from ``values``; extra values are ignored.

        Raises:
            TemplateError: a required field is missing (``.field`` names it) or a
                value does not fit its format spec.
        """
        if not isinstance(values, Mapping):
            raise TypeError(
                f"render() takes a mapping of field names to values, not {type(values).__name__}"
            )
        return "".join(
            [part if isinstance(part, str) else part.resolve(values) for part in self._parts]
        )

    def analyze(
        self, recipients: Iterable[Mapping[str, object]], *, smart: bool = False
    ) -> CampaignReport:
        """Segments of every recipient's message, and which rows cost more and why.

        Raises:
            TemplateError: a row cannot be rendered; the message names the row.
        """
        rows = list(recipients)
        texts = [_render_row(self, values, index) for index, values in enumerate(rows)]
        return campaign_report(self, rows, texts, measure(texts, smart=smart), smart=smart)

    def _ucs2_issue(
        self, index: int, values: Mapping[str, object], text: str, segments: int, smart: bool
    ) -> RowIssue:
        chars = _ucs2_forcing(text, smart)
        fixed = text
        for char in chars:
            fixed = fixed.replace(char, "?")
        fields = tuple(
            name for name in self.fields if any(c in _text(values.get(name)) for c in chars)
        )
        expected = count_many([fixed], smart=smart)[0]
        return RowIssue(index, IssueKind.UCS2, segments, expected, fields, chars)

    def _long_issue(
        self,
        index: int,
        values: Mapping[str, object],
        segments: int,
        usual: int,
        typical: Mapping[str, int],
    ) -> RowIssue:
        # Blame the fields whose values are longer than usual for that field.
        excess = {name: len(_text(values.get(name))) - typical.get(name, 0) for name in self.fields}
        fields = tuple(sorted((n for n in excess if excess[n] > 0), key=lambda n: -excess[n]))
        return RowIssue(index, IssueKind.EXTRA_SEGMENT, segments, usual, fields)

    def segment_bounds(
        self, field_max_lengths: Mapping[str, int], *, alphabet: Alphabet = Alphabet.GSM7
    ) -> SegmentBounds:
        """Fewest and most segments this template can take, from field lengths alone.

        Args:
            field_max_lengths: the longest text (in characters) each field can
                render to, after its format spec. A field with a default may be left
                out (its default counts). A spec's width pads a shorter value with its
                fill character, counted as template text.
            alphabet: which characters the values may hold.

        Raises:
            TemplateError: a field without a default has no maximum length.
        """
        missing = [
            p.name
            for p in self.placeholders
            if p.name not in field_max_lengths and p.default is None
        ]
        if missing:
            raise TemplateError(
                f"no maximum length for field {missing[0]!r}; give one for every field "
                "without a default",
                field=missing[0],
            )
        for name, length in field_max_lengths.items():
            if isinstance(length, bool) or not isinstance(length, int) or length < 0:
                raise TemplateError(f"maximum length of {name!r} must be an int >= 0", field=name)
        literal = self.literal_text
        literal_encoding = detect_encoding(literal)
        try:
            minimum = count_many([literal])[0]
        except MessageTooLongError as exc:
            # Past 255 parts: the fewest its units fill, a number as the maximum is (the
            # error spoke of "text 0 of the batch", a batch the caller never gave).
            minimum = exc.segments
        # A default renders when its value is empty, so its characters count too.
        defaults = [p.default for p in self.placeholders if p.default]
        # A width pads a shorter value with its fill character ("{zip:>200}" sends 200
        # characters for "12345"): template text, as a default is. An empty value is
        # never padded, and a width of 1 pads no value.
        pads = [
            _padding(p.spec) if field_max_lengths.get(p.name, 0) else (" ", 0)
            for p in self.placeholders
        ]
        fills = [fill for fill, width in pads if width > 1]
        ucs2 = (
            literal_encoding is Encoding.UCS2
            or alphabet is Alphabet.UCS2
            or any(detect_encoding(d) is Encoding.UCS2 for d in [*defaults, *fills])
        )
        encoding = Encoding.UCS2 if ucs2 else Encoding.GSM7
        units, widest = _units(literal, encoding)
        # Extension characters cost 2 septets in GSM-7 but 1 unit in UCS-2.
        narrow = alphabet is Alphabet.GSM7 or (ucs2 and alphabet is Alphabet.GSM7_EXTENDED)
        value_width = 1 if narrow else 2
        # UCS-2 parts keep a grapheme cluster whole: a UCS-2 value's emoji with a skin
        # tone, or a two-letter flag, is 4 units moved whole, leaving up to 3 units of a
        # part empty.
        # GSM-7 values hold CR LF: in a UCS-2 text, a cluster of 2 units kept whole.
        value_widest = (
            _CLUSTER_UNITS if alphabet is Alphabet.UCS2 else 2 if ucs2 else value_width
        )
        # The template's own clusters (and its defaults') may each leave a part up to
        # their length less one unit short, once; so may a fill that joins the value
        # into one cluster (a combining accent as fill).
        moved = 0
        if ucs2:
            moved = sum(map(_cluster_waste, [literal, *defaults]))
            moved += sum(_fill_waste(fill, width, encoding) for fill, width in pads if width > 1)
        for p, (fill, width) in zip(self.placeholders, pads, strict=True):
            length = field_max_lengths.get(p.name, 0)
            default_units, default_widest = _units(p.default or "", encoding)
            # k value characters and width - k fill characters: at most width of the
            # wider of the two.
            fill_units, fill_widest = _units(fill, encoding)
            padded = width * max(value_width, fill_units) if width > 1 else 0
            units += max(length * value_width, padded, default_units)
            if length:
                widest = max(widest, value_widest)
            if width > 1:
                widest = max(widest, fill_widest)
            if p.default:
                widest = max(widest, default_widest)
        single, concat = (UCS2_SINGLE_UNITS, UCS2_CONCAT_UNITS)
        if not ucs2:
            single, concat = (GSM7_SINGLE_SEPTETS, GSM7_CONCAT_SEPTETS)
        # An indivisible pair (escape + char, surrogate pair) may push up to
        # widest - 1 units of padding into each segment boundary.
        # Integer ceiling: a float quotient is wrong near 2**53 and overflows at 10**400.
        maximum = 1 if units <= single else -(-(units + moved) // (concat - (widest - 1)))
        return SegmentBounds(minimum, max(maximum, minimum), encoding)


def measure(texts: Iterable[str], *, smart: bool = False) -> dict[str, tuple[int, Encoding]]:
    """Segments and encoding of each distinct text (campaigns repeat texts, so each
    distinct text is counted once)."""
    unique = list(dict.fromkeys(texts))
    if smart:
        result = {}
        for text in unique:
            segmented = segment(text, smart=True)
            result[text] = (segmented.segment_count, segmented.encoding)
        return result
    counts = count_many(unique)
    return {
        text: (count, detect_encoding(text)) for text, count in zip(unique, counts, strict=True)
    }


# The head of Python's format spec: [[fill]align][sign]["z"]["#"]["0"][width].
_PADDING = re.compile(r"(?:(.)?([<>=^]))?[-+ ]?z?#?0?(\d*)", re.DOTALL)


def _padding(spec: str) -> tuple[str, int]:
    """The fill character and the width ``spec`` pads a value to (0: no width). A date
    spec ("%b %d") is strftime's text: a digit in it is no width."""
    match = _PADDING.match(spec)
    if not spec or _STRFTIME.search(spec) or match is None or not match.group(3):
        return " ", 0
    # No fill given: a space, or "0" after the "0" flag; both one GSM-7 septet.
    return match.group(1) or " ", int(match.group(3))


# Units of the longest grapheme cluster a UCS-2 value is assumed to hold: an emoji with
# a skin tone, a flag (two regional indicators). Not covered, as the docs say: ZWJ
# sequences (11 units for a family) and the flags of England, Scotland, Wales (14).
_CLUSTER_UNITS = 4


def _cluster_waste(text: str) -> int:
    """Units the clusters of a UCS-2 ``text`` can leave empty at the end of a part, moved
    whole to the next: a cluster of k units up to k - 1, once; one longer than a part is
    cut where it stands (``docs/segments.md``)."""
    if text.isascii() and "\r\n" not in text:  # CR LF is the one ASCII cluster of 2
        return 0
    waste = 0
    for cluster in _CLUSTER.findall(text):
        units = len(cluster.encode("utf-16-le", "surrogatepass")) // 2
        if 1 < units <= UCS2_CONCAT_UNITS:
            waste += units - 1
    return waste


def _fill_waste(fill: str, width: int, encoding: Encoding) -> int:
    """Units a padding run of ``fill`` can leave empty at the end of a part: none when
    each fill character is a cluster of its own; else the run joins a neighbour into one
    cluster (an accent, a joiner, regional indicators), moved whole once a side."""
    if len(_CLUSTER.findall(f"a{fill}{fill}a")) == 4:
        return 0
    run = min(width * _units(fill, encoding)[0] + _CLUSTER_UNITS, UCS2_CONCAT_UNITS)
    return 2 * (run - 1)  # "^" pads both sides


def _units(text: str, encoding: Encoding) -> tuple[int, int]:
    """Units of ``text`` in ``encoding`` and the width of its widest character."""
    if encoding is Encoding.GSM7:
        escapes = sum(text.count(c) for c in _GSM7_EXTENSION if c in text)
        return len(text) + escapes, 2 if escapes else 1
    units = len(text.encode("utf-16-le")) // 2
    return units, 2 if units > len(text) else 1


def campaign_report(
    template: Template,
    rows: Sequence[Mapping[str, object]],
    texts: Sequence[str],
    measured: Mapping[str, tuple[int, Encoding]],
    *,
    smart: bool,
    row_ids: Sequence[int] | None = None,
) -> CampaignReport:
    """The report of :meth:`Template.analyze` from texts already rendered and measured.

    ``row_ids`` gives each row's index in the caller's list (default: its position).
    """
    ids = range(len(rows)) if row_ids is None else row_ids
    segments = tuple(measured[t][0] for t in texts)
    encodings = tuple(measured[t][1] for t in texts)
    histogram = Counter(segments)
    usual = min(histogram, key=lambda n: (-histogram[n], n)) if histogram else 0
    literal_ucs2 = bool(_ucs2_forcing(template.literal_text, smart))
    typical: dict[str, int] | None = None
    issues: list[RowIssue] = []
    for index, text in enumerate(texts):
        if encodings[index] is Encoding.UCS2 and not literal_ucs2:
            issue = template._ucs2_issue(ids[index], rows[index], text, segments[index], smart)
        elif segments[index] > usual:
            if typical is None:  # only worth computing when some row is long
                typical = {name: _median_length(rows, name) for name in template.fields}
            issue = template._long_issue(ids[index], rows[index], segments[index], usual, typical)
        else:
            continue
        issues.append(issue)
    issues.sort(key=lambda i: (i.expected - i.segments, i.row))
    return CampaignReport(segments, encodings, usual, tuple(issues))


def _ucs2_forcing(text: str, smart: bool) -> tuple[str, ...]:
    """The characters that keep ``text`` in UCS-2; with ``smart``, those that smart
    encoding has no GSM-7 look-alike for (a ’ beside a ë is not to blame)."""
    if smart:
        text = min((c for c, _ in smart_candidates(text)), key=lambda c: len(NON_GSM_RE.findall(c)))
    return tuple(c.char for c in non_gsm_characters(text))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _median_length(rows: Sequence[Mapping[str, object]], name: str) -> int:
    lengths = sorted(len(_text(values.get(name))) for values in rows)
    return lengths[len(lengths) // 2] if lengths else 0


def _render_row(template: Template, values: Mapping[str, object], index: int) -> str:
    try:
        return template.render(values)
    except TemplateError as exc:
        raise TemplateError(f"row {index}: {exc}", field=exc.field) from None
