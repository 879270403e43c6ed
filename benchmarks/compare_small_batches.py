"""``count_many`` on small batches of the realistic mix, two versions in one process.

    python benchmarks/compare_small_batches.py --before /path/to/other/src/smskit

An application counts a few texts a call, so fixed costs a call, chunk or screen
show there and not on one large list. The mix (``--mix`` texts) is cut into batches
of each size; a round times, in a rotating order, the encode floor
``[t.encode("utf-16-le") for t in batch]`` over every batch, the other version's
``count_many`` over every batch and this one's (CPU time, GC on). Each figure is the
median of the per-round ratios to the floor. Both versions' counts are checked equal.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from _compare import interleaved, load_before
from bench_segments import CLASSES, class_corpus, corpus

from smskit import count_many

SIZES = (10, 30, 100, 300, 1_000, 2_000)


def _floor(batches: list[list[str]]) -> object:
    return [[t.encode("utf-16-le") for t in batch] for batch in batches]


def _counted(count: Callable[[list[str]], list[int]], batches: list[list[str]]) -> object:
    return [count(batch) for batch in batches]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other src/smskit")
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--mix", type=int, default=25_000, help="texts cut into batches")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--classes", action="store_true", help="each class, not the mix")
    args = parser.parse_args(argv)
    before = load_before(args.before).count_many
    corpora = (
        {kind: class_corpus(kind, args.mix) for kind in CLASSES}
        if args.classes
        else {"realistic mix": corpus(args.mix)}
    )
    print(f"time / encode floor, {args.rounds} rounds, GC on; median [lowest-highest]")
    for kind, texts in corpora.items():
        print(kind)
        _compare_sizes(before, texts, args.sizes, args.rounds)
    return 0


def _compare_sizes(
    before: Callable[[list[str]], list[int]], texts: list[str], sizes: str, rounds: int
) -> None:
    for size in map(int, sizes.split(",")):
        batches = [texts[start : start + size] for start in range(0, len(texts), size)]
        assert all(before(batch) == count_many(batch) for batch in batches)
        cases: dict[str, Callable[[], object]] = {
            "encode": lambda b=batches: _floor(b),
            "before": lambda b=batches: _counted(before, b),
            "now": lambda b=batches: _counted(count_many, b),
        }
        samples = interleaved(cases, rounds)
        cells = []
        for name in ("before", "now"):
            ratios = [c / e for c, e in zip(samples[name], samples["encode"], strict=True)]
            cells.append(
                f"{name} {statistics.median(ratios):5.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]"
            )
        now_before = [n / b for n, b in zip(samples["now"], samples["before"], strict=True)]
        print(
            f"{size:>5} texts a call  {'  '.join(cells)}  now/before "
            f"{statistics.median(now_before):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
