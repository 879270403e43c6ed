"""Groups of texts of one unit a character, mostly Latin-1, with a GSM-7 text among
them: ``wide_counts`` hands them to ``_named_counts`` (their UTF-8 less plain ASCII) instead of
padding them. Held to the readable reference.

The texts are mostly ASCII or Latin-1 words with a name beyond Latin-1 (Turkish,
Cyrillic, CJK), GSM-7 texts among them (ASCII, the euro sign, Greek capitals, Latin-1
letters GSM-7 has and has not), marks that join beside the cuts, CR LF, empty texts,
U+E000 and U+0001 (``wide_counts``' separator and padding), at every place of the
256-text groups and of the chunks.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

WORDS = st.sampled_from(
    ["see you at 5 ", "ok ", "Ayşe ", "Иван ", "王芳 ", "€20 ", "ΣΩ ", "Zoë ", "Gül ", "a", "{"]
)
RARE = st.sampled_from(["\u0301", "क्", "\r\n", "\ue000", "\x01", "\ue005", "ğ"])


@st.composite
def latin_text(draw: st.DrawFn) -> str:
    """Mostly Latin-1 words, over one part or not, with now and then a rare piece at a
    place near a cut (67 units a part)."""
    text = "".join(draw(st.lists(WORDS, max_size=60)))
    for _ in range(draw(st.integers(0, 2))):
        at = min(len(text), 67 * draw(st.integers(1, 4)) + draw(st.integers(-3, 2)))
        text = text[:at] + draw(RARE) + text[at:]
    return text


@given(st.lists(st.one_of(latin_text(), st.just("")), min_size=2, max_size=40))
@example(["Ayşe, see you at 5", "ok €20"])  # a GSM-7 text among the others
@example(["Ayşe " * 30, "a" * 161, "ΣΩ" * 40])  # long: UCS-2 by units, GSM-7 by septets
@example(["Ayşe " * 13 + "xé\u0301" + "ok " * 30, "€"])  # the mark after the cut joins é
@example(["Ayşe" + "\ue000" * 3 + "ok" * 60, "ok"])  # the separator's character
def test_a_group_counts_as_the_reference(texts: list[str]) -> None:
    joined = batch.SEP.join(texts).replace("€", "|")
    if max(joined, default="a") > "\xff":  # what ``screen`` hands ``wide_counts``
        for text, count in zip(texts, batch.wide_counts(texts, joined), strict=True):
            assert count in (0, ref.count(text)), text  # 0: counted on its own
    assert count_many(texts) == ref.count_many(texts)


@given(st.lists(latin_text(), min_size=1, max_size=6), st.integers(0, _CHUNK + 300))
def test_texts_across_groups_and_chunks_count_as_the_reference(
    texts: list[str], fill: int
) -> None:
    # Fillers beyond Latin-1 keep the whole chunk in the screen, 256 texts a group,
    # and move the drawn texts across the groups' and chunks' bounds.
    batch_ = ["Merhaba Ayşe, ok"] * fill + texts + ["ok €5"] * 3 + [""]
    expected = {text: ref.count(text) for text in set(batch_)}
    assert count_many(batch_) == [expected[text] for text in batch_]


def test_the_route_is_taken_by_example(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hand-made: the sample (every 64th character) is all Latin-1, or all beyond it.
    assert batch._mostly_latin1("ok see you Ayşe " * 20)
    assert not batch._mostly_latin1("王芳" * 100)
    assert not batch._mostly_latin1("नमस्ते " * 40)
    # Counted exactly on the route: 20 texts of 85 units (2 parts of UCS-2) and a
    # GSM-7 one of 40 characters, two escapes (1 part).
    texts = ["Ayşe " + "x" * 80] * 20 + ["{}" + "y" * 38]
    routed = []
    named_counts = batch._named_counts
    monkeypatch.setattr(
        batch, "_named_counts", lambda *args: routed.append(1) or named_counts(*args)
    )
    assert batch.wide_counts(texts, batch.SEP.join(texts)) == [2] * 20 + [1]
    assert routed == [1]


@pytest.mark.parametrize("where", [0, 5, 255, 256, _CHUNK - 1, _CHUNK + 4])
def test_a_lone_surrogate_names_its_text(where: int) -> None:
    texts = ["Merhaba Ayşe, see you at 5", "ok €20", "", "a" * 200] * (_CHUNK // 2)
    texts[where] = "Ayşe " + "\udc00" + " ok"
    with pytest.raises(EncodingError) as info:
        count_many(texts)
    assert info.value.index == where
    assert info.value.char == "\udc00"
