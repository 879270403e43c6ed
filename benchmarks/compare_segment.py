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

``--aa`` imports a second copy of each version (``smskit_before2``, ``smskit_now2``) and
times all four: the A/A of each version (its second copy's time over its first's) shows
the noise, which includes where each copy lands in memory (two copies of one version
have differed by 2-3%), and the pooled ratio (both copies of this version over both of
the other) is the comparison to read.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from _compare import corpora_from_args, interleaved, load_before
from bench_segments import per_character_loop

import smskit
from smskit import segment

Split = Callable[[str], Any]


def _load_before(package: Path, name: str = "smskit_before") -> Split:
    return load_before(package, name).segment  # type: ignore[no-any-return]


def _parts(split: Split, text: str) -> list[tuple[str, int, bytes]]:
    return [(part.text, part.units, part.udh) for part in split(text).segments]


def _fmt(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):5.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]"


def compare(
    texts: list[str], before: Split, rounds: int, copies: tuple[Split, Split] | None = None
) -> list[str]:
    """Cells of one corpus; with ``copies`` (a second copy of the other version and
    of this one), the two A/A ratios and the pooled one too."""
    assert all(_parts(before, t) == _parts(segment, t) for t in texts)
    cases: dict[str, Callable[[], object]] = {
        "loop": lambda: [per_character_loop(t) for t in texts],
        "before": lambda: [before(t).segments for t in texts],
        "now": lambda: [segment(t).segments for t in texts],
    }
    if copies is not None:
        before2, now2 = copies
        cases["before2"] = lambda: [before2(t).segments for t in texts]
        cases["now2"] = lambda: [now2(t).segments for t in texts]
    samples = interleaved(cases, rounds)
    loop, old, new = samples["loop"], samples["before"], samples["now"]
    cells = [
        _fmt([a / b for a, b in zip(loop, old, strict=True)]),
        _fmt([a / b for a, b in zip(loop, new, strict=True)]),
        _fmt([b / a for a, b in zip(old, new, strict=True)]),
    ]
    if copies is not None:
        old2, new2 = samples["before2"], samples["now2"]
        cells += [
            _fmt([b / a for a, b in zip(old, old2, strict=True)]),
            _fmt([b / a for a, b in zip(new, new2, strict=True)]),
            _fmt([(c + d) / (a + b) for a, b, c, d in zip(old, old2, new, new2, strict=True)]),
        ]
    return cells


def main(argv: Sequence[str] | None = None) -> int:
    args, corpora = corpora_from_args(
        argv, (__doc__ or "").splitlines()[0], rounds=11, size=10_000, mix=50_000, aa=True
    )
    before = _load_before(args.before)
    copies = None
    if args.aa:
        here = Path(smskit.__file__ or "").parent  # this version's package, copied
        copies = (_load_before(args.before, "smskit_before2"), _load_before(here, "smskit_now2"))
    print(f"{args.rounds} interleaved rounds, GC on; median [lowest-highest]")
    width = max(map(len, corpora))
    heads = ["before: speed vs loop", "now: speed vs loop", "now / before, time"]
    if args.aa:
        heads += ["A/A before", "A/A now", "now / before, pooled"]
    print(f"{'corpus':{width}} " + " ".join(f"{head:>22}" for head in heads))
    for kind, texts in corpora.items():
        cells = compare(texts, before, args.rounds, copies)
        print(f"{kind:{width}} " + " ".join(f"{cell:>22}" for cell in cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
