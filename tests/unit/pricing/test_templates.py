"""Templates: syntax, strict rendering, campaign analysis, segment bounds."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
import regex
from hypothesis import example, given
from hypothesis import strategies as st

from smskit.errors import TemplateError
from smskit.pricing.templates import Alphabet, IssueKind, Placeholder, Template, escape_template
from smskit.segments.encoding import Encoding


def test_render_fills_fields_in_order() -> None:
    template = Template("Hi {first_name}, see you {day}. Bye {first_name}!")
    assert template.fields == ("first_name", "day")
    assert template.render({"first_name": "Ann", "day": "Friday"}) == (
        "Hi Ann, see you Friday. Bye Ann!"
    )


def test_missing_field_names_it() -> None:
    with pytest.raises(TemplateError, match="'day'") as caught:
        Template("Hi {name}, see you {day}").render({"name": "Ann"})
    assert caught.value.field == "day"


def test_default_used_when_missing_none_or_empty() -> None:
    template = Template("Hi {name|there}!")
    assert template.render({}) == "Hi there!"
    assert template.render({"name": None}) == "Hi there!"
    assert template.render({"name": ""}) == "Hi there!"
    assert template.render({"name": "Zoë"}) == "Hi Zoë!"


def test_empty_value_without_default_renders_empty() -> None:
    assert Template("Hi {name}!").render({"name": ""}) == "Hi !"


def test_date_format_from_iso_text_and_from_date() -> None:
    template = Template("Visit on {date:%b %d}")
    assert template.render({"date": "2026-11-23"}) == "Visit on Nov 23"
    assert template.render({"date": date(2026, 1, 5)}) == "Visit on Jan 05"
    assert Template("{at:%H:%M}").render({"at": "2026-11-23T09:30:00"}) == "09:30"


def test_number_format_from_text_keeps_decimals_exact() -> None:
    template = Template("You owe ${amount:.2f}")
    assert template.render({"amount": "12.5"}) == "You owe $12.50"
    assert template.render({"amount": Decimal("0.125")}) == "You owe $0.12"  # half-even


def test_format_and_default_combine() -> None:
    assert Template("on {date:%d/%m|a day soon}").render({}) == "on a day soon"


def test_bad_value_for_format_names_the_field() -> None:
    with pytest.raises(TemplateError, match=r"'date'.*not an ISO 8601"):
        Template("{date:%b %d}").render({"date": "next week"})
    with pytest.raises(TemplateError, match=r"'amount'.*not a number"):
        Template("{amount:.2f}").render({"amount": "lots"})


def test_escaped_braces_are_literal() -> None:
    template = Template("{{name}} is {name} }}{{")
    assert template.fields == ("name",)
    assert template.render({"name": "Ann"}) == "{name} is Ann }{"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Hi {name", "unclosed or malformed placeholder at position 3"),
        ("Hi name}", r"single '}' at position 7"),
        ("Hi {}", "empty placeholder at position 3"),
        ("Hi {first name}", "invalid field name 'first name'"),
        ("Hi {1st}", "invalid field name '1st'"),
        ("Hi {a{b}}", "malformed placeholder at position 3"),
        ("{x:999999999}", "width or precision over 9999"),
    ],
)
def test_malformed_templates(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        Template(source)


def test_escape_round_trip_simple() -> None:
    assert Template(escape_template("a {b} }c{")).render({}) == "a {b} }c{"


def test_placeholders_and_literal_text() -> None:
    template = Template("A{x:%d|y}B{z}")
    assert template.placeholders == (Placeholder("x", "%d", "y"), Placeholder("z"))
    assert template.literal_text == "AB"


def test_analyze_reports_ucs2_and_long_rows() -> None:
    template = Template("Hi {name}, " + "x" * 140)  # literal: 3 + 2 + 140 = 145 septets
    rows = [
        {"name": "Ann"},  # 148 septets: 1 segment
        {"name": "Zoë"},  # UCS-2, 148 units > 2 x 67: 3 segments
        {"name": "Bob"},
        {"name": "Bartholomew-James"},  # 162 septets: 2 segments
    ]
    report = template.analyze(rows)
    assert report.segments == (1, 3, 1, 2)
    assert report.encodings[1] is Encoding.UCS2
    assert (report.minimum, report.maximum, report.total, report.usual) == (1, 3, 7, 1)
    assert [issue.row for issue in report.issues] == [1, 3]
    ucs2, long = report.issues
    assert ucs2.kind is IssueKind.UCS2
    assert (ucs2.segments, ucs2.expected, ucs2.fields, ucs2.characters) == (3, 1, ("name",), ("ë",))
    assert ucs2.message == "row 1: ë in name forces UCS-2: 3 segments instead of 1"
    assert long.kind is IssueKind.EXTRA_SEGMENT
    assert (long.segments, long.expected, long.fields) == (2, 1, ("name",))


def test_analyze_names_the_row_that_cannot_render() -> None:
    with pytest.raises(TemplateError, match="row 1: missing value for field 'name'"):
        Template("{name}").analyze([{"name": "a"}, {}])


def test_analyze_does_not_blame_rows_when_the_template_itself_is_ucs2() -> None:
    report = Template("Olá {name}").analyze([{"name": "Zoë"}, {"name": "Ann"}])
    assert report.issues == ()


def test_segment_bounds_gsm7() -> None:
    template = Template("Hi {name}, " + "x" * 140)  # literal: 145 septets
    bounds = template.segment_bounds({"name": 15})
    assert (bounds.minimum, bounds.maximum, bounds.encoding) == (1, 1, Encoding.GSM7)  # 160
    assert template.segment_bounds({"name": 16}).maximum == 2  # 161 septets


def test_segment_bounds_extended_and_ucs2_values() -> None:
    template = Template("Hi {name}, " + "x" * 140)
    # 145 + 2 x 10 = 165 septets; an escape pair may waste one septet per boundary: 152/part
    extended = template.segment_bounds({"name": 10}, alphabet=Alphabet.GSM7_EXTENDED)
    assert (extended.maximum, extended.encoding) == (2, Encoding.GSM7)
    # 145 + 2 x 10 = 165 UTF-16 units, 66 per part (a surrogate pair never splits): 3
    ucs2 = template.segment_bounds({"name": 10}, alphabet=Alphabet.UCS2)
    assert (ucs2.maximum, ucs2.encoding) == (3, Encoding.UCS2)


def test_segment_bounds_uses_defaults_and_requires_lengths() -> None:
    template = Template("{greeting|Hello there}, {name}")
    assert template.segment_bounds({"name": 5}).maximum == 1
    with pytest.raises(TemplateError, match="'name'"):
        template.segment_bounds({})


# --- review fixes ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "sNaN", "1e99999999", "1e-99999999"])
def test_number_field_must_be_a_plausible_finite_number(value: str) -> None:
    # "{amount:.2f}" used to render "NaN", or a 100-million-digit string for 1e99999999.
    with pytest.raises(TemplateError, match="amount") as caught:
        Template("Pay {amount:.2f}").render({"amount": value})
    assert caught.value.field == "amount"


def test_segment_bounds_counts_a_default_that_forces_ucs2() -> None:
    # The default "Zoë" renders when name is empty: 4 + 3 + 1 + 100 = 108 chars of
    # UCS-2 > 70 units, so 2 segments (108 <= 2 x 67).
    template = Template("Hi {name|Zoë}, " + "x" * 100)
    bounds = template.segment_bounds({"name": 5}, alphabet=Alphabet.GSM7)
    assert bounds.encoding is Encoding.UCS2
    assert bounds.maximum == 2


def test_segment_bounds_counts_extension_characters_in_a_default() -> None:
    # Ten euro signs are 20 septets: "Hi " 3 + 20 + ", " 2 + 140 = 165 septets > 160.
    template = Template("Hi {name|€€€€€€€€€€}, " + "x" * 140)
    assert template.segment_bounds({"name": 1}).maximum == 2


def test_segment_bounds_refuses_a_bool_length() -> None:
    with pytest.raises(TemplateError, match="'name'"):
        Template("Hi {name}").segment_bounds({"name": True})



def test_percent_format_of_a_number_cell_is_not_taken_for_a_date() -> None:
    # ".0%" is Python's percent presentation type, not a strftime directive.
    assert Template("{d:.0%} off").render({"d": "0.25"}) == "25% off"
    assert Template("{d:.1%}").render({"d": "0.125"}) == "12.5%"
    assert Template("{d:%d %b}").render({"d": "2026-12-03"}) == "03 Dec"


def test_smart_analysis_blames_the_value_when_smart_encoding_fixes_the_template() -> None:
    # With smart encoding the template's ’ becomes ', so the template is GSM-7 and it
    # is Zoë's ë that forces UCS-2 (3 segments of 67 for 156 units instead of 1).
    template = Template("It’s {name}, " + "x" * 140)
    report = template.analyze([{"name": "Ann"}, {"name": "Zoë"}], smart=True)
    (issue,) = report.issues
    assert (issue.row, issue.kind, issue.fields, issue.characters) == (
        1,
        IssueKind.UCS2,
        ("name",),
        ("ë",),
    )
    assert (issue.segments, issue.expected) == (3, 1)


def test_ucs2_row_that_costs_no_more_says_so() -> None:
    # "Zoë" alone is 3 UCS-2 units: one segment with or without the ë.
    report = Template("Hi {name}").analyze([{"name": "Zoë"}])
    (issue,) = report.issues
    assert (issue.segments, issue.expected) == (1, 1)
    assert issue.message == "row 0: ë in name forces UCS-2: 1 segment either way"


def test_an_invisible_character_is_named_not_printed() -> None:
    # Pasted from a web form: a zero-width space and a no-break space. Printed as they
    # are, the message showed a blank before "forces UCS-2"; the marketer could not
    # find what to delete.
    report = Template("Hi {name}").analyze([{"name": "Zo\u200be\u00a0Li"}])
    (issue,) = report.issues
    assert issue.detail == (
        "U+200B ZERO WIDTH SPACE, U+00A0 NO-BREAK SPACE in name forces UCS-2: "
        "1 segment either way"
    )


# --- a real-estate CRM's merge fields (user23) ------------------------------------


@pytest.mark.parametrize(
    ("source", "cell", "expected"),
    [
        # A ZIP code or an MLS number is text: its leading zeros are part of it
        # (these used to render " 2134" and "    123456": read as Decimal first).
        ("{v:>5}", "02134", "02134"),
        ("{v:>10}", "00123456", "  00123456"),
        ("{v:<4}|", "007", "007 |"),
        ("{v:s}", "0042", "0042"),  # used to be "cannot format Decimal with 's'"
        ("{v:*^7}", "ab", "**ab***"),
        ("{v:6}|", "Zoë", "Zoë   |"),  # a name padded like any str, not "not a number"
        # A bare width still right-aligns a number cell, and a 0 width still zero-pads.
        ("{v:5}|", "3", "    3|"),
        ("{v:05}", "3", "00003"),
        ("{v:,}", "489000", "489,000"),
    ],
)
def test_text_specs_keep_the_cell_as_written(source: str, cell: str, expected: str) -> None:
    assert Template(source).render({"v": cell}) == expected


def test_integer_format_of_a_whole_number_cell() -> None:
    # "{beds:d}" on the CSV cell "3" used to fail: Decimal has no 'd' presentation.
    assert Template("{beds:d} bd").render({"beds": "3"}) == "3 bd"
    assert Template("{n:x}").render({"n": "255"}) == "ff"
    with pytest.raises(TemplateError, match="not a whole number") as caught:
        Template("{beds:d} bd").render({"beds": "3.5"})
    assert caught.value.field == "beds"


@pytest.mark.parametrize("blank", [" ", "   ", "\t", " \u00a0"])
def test_a_blank_cell_takes_the_default(blank: str) -> None:
    # A CRM export writes an unknown first name as " ": this sent "Hi   , ...".
    assert Template("Hi {first_name|there},").render({"first_name": blank}) == "Hi there,"
    # Without a default, a blank cell renders as written, as "" renders empty.
    assert Template("Hi {first_name},").render({"first_name": blank}) == f"Hi {blank},"


def test_an_empty_cell_without_default_still_renders_empty_under_a_spec() -> None:
    assert Template("[{amount:.2f}]").render({"amount": ""}) == "[]"


# --- review rev23u ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "cell", "expected"),
    [
        # A ZIP code a spreadsheet stored as a number, zero-filled back: the fill "0"
        # was taken for a bare width and given a second alignment (">0>5").
        ("{zip:0>5}", "2134", "02134"),
        ("{zip:0>5}", "02134", "02134"),
        ("{n:1<3}", "7", "711"),
        ("{n:0^5}", "7", "00700"),
        # "s" asks for text: left-aligned, as Python aligns a str (it was right-aligned).
        ("{n:5s}|", "7", "7    |"),
    ],
)
def test_a_digit_fill_is_not_a_bare_width(source: str, cell: str, expected: str) -> None:
    assert Template(source).render({"zip": cell, "n": cell}) == expected


@pytest.mark.parametrize("nan", [float("nan"), Decimal("NaN"), Decimal("sNaN")])
def test_a_nan_value_is_no_value(nan: object) -> None:
    # pandas reads an empty price cell as NaN: this sent "Listed at $nan".
    assert Template("Listed at ${price|call us}").render({"price": nan}) == "Listed at $call us"
    assert Template("${price:,.2f|call us}").render({"price": nan}) == "$call us"
    with pytest.raises(TemplateError, match="missing value for field 'price'"):
        Template("Listed at ${price:,.2f}").render({"price": nan})


# --- follow-ups of user23 and rev23u ------------------------------------------------


class _Cell(str):
    """A str subclass, as a dataframe library hands out (numpy.str_)."""


@pytest.mark.parametrize("blank", [" ", "   ", "\t", ""])
def test_a_blank_str_subclass_cell_takes_the_default(blank: str) -> None:
    # numpy.str_("  ") rendered "Hi   ," where a str "  " took the default.
    cell = _Cell(blank)
    assert Template("Hi {first_name|there},").render({"first_name": cell}) == "Hi there,"
    assert Template("Hi {first_name:>3|there},").render({"first_name": cell}) == "Hi there,"
    assert Template("Hi {first_name},").render({"first_name": cell}) == f"Hi {blank},"
    assert Template("Hi {first_name|there},").render({"first_name": _Cell("Ann")}) == "Hi Ann,"


def test_a_blank_numpy_str_cell_takes_the_default() -> None:
    numpy = pytest.importorskip("numpy")
    cell = numpy.str_("  ")
    assert Template("Hi {first_name|there},").render({"first_name": cell}) == "Hi there,"
    assert Template("Hi {first_name|there},").render(
        {"first_name": numpy.str_("Ann")}) == "Hi Ann,"


@pytest.mark.parametrize(
    ("source", "cell", "expected"),
    [
        # A precision with no type cuts a text cell, as Python cuts a str (it was
        # "not a number").
        ("{v:.10}", "Alexandria Smith", "Alexandria"),
        ("{v:<12.4}|", "Christopher", "Chri        |"),
        ("{v:.3s}", "Zoë Lee", "Zoë"),
        ("{v:.4s}", "00123456", "0012"),  # "s" asks for text, even of digits
        ("{v:.20}", "Ann", "Ann"),
        # A cell that reads as a number is still a number under it: two significant
        # digits, as format(Decimal("3.14159"), ".2") gives.
        ("{v:.2}", "3.14159", "3.1"),
        ("{v:8.2}|", "3.14159", "     3.1|"),
        ("{v:<6.3}|", "2.71828", "2.72  |"),
    ],
)
def test_a_precision_cuts_a_text_cell(source: str, cell: str, expected: str) -> None:
    assert Template(source).render({"v": cell}) == expected


# --- rev23m: what a precision does to cells that are not plain text or plain numbers --


@pytest.mark.parametrize(
    ("source", "cell", "expected"),
    [
        # The cut never splits a grapheme cluster: "José" written with a combining
        # accent lost its accent, a flag or a family emoji was half of itself.
        ("{v:.4}", "Jose\u0301 Luis", "Jos"),
        ("{v:.5}", "Jose\u0301", "Jose\u0301"),  # five code points: whole
        ("{v:.3}", "\U0001F1FA\U0001F1F8\U0001F1E8\U0001F1E6", "\U0001F1FA\U0001F1F8"),
        ("{v:.3}", "Al\U0001F44B\U0001F3FD", "Al"),  # a waving hand and its skin tone
        ("{v:.5}", "a\U0001F468\u200d\U0001F469\u200d\U0001F467", "a"),
        ("{v:>6.4}|", "Jose\u0301 Luis", "   Jos|"),
        ("{v:.3s}", "Jose\u0301", "Jos"),
        # A whole number with a leading zero is an identifier (ZIP, MLS, code): cut as
        # text. As a number, "02134" lost its zero and "0012345" became "1.23E+4".
        ("{v:.5}", "02134", "02134"),
        ("{v:.10}", "0012345678", "0012345678"),
        ("{v:.3}", "0012345", "001"),
        ("{v:.2}", "007", "00"),
        # Still numbers: no leading zero, or a zero before the point.
        ("{v:.2}", "0.5", "0.5"),
        ("{v:.2}", "1e3", "1E+3"),  # format(Decimal("1e3"), ".2")
    ],
)
def test_a_precision_keeps_clusters_and_leading_zeros(
    source: str, cell: str, expected: str
) -> None:
    assert Template(source).render({"v": cell}) == expected


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-Infinity", "sNaN"])
def test_a_precision_refuses_a_nan_cell(cell: str) -> None:
    # A cell "nan" (what pandas' astype(str) makes of an empty number cell) was cut to
    # "na" by "{price:.2}": "Listed at $na". It is not a number, as under ".2f".
    with pytest.raises(TemplateError, match="is not a number") as caught:
        Template("Listed at ${price:.2}").render({"price": cell})
    assert caught.value.field == "price"


# Characters that join their neighbours (accents, ZWJ, flags' halves, skin tones, Hangul
# jamo, CR LF) among any others.
_JOINING = st.sampled_from(
    ["a", "\u0301", "\u200d", "\U0001F468", "\U0001F1FA", "\U0001F1F8", "\U0001F3FD",
     "\r", "\n", "\u1100", "\u1161", "\u0915", "\u094d"]
)


@given(st.text(_JOINING | st.characters(exclude_categories=("Cs",)), max_size=24),
       st.integers(min_value=0, max_value=12))
@example("\u0301", 1).via("an accent")
@example("\U0001F1FA\U0001F1F8", 2).via("a flag")
def test_a_cut_text_cell_is_whole_grapheme_clusters(text: str, limit: int) -> None:
    cell = "x" + text  # never a number
    out = Template("{v:." + str(limit) + "}").render({"v": cell})
    ends = list(itertools.accumulate(len(c) for c in regex.findall(r"\X", cell)))
    assert cell.startswith(out)
    assert len(out) <= limit
    # The longest head of whole clusters that fits: no cluster split, none left out.
    assert len(out) == max([0, *(end for end in ends if end <= limit)])


def test_a_header_copied_with_its_space_is_told_the_field_that_reads_it() -> None:
    # A field-service export heads a column "Window Start"; the template author wrote
    # {Window Start} and was told only which characters a name may hold (user36).
    with pytest.raises(TemplateError) as raised:
        Template("Between {Window Start} and {Window End}")
    assert "for a column headed 'Window Start', write {window_start}" in str(raised.value)
    with pytest.raises(TemplateError) as raised:
        Template("Hi {1st}")
    assert "column headed" not in str(raised.value)


def test_the_hinted_field_is_the_one_the_command_line_reads_the_column_with() -> None:
    # Two spaces in the header: the command line keys it window__start, so the hint
    # must name that field, not window_start (which reads no column there).
    with pytest.raises(TemplateError) as raised:
        Template("Between {Window  Start} and 4 pm")
    assert "write {window__start}" in str(raised.value)
