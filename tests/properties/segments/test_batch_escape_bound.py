"""GSM-7 groups dense with escapes counted by their lengths (``_escaped_counts``).

Where no text of a group holds four escapes or more, a text's count is its length's
plain one unless its length lies within three septets of a part's end (or of a length
where an escape pair may straddle a cut); only those are counted by their escapes.
Texts are built at and around those lengths (158-161, 302-307, 456-461), with up to
three escapes (the bound's side) or four and more (the comprehension's), on and beside
the cuts, with euro signs (screened apart, "|" in the joined bytes), Latin-1 GSM-7
letters, empty texts, and beside texts of other classes. Held to the readable
reference (``tests/_reference.py``)."""

from __future__ import annotations

import random

from hypothesis import example, given
from hypothesis import strategies as st

from batch_checks import assert_count_many, assert_lone_surrogate_named, assert_screened
from smskit import count_many
from smskit.segments import _batch as batch

ASCII_ESCAPES = "{}[]~|^\\"
NEAR_ENDS = [*range(150, 162), *range(298, 310), *range(452, 462)]


@st.composite
def escaped_text(draw: st.DrawFn, most: int = 3) -> str:
    """ASCII words of a length near a part's end (or any up to 320), with up to
    ``most`` escapes (one at least, mostly), some on or beside a cut."""
    length = draw(st.one_of(st.sampled_from(NEAR_ENDS), st.integers(0, 320)))
    chars = list(("see you at 5 ok " * (length // 16 + 1))[:length])
    for _ in range(draw(st.integers(min(1, most), most))):
        at = draw(st.one_of(st.sampled_from([151, 152, 153, 154, 304, 305, 306]), st.integers()))
        chars.insert(at % (len(chars) + 1), draw(st.sampled_from(ASCII_ESCAPES)))
    return "".join(chars)


# Two escapes in four characters: a group of them is dense, none near a part's end.
FILLER = "[ok]"


def _filled(texts: list[str]) -> list[str]:
    """``texts`` and enough fillers for the bound's route (``_ESCAPED_FROM`` texts)."""
    return texts + [FILLER] * max(0, batch._ESCAPED_FROM - len(texts))


def _group(texts: list[str]) -> list[int]:
    """``latin1_counts`` of ``texts`` as ``ascii_counts`` calls it."""
    return batch.latin1_counts(texts, "\x00".join(texts).encode("latin-1"))


def test_the_safe_lengths_by_hand() -> None:
    # Up to three escapes: 157 + 3 = 160 septets is one part, 158 + 3 = 161 two.
    assert batch._SAFE_PARTS[157] == 1
    assert batch._SAFE_PARTS[158] == 0
    assert batch._SAFE_PARTS[160] == 0
    assert batch._SAFE_PARTS[161] == 2
    # 301 + 3 = 304 septets: two parts of 152 or 153 either way; 302 + 3 = 305 may need
    # three (a pair straddling the first cut leaves 152 + 153 = 305 no room).
    assert batch._SAFE_PARTS[301] == 2
    assert batch._SAFE_PARTS[302] == 0
    assert batch._SAFE_PARTS[306] == 0
    assert batch._SAFE_PARTS[307] == 3
    assert batch._SAFE_PARTS[0] == 1


def _leftover(texts: list[str]) -> bytes:
    return "\x00".join(texts).encode().translate(None, batch._PLAIN_LATIN1)


def test_a_group_by_hand() -> None:
    # Counted by hand: 157 + 3 escapes = 160 septets (1); 158 + 3 = 161 (2); 302 + 1
    # escape = 303 (2); 300 with none (2); "" (1). Every text has an escape but two, so
    # the group is dense (more than one escape in four texts). Filled to 64 texts with
    # "[ok]" (6 septets: 1), so the two texts near a part's end are a few among many.
    texts = ["[" + "a" * 154 + "]~", "{" + "a" * 155 + "}^", "a" * 301 + "|", "a" * 300, ""]
    fillers = [1] * (batch._ESCAPED_FROM - len(texts))
    group = _filled(texts)
    assert batch._escaped_counts(group, _leftover(group)) == [1, 2, 2, 2, 1, *fillers]
    assert _group(group) == count_many(group) == [1, 2, 2, 2, 1, *fillers]
    assert _group(texts) == count_many(texts) == [1, 2, 2, 2, 1]
    # A fourth escape in one text: that text is counted by its escapes (300 + 4 = 304:
    # 2); with more than one such text in 16, the comprehension counts them all.
    texts[3] = "[[]]" + texts[3][4:]
    group = _filled(texts)
    assert batch._escaped_counts(group, _leftover(group)) == [1, 2, 2, 2, 1, *fillers]
    past = [*group, *["^^^^"] * 8]  # 9 texts of 72 with four escapes
    assert batch._escaped_counts(past, _leftover(past)) is None
    assert _group(past) == count_many(past) == [1, 2, 2, 2, 1, *fillers, *[1] * 8]


def test_groups_mostly_near_a_parts_end_go_the_comprehensions_way() -> None:
    # A campaign written to fill its parts: "{" and 157 letters (159 septets: 1), "{"
    # and 158 (160: 1), "{" and 159 (161: 2), counted by hand. Each would be read again
    # after the table's pass, which costs more than the comprehension (rev26p): the
    # sample of every 32nd text sends them there, and where it misses them (every 8th
    # text safe), so does their count.
    near = ["{" + "a" * (157 + index % 3) for index in range(batch._ESCAPED_FROM)]
    assert batch._escaped_counts(near, _leftover(near)) is None
    assert _group(near) == count_many(near) == [(1, 1, 2)[index % 3] for index in range(64)]
    missed = [FILLER if index % 8 == 0 else text for index, text in enumerate(near)]
    assert batch._escaped_counts(missed, _leftover(missed)) is None
    want = [1 if index % 8 == 0 else (1, 1, 2)[index % 3] for index in range(64)]
    assert _group(missed) == count_many(missed) == want
    # A few (one in 16) are still read again after the table's pass.
    few = [text if index % 16 == 1 else FILLER for index, text in enumerate(near)]
    want = [(1, 1, 2)[index % 3] if index % 16 == 1 else 1 for index in range(64)]
    assert batch._escaped_counts(few, _leftover(few)) == want


@given(st.lists(escaped_text(), min_size=2, max_size=60))
@example(["a" * 152 + "{" + "a" * 152, "a" * 151 + "{" + "a" * 153, "[" * 3])
@example(["{" * 3 + "a" * 302, "", "~" + "a" * 159, "^" * 2 + "a" * 458])
def test_dense_groups_count_as_the_reference(texts: list[str]) -> None:
    texts = _filled(texts)
    assert_screened(texts, _group(texts))
    assert_count_many(texts)


@given(
    st.lists(escaped_text(), min_size=1, max_size=40),
    st.lists(escaped_text(most=8), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
)
def test_a_text_past_the_bound_among_them(
    texts: list[str], many: list[str], rng: random.Random
) -> None:
    texts = _filled(texts + many)
    rng.shuffle(texts)
    assert_screened(texts, _group(texts))
    assert_count_many(texts)


# Other classes and texts that are GSM-7 beyond ASCII (euro signs, Latin-1 letters),
# which ``count_many`` screens apart from the ASCII ones.
OTHERS = st.sampled_from(
    ["€5 off", "Jürgen {x}", "Gül " * 40 + "[", "Ayşe", "😀 [x]", "中文" * 40, "नमस्ते", ""]
)


@given(
    st.lists(st.one_of(escaped_text(), escaped_text(), OTHERS), min_size=1, max_size=80),
    st.integers(0, 1300),
)
def test_mixed_batches_count_as_the_reference(texts: list[str], fill: int) -> None:
    # Dense escape texts before them move the drawn ones across groups and chunks.
    assert_count_many(["[ok] " * 31 + "ab"] * fill + texts)


EURO_TEXTS = st.sampled_from(["€" + "a" * 157 + "[", "€" + "a" * 156 + "[]", "€5 [x]", "€" * 3])


@given(st.lists(st.one_of(escaped_text(), EURO_TEXTS), min_size=1, max_size=30))
@example(["€" + "a" * 157 + "["])  # 159 characters, 161 septets: two parts
def test_euro_sign_groups_count_as_the_reference(texts: list[str]) -> None:
    # Euro-sign texts are screened apart, with "|" for each euro sign in the joined
    # bytes, not in the texts: a group of them where few lengths lie near a part's end
    # (so each such text is read again on its own), and all of them in one screen.
    euros = ["€5 [x]"] * batch._ESCAPED_FROM + texts
    assert_screened(euros, batch.screen(euros))
    assert_count_many(euros)
    assert_count_many(_filled(texts))


@given(st.lists(escaped_text(), min_size=2, max_size=40), st.data())
def test_a_lone_surrogate_among_them_is_named(texts: list[str], data: st.DataObject) -> None:
    assert_lone_surrogate_named(_filled(texts), data)
