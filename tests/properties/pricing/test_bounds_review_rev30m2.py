"""Review of rev30m: ``segment_bounds`` is an upper bound of any render within what its
docs assume, checked against the real segmenter (``count_many``, as estimate counts).

Values hold whole clusters of at most 4 UTF-16 units (the documented assumption: an
emoji with a skin tone, a regional-indicator flag, a letter and its accent, CR LF);
the template's own text holds any of them, and specs pad, align and cut.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smskit.pricing.templates import Alphabet, Template, escape_template
from smskit.segments.segmentation import count_many

# Whole clusters of at most 4 units, by alphabet (a value is a run of these).
_GSM = ["a", "Z", " ", ".", "é", "Ø", "\r\n", "\n", "\r"]
_EXT = [*_GSM, "€", "[", "~"]
_ANY = [*_EXT, "ł", "王", "😀", "👍🏽", "🇬🇧", "e\u0301", "\U0001F9D1\U0001F3FF"]
_CLUSTERS = {Alphabet.GSM7: _GSM, Alphabet.GSM7_EXTENDED: _EXT, Alphabet.UCS2: _ANY}
# The template's own text may hold longer clusters too: they count once each.
_LITERAL = [*_ANY, "👩\u200d💻", "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063"
            "\U000E0074\U000E007F", "x" * 20, "y" * 40]
_SPECS = st.one_of(
    st.just(""),
    st.builds(
        lambda fill, align, width, precision: f"{fill}{align}{width}{precision}",
        st.sampled_from(["", "*", "0", "ł", "€", "x", "\u0301", "\u200d", "🇬"]),
        st.sampled_from("<>^"),
        st.sampled_from(["", "1", "2", "7", "20", "45", "70"]),
        st.sampled_from(["", ".3", ".40"]),
    ).filter(lambda spec: spec[0] in "<>^" or spec[1] in "<>^"),
)


def _run(clusters: list[str]) -> str:
    return "".join(clusters)


@given(
    st.sampled_from(list(Alphabet)),
    st.lists(
        st.tuples(st.lists(st.sampled_from(_LITERAL), max_size=6), _SPECS,
                  st.sampled_from([None, "", "ł", "there", "👍🏽"]), st.integers(0, 120)),
        min_size=1, max_size=3,
    ),
    st.lists(st.sampled_from(_LITERAL), max_size=4),
    st.data(),
)
def test_segment_bounds_are_an_upper_bound_of_any_render(
    alphabet: Alphabet,
    parts: list[tuple[list[str], str, str | None, int]],
    tail: list[str],
    data: st.DataObject,
) -> None:
    source = "".join(
        escape_template(_run(text)) + f"{{f{i}" + (f":{spec}" if spec else "")
        + ("" if not default else f"|{default}") + "}"
        for i, (text, spec, default, _) in enumerate(parts)
    ) + escape_template(_run(tail))
    template = Template(source)
    lengths = {f"f{i}": length for i, (*_, length) in enumerate(parts)}
    bounds = template.segment_bounds(lengths, alphabet=alphabet)
    values = {}
    for name, length in lengths.items():
        # Mostly at the field's length, where the bound is tight.
        clusters = data.draw(st.lists(st.sampled_from(_CLUSTERS[alphabet]),
                                      min_size=data.draw(st.sampled_from([0, length, length])),
                                      max_size=length))
        value = ""
        for cluster in clusters:  # whole clusters up to the field's length
            if len(value) + len(cluster) > length:
                break
            value += cluster
        values[name] = value
    text = template.render(values)
    assert count_many([text])[0] <= bounds.maximum, (source, lengths, values)
