"""Linear-growth checks: the time for twice the input, as a ratio, never an absolute time.

A quadratic step makes the ratio about 4; a linear one about 2. The bound (3.2 by
default) leaves room for noise, and each side is the median of several runs.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def growth_ratio(make: Callable[[int], Callable[[], object]], n: int, *, repeats: int = 5) -> float:
    """Median time of ``make(2 * n)()`` over median time of ``make(n)()``."""
    small, large = make(n), make(2 * n)
    small()  # warm caches and lazy tables before timing
    return _median_seconds(large, repeats) / _median_seconds(small, repeats)


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
