"""``_named_counts``: groups of mostly Latin-1 texts with a GSM-7 one among them and
names beyond Latin-1 (``wide_counts``' route), classed from their UTF-8 less the
plain GSM-7 ASCII characters, "?" standing for a character beyond Latin-1. Held to
the readable reference (``tests/_reference.py``), never to the code under test.

The texts straddle every cut of the path: GSM-7 texts whose escapes (and the euro
sign) sit at and around septet 153, 160, 306 (an escape pair across a cut, and the
table's gaps), names beyond Latin-1 at and around the UCS-2 cuts (67 x k, 70/71),
marks and CR LF beside them, a plain "?" (which must not read as a name), Greek
capitals (GSM-7, handed to ``_astral_counts``), empty texts, and NULs.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from batch_checks import (
    BOUNDS,
    assert_count_many,
    assert_lone_surrogate_named,
    assert_screened,
    words_near_bounds,
)
from smskit.segments import _batch as batch

NAMES = ["Ayşe", "İzmir", "Işıl", "Иван", "Москва", "王芳", "ğ", "ş"]
PIECES = [
    *NAMES, "€", "{", "}", "[", "]", "~", "^", "\\", "|", "?", "??", "é", "ã", "ü", "Ç",
    "`", "\x0c", "\r\n", "\r", "\n", "e\u0301", "\u0301", "ΣΩ", "Δ", "α", "\x00", "\x7f",
]  # fmt: skip


def text() -> st.SearchStrategy[str]:
    return words_near_bounds(PIECES, longest=330)


@st.composite
def group(draw: st.DrawFn) -> list[str]:
    """Texts with a GSM-7 one (escapes at its cuts) and a name beyond Latin-1."""
    texts = draw(st.lists(text(), min_size=0, max_size=10))
    septets = draw(st.sampled_from([150, 151, 152, 153, 158, 159, 160, 303, 304, 305]))
    gsm = "x" * septets
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(gsm)))
        gsm = gsm[:at] + draw(st.sampled_from(["{", "€", "~", "[]"])) + gsm[at:]
    texts.insert(draw(st.integers(0, len(texts))), gsm)
    texts.insert(draw(st.integers(0, len(texts))), "Dear " + draw(st.sampled_from(NAMES)))
    return texts


@given(group())
@example(["Dear Ayşe", "x" * 152 + "{" + "x" * 152])  # an escape pair across the cut
@example(["Dear Ayşe", "x" * 159 + "€"])  # 161 septets: two parts
@example(["Dear Ayşe", "what?", "x" * 158 + "?"])  # a plain "?" is GSM-7
@example(["Dear Ayşe", "ΣΩ" * 80, ""])  # Greek capitals: GSM-7
@example(["Dear Ayşe" + "x" * 58 + "e\u0301" + "y" * 70, "ok"])  # a mark at a cut
@example(["Dear Ayşe" + "x" * 57 + "\r\n" + "y" * 70, "ok"])  # CR LF at a cut
@example(["", "Dear Ayşe", ""])
@example(["a\x00b", "Dear Ayşe", "ok"])  # a NUL inside a text
def test_named_counts_are_the_reference(texts: list[str]) -> None:
    assert_screened(texts, batch._named_counts(texts, batch.SEP.join(texts).replace("€", "|")))


@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5), st.sampled_from(BOUNDS))
def test_names_at_a_cut_count_their_units(names: list[str], at: int) -> None:
    # A name beyond Latin-1 straddling a UCS-2 cut joins nothing: units alone count.
    filler = "x" * at
    one = filler + "".join(names) + filler
    texts = [one, "ok", "x" * 158 + "€€"]  # 162 septets: 2 parts
    counts = batch._named_counts(texts, batch.SEP.join(texts).replace("€", "|"))
    assert counts == [ref.count(one), 1, 2]


def test_by_example() -> None:
    # Hand-made expectations: 9 units (1 part); 306 septets whose escape pair would
    # straddle the first cut at 153, so the first part ends at 152 and a third part
    # is needed; the same with the pair just after the cut (2 parts); 160 plain
    # septets with "?" (1 part); 71 units of UCS-2 (2 parts); an empty text (1 part).
    texts = [
        "Dear Ayşe", "x" * 152 + "{" + "x" * 152, "x" * 153 + "{" + "x" * 151, "?" * 160,
        "ã" + "x" * 70, "",
    ]  # fmt: skip
    joined = batch.SEP.join(texts)
    assert batch._named_counts(texts, joined) == [1, 3, 2, 1, 2, 1]


@given(st.lists(text(), min_size=1, max_size=30), st.sampled_from([0, 200, 255, 700, 1020]))
def test_count_many_on_mixed_chunks(texts: list[str], fill: int) -> None:
    # Names and euro prices (mostly Latin-1, a GSM-7 text among them) fill the chunk so
    # the drawn texts fall on the bounds of its groups of 256 and of the chunks.
    batch_ = ["Dear Иван, ok", "ok €5 [ref]"] * (fill // 2) + texts + ["", "Ayşe"]
    assert_count_many(batch_)


@given(group(), st.data())
def test_a_lone_surrogate_names_its_text(texts: list[str], data: st.DataObject) -> None:
    texts = [*texts, "Dear Ayşe, ok", "ok €5"] * 3
    assert_lone_surrogate_named(texts, data)
