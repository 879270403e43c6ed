"""Linear-growth checks: the time for twice the input, as a ratio, never an absolute time.

A quadratic step makes the ratio about 4; a linear one about 2. The bound (3.2 by
default) leaves room for noise. Times are CPU time of this process (time.process_time),
so a busy machine that preempts the test does not count against it; each sample runs
the call enough times to last a few milliseconds (a single call of a few microseconds
is below the noise); samples of both sizes are interleaved, so a slow phase of the
machine hits both; each side keeps its fastest sample, since noise only ever adds time.
The collection before each sample skips the heap that was there before the measurement
(gc.freeze): late in the suite that heap holds large tables, and walking it took tenths
of a second a sample, paid dozens of times a check, while it can hold no garbage of
the samples.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_SAMPLE_CPU_SECONDS = 0.005


@contextmanager
def _heap_set_aside() -> Iterator[None]:
    """The objects alive now left out of the collections made inside the block."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _cpu_seconds(run: Callable[[], object], loops: int) -> float:
    """CPU seconds of ``loops`` calls of ``run``, with the garbage collector off."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(loops):
            run()
        return time.process_time() - start
    finally:
        gc.enable()


def growth_ratio(make: Callable[[int], Callable[[], object]], n: int, *, repeats: int = 5) -> float:
    """Fastest CPU time of ``make(2 * n)()`` over fastest CPU time of ``make(n)()``."""
    small, large = make(n), make(2 * n)
    small()  # warm caches and lazy tables before timing
    with _heap_set_aside():
        loops = 1
        while _cpu_seconds(small, loops) < _SAMPLE_CPU_SECONDS:
            loops *= 2
        small_times, large_times = [], []
        for _ in range(repeats):  # interleaved: a slow phase of the machine hits both sides
            small_times.append(_cpu_seconds(small, loops))
            large_times.append(_cpu_seconds(large, loops))
    return min(large_times) / min(small_times)


def assert_linear(
    make: Callable[[int], Callable[[], object]], n: int, *, bound: float = 3.2
) -> None:
    """Fail when doubling the input more than ``bound``-multiplies the time in three
    tries (a busy machine can spoil one measurement; it cannot make a quadratic step
    look linear)."""
    ratio = growth_ratio(make, n)
    for _ in range(2):
        if ratio <= bound:
            break
        ratio = min(ratio, growth_ratio(make, n))
    assert ratio <= bound, f"doubling the input multiplied the time by {ratio:.2f}"


def cost_ratio(
    slow: Callable[[], object], fast: Callable[[], object], *, repeats: int = 7
) -> float:
    """Fastest CPU time of ``slow()`` over fastest CPU time of ``fast()``, samples
    interleaved (a cost relative to a like input, where growth says nothing)."""
    fast()
    slow()
    with _heap_set_aside():
        loops = 1
        while _cpu_seconds(fast, loops) < _SAMPLE_CPU_SECONDS:
            loops *= 2
        slow_times, fast_times = [], []
        for _ in range(repeats):
            slow_times.append(_cpu_seconds(slow, loops))
            fast_times.append(_cpu_seconds(fast, loops))
    return min(slow_times) / min(fast_times)
