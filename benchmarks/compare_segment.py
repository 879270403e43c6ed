"""``segment(text).segments`` of two versions of smskit in one process, per message class.

    python benchmarks/compare_segment.py --before /path/to/other/checkout/src/smskit

The other version's package directory is copied to a temporary directory and imported
as ``smskit_before`` (its imports are relative, so it runs apart from this one). Each
round times, in a rotating order, the per-character loop of ``bench_segments``, the
other version's ``[segment(t).segments for t in texts]`` and this one's on the same
texts, with CPU time and the garbage collector on. Per corpus: each version's speed
against the loop and this version's time against the other's, as the median of the
per-round ratios with the lowest and highest round. Both versions' parts are checked
equal (text, units, header) first.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from _compare import corpora_from_args, interleaved, load_before
from bench_segments import per_character_loop

from smskit import segment

Split = Callable[[str], Any]


def _load_before(package: Path) -> Split:
    return load_before(package).segment  # type: ignore[no-any-return]


def _parts(split: Split, text: str) -> list[tuple[str, int, bytes]]:
    return [(part.text, part.units, part.udh) for part in split(text).segments]


def _fmt(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):5.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]"


def compare(texts: list[str], before: Split, rounds: int) -> list[str]:
    assert all(_parts(before, t) == _parts(segment, t) for t in texts)
    cases: dict[str, Callable[[], object]] = {
        "loop": lambda: [per_character_loop(t) for t in texts],
        "before": lambda: [before(t).segments for t in texts],
        "now": lambda: [segment(t).segments for t in texts],
    }
    samples = interleaved(cases, rounds)
    loop, old, new = samples["loop"], samples["before"], samples["now"]
    return [
        _fmt([a / b for a, b in zip(loop, old, strict=True)]),
        _fmt([a / b for a, b in zip(loop, new, strict=True)]),
        _fmt([b / a for a, b in zip(old, new, strict=True)]),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args, corpora = corpora_from_args(
        argv, (__doc__ or "").splitlines()[0], rounds=11, size=10_000, mix=50_000
    )
    before = _load_before(args.before)
    print(f"{args.rounds} interleaved rounds, GC on; median [lowest-highest]")
    width = max(map(len, corpora))
    print(f"{'corpus':{width}} {'before: speed vs loop':>22} {'now: speed vs loop':>22} "
          f"{'now / before, time':>22}")
    for kind, texts in corpora.items():
        cells = compare(texts, before, args.rounds)
        print(f"{kind:{width}} " + " ".join(f"{cell:>22}" for cell in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
