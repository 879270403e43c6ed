"""The routes of ``_batch.accented_counts`` by a sample of the bytes, held to the
readable reference in ``tests/_reference.py``.

Characters beyond GSM-7 frequent: every text counts its units but those of over 70
characters whose first 48 are GSM-7, which are asked one by one; past one in 64 of
the group the search stops and the rest are classed. None in the sample: the deleting
translate of ``latin1_counts``, on GSM-7 prose with rare texts put in it.

The groups are dense UCS-2 filler ("não ...", a character beyond GSM-7 near the start)
with texts put among them that the search must find or step over: GSM-7 texts at and
around the part bounds (70/71, 160/161, 306/307 septets) with escapes at the cuts,
texts whose first character beyond GSM-7 lies at or after the 48th, empty texts,
texts holding NUL (the separator) or CR LF at a cut.
"""

from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st

from batch_checks import (
    BOUNDS,
    assert_count_many,
    assert_lone_surrogate_named,
    assert_screened,
)
from smskit import count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

LENGTHS = st.one_of(st.sampled_from((*BOUNDS, 72, 118, 119, 307)), st.integers(0, 420))


@st.composite
def dense(draw: st.DrawFn) -> str:
    """UCS-2 filler: a character beyond GSM-7 in its first four (none in "" to "n")."""
    length = draw(LENGTHS)
    word = draw(st.sampled_from(["não ", "ação ", "olá ", "çé"]))
    return (word * (length // len(word) + 1))[:length]


@st.composite
def gsm_near_bounds(draw: st.DrawFn) -> str:
    """GSM-7 Latin-1 text of a length at or near a bound, escapes (two septets) at or
    next to the septet bounds: the search finds it where it is over 70 characters."""
    length = draw(LENGTHS)
    body = draw(st.sampled_from(["é à ü ", "abc ", "Müller "]))
    out = (body * (length // len(body) + 1))[:length]
    for _ in range(draw(st.integers(0, 3))):
        at = min(len(out), max(0, draw(st.sampled_from(BOUNDS)) + draw(st.integers(-2, 2))))
        out = out[:at] + draw(st.sampled_from(["{", "}", "\\", "^", "\x0c", "[]"])) + out[at:]
    return out


@st.composite
def late_beyond(draw: st.DrawFn) -> str:
    """GSM-7 for its first 46-72 characters, then one beyond (a backtick, "ç", NUL, a
    control) and more text: found by the search (or not, before the 48th) yet UCS-2."""
    head = draw(st.integers(46, 72))
    tail = draw(LENGTHS)
    beyond = draw(st.sampled_from(["ç", "`", "\x00", "\x01", "á", "\x7f"]))
    return ("é" * head) + beyond + ("a" * tail)


@st.composite
def odd(draw: st.DrawFn) -> str:
    """Empty, NUL or CR LF inside (at or near a cut of 67), short GSM-7."""
    kind = draw(st.sampled_from(["empty", "nul", "crlf", "short"]))
    if kind == "empty":
        return ""
    if kind == "short":
        return "é" * draw(st.integers(1, 70))
    # 132 or 199 characters: with CR LF, whole parts of 67 units, so CR LF at a cut
    # moves it (one part more than the units say).
    base = draw(st.sampled_from(["ção" * 44, "é" * 50 + "ç" * 82, "çé" * 99 + "ç", "é" * 199]))
    at = min(len(base), 67 * draw(st.integers(0, 3)) + draw(st.integers(-2, 2)))
    return base[: max(at, 0)] + ("\x00" if kind == "nul" else "\r\n") + base[max(at, 0) :]


SPECIAL = st.one_of(gsm_near_bounds(), late_beyond(), odd())


@st.composite
def group(draw: st.DrawFn) -> list[str]:
    """Dense filler with up to 12 special texts put anywhere: past one in 64 of the
    group the search stops, so both its halves are drawn."""
    texts = draw(st.lists(dense(), min_size=1, max_size=300))
    for _ in range(draw(st.integers(0, 12))):
        texts.insert(draw(st.integers(0, len(texts))), draw(SPECIAL))
    return texts


def _data(texts: list[str]) -> bytes:
    return batch.SEP.join(texts).encode("latin-1")


@given(group())
@example(["não " * 30] * 70 + ["é" * 71, "é" * 160, "é" * 159 + "{"])  # stops at the second
@example(["não " * 30] * 10 + ["é" * 48 + "ç" + "a" * 30, "é" * 47 + "ç" * 40])
@example(["não " * 30, "é\x00" * 80, "é" * 100, "é" * 152 + "{" + "é" * 153])
@example(["çé" * 40, "", "é" * 305 + "}", "é" * 306 + "}", "é" * 70, "é" * 71])
@example(["não " * 20, "ç" * 66 + "\r\n" + "ç" * 66, "é" * 100 + "\r\n"])
@example(["não " * 30] * 64 + ["é" * 80, "{" + "é" * 159])  # stops at an escape
def test_search_route_counts_are_the_references(texts: list[str]) -> None:
    data = _data(texts)
    beyond, sampled = batch._sampled_beyond_gsm(data)
    assume(16 * beyond >= sampled)  # the route under test
    assert_screened(texts, batch.accented_counts(texts, data))
    assert_count_many(texts)


@given(group())
def test_classed_counts_are_the_references(texts: list[str]) -> None:
    # The path the route falls back to, on the same groups.
    assert_screened(texts, batch._classed_counts(texts, _data(texts)))


@given(st.lists(SPECIAL | dense(), min_size=1, max_size=40), st.integers(0, _CHUNK + 12))
def test_search_route_across_chunks_and_groups(texts: list[str], fill: int) -> None:
    # Dense filler ahead moves the texts across group (256) and chunk boundaries.
    assert_count_many(["ação " * 20] * fill + texts)


@given(group(), st.data())
def test_lone_surrogate_among_searched_texts_is_named(
    texts: list[str], data: st.DataObject
) -> None:
    assert_lone_surrogate_named(texts, data)


def test_unsettled_texts_by_example() -> None:
    filler = ["não " * 30] * 128  # one in 64: two texts found, the third stops it
    gsm = ["é" * 71, "é" * 48 + "ç" * 30, "é" * 200]
    texts = [*filler[:10], gsm[0], *filler[10:20], "é" * 70, gsm[1], *filler[20:], gsm[2]]
    data = _data(texts)
    found, done, rest = batch._unsettled_texts(texts, data)
    assert found == [10, 22]
    assert done == len(texts) - 1
    assert data[rest:] == gsm[2].encode("latin-1")
    # None read when a NUL inside a text misplaces the last one found (or the one the
    # search stopped at), and the texts after it.
    misplaced = ["n\x00ã", "ção" * 30, "é" * 100, *filler[:62]]  # 65 texts: one found
    assert batch._unsettled_texts(misplaced, _data(misplaced)) == ([], 0, 0)
    assert batch.accented_counts(misplaced, _data(misplaced)) == [0] * 65  # classing
    assert count_many(misplaced)[:3] == [1, 2, 1]  # 3 units; 90 units; 100 septets
    nul = ["n\x00" + "ã" * 10, "é" * 80]
    assert batch._unsettled_texts(nul, _data(nul)) == ([], 0, 0)
    assert batch.accented_counts(nul, _data(nul)) == [0, 0]  # the classing way
    assert count_many(nul) == [1, 1]  # 12 units; 80 septets
    # Hand-derived counts (160/153 septets, 70/67 units) on the route.
    cases = {
        "é" * 71: 1,
        "é" * 160: 1,
        "é" * 159 + "{": 2,  # 161 septets
        "é" * 152 + "{" + "é" * 152: 3,  # 306 septets, the escape over a cut: 152 | 153 | 1
        "é" * 48 + "ç" + "a" * 22: 2,  # 71 units
        "": 1,
    }
    texts = ["ação " * 14] * 300 + list(cases)  # 70 units each: 1
    data = _data(texts)
    beyond, sampled = batch._sampled_beyond_gsm(data)
    assert 16 * beyond >= sampled
    assert batch.accented_counts(texts, data) == [1] * 300 + list(cases.values())


@st.composite
def gsm_prose_group(draw: st.DrawFn) -> list[str]:
    """GSM-7 Latin-1 prose with up to 4 special texts put anywhere (the sample of every
    61st byte may miss their characters beyond GSM-7, or not)."""
    texts = draw(st.lists(gsm_near_bounds(), min_size=1, max_size=300))
    for _ in range(draw(st.integers(0, 4))):
        texts.insert(draw(st.integers(0, len(texts))), draw(SPECIAL | dense()))
    return texts


@given(gsm_prose_group())
def test_gsm_prose_route_counts_are_the_references(texts: list[str]) -> None:
    data = _data(texts)
    beyond, _ = batch._sampled_beyond_gsm(data)
    assume(beyond == 0)  # the route under test
    assert_screened(texts, batch.accented_counts(texts, data))
    assert_count_many(texts)


def test_gsm_prose_route_by_example() -> None:
    # Characters beyond GSM-7 the sample (every 61st byte) misses, hand-derived counts
    # (160/153 septets, 70/67 units).
    rare = {
        "ç" + "é" * 80: 2,  # 81 units
        "é" * 152 + "{" + "é" * 152: 3,  # 306 septets, the escape over a cut
        "é" * 66 + "\r\n" + "é" * 65 + "ç": 0,  # UCS-2 with CR: the slow way (3)
        "a" * 70 + "`": 2,  # 71 units: the backtick is not GSM-7
        "é" * 160: 1,
    }
    texts = ["für Müller " * 15] * 100 + list(rare)  # 165 septets: 2 each
    data = _data(texts)
    assert batch._sampled_beyond_gsm(data)[0] == 0
    assert batch.accented_counts(texts, data) == [2] * 100 + list(rare.values())
    assert count_many(texts)[100:] == [2, 3, 3, 2, 1]
    nul = [*texts, "é\x00é"]  # a NUL inside a text: the deletion's split sends all
    assert batch.accented_counts(nul, _data(nul)) == [0] * len(nul)


# rev24x: ``screen`` hands ``accented_counts`` the texts as given (an euro sign in
# them) beside bytes where each euro sign is "|"; a text the search found was encoded
# again on its own, and one holding an euro sign raised: its whole chunk of 1,024 went
# one by one.
EURO_FOUND = {
    "€" + "e" * 79: 1,  # 81 septets
    "é" * 150 + "€": 1,  # 152 septets
    "€" * 81: 2,  # 162 septets: 76 euro signs (152) | 5
    "é" * 60 + "€" + "ç" * 20: 2,  # 81 units: UCS-2 after the 48th
}


def test_found_texts_with_euro_signs_by_example() -> None:
    texts = ["ação " * 14] * 100 + list(EURO_FOUND)  # 70 units each: 1
    assert batch.screen(texts) == [1] * 100 + list(EURO_FOUND.values())


@st.composite
def with_euro(draw: st.DrawFn) -> str:
    """A special text with an euro sign put anywhere in it."""
    text = draw(SPECIAL)
    at = draw(st.integers(0, len(text)))
    return text[:at] + "€" + text[at:]


@given(st.lists(dense(), min_size=64, max_size=300), st.lists(with_euro(), max_size=6), st.data())
def test_found_texts_with_euro_signs_are_screened(
    texts: list[str], euro: list[str], data: st.DataObject
) -> None:
    # Texts with euro signs among dense filler (64 texts or more: the search asks the
    # first of those it finds), on the screen's own route.
    for text in euro:
        texts.insert(data.draw(st.integers(0, len(texts))), text)
    assert_screened(texts, batch.screen(texts))


# rev24x: texts of one length (a bulk send of a template, say) put their characters at
# the same places of every text; of 60 characters, every 61st byte was each text's
# first, so dense texts starting with a GSM-7 letter sampled as GSM-7 prose.
@given(
    st.integers(1, 400),
    st.sampled_from(["ç", "ã", "`", "çé", "ação "]),
    st.sampled_from(["S", "é", "{"]),
)
@example(60, "ç", "S")
@example(60, "ação ", "é")
def test_the_sample_sees_dense_texts_of_one_length(length: int, fill: str, first: str) -> None:
    texts = [(first + fill * length)[:length]] * 256
    beyond, sampled = batch._sampled_beyond_gsm(_data(texts))
    # Every character but the first is beyond GSM-7 (but spaces of "ação ").
    assert length < 30 or 16 * beyond >= sampled
