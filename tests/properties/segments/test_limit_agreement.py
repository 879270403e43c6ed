"""Past the 255-part limit every entry point says the same, true number.

``segment``, ``count_segments``, ``count_many`` and ``measure_many`` (and the CLI, which
reports ``count_segments``'s number) raise ``MessageTooLongError`` for the same texts,
with the same ``segments``. The number is the reference's count (``tests/_reference.py``,
which applies no limit) whenever the text's units fit 255 full parts, so that only the
cuts (an escape pair or a grapheme cluster moved whole past one) push it over; past that
it is the fewest parts the units fill, a lower bound the reference's count never falls
below. Before, ``segment`` stopped cutting one part past the limit and said "at least
256" where ``count_segments`` had found 257 for the same text.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import _reference as ref
from _cli import run
from smskit import MessageTooLongError, count_many, count_segments, measure_many, segment

# Pieces that cost what their look says, and pieces whose cuts move: escape pairs
# (two septets that never straddle a cut), clusters of several code points or units.
PIECES = [
    "a", "{", "a{", "ab{", "€", "中", "😀", "a😀", "中😀", "e\u0301", "क्ष", "👍🏽",
    "👨\u200d👩\u200d👧", "a" * 60 + "👨\u200d👩\u200d👧",
]


def _units(text: str) -> tuple[int, int]:
    """The reference's units of ``text`` and its units a part (8-bit reference)."""
    septets = ref.gsm_septets(text)
    return (septets, 153) if septets is not None else (ref.ucs2_units(text), 67)


def _expected(text: str) -> int:
    """The number every entry point must give for ``text`` past the limit."""
    units, multi = _units(text)
    if units <= 255 * multi:
        return ref.count(text)  # exact: only the cuts take it past 255 parts
    return -(-units // multi)  # the fewest parts the units fill


def _raised(call: object, *args: object, **options: object) -> MessageTooLongError:
    with pytest.raises(MessageTooLongError) as info:
        call(*args, **options)  # type: ignore[operator]
    return info.value


def _check(text: str) -> int:
    """Each entry point's number for ``text``, once checked to be the same everywhere."""
    errors = [
        _raised(segment, text),
        _raised(segment, text, languages=[]),  # the general path (a plan, cuts())
        _raised(count_segments, text),
        _raised(count_many, ["hi", text]),
        _raised(measure_many, ["hi", text]),
    ]
    numbers = {error.segments for error in errors}
    assert len(numbers) == 1, numbers
    (number,) = numbers
    for error in errors:
        assert f"needs at least {number} segments" in str(error)
    assert errors[3].index == 1
    return number


@st.composite
def near_the_limit(draw: st.DrawFn) -> str:
    """One piece repeated to within a few parts of 255 full ones, after a short prefix."""
    piece = draw(st.sampled_from(PIECES))
    prefix = draw(st.sampled_from(PIECES)) * draw(st.integers(0, 80))
    units, multi = _units(piece)
    repeats = (255 * multi + draw(st.integers(-3 * multi, 3 * multi))) // units
    return prefix + piece * max(repeats, 0)


@example("{" * 19_507, True)  # 39,014 septets fit 255 parts of 153; 76 pairs a part need 257
@example("👨\u200d👩\u200d👧" * 2130, True)  # 17,040 units; 8 families a part: 267 parts
@example("{" * 19_600, False)  # 39,200 septets: past 255 full parts (257), 258 by the cuts
@example("x" * (153 * 255 + 1), False)
@given(near_the_limit(), st.booleans())
def test_entry_points_agree_past_the_limit(text: str, smart: bool) -> None:
    needed = ref.count(text)
    if needed <= 255:
        assert count_segments(text) == needed
        return
    number = _check(text)
    assert number == _expected(text)
    assert 255 < number <= needed
    # With smart encoding (nothing here to replace) the two that take it agree too.
    if smart:
        assert _raised(segment, text, smart=True).segments == number
        assert _raised(count_segments, text, smart=True).segments == number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("{" * 19_507, 257),  # segment() said 256, count_segments() 257
        ("👨\u200d👩\u200d👧" * 2130, 267),  # both said 256: cutting stopped at the limit
        ("{" * 19_600, 257),  # past 255 full parts: the fewest the septets fill
    ],
)
def test_the_number_for_known_texts(text: str, number: int) -> None:
    assert _check(text) == number


def test_the_cli_reports_the_same_number_as_the_library() -> None:
    text = "{" * 19_507
    library = _raised(segment, text)
    for command in ("count", "explain"):
        result = run(command, "-", stdin=text)
        assert result.returncode == 1
        assert "at least 257 needed: more than the 255" in result.stdout
        data = json.loads(run(command, "--json", "-", stdin=text).stdout)
        assert (data["segments"], data["too_long"]) == (library.segments, True)


@pytest.mark.parametrize("texts", [["hi", "{" * 19_507], iter(["hi", "{" * 19_507])])
def test_measure_many_names_the_text_past_the_limit_as_count_many_does(texts: object) -> None:
    # count_many's error says which text ("text 1 of the batch", index 1); measure_many,
    # the other batch function, said neither.
    counted = _raised(count_many, ["hi", "{" * 19_507])
    measured = _raised(measure_many, texts)
    assert (measured.index, measured.segments, str(measured)) == (
        counted.index, counted.segments, str(counted)
    )
    assert str(measured).startswith("text 1 of the batch: the text needs at least 257")


def test_measure_many_names_a_bad_text_as_count_many_does() -> None:
    from smskit import EncodingError

    with pytest.raises(EncodingError) as info:
        measure_many(["hi", "hi", "a\ud800"])
    assert info.value.index == 2
    assert str(info.value).startswith("text 2 of the batch: lone surrogate U+D800")
    with pytest.raises(TypeError, match=r"^text 1 of the batch: measure_many\(\) takes a str"):
        measure_many(["hi", None])  # type: ignore[list-item]
