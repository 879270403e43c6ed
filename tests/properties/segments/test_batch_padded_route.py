"""``screen``'s padded route (perf25i, 5 December 2026), held to the readable reference.

A group whose first text is mostly beyond Latin-1 (Indic, CJK, Cyrillic) is padded to
whole parts at once (``_batch.padded_counts``), without the NUL join: the padded
texts' UTF-16 proves there is no lone surrogate and gives the high bytes the screens
read (the GSM-7 pair gate, ``_gsm_pair_units``, and the separators that end texts);
a group holding a character beyond the BMP goes ``screen``'s old way. The route is
chosen by one text only, so whatever follows it must still count exactly: GSM-7,
Latin-1, euro signs, emoji, NULs, separators' values at part ends, CR LF, and
conjuncts, viramas, nuktas and ZWJ over every cut.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import _reference as ref
from batch_checks import assert_count_many, assert_lone_surrogate_named, assert_screened
from smskit import count_many
from smskit.segments import _batch as batch

MARKS = ["्", "़", "ं", "ि", "ा", "ु", "\u200d", "\u200c", "ः", "্", "்", "ൺ"]
LETTERS = ["क", "ष", "त", " ", "ক", "த", "ക", "中", "a", "Ж"]


@st.composite
def across_cuts(draw: st.DrawFn) -> str:
    """Indic words (or CJK, Cyrillic), 0-400 units, with a run of marks and letters
    (conjuncts, viramas, nuktas, ZWJ/ZWNJ; up to 12, past the drifts the screen
    follows) over each cut at 67, 134, ... units."""
    word = draw(st.sampled_from(["नमस्ते ", "কি", "আপনার ", "வணக்கம் ", "ക്ക ", "中文", "Иван "]))
    chars = list((word * 400)[: draw(st.integers(0, 400))])
    for cut in range(67, len(chars), 67):
        run = draw(st.lists(st.sampled_from(MARKS + LETTERS), min_size=1, max_size=12))
        at = cut + draw(st.integers(-12, 2))
        chars[at : at + len(run)] = run
    return "".join(chars)


# What may follow the first text: GSM-7 (some over 70 units, escapes, the euro sign,
# Greek capitals), Latin-1 beyond GSM-7, emoji (a group beyond the BMP), NUL, the
# separators' values (U+E000-U+E0FF), CR LF, a mark at a text's start.
OTHER = st.text(
    st.sampled_from(
        [
            *"ab 1.,?Ωüé€[]{}\\^~|ΔΣ\n\rçñ",
            *["\x00", "\x01", "\ue000", "\ue003", "\ue042", "\ue0ff", "😀", "\u0301", "ि"],
        ]
    ),
    max_size=220,
)
FIRST = st.sampled_from(["नमस्ते आपका ", "中文短信", "Здравствуйте ", "வணக்கம் "]).flatmap(
    lambda word: st.integers(1, 6).map(lambda n: word * n)
)


@given(FIRST, st.lists(across_cuts() | OTHER, max_size=40))
@example("नमस्ते ", ["a" * 71])  # a GSM-7 text over a part: the pair gate, then the search
@example("नमस्ते ", ["€" * 140, "ok"])
@example("नमस्ते ", ["क" * 66 + "\ue003" + "क" * 70])  # a separator's value inside
@example("नमस्ते ", ["a\x00b" * 30])  # a NUL inside a text
@example("中文", ["😀" * 40])  # beyond the BMP: screen's old way
@example("नमस्ते ", ["क" * 66 + "ि" * 7 + "क" * 70, "\u0301abc"])  # flagged, then a mark
def test_a_group_routed_padded_counts_as_the_reference(first: str, rest: list[str]) -> None:
    texts = [first, *rest]
    counts = batch.padded_counts(texts)
    if counts is None:  # only where a text holds a character beyond the BMP
        assert any(char > "\uffff" for text in texts for char in text)
    else:
        assert_screened(texts, counts)
    assert_screened(texts, batch.screen(texts))
    assert_count_many(texts)


@given(st.lists(across_cuts() | OTHER, max_size=30))
@example(["a" * 71])
@example(["नमस्ते " * 20, " " + "a" * 70])
@example(["\x01\x01" * 40])  # the padding's own value is never read as GSM-7
def test_the_pair_gate_from_bytes_reads_as_from_the_str(texts: list[str]) -> None:
    texts = [text for text in texts if "😀" not in text]  # one unit a character
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    from_bytes = batch._gsm_pair_units(padded.encode("utf-16-le"))
    assert from_bytes == batch._gsm_pair_starts(padded)
    if any(len(text) > 70 and ref.is_gsm(text) for text in texts):
        assert from_bytes


def test_the_route_by_the_first_text_then_a_sample() -> None:
    assert batch._beyond_latin1(["नमस्ते आपका अपॉइंटमेंट"])
    assert batch._beyond_latin1(["中文", "", "Жж"])
    assert not batch._beyond_latin1([""])
    assert not batch._beyond_latin1(["Merhaba Ayşe, see you at 5", "中文"])  # a name
    assert not batch._beyond_latin1(["€€€€", "中文"])  # prices in euros
    # Greek beside prices in euros keeps ``wide_counts``' named route (rev21i)
    assert not batch._beyond_latin1(["Ω\ue001", "€" * 300])
    # One language in turn of 16 (rev25i): the sample must not read that one alone.
    turns = ["नमस्ते आपका " * 9 if i % 16 == 0 else "Votre rendez-vous à 15h" for i in range(256)]
    assert not batch._beyond_latin1(turns)
    assert batch._beyond_latin1(["नमस्ते आपका " * 9, "Votre rendez-vous à 15h"] * 128)


@settings(max_examples=30)
@given(
    st.lists(across_cuts() | OTHER, min_size=1, max_size=24),
    st.randoms(use_true_random=False),
    st.integers(250, 800),
)
def test_lists_of_several_routed_groups_count_as_the_reference(
    pool: list[str], rng: random.Random, size: int
) -> None:
    # Every group of 256 starts with a text beyond Latin-1, whatever follows it.
    texts = [rng.choice(pool) for _ in range(size)]
    for start in range(0, size, batch._GROUP):
        texts[start] = "नमस्ते आपका " * rng.randint(1, 12)
    texts[rng.randrange(size)] = ""
    expected = {text: ref.count(text) for text in set(texts)}
    assert count_many(texts) == [expected[text] for text in texts]


@settings(max_examples=25)
@given(st.lists(across_cuts(), min_size=1, max_size=300), st.data())
def test_a_lone_surrogate_in_a_routed_batch_names_its_text(
    texts: list[str], data: st.DataObject
) -> None:
    texts = ["नमस्ते " * 3 + text for text in texts]  # each group routed padded
    assert_lone_surrogate_named(texts, data)


@pytest.mark.parametrize("where", [0, 1, 255, 256, 257, 299])
def test_a_text_not_a_str_names_its_place(where: int) -> None:
    # At 256 it is the first text of the second group: the route reads it first.
    texts: list[object] = ["नमस्ते आपका " * 9] * 300
    texts[where] = "नमस्ते".encode()
    with pytest.raises(TypeError, match=f"text {where} of the batch"):
        count_many(texts)  # type: ignore[arg-type]


class _OwnLen:
    """Not a str, with a ``__len__`` of its own that raises (rev25i): the padded route
    sizes a group's texts before any join checks their type."""

    def __len__(self) -> int:
        raise RuntimeError("a __len__ of its own")


@pytest.mark.parametrize("where", [1, 5, 254, 257, 299])
def test_a_text_not_a_str_with_its_own_len_names_its_place(where: int) -> None:
    # Places no sample reads (chunk: every 17th; group: every 16th): only the padded
    # route's sizing meets the object, whose error must not replace count_many's.
    texts: list[object] = ["नमस्ते आपका " * 9] * 300
    texts[where] = _OwnLen()
    with pytest.raises(TypeError, match=f"text {where} of the batch"):
        count_many(texts)  # type: ignore[arg-type]
