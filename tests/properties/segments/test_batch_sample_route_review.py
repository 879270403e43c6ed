"""Review of the sample route (5 December 2026, rev21n): ``chunk_counts`` screens a
chunk of over 256 texts whole when fewer than a third of a sample (every
``_SAMPLE``-th text) are ASCII. Both routes are exact, so every count test passed
with the route removed (``if False and ...``) or always taken (``if True or ...``);
these pin the route itself, each way, at the threshold and at the chunk size where
sampling starts (texts taking turns every 2nd-16th: test_batch_half_rooms_review).
"""

from __future__ import annotations

import pytest

import _reference as ref
from smskit import count_many
from smskit.segments import _batch as batch
from smskit.segments._batch import CHUNK as _CHUNK

PLAIN = "Hi, your code is 1234. Reply STOP to opt out"


@pytest.fixture
def whole_screens(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes ``_screen_groups`` is handed while the test runs."""
    sizes: list[int] = []
    real = batch._screen_groups

    def spy(texts: list[str]) -> list[int]:
        sizes.append(len(texts))
        return real(texts)

    monkeypatch.setattr(batch, "_screen_groups", spy)
    return sizes


def _counted(texts: list[str]) -> None:
    want = {one: ref.count(one) for one in set(texts)}
    assert count_many(texts) == [want[one] for one in texts]


@pytest.mark.parametrize("size", [batch._GROUP + 1, 700, _CHUNK])
def test_a_sample_beyond_ascii_screens_the_chunk_whole(
    whole_screens: list[int], size: int
) -> None:
    # The sampled texts beyond ASCII but for fewer than a third, every other text
    # ASCII: screened whole, though testing each text would split it.
    texts = [PLAIN] * size
    sampled = list(range(0, size, batch._SAMPLE))
    plain = (len(sampled) - 1) // 3
    assert 3 * plain < len(sampled)
    for at in sampled[plain:]:
        texts[at] = "Dear Ayşe"
    _counted(texts)
    assert whole_screens == [size]


def test_a_sample_at_a_third_ascii_tests_each_text(whole_screens: list[int]) -> None:
    # A third of the sample ASCII (the threshold) and every other text ASCII: split,
    # only the sampled wide texts screened.
    texts = [PLAIN] * _CHUNK
    sampled = list(range(0, _CHUNK, batch._SAMPLE))
    wide = sampled[len(sampled) // 3 + (len(sampled) % 3 > 0) :]
    assert 3 * (len(sampled) - len(wide)) >= len(sampled)
    for at in wide:
        texts[at] = "Dear Ayşe"
    _counted(texts)
    assert whole_screens == [len(wide)]


def test_a_group_or_less_is_never_sampled(whole_screens: list[int]) -> None:
    # 256 texts, wide where a sample would look: a sample would cost more than it
    # saves; the ASCII test of each says most are ASCII, so only the wide are screened.
    texts = [PLAIN] * batch._GROUP
    wide = range(0, batch._GROUP, batch._SAMPLE)
    for at in wide:
        texts[at] = "Dear Ayşe"
    _counted(texts)
    assert whole_screens == [len(wide)]
