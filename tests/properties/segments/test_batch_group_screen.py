"""The Indic path of ``count_many`` screened a group at a time (5 December 2026).

``_batch._straddled_bmp`` runs one match of ``_TEXTS_FIT`` through a group's padded
texts; it stops at the start of each text whose cuts it cannot settle, which is then
stepped over and flagged by the number of separators before it. ``wide_counts`` runs
the search for a GSM-7 text only when some part may start with two GSM-7 characters
(``_gsm_pair_starts``). Held here: the group's flags are each text's own verdict
(``drifts_fit``), wherever the flagged texts sit and however many; no GSM-7 text over
70 units escapes the pair test; and every count, over lists long enough to fill
several groups, is the readable reference's.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many
from smskit.segments import _batch as batch

MARKS = ["्", "़", "ं", "ि", "ा", "ु", "\u200d", "\u200c", "ः", "্", "்", "ൺ"]
LETTERS = ["क", "ष", "त", " ", "ক", "த", "ക", "中", "a"]


@st.composite
def indic_across_cuts(draw: st.DrawFn) -> str:
    """Devanagari, Bengali, Tamil or Malayalam words, with a run of marks and letters
    (conjuncts, viramas, nuktas, ZWJ/ZWNJ; up to 12, longer than the drifts the
    screen follows) over each cut at 67, 134, ... units; 0-400 units."""
    word = draw(st.sampled_from(["नमस्ते ", "कि", "আপনার ", "வணக்கம் ", "ക്ക ", "क"]))
    chars = list((word * 400)[: draw(st.integers(0, 400))])
    for cut in range(67, len(chars), 67):
        run = draw(st.lists(st.sampled_from(MARKS + LETTERS), min_size=1, max_size=12))
        at = cut + draw(st.integers(-12, 2))
        chars[at : at + len(run)] = run
    return "".join(chars)


# GSM-7 texts beside them: ASCII, Latin-1 and Greek letters of the GSM-7 alphabet,
# escapes, the euro sign; some over 70 units (UCS-2 would count more parts).
GSM_TEXT = st.text(st.sampled_from(list("ab 1.,?Ωüé€[]{}\\^~|ΔΣ\n")), max_size=200)


def _padded(texts: list[str]) -> str:
    return batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])


def _separator_read_inside(text: str) -> bool:
    """Whether ``text`` holds U+E000-U+E0FF at the last unit of a part that is not the
    text's last (where the screen reads separators), so the whole group is flagged."""
    return any("\ue000" <= text[at] <= "\ue0ff" for at in range(66, len(text), 67))


@given(st.lists(indic_across_cuts(), max_size=40))
@example(["क" * 66 + "ि" * 7 + "क" * 70] * 3)  # every text flagged
@example(["क" * 66 + "ि" * 7 + "क" * 70, "कि" * 100, "क" * 66 + "ि" * 7 + "क" * 70])
@example(["कि" * 100, "", "क" * 66 + "ि" * 7 + "क" * 70])  # the last one flagged
@example(["क" * 66 + "\ue003" + "क" * 70, "कि" * 100])  # U+E003 read as a separator
@example(["कि" * 100, "क" * 133 + "\ue0ff"])  # at a part's last unit, the text's last
def test_a_groups_flags_are_each_texts_own_verdict(texts: list[str]) -> None:
    flagged = batch._straddled_bmp(_padded(texts), len(texts))
    if any(map(_separator_read_inside, texts)):
        assert flagged == list(range(len(texts)))
    elif flagged:  # [] also when no unit beside any cut may join: every text fits
        assert flagged == [i for i, text in enumerate(texts) if not batch.drifts_fit(text)]
    else:
        assert all(map(batch.drifts_fit, texts))


@given(st.lists(indic_across_cuts() | GSM_TEXT, max_size=30))
@example(["a" * 71])
@example(["नमस्ते " * 20, " " + "a" * 70])
@example(["नमस्ते " * 20, "€" * 140])
def test_no_gsm_text_over_a_part_escapes_the_pair_test(texts: list[str]) -> None:
    if any(len(text) > 70 and ref.is_gsm(text) for text in texts):
        assert batch._gsm_pair_starts(_padded(texts))


def test_spaced_words_pass_the_pair_test() -> None:
    # The point of it: Indic words spaced one by one give no two GSM-7 characters at a
    # part's start, nor does the padding (U+0001), so no GSM-7 search is run.
    texts = ["नमस्ते आपका " * n for n in range(30)] + ["क" * 67]
    assert not batch._gsm_pair_starts(_padded(texts))
    assert batch._gsm_pair_starts(_padded([*texts, "ok, " + "a" * 80]))


@settings(max_examples=40)
@given(
    st.lists(indic_across_cuts() | GSM_TEXT, min_size=1, max_size=24),
    st.randoms(use_true_random=False),
    st.integers(250, 800),
)
def test_lists_of_several_groups_count_as_the_reference(
    pool: list[str], rng: random.Random, size: int
) -> None:
    # A few texts drawn, then picked over and over into several groups of 256 (with an
    # empty text among them), so that flagged texts fall anywhere in a group.
    texts = [rng.choice(pool) for _ in range(size)]
    texts[rng.randrange(size)] = ""
    expected = {text: ref.count(text) for text in {*pool, ""}}
    assert count_many(texts) == [expected[text] for text in texts]


@settings(max_examples=25)
@given(st.lists(indic_across_cuts(), min_size=1, max_size=300), st.integers(0, 299))
def test_a_lone_surrogate_among_them_names_its_text(texts: list[str], where: int) -> None:
    where %= len(texts)
    texts[where] = texts[where][:40] + "\udc00" + texts[where][40:]
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
