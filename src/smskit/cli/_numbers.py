"""Destination countries of a campaign's numbers, parsed in worker processes when many.

``phonenumbers`` parsing is most of the cost of pricing a large campaign whose
numbers are all distinct, and each number is independent of the others, so the
command spreads distinct numbers over the machine's cores. The answer is the same
function's (:func:`smskit.numbers.region_of`); a number the workers found
invalid is parsed again in the caller, which raises the usual error for its row.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import repeat

from ..errors import InvalidPhoneNumber
from ..numbers.parse import region_of

__all__ = ["PARALLEL_MIN_NUMBERS", "country_resolver"]

#: Below this many distinct numbers, starting processes costs more than it saves.
PARALLEL_MIN_NUMBERS = 20_000
_CHUNKS_PER_WORKER = 4


def country_resolver(
    numbers: Iterable[str],
    region: str,
    *,
    workers: int | None = None,
    min_numbers: int = PARALLEL_MIN_NUMBERS,
) -> tuple[Callable[[str], str], int]:
    """A ``country_of`` function for :func:`smskit.pricing.estimate`, and the number of
    worker processes used to prepare it (0 when the numbers were too few or the
    platform cannot fork)."""
    distinct = list(dict.fromkeys(numbers))
    count = workers if workers is not None else (os.cpu_count() or 1)
    known: dict[str, str] = {}
    used = 0
    if count > 1 and len(distinct) >= min_numbers and _can_fork():
        try:
            known = _parse_in_workers(distinct, region, count)
            used = count
        except (OSError, BrokenProcessPool):
            known = {}  # parse in this process instead; the answers are the same

    def country_of(number: str) -> str:
        found = known.get(number)
        if found is not None:
            return found
        return region_of(number, region=region)

    return country_of, used


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _parse_in_workers(distinct: list[str], region: str, workers: int) -> dict[str, str]:
    size = -(-len(distinct) // (workers * _CHUNKS_PER_WORKER))
    chunks = [distinct[start : start + size] for start in range(0, len(distinct), size)]
    context = multiprocessing.get_context("fork")
    known: dict[str, str] = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for chunk, countries in zip(
            chunks, pool.map(_countries, chunks, repeat(region)), strict=True
        ):
            known.update((n, c) for n, c in zip(chunk, countries, strict=True) if c is not None)
    return known


def _countries(numbers: list[str], region: str) -> list[str | None]:
    countries: list[str | None] = []
    for number in numbers:
        try:
            countries.append(region_of(number, region=region))
        except InvalidPhoneNumber:
            countries.append(None)
    return countries
