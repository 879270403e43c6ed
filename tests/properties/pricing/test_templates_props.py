"""Property tests for template parsing and rendering."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import TemplateError
from smskit.pricing.templates import Alphabet, Template, escape_template
from smskit.segments.segmentation import count_segments

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,10}", fullmatch=True)
plain_values = st.text(max_size=20)


@given(st.text())
def test_any_text_escaped_renders_back_to_itself(text: str) -> None:
    assert Template(escape_template(text)).render({}) == text


def _parse_and_render(source: str) -> None:
    """Parse ``source``; if it parses, render it with a value for every field.

    Either step may raise TemplateError (a malformed template; a spec that does not
    fit the value), and a render error always names one of the template's fields.
    Any other exception fails the test.
    """
    try:
        template = Template(source)
    except TemplateError:
        return
    failure: TemplateError | None = None
    try:
        rendered = template.render(dict.fromkeys(template.fields, "1"))
    except TemplateError as exc:
        failure = exc
    if failure is None:
        assert isinstance(rendered, str)
    else:
        assert failure.field in template.fields


@given(st.text())
def test_any_str_parses_or_raises_template_error(source: str) -> None:
    _parse_and_render(source)


@given(st.text(alphabet=string.printable + "{}|:%ë€"))
def test_brace_heavy_sources_parse_or_raise_template_error(source: str) -> None:
    _parse_and_render(source)


@given(st.lists(st.tuples(st.text(max_size=10), names, plain_values), max_size=5), st.text())
def test_render_is_literal_text_around_values(parts: list[tuple[str, str, str]], tail: str) -> None:
    source = "".join(
        escape_template(text) + "{" + name + "}" for text, name, _ in parts
    ) + escape_template(tail)
    values: dict[str, str] = {}
    for _, name, value in parts:
        values.setdefault(name, value)
    expected = "".join(text + values[name] for text, name, _ in parts) + tail
    assert Template(source).render(values) == expected


# segment_bounds: any data within the stated lengths and alphabet lands inside the bounds.
_GSM_BASIC = string.ascii_letters + string.digits + " .,!?-@£$¥èéùìòÇØøÅåÆæßÉÄÖÑÜ§äöñüà"
_GSM_EXTENDED = _GSM_BASIC + "^{}\\[~]|€"
_UCS2 = _GSM_EXTENDED + "ëŁ王😀Ж"
_ALPHABETS = {
    Alphabet.GSM7: _GSM_BASIC,
    Alphabet.GSM7_EXTENDED: _GSM_EXTENDED,
    Alphabet.UCS2: _UCS2,
}
_defaults = st.none() | st.text(alphabet=_UCS2.replace("{", "").replace("}", "").replace("|", ""))


@given(
    st.sampled_from(list(Alphabet)),
    st.lists(st.tuples(st.text(alphabet=_UCS2, max_size=60), _defaults), min_size=1, max_size=3),
    st.data(),
)
def test_segment_bounds_hold_for_any_data_that_fits(
    alphabet: Alphabet, parts: list[tuple[str, str | None]], data: st.DataObject
) -> None:
    source = "".join(
        escape_template(text) + "{f" + str(i) + ("" if d is None else "|" + d) + "}"
        for i, (text, d) in enumerate(parts)
    )
    template = Template(source)
    lengths = {f"f{i}": data.draw(st.integers(0, 200)) for i in range(len(parts))}
    bounds = template.segment_bounds(lengths, alphabet=alphabet)
    values = {
        name: data.draw(st.text(alphabet=_ALPHABETS[alphabet], max_size=length))
        for name, length in lengths.items()
    }
    count = count_segments(template.render(values))
    assert bounds.minimum <= count <= bounds.maximum


# --- review rev23u: every spec a CRM user writes, on every kind of cell -------------

_SPEC_CHARS = "0123456789<>^=+- ,_.#%sdxXobneEfFgGcYmHMz*"
_cells = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"[-+ ]?[0-9]{0,6}(\.[0-9]{0,4})?([eE][-+]?[0-9]{1,5})?", fullmatch=True),
    st.sampled_from(["nan", "inf", "-0", "sNaN", "1e9999", "1e-9999", "0012", " 42 ", "３",
                     "١٢", "2026-12-07", "2026-12-07T10:00:00+00:00"]),
    st.decimals(), st.floats(), st.integers(), st.booleans(), st.none(), st.dates(),
)


@given(st.text(_SPEC_CHARS, min_size=1, max_size=8), _cells)
def test_any_spec_on_any_cell_renders_or_names_the_field(spec: str, cell: object) -> None:
    try:
        template = Template(f"{{v:{spec}}}")
    except TemplateError:
        return
    failure: TemplateError | None = None
    try:
        template.render({"v": cell})
    except TemplateError as exc:  # anything else (a ValueError, a traceback) fails
        failure = exc
    assert failure is None or failure.field == "v"


@given(
    st.text(alphabet=string.ascii_letters + string.digits + " -.", min_size=1, max_size=12)
    .filter(lambda s: not s.isspace()),
    st.sampled_from(["", "*", "0", "1", "x"]),
    st.sampled_from("<>^"),
    st.integers(1, 20),
)
def test_an_aligned_cell_keeps_its_characters(cell: str, fill: str, align: str, width: int) -> None:
    # A ZIP or an MLS number under {v:>5} or {v:0>5} is the text as written, padded.
    rendered = Template(f"{{v:{fill}{align}{width}}}").render({"v": cell})
    assert cell in rendered
    assert len(rendered) == max(width, len(cell))
