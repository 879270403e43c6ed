"""Chunks mostly beyond ASCII (5 December 2026, perf21n): the route that hangs on a
sample of a chunk's texts, and the groups it screens, held to the readable reference
(``tests/_reference.py``).

- ``chunk_counts`` screens a chunk of over 256 texts whole when fewer than a third of
  every 17th text (``_SAMPLE``) are ASCII, without testing each text: chunks where the
  sample and the whole disagree (the sample beyond ASCII, the rest ASCII, and the other way
  round), or where the sample sits at the third, must count the same.
- Lists of names beyond Latin-1 (Turkish, Cyrillic, CJK) that route takes, with texts
  placed at 255/256/257 (``_screen_groups``' groups), 511/512/513 and the chunk's ends,
  emoji among them or not (the long texts beyond the BMP a chunk's cut screen checks).
- ``screen`` on groups where the euro sign comes before or after the first character
  beyond Latin-1 (where the Latin-1 encoding stops), with Greek capitals (GSM-7 above
  Latin-1), "?", CR and CR LF, a NUL inside a text, combining marks after a name.
- A lone surrogate anywhere in such a list raises ``EncodingError`` naming its text.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from batch_checks import (
    assert_count_many,
    assert_lone_surrogate_named,
    assert_screened,
    words_near_bounds,
)
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

NAMES = ["Ayşe", "Gülşen", "Işıl", "İzmir", "Иван", "Москва", "王芳", "東京"]
PIECES = [
    *NAMES, "€", "€20", "Zoë", "Çelik", "Jürgen", "?", "ΣΩ", "Δ", "α", "\r", "\r\n",
    "\x00", "\u0301", "Ayşe\u0301", "Иван\u0306", "{", "|", "`", "é", "😀",
]  # fmt: skip


def text() -> st.SearchStrategy[str]:
    return words_near_bounds(PIECES, longest=260)


@st.composite
def euro_group(draw: st.DrawFn) -> list[str]:
    """A group with the euro sign before the first character beyond Latin-1 (the
    Latin-1 encoding stops at it) or after it (it stops at a name)."""
    texts = draw(st.lists(text(), max_size=8))
    name = "Dear " + draw(st.sampled_from(NAMES))
    euro = draw(st.sampled_from(["€5", "x" * 158 + "€", "€" * 80, "ok €20 [ref]"]))
    first, second = (euro, name) if draw(st.booleans()) else (name, euro)
    return [first, *texts, second]


@given(euro_group())
@example(["ok €5", "Dear Ayşe"])  # stops at the euro sign, then at a name
@example(["Dear Ayşe", "ok €5"])  # stops at the name: the euro sign stays
@example(["€" * 80, "ΣΩ" * 40, "Dear Иван"])  # GSM-7 above Latin-1, 160 septets
@example(["€5", "what?", "Dear 王芳?"])
@example(["€5", "a\x00b", "Dear Ayşe"])  # a NUL inside a text
@example(["Dear Ayşe\u0301" + "x" * 61 + "\r\n" + "y" * 70, "€5 \r"])
@example(["€5", "Zoë"])  # Latin-1, not GSM-7
def test_screen_reads_the_euro_sign_either_way(texts: list[str]) -> None:
    assert_screened(texts, batch.screen(texts))
    assert_count_many(texts)


# Texts mostly beyond ASCII: the sample sends their chunks to ``_screen_groups`` whole.
BACKGROUND = ["Dear Ayşe, see you at 5", "Иван, ok", "王芳 ok", "Jürgen €20", "ok see you"]
SPOTS = [0, 1, 255, 256, 257, 511, 512, 513, 767, 768, _CHUNK - 1, _CHUNK, _CHUNK + 1]


@st.composite
def wide_list(draw: st.DrawFn) -> list[str]:
    """A list of a boundary size of mostly wide texts (or emoji ones), with drawn
    texts at the group and chunk boundaries or anywhere."""
    size = draw(st.sampled_from([255, 256, 257, 511, 512, 513, 600, _CHUNK, _CHUNK + 300]))
    pool = draw(st.sampled_from([BACKGROUND, [*BACKGROUND, "😀 ok"], ["😀" * 30, "ok 👍🏽"]]))
    texts = [pool[at % len(pool)] for at in range(size)]
    places = st.one_of(
        st.integers(0, size - 1), st.sampled_from([at for at in SPOTS if at < size] + [size - 1])
    )
    for _ in range(draw(st.integers(0, 8))):
        texts[draw(places)] = draw(text())
    return texts


@given(wide_list())
@example(["Dear Ayşe"] * 511 + ["a" * 66 + "e\u0301" + "a" * 10, "€5"])
@example(["王芳 ok"] * 512 + ["ΣΩ" * 80] + ["€" * 80] * 100)
@example(["😀 ok"] + ["Иван, ok"] * 700 + ["a" * 66 + "👨\u200d👩\u200d👧" + "a"])
# A text beyond the BMP in a later group of mostly Cyrillic ones, its cut inside a
# cluster: 134 units, 3 parts (its place in the chunk's cut screen).
@example(["Иван, ok"] * 600 + ["a" * 66 + "👍🏽" + "a" * 64] + ["Иван, ok"] * 10)
def test_wide_chunks_count_as_the_reference(texts: list[str]) -> None:
    assert_count_many(texts)


@given(
    st.lists(text(), min_size=1, max_size=40),
    st.integers(0, 3),
    st.booleans(),
    st.sampled_from([64, 256, 257, 700, 1030]),
)
@example([""], 0, True, 1030)  # the sample all beyond ASCII, the rest ASCII
@example([""], 3, False, 1030)  # the sample all ASCII, the rest beyond it
def test_the_sample_and_the_chunk_may_disagree(
    drawn: list[str], plain_in_three: int, plain_rest: bool, size: int
) -> None:
    # Of every three sampled texts (every ``_SAMPLE``th), ``plain_in_three`` are ASCII (about a
    # third: the threshold), and every other text is ASCII or not, so the sample and
    # the whole chunk can disagree either way; drawn texts spread over the chunk.
    wide, plain = "Dear Ayşe, ok", "ok see you [ref]"
    texts = [
        (plain if at // batch._SAMPLE % 3 < plain_in_three else wide)
        if at % batch._SAMPLE == 0
        else (plain if plain_rest else wide)
        for at in range(size)
    ]
    for at, one in enumerate(drawn):
        texts[(at * 37) % size] = one
    assert_count_many(texts)


@given(wide_list(), st.data())
def test_a_lone_surrogate_names_its_text(texts: list[str], data: st.DataObject) -> None:
    assert_lone_surrogate_named(texts, data)
