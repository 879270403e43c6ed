"""``count_many`` of two versions on lists of GSM-7 texts dense with escapes, by shape.

    python benchmarks/compare_escape_shapes.py --before /path/to/other/checkout/src/smskit

The shapes that decide ``_batch._escaped_counts``' route (rev26p): short texts with an
escape (the route's gain), long ones with three or four, texts near a part's end (each
read again: a campaign written to fill its parts), and calls of 64 texts (the route's
smallest group). Each round times, in a rotating order, the encode floor, the other
version and this one on the same 8,192 texts (CPU time, GC on); per shape, the median
of the per-round ratios to the floor and of this version's time to the other's, with
the lowest and highest round. Both versions' counts are checked equal first. Run an
A/A (``--before`` this checkout) beside it for the noise.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from _compare import interleaved, load_before

from smskit import count_many

WORDS = ["see", "you", "at", "the", "shop", "ok", "thanks", "your", "order", "is", "ready"]
ESCAPES = "{}[]~^|\\"
TEXTS = 8_192
Shape = Callable[[random.Random], list[str]]


def _prose(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(map(len, words)) + len(words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words)[:length]


def _escaped(rng: random.Random, length: int, escapes: int) -> str:
    chars = list(_prose(rng, length))
    for _ in range(escapes):
        chars.insert(rng.randint(0, len(chars)), rng.choice(ESCAPES))
    return "".join(chars)


def _near_ends_one_in(every: int) -> Shape:
    def shape(rng: random.Random) -> list[str]:
        return [
            _escaped(
                rng,
                rng.choice([158, 303, 457]) if index % every == 0 else rng.randint(40, 140),
                rng.randint(1, 3),
            )
            for index in range(TEXTS)
        ]

    return shape


SHAPES: dict[str, Shape] = {
    "short, 1 escape": lambda rng: [
        _escaped(rng, rng.randint(20, 120), 1) for _ in range(TEXTS)
    ],
    "long 300-460, 3 escapes": lambda rng: [
        _escaped(rng, rng.randint(300, 460), 3) for _ in range(TEXTS)
    ],
    "long, 3 escapes, 1 in 10 four": lambda rng: [
        _escaped(rng, rng.randint(300, 460), 4 if rng.random() < 0.1 else 3)
        for _ in range(TEXTS)
    ],
    "all near a part's end, 1-3": lambda rng: [
        _escaped(rng, rng.choice([158, 159, 160, 302, 303, 304, 305, 306, 456, 457, 458]),
                 rng.randint(1, 3))
        for _ in range(TEXTS)
    ],
    "filled to two parts (300-308)": lambda rng: [
        _escaped(rng, rng.randint(300, 308), rng.randint(1, 2)) for _ in range(TEXTS)
    ],
    "1 in 16 near a part's end": _near_ends_one_in(16),
    "1 in 8 near a part's end": _near_ends_one_in(8),
}
CALLS_OF_64 = "calls of 64 texts, 2 escapes"


def _encode(texts: list[str]) -> object:
    return [t.encode("utf-16-le") for t in texts]


def _each(count: Callable[[list[str]], list[int]], calls: list[list[str]]) -> object:
    return [count(call) for call in calls]


def _cell(top: list[float], bottom: list[float]) -> str:
    ratios = [a / b for a, b in zip(top, bottom, strict=True)]
    return f"{statistics.median(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}]"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other src/smskit")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    before: Callable[[list[str]], list[int]] = load_before(args.before).count_many
    rng = random.Random(5)
    print(f"time / encode floor, {args.rounds} rounds, GC on; median [lowest-highest]")
    for name in [*SHAPES, CALLS_OF_64]:
        old: Callable[[], object]
        new: Callable[[], object]
        if name == CALLS_OF_64:
            texts = [_escaped(rng, rng.randint(40, 300), 2) for _ in range(TEXTS)]
            calls = [texts[start : start + 64] for start in range(0, TEXTS, 64)]
            old, new = partial(_each, before, calls), partial(_each, count_many, calls)
        else:
            texts = SHAPES[name](rng)
            old, new = partial(before, texts), partial(count_many, texts)
        assert old() == new(), name
        cases: dict[str, Callable[[], object]] = {
            "encode": partial(_encode, texts), "before": old, "now": new,
        }
        samples = interleaved(cases, args.rounds)
        print(
            f"{name:32s} before {_cell(samples['before'], samples['encode'])}  "
            f"now {_cell(samples['now'], samples['encode'])}  "
            f"now / before {_cell(samples['now'], samples['before'])}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
