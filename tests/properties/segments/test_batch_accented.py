"""Latin-1 texts with letters beyond ASCII (``_batch.accented_counts``, whichever route
its sample takes), held to the readable reference in ``tests/_reference.py``.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

# Latin-1 characters of every class: plain GSM-7 (ASCII and beyond), escapes, not
# GSM-7 (accents, the backtick, other controls), CR and LF. NUL, the screen's
# separator, has its own case below.
LATIN1 = "ae É éàüßÇ\n\r{|}^~[]\\\x0c`çáãêõ\x01\x7f¡¿§£¥¤¬ÿ"


@st.composite
def latin1_text(draw: st.DrawFn) -> str:
    """A filler run either side of a part limit (septets or units), with characters of
    every class put anywhere in it."""
    filler = draw(st.sampled_from(["a", "é", "ç", "{", "Olá ", "reçu "]))
    size = draw(st.sampled_from([0, 1, 66, 67, 68, 70, 71, 80, 134, 135, 152, 153, 154, 160, 161]))
    text = list((filler * size)[:size])
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text[at:at] = [draw(st.sampled_from([*LATIN1, "\r\n"]))]
    return "".join(text)


@given(st.lists(latin1_text() | st.text(alphabet=LATIN1, max_size=200), max_size=30))
@example(["ç" * 70, "ç" * 71, "é" * 160, "é" * 161, "é" * 159 + "{", "ç" * 66 + "\r\n" + "ç"])
def test_accented_counts_are_the_references(texts: list[str]) -> None:
    data = batch.SEP.join(texts).encode("latin-1")
    for text, count in zip(texts, batch.accented_counts(texts, data), strict=True):
        assert count in (0, ref.count(text)), text  # exact, or left to the slow path
    assert count_many(texts) == ref.count_many(texts)


@given(st.lists(latin1_text(), min_size=1, max_size=12), st.integers(0, _CHUNK + 12))
def test_accented_texts_among_others(texts: list[str], fill: int) -> None:
    batch_ = ["Olá João, até amanhã"] * fill + texts + ["plain"] * 3
    assert count_many(batch_) == ref.count_many(batch_)


def test_accented_counts_by_example() -> None:
    # Hand-derived (TS 23.038/23.040: 160/153 septets, 70/67 units).
    cases = {
        "é" * 160: 1,  # é is GSM-7: one septet
        "é" * 161: 2,
        "é" * 150 + "{}{}{": 1,  # 150 + 5 escapes x 2 = 160 septets
        "é" * 151 + "{}{}{": 2,
        "ç" * 70: 1,  # ç is not GSM-7: 70 UCS-2 units
        "ç" * 71: 2,
        "ç" * 134: 2,
        "ç" * 135: 3,
        "Olá" * 23 + "\r\n": 2,  # 71 units; CR LF kept together
        "ç" * 66 + "\r\n" + "ç" * 67: 3,  # CR LF would span the cut: 66 | 67 | 2
        "é`": 1,  # the backtick is not GSM-7
    }
    texts = list(cases)
    assert ref.count_many(texts) == list(cases.values())
    assert count_many(texts * 3) == list(cases.values()) * 3
    data = batch.SEP.join(texts).encode("latin-1")
    # The two UCS-2 texts with CR are left to the slow way (CR LF is one cluster).
    assert batch.accented_counts(texts, data) == [*list(cases.values())[:-3], 0, 0, 1]
    # NUL is not GSM-7 either: it splits the classes one piece too many (the slow way),
    # while the search of texts with frequent characters beyond GSM-7 counts it as a
    # character of a UCS-2 text.
    nul = ["ç" * 70, "é\x00" * 70]
    nul_data = batch.SEP.join(nul).encode("latin-1")
    assert batch._classed_counts(nul, nul_data) == [0, 0]
    assert batch.accented_counts(nul, nul_data) == [1, 3]  # 140 units: NUL is one
    assert count_many(nul) == [1, 3]
