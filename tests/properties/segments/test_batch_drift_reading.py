"""The drift screen as read since perf21i, and the routes changed with it.

``_batch._drift_pattern`` now tests the unit before a place first and looks behind it
for an extender after a joiner, and at a drift of 1 or more reads the unit after the
place rather than looking at it. Held here to a per-text model of the screen's rule
written apart from the code (the flags must be exactly the model's, not only safe),
then, with the other changes of the pass (``screen`` looking for the euro sign only
where the Latin-1 encoding stopped at one, ``_by_units``), to the readable reference,
also in chunks that ``chunk_counts`` routes by a sample of every 17th text. Since
perf22i, the parts needing no drift are one repeat across texts (see the last tests);
since perf23i, a part reads the units before and after a place before looking behind
it, and a part needing a drift leaves ``_from_drift``'s first test at the unit before
the cut (every short run at every place near a cut, at the end).
"""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from smskit import EncodingError, count_many, count_segments
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK
from smskit.segments._batch import drifts_fit
from smskit.segments._cutting import JOINERS
from smskit.segments._walk import CONJUNCT_EXTEND, JOIN_NEXT, JOIN_PREVIOUS

# Indic letters and marks (linkers, extenders, spacing marks), ZWJ/ZWNJ, the screen's
# own alphabet (padding, separators of room 0-66, other private-use units) and some
# characters that join nothing.
CHARS = list(
    "कषतक्ष़्िंःाु"  # Devanagari
    "কত্াৎ"  # Bengali
    "தக்ா"  # Tamil
    "\u200d\u200c\u0301"
    "\x01\ue000\ue001\ue005\ue006\ue042\ue043\ue0ff"
    " a中Ж"
)
_MOST = 6  # the largest drift the screen follows (``_MAX_DRIFT``)


def _certain(padded: str, at: int, drift: int) -> bool:
    """The screen's place rule, as ``_walk.certain_boundary``'s first test: the unit
    before neither joins what follows nor is an extender after a joiner or extender,
    the unit after does not join what precedes."""
    before, after, behind = padded[at - 1], padded[at], padded[at - 2]
    if before in JOIN_NEXT or after in JOIN_PREVIOUS:
        return False
    if before in CONJUNCT_EXTEND and (behind in JOIN_NEXT or behind in CONJUNCT_EXTEND):
        return False
    return drift == 0 or not 0xE000 <= ord(after) <= 0xE042 or at % 67 != 66


def _settled(text: str) -> bool:
    """Whether the screen counts ``text`` by its units: each cut certain at the
    smallest drift (0-6) not below the previous cut's, the last within the room."""
    room = -len(text) % 67
    padded = text + "\x01" * (-(len(text) + 1) % 67) + chr(0xE000 + room)
    drift = 0
    for cut in range(67, len(padded), 67):
        while drift <= _MOST and not _certain(padded, cut - drift, drift):
            drift += 1
        if drift > _MOST:
            return False
    return drift <= room


def _expected_flags(texts: list[str]) -> list[int]:
    padded = "".join(text + "\x01" * (-(len(text) + 1) % 67) + "\ue000" for text in texts)
    if JOINERS.isdisjoint(padded[66::67] + padded[67::67]):
        return []  # no unit beside a cut may join: no cut moves, whatever is read
    # A U+E0xx unit where a separator is read (a part's last unit) sends every text.
    for text in texts:
        if any(0xE000 <= ord(text[end]) <= 0xE0FF for end in range(66, len(text), 67)):
            return list(range(len(texts)))
    return [index for index, text in enumerate(texts) if not _settled(text)]


@st.composite
def straddling(draw: st.DrawFn) -> str:
    """A filler of 0-6 parts with a run of ``CHARS`` (up to 9) ending 0-7 units
    before each cut or spanning it, and 0-8 units of room (or any)."""
    parts = draw(st.integers(1, 6))
    length = max(0, parts * 67 - draw(st.integers(0, 8) | st.integers(0, 66)))
    filler = draw(st.sampled_from(["क", "कि", "ক", "a", "中", "\ue001"]))
    text = list((filler * length)[:length])
    for cut in range(67, length + 67, 67):
        run = draw(st.lists(st.sampled_from(CHARS), min_size=1, max_size=9))
        end = cut + draw(st.integers(-7, 3))
        start = max(0, end - len(run))
        text[start:end] = run[: end - start]
    return "".join(text)[:length]


def _conjunct_at(drift: int, room: int) -> str:
    """Two parts and some: a conjunct (क्क...) over the first cut, so it is certain
    ``drift`` units before it and no later; the last part has ``room`` units left."""
    cluster = "क" + "्क" * drift
    length = 134 + 67 - room
    text = ("कि" * 120)[: 67 - drift] + cluster
    return (text + "कि" * 120)[:length]


@given(st.lists(straddling(), max_size=10))
# Drifts 0-6 and 7, one past the followed distance (walked whatever the room).
@example([_conjunct_at(drift, room) for drift in range(8) for room in (0, drift - 1, drift)])
@example(["क" * 66 + "\ue000" + "क" * 70, "क" * 80])  # a separator's value at a part's end
@example(["क" * 65 + "\ue043" + "ि" + "क" * 70])  # U+E043 at a part's end, not a separator
@example(["क" * 66 + "ि\ue001" + "क" * 70])  # private use after a mark, at drift 1
def test_the_screen_flags_what_the_rule_leaves(texts: list[str]) -> None:
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    assert batch._straddled_bmp(padded, len(texts)) == _expected_flags(texts)


def test_a_conjunct_six_units_over_a_cut_settles_in_the_screen() -> None:
    # क्क्क्क्क्क्क from 6 units before the first cut: certain only there (drift 6, perf28i;
    # walked before). Room 6 fits it, room 5 does not: that text needs a third part.
    texts = [_conjunct_at(6, room) for room in (5, 6, 66)]
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    assert batch._straddled_bmp(padded, len(texts)) == [0]
    assert [ref.count(text) for text in texts] == [4, 3, 3]
    assert count_many(texts * 6) == [4, 3, 3] * 6  # the padded route (16 texts or more)


@pytest.mark.parametrize("pair", ["\u094d\u0902", "\u094d\u0951", "\u0902\u0902", "\u09cd\u0981"])
@pytest.mark.parametrize("drift", range(1, 9))
def test_an_extender_after_a_joiner_just_before_the_only_place_left(pair: str, drift: int) -> None:
    # The pair ends just before the place ``drift`` units before the first cut, and a
    # conjunct (क्क...) covers every nearer place: only the look behind (GB9c joins the
    # consonant after the pair) keeps that place from being read as certain. Review of
    # perf28i: removing it at drift 6 alone left every other test passing.
    text = ("कि" * 40)[: 64 - drift] + "क" + pair + "क" + "्क" * 6 + "कि" * 80
    texts = [text[: 201 - room] for room in range(max(drift - 1, 0), drift + 3)]
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    assert batch._straddled_bmp(padded, len(texts)) == _expected_flags(texts)
    expected = [ref.count(text) for text in texts]
    assert count_many(texts * 6) == expected * 6  # the padded route (16 texts or more)
    assert [count_segments(text) for text in texts] == expected  # ``drifts_fit``


@pytest.mark.parametrize("pair", ["\u094d\u0902", "\u0902\u0902", "\u0bcd\u0bcd", "\u093f\u0902"])
@pytest.mark.parametrize("drift", range(8))
def test_an_extender_after_a_joiner_at_every_drift(pair: str, drift: int) -> None:
    # The pair ends ``drift`` units before the first cut (GB9c: an extender after a
    # linker or extender is never read as certain before what follows), with 0-3
    # units of room or the drift's; then the same texts in one group with others.
    texts = []
    for room in sorted({0, 1, 2, 3, drift}):
        head = "कि" * 40
        text = head[: 65 - drift] + pair + "कि" * 80
        texts.append(text[: 201 - room])
        texts.append(text[:134])
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    assert batch._straddled_bmp(padded, len(texts)) == _expected_flags(texts)
    assert count_many([*texts, "ok"]) == [*map(ref.count, texts), 1]


@given(st.lists(straddling() | st.sampled_from(["", "ok", "€5 [x]", "Olá €", "नमस्ते"]), max_size=20))
def test_batches_count_as_the_reference(texts: list[str]) -> None:
    assert count_many(texts) == [ref.count(text) for text in texts]
    for text in texts:  # a group of one (``_by_units``' own case)
        assert batch.screen([text])[0] in (0, ref.count(text))


@pytest.mark.parametrize(
    "texts",
    [
        ["€" + "Ж" * 80, "€5"],  # the euro sign first, then a character beyond Latin-1
        ["Ж€" * 40, "café €"],  # beyond Latin-1 first, an euro sign after
        ["€" * 80, "£ €", "Olá"],  # the euro sign only: Latin-1 once it is "|"
        ["नमस्ते €" * 12, "€" * 161, "ok"],
        ["€\ue000" * 36],
    ],
)
def test_the_euro_sign_on_every_route(texts: list[str]) -> None:
    assert batch.screen(texts) == [ref.count(text) for text in texts]
    assert count_many(texts) == [ref.count(text) for text in texts]


@pytest.mark.parametrize("step", [1, 2, 15, 16, 17])
@pytest.mark.parametrize("size", [255, 256, _CHUNK, _CHUNK + 40])
def test_a_sampled_chunk_counts_every_text(step: int, size: int) -> None:
    # ASCII texts (GSM-7, or long) every ``step`` texts among Indic ones: the sample
    # of every 17th text sees all or none of them, never a miscount either way.
    kinds = ["नमस्ते " * 11, "कि" * 36, "ক্ত" * 30]
    plain = ["ok " * 60, "[x]" * 60, "a" * 200]
    texts = [plain[at % 3] if at % step == 0 else kinds[at % 3] for at in range(size)]
    expected = {text: ref.count(text) for text in set(texts)}
    assert count_many(texts) == [expected[text] for text in texts]


@pytest.mark.parametrize("where", [0, 17, 255, 256, _CHUNK - 1, _CHUNK + 5])
def test_a_lone_surrogate_in_a_sampled_chunk_names_its_text(where: int) -> None:
    texts = ["नमस्ते " * 11] * (_CHUNK + 8)
    texts[where] = "कि" * 33 + "\udc00" + "क" * 70
    with pytest.raises(EncodingError) as error:
        count_many(texts)
    assert error.value.index == where


# Since perf22i the parts whose cut is certain at drift 0 are one repeat from text to
# text (a text's last part passes it too: at drift 0 any room will do), and a part
# that fails it takes its text's rest from drift 1; the match stops inside a text it
# cannot settle. A text's last part followed by a text starting with a unit that may
# join what precedes fails that repeat and must still end its text at drift 0.
_MARKS = "ि\u0902\u094d\u200d\u0301"


@given(st.lists(st.tuples(st.sampled_from(["", *_MARKS]), straddling()), max_size=10))
@example([("", "कि" * 50), ("ि", "कि" * 50), ("", "कि" * 50)])
@example([("", "कि" * 50), ("\u0902", "क" * 66)])  # room 0 before a mark
def test_a_text_starting_with_a_mark_after_one_that_needs_no_drift(
    texts: list[tuple[str, str]],
) -> None:
    joined = [mark + text for mark, text in texts]
    padded = batch._padded(joined, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in joined])
    assert batch._straddled_bmp(padded, len(joined)) == _expected_flags(joined)
    assert count_many(joined) == [ref.count(text) for text in joined]


def test_the_screen_stops_inside_a_text_and_goes_on_after_it() -> None:
    # The second text's first cut needs no drift, its second falls in a conjunct of 8
    # letters (too far back to follow): the match stops in its second part, and the
    # texts after it are screened from their starts.
    settled = "कि" * 70
    stuck = (("कि" * 70)[:130] + "क" + "्क" * 7 + "कि" * 40)[:201]
    drifted = _conjunct_at(2, 3)
    texts = [settled, stuck, settled, drifted, stuck, "कि" * 20]
    padded = batch._padded(texts, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in texts])
    assert _expected_flags(texts) == [1, 4]
    assert batch._straddled_bmp(padded, len(texts)) == [1, 4]
    assert count_many(texts) == [ref.count(text) for text in texts]


def test_one_text_with_a_separators_value_at_a_parts_end_is_unsure() -> None:
    # The conjunct over the first cut drifts it one unit; U+E005 at the second part's
    # last unit would read as a separator with room 5 and start the drift again from
    # 0, proving 3 parts where the cuts make 4.
    base = ("कि" * 120)[:66] + "क्क" + "कि" * 100
    text = base[:133] + "\ue005" + base[134:201]
    assert ref.count(text) == 4
    assert not drifts_fit(text)
    assert count_segments(text) == 4
    assert count_many([text, "ok"]) == [4, 1]


# Since perf23i a drifted part tests the units before and after its place before it
# looks behind, and ``_from_drift`` starts both its first alternatives (an extender
# with no joiner behind it before the cut, a text's separator) at the unit before the
# cut. Every run of three units of a small alphabet (a letter, a spacing mark, a
# linker, a nukta, an anusvara, ZWJ, a separator's value, a character that joins
# nothing) ends at each place 0-6 units before a text's first cut.
_RUN_UNITS = "कि\u094d\u093c\u0902\u200d\ue001a"
_RUNS = ["".join(run) for run in product(_RUN_UNITS, repeat=3)]


def _run_at(run: str, end: int, length: int) -> str:
    """``run`` ending ``end`` units into a text of letters and vowel signs of
    ``length`` units."""
    filler = "कि" * 120
    return (filler[: end - len(run)] + run + filler)[:length]


@pytest.mark.parametrize("room", [0, 1, 66])
@pytest.mark.parametrize("drift", range(7))
def test_every_run_before_a_place_is_screened_as_the_rule_says(drift: int, room: int) -> None:
    # The run's last unit is the one after the place ``drift`` units before the cut
    # at 67 (at drift 0, the first unit of the next part).
    # Each text alone, then in groups of those with no separator's value at a part's
    # end (one there sends its whole group, whatever the others read).
    texts = [_run_at(run, 68 - drift, 134 - room) for run in _RUNS]
    plain = [text for text in texts if text[66] != "\ue001"]
    groups = [plain[at : at + 64] for at in range(0, len(plain), 64)]
    for group in [[text] for text in texts] + groups:
        padded = batch._padded(group, [batch._PAD_ROOM_BY_UNITS[len(text)] for text in group])
        assert batch._straddled_bmp(padded, len(group)) == _expected_flags(group)


@pytest.mark.parametrize("drift", [0, 1, 3])
def test_every_run_before_a_place_counts_as_the_reference(drift: int) -> None:
    # Two cuts, the run before the first; room 1: a drift of one unit fits, two do not.
    texts = [_run_at(run, 68 - drift, 200) for run in _RUNS]
    assert count_many(texts) == [ref.count(text) for text in texts]
