"""Review rev31c: what a template costs, three ways that must agree.

For random templates and fills (long names, non-GSM names, emoji, fills holding
``{``/``}``/``€``, fills that stop smart encoding's replacements in the template's own
text): ``estimate`` counts each row exactly as ``segment`` counts the rendered text
(docs/pricing.md: "counts the segments exactly"), with and without smart encoding, and
``segment_bounds`` is at or above that count (its documented assumption: clusters of at
most 4 UTF-16 units in values).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smskit.errors import MessageTooLongError
from smskit.pricing import RateCard, estimate
from smskit.pricing.templates import Alphabet, Template, escape_template
from smskit.segments.segmentation import segment

_CARD = RateCard.load(Path(__file__).resolve().parents[3] / "examples" / "rates.toml")
# Clusters a value may hold, by the alphabet it is declared in.
_GSM = ["a", "Z", " ", ".", "é", "Ø", "@", "\n", "\r\n", "_"]
_EXT = [*_GSM, "€", "{", "}", "[", "~", "|", "\\", "^"]
_ANY = [*_EXT, "ë", "ł", "王", "Ж", "😀", "👍🏽", "🇬🇧", "e\u0301", "\u2019", "\u00a0", "\u2013"]
_CLUSTERS = {Alphabet.GSM7: _GSM, Alphabet.GSM7_EXTENDED: _EXT, Alphabet.UCS2: _ANY}
# The template's own text: GSM-7, look-alikes smart encoding replaces, and worse.
_LITERAL = st.text(alphabet="ab .,{}€[\u2019\u201c\u2026\u00a0\u2014ëЖ😀", max_size=90)
_SPECS = st.sampled_from(["", ">12", "<5", "^7", "*>20", "€^9", "ł<4", ".6", ">8.3", "10s"])


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.sampled_from(list(Alphabet)),
    st.lists(st.tuples(_LITERAL, _SPECS, st.sampled_from([None, "there", "€", "Zoë"]),
                       st.integers(0, 90)), min_size=1, max_size=3),
    _LITERAL,
    st.booleans(),
    st.data(),
)
def test_estimate_is_segment_and_the_bound_holds(
    alphabet: Alphabet,
    parts: list[tuple[str, str, str | None, int]],
    tail: str,
    smart: bool,
    data: st.DataObject,
) -> None:
    source = "".join(
        escape_template(text) + f"{{f{i}" + (f":{spec}" if spec else "")
        + (f"|{default}" if default else "") + "}"
        for i, (text, spec, default, _) in enumerate(parts)
    ) + escape_template(tail)
    template = Template(source)
    lengths = {f"f{i}": length for i, (*_, length) in enumerate(parts)}
    bounds = template.segment_bounds(lengths, alphabet=alphabet)
    rows = []
    for _ in range(2):
        row: dict[str, object] = {"number": "+12025550123"}
        for name, length in lengths.items():
            value = ""
            for cluster in data.draw(st.lists(st.sampled_from(_CLUSTERS[alphabet]),
                                              max_size=length)):
                if len(value) + len(cluster) > length:
                    break
                value += cluster
            row[name] = value
        rows.append(row)
    try:
        counted = [segment(template.render(row), smart=smart) for row in rows]
    except MessageTooLongError:
        return
    result = estimate(template, rates=_CARD, recipients=rows, smart=smart)
    # A blank text is not sent, so the estimate leaves it out and names its row.
    blank = tuple(i for i, row in enumerate(rows) if not template.render(row).strip())
    assert result.blank_texts == blank
    sent = [s for i, s in enumerate(counted) if i not in blank]
    assert [item.segments for item in result.items] == [s.segment_count for s in sent]
    assert [item.encoding for item in result.items] == [s.encoding for s in sent]
    for message in counted:
        # Smart encoding never adds a part, so the plain bound holds for it too.
        assert message.segment_count <= bounds.maximum, (source, lengths, rows, bounds)
        if not smart:
            assert message.segment_count >= bounds.minimum
