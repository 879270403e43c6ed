"""Review of perf21e (the half-room table, chunks routed by a sample of their texts).

Two costs the counts alone do not show: a text far past the UCS-2 table among texts
beyond the BMP must not cost a table as long as itself, and a chunk whose texts take
turns (one kind every 2nd, 4th, 8th or 16th text) must not send its ASCII texts to be
screened with the wide ones on the word of a sample that only ever sees one kind.
"""

from __future__ import annotations

import tracemalloc

import pytest

import _reference as ref
from smskit import MessageTooLongError, count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

FAMILY = "👨\u200d👩\u200d👧"  # 8 units, two ZWJ
MOVING = "a" * 60 + FAMILY + "a" * 66  # 134 units, its cut moves: 3 parts


@pytest.mark.parametrize(
    ("big", "units"),
    [("a" * 1_000_000, 1_000_000), ("Ж" * 1_000_000, 1_000_000), ("😀" * 500_000, 1_000_000)],
)
def test_a_text_far_past_the_table_costs_no_table_of_its_length(big: str, units: int) -> None:
    # The screen before perf21e peaked at about 4 bytes a unit here (the UTF-8 encoder's
    # buffer for a str of four bytes a character); a look-up table as long as the text
    # costs 8 bytes a unit more, twice over while it is concatenated.
    texts = ["hi " + FAMILY] * 100 + [MOVING, big, MOVING]
    joined = batch.SEP.join(texts)
    tracemalloc.start()
    try:
        batch._astral_counts(texts, joined)
    except IndexError:  # the GSM-7 one: past 255 parts, left to the caller
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 6 * units
    with pytest.raises(MessageTooLongError) as info:
        count_many(texts)
    assert info.value.index == 101


@pytest.mark.parametrize("units", [17_085, 17_086, 20_000])
def test_texts_at_and_past_the_table_beside_cuts_to_check(units: int) -> None:
    # Hand-derived: 67 units a part, 255 parts at most; a GSM-7 text of that length
    # ("a") fits in 153-septet parts. MOVING's cut moves (3 parts, not 2).
    ucs2 = "a" * (units - 2) + "😀"
    gsm = "a" * units
    texts = [MOVING, gsm, "hi 👍🏽", MOVING]
    want_gsm = -(-units // 153)
    assert batch._astral_counts(texts, batch.SEP.join(texts)) == [3, want_gsm, 1, 3]
    texts = [MOVING, ucs2, MOVING]
    counts = batch._astral_counts(texts, batch.SEP.join(texts))
    assert counts[0] == counts[2] == 3
    assert counts[1] == (255 if units == 17_085 else 0)


@pytest.mark.parametrize("period", [2, 4, 8, 16])
@pytest.mark.parametrize("wide", ["hi " + FAMILY, "Привет, код 1234", "Olá, código ê"])
def test_texts_taking_turns_keep_the_ascii_ones_apart(
    period: int, wide: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One wide text every ``period`` texts, ASCII between (a campaign sent round-robin
    # over a few locales): the ASCII texts are counted in place, only the wide ones
    # screened (joined with a wide text they are widened: up to 4 times the time).
    chunk = [
        wide if index % period == 0 else f"Hi Ann, your code is {index}, reply STOP"
        for index in range(_CHUNK)
    ]
    screened: list[int] = []
    screen_groups = batch._screen_groups

    def recording(texts: list[str]) -> list[int]:
        screened.append(len(texts))
        return screen_groups(texts)

    monkeypatch.setattr(batch, "_screen_groups", recording)
    counts = batch.chunk_counts(chunk)
    assert screened == [_CHUNK // period]
    expected = {text: ref.count(text) for text in set(chunk)}
    assert counts == [expected[text] for text in chunk]
