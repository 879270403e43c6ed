"""parse_number on distinct numbers (nothing cached): the canonical-NANP fast path
against the slow path (phonenumbers' own parse, validation, type and format: the code
before the fast path), in the same process (not collected by pytest).

    python benchmarks/bench_parse.py            # 40,000 numbers, 7 rounds
    python benchmarks/bench_parse.py --quick    # 4,000 numbers, 3 rounds (CI)

Numbers are seeded ``+1`` and ten digits (what CRMs store) across US, Canadian and
Caribbean area codes, valid and invalid; a second set is the same numbers written
nationally (``(415) 555-0123``), which takes the slow path either way. Rounds are
interleaved; each figure is the median of the rounds (CPU time of the process), the
ratio's spread (min-max) beside it. Both paths give the same answer for every number
(checked here, and by tests/properties/numbers/test_numbers_fast_props.py).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import time
from collections.abc import Callable

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import parse
from smskit.numbers.parse import PhoneNumber

AREA_CODES = ("415", "212", "646", "312", "617", "206", "303", "512", "604", "416", "787",
              "876", "809", "242", "800", "555", "211")


def numbers(count: int) -> list[str]:
    rnd = random.Random(11)
    return [f"+1{rnd.choice(AREA_CODES)}{rnd.randrange(200, 1000)}{rnd.randrange(10000):04d}"
            for _ in range(count)]


def national(text: str) -> str:
    return f"({text[2:5]}) {text[5:8]}-{text[8:]}"


def outcome(parser: Callable[[str, str], PhoneNumber], text: str) -> PhoneNumber | str:
    try:
        return parser(text, "US")
    except InvalidPhoneNumber as exc:
        return exc.reason


def run(parser: Callable[[str, str], PhoneNumber], texts: list[str]) -> float:
    """CPU microseconds per number."""
    start = time.process_time()
    for text in texts:
        with contextlib.suppress(InvalidPhoneNumber):
            parser(text, "US")
    return (time.process_time() - start) / len(texts) * 1e6


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (spread {min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small, for CI")
    args = parser.parse_args()
    texts = numbers(4_000 if args.quick else 40_000)
    fast = parse._parse_cached.__wrapped__  # type: ignore[attr-defined]  # the uncached function
    slow = parse._parse_slow
    fast(texts[0], "US")  # the metadata tables and the area-code index, built once
    assert all(outcome(fast, t) == outcome(slow, t) for t in texts[:2_000])
    cases = {
        "+1 and ten digits, valid": [t for t in texts if isinstance(outcome(slow, t),
                                                                     PhoneNumber)],
        "+1 and ten digits, invalid": [t for t in texts if not isinstance(outcome(slow, t),
                                                                          PhoneNumber)],
    }
    cases["(415) 555-0123 spelling"] = [national(t) for t in cases["+1 and ten digits, valid"]]
    rounds = 3 if args.quick else 7
    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for case, items in cases.items():
            for name, function in (("slow", slow), ("fast", fast)):
                timings.setdefault((case, name), []).append(run(function, items))
    print(f"{len(texts):,} distinct numbers, {rounds} interleaved rounds, CPU us per number "
          "(medians); slow: the path before, fast: parse_number now")
    for case, items in cases.items():
        slow_us, fast_us = timings[(case, "slow")], timings[(case, "fast")]
        print(f"{case + f' ({len(items):,})':38s} slow {statistics.median(slow_us):6.2f}  "
              f"fast {statistics.median(fast_us):6.2f}  speed-up "
              + spread([s / f for s, f in zip(slow_us, fast_us, strict=True)]))


if __name__ == "__main__":
    main()
