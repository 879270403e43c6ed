"""Time grows linearly: doubling the input at most about doubles the time.

No absolute times: each test compares the CPU time of an input with that of one
twice as large, fastest of interleaved samples of a few milliseconds each, with a
bound of 3.2 where linear is 2x and quadratic 4x, and three tries (tests/linear.py):
a machine under load preempts the test without adding CPU time to either side.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from linear import assert_linear
from smskit import MessageTooLongError, count_many, segment

_MIX = [
    "Hi Sam, see you at 5", "x" * 400, "Zoë 👍🏽 ok", "€20 [ref]", "您好" * 50, "",
    "👨‍👩‍👧 " * 30,
]


def test_count_many_grows_linearly() -> None:
    def make(size: int) -> Callable[[], object]:
        texts = [_MIX[i % len(_MIX)] + str(i) for i in range(size)]
        return lambda: count_many(texts)

    assert_linear(make, 20_000)


@pytest.mark.parametrize("unit", ["hello world ", "hi 👨‍👩‍👧 ok ", "Olá ç ", "नमस्ते "])
def test_segment_grows_linearly_up_to_the_limit(unit: str) -> None:
    def make(length: int) -> Callable[[], object]:
        text = (unit * (length // len(unit) + 1))[:length]
        return lambda: segment(text).segments

    assert_linear(make, 4_000)


@pytest.mark.parametrize("unit", ["hello world ", "hi 👨‍👩‍👧 ok ", "नमस्ते "])
def test_too_long_is_found_in_time_proportional_to_the_text(unit: str) -> None:
    def make(length: int) -> Callable[[], object]:
        text = unit * (length // len(unit))

        def split() -> None:
            with pytest.raises(MessageTooLongError):
                segment(text)

        return split

    assert_linear(make, 60_000)


def test_clusters_past_the_limit_are_cut_to_the_end() -> None:
    # 2,130 families of 8 units fit 255 x 67 units, but a part holds only 8 whole
    # families (64 units): 267 parts are needed, found by cutting. The error gives that
    # number, as count_segments() does (it used to stop at 256, one past the limit).
    text = "👨‍👩‍👧" * 2130
    with pytest.raises(MessageTooLongError) as info:
        segment(text)
    assert info.value.segments == 267


def test_the_growth_check_catches_a_superlinear_step() -> None:
    # The check must be able to fail: a step cubic by construction multiplies the
    # time by about 8 when its input doubles, far past the bound whatever the noise.
    def make(size: int) -> Callable[[], object]:
        rows = range(size)
        return lambda: sum(1 for _ in rows for _ in rows for _ in rows)

    with pytest.raises(AssertionError, match="doubling the input"):
        assert_linear(make, 30)
