"""Destination countries of a campaign's numbers, parsed in worker processes when many.

``phonenumbers`` parsing is most of the cost of pricing a large campaign whose
numbers are all distinct, and each number is independent of the others, so the
command spreads distinct numbers over the machine's cores. The answer is the same
function's (:func:`smskit.numbers.region_of`); a number the workers found
invalid is parsed again in the caller, which raises the usual error for its row.

Interrupts: the workers ignore SIGINT (a Ctrl-C reaches the whole process group);
the command's handler kills them and exits, so nothing waits on a worker that is
still busy or blocked on its queue.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import repeat

import phonenumbers

from ..errors import InvalidPhoneNumber
from ..numbers.parse import LineType, parse_number, region_of

__all__ = ["PARALLEL_MIN_NUMBERS", "country_resolver", "is_landline"]

#: Below this many distinct numbers, starting processes costs more than it saves.
PARALLEL_MIN_NUMBERS = 20_000
_CHUNKS_PER_WORKER = 4

_Answer = tuple[str, bool]  # (region, fixed-line)


def country_resolver(
    numbers: Iterable[str],
    region: str,
    *,
    workers: int | None = None,
    min_numbers: int = PARALLEL_MIN_NUMBERS,
) -> tuple[Callable[[str], str], Callable[[str], bool], int]:
    """``country_of`` for :func:`smskit.pricing.estimate`, ``is_landline`` (the
    number's line type is fixed-line), and the number of worker processes used to
    prepare them (0 when the numbers were too few or the platform cannot fork).

    Both functions raise :class:`~smskit.errors.InvalidPhoneNumber` for an invalid number.
    """
    distinct = list(dict.fromkeys(numbers))
    count = workers if workers is not None else (os.cpu_count() or 1)
    known: dict[str, _Answer] = {}
    used = 0
    if count > 1 and len(distinct) >= min_numbers and _can_fork():
        try:
            known = _parse_in_workers(distinct, region, count)
            used = count
        except (OSError, BrokenProcessPool):
            known = {}  # parse in this process instead; the answers are the same

    def answer(number: str) -> _Answer:
        found = known.get(number)
        if found is None:  # few numbers, or invalid (raises here, as for its row)
            country = region_of(number, region=region)
            found = known[number] = (country, is_landline(number, region, country))
        return found

    def country_of(number: str) -> str:
        return answer(number)[0]

    def landline(number: str) -> bool:
        return answer(number)[1]

    return country_of, landline, used


def is_landline(number: str, region: str, country: str) -> bool:
    """Whether the valid ``number`` (of ``country``) is a fixed line, per ``phonenumbers``.

    Where the metadata uses one pattern for fixed and mobile numbers (the US, Canada
    and most of the NANP) no number can be told fixed-line, so it is never parsed twice.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(country)
    if metadata is None or metadata.same_mobile_and_fixed_line_pattern:
        return False
    return parse_number(number, region=region).line_type is LineType.FIXED_LINE


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _parse_in_workers(distinct: list[str], region: str, workers: int) -> dict[str, _Answer]:
    size = -(-len(distinct) // (workers * _CHUNKS_PER_WORKER))
    chunks = [distinct[start : start + size] for start in range(0, len(distinct), size)]
    context = multiprocessing.get_context("fork")
    known: dict[str, _Answer] = {}
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_ignore_interrupts
    )
    try:
        # map() starts every worker. A Ctrl-C handled between a fork and the
        # bookkeeping of the new process would miss it (and leave it running), so
        # SIGINT waits, blocked, until every worker is known.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            results = pool.map(_answers, chunks, repeat(region))
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        for chunk, answers in zip(chunks, results, strict=True):
            known.update((n, a) for n, a in zip(chunk, answers, strict=True) if a is not None)
    except BaseException:
        # Not ``with``: its exit waits for every worker to finish its chunk.
        for process in multiprocessing.active_children():
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return known


def _answers(numbers: list[str], region: str) -> list[_Answer | None]:
    answers: list[_Answer | None] = []
    for number in numbers:
        try:
            country = region_of(number, region=region)
            answers.append((country, is_landline(number, region, country)))
        except InvalidPhoneNumber:
            answers.append(None)
    return answers
