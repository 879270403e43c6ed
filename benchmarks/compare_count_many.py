"""``count_many`` of two versions of smskit in one process, per message class.

    python benchmarks/compare_count_many.py --before /path/to/other/checkout/src/smskit

The other version's package directory is copied to a temporary directory and imported
as ``smskit_before`` (its imports are relative, so it runs apart from this one). Each
round times, in a rotating order, the encode floor ``[t.encode("utf-16-le") for t in
texts]``, the other version's ``count_many`` and this one's on the same texts, with
CPU time and the garbage collector on; each figure is the median of the per-round
ratios to the floor, with the lowest and highest round. Both versions' counts are
checked equal first.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from _compare import corpora_from_args, interleaved, load_before

from smskit import count_many


def _load_before(package: Path) -> Callable[[list[str]], list[int]]:
    return load_before(package).count_many  # type: ignore[no-any-return]


def _encode(texts: Sequence[str]) -> object:
    return [t.encode("utf-16-le") for t in texts]


def compare(
    texts: list[str], before: Callable[[list[str]], list[int]], rounds: int
) -> dict[str, tuple[float, float, float]]:
    assert before(texts) == count_many(texts)
    cases: dict[str, Callable[[], object]] = {
        "encode": lambda: _encode(texts),
        "before": lambda: before(texts),
        "now": lambda: count_many(texts),
    }
    samples = interleaved(cases, rounds)
    result = {}
    for name in ("before", "now"):
        ratios = [c / b for c, b in zip(samples[name], samples["encode"], strict=True)]
        result[name] = (statistics.median(ratios), min(ratios), max(ratios))
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args, corpora = corpora_from_args(
        argv, (__doc__ or "").splitlines()[0], rounds=21, size=5_000, mix=25_000
    )
    before = _load_before(args.before)
    print(f"time / encode floor, {args.rounds} rounds, GC on; median [lowest-highest]")
    width = max(map(len, corpora))
    for kind, texts in corpora.items():
        result = compare(texts, before, args.rounds)
        cells = "  ".join(
            f"{name} {m:5.2f}x [{lo:.2f}-{hi:.2f}]" for name, (m, lo, hi) in result.items()
        )
        print(f"{kind:{width}} {cells}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
