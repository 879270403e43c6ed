"""How much of ``segment(text).segments``' time on the mix is the garbage collector's.

    python benchmarks/segment_gc_share.py              # 50,000 texts, 3 + 7 rounds
    python benchmarks/segment_gc_share.py --quick      # 5,000 texts, 2 + 3 rounds

Two measurements on ``bench_segments``' realistic mix (CPU time of this process):

1. ``[segment(t).segments for t in texts]`` over the whole list, the collector on, with
   a ``gc.callbacks`` hook timing every collection: per round, the total time and, per
   generation, how many collections ran and the time spent in them. The values the call
   returns (a tuple of ``Segment`` parts, tuple subclasses CPython always tracks) stay
   alive until the round ends, so the older generations' passes walk more of them as
   the list grows; the per-character loop keeps nothing the collector tracks.
2. The same texts grouped by the kind of message (ASCII or not, encoding, one, two or
   three or more parts), each group timed alone: the per-character loop and ``segment``,
   interleaved, ns a message (median of the rounds), once with the collector on and once
   with it off, and the speed against the loop over all groups for each.

Grouped texts run faster than the mix's order (``docs/performance.md``), so the speeds of
part 2 are not the mix's; what they show is how each kind's speed moves with the
collector. Every figure is from one process on the same texts; compare the two columns
of one run, not runs on different machines.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from bench_segments import corpus, per_character_loop

from smskit import segment


def _segments(texts: Sequence[str]) -> None:
    kept = [segment(t).segments for t in texts]
    del kept


def _loop(texts: Sequence[str]) -> None:
    kept = [per_character_loop(t) for t in texts]
    del kept


def gc_by_generation(texts: Sequence[str], rounds: int) -> None:
    """Part 1: each round's total and its collections, by generation."""
    spent: dict[int, list[float]] = {}
    started = [0.0]

    def hook(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            entry = spent.setdefault(info["generation"], [0, 0.0])
            entry[0] += 1
            entry[1] += time.process_time() - started[0]

    print(f"objects tracked before the rounds: {len(gc.get_objects()):,}")
    print("round  total ms  in GC ms  share   gen 0: n, ms   gen 1: n, ms   gen 2: n, ms")
    gc.callbacks.append(hook)
    try:
        for number in range(1, rounds + 1):
            spent.clear()
            start = time.process_time()
            _segments(texts)
            total = time.process_time() - start
            in_gc = sum(ms for _, ms in spent.values())
            cells = "".join(
                f"   {int(spent.get(g, [0, 0.0])[0]):5d}, {spent.get(g, [0, 0.0])[1] * 1e3:6.1f}"
                for g in (0, 1, 2)
            )
            head = f"{number:5d}  {total * 1e3:8.1f}  {in_gc * 1e3:8.1f}  {in_gc / total:5.0%}"
            print(head + cells)
    finally:
        gc.callbacks.remove(hook)


def _kind(text: str) -> str:
    message = segment(text)
    parts = message.segment_count if message.segment_count < 3 else "3+"
    return f"{'ascii' if text.isascii() else 'non'}-{message.encoding}-{parts}"


def by_kind(texts: Sequence[str], rounds: int) -> None:
    """Part 2: each kind of message alone, loop and ``segment``, GC on and off."""
    groups: dict[str, list[str]] = {}
    for text in texts:
        groups.setdefault(_kind(text), []).append(text)
    cases: list[tuple[str, bool, Callable[[Sequence[str]], None]]] = [
        ("loop", True, _loop), ("segment", True, _segments),
        ("loop", False, _loop), ("segment", False, _segments),
    ]
    times: dict[tuple[str, str, bool], list[float]] = {}
    for _ in range(rounds):
        for name, group in sorted(groups.items()):
            for case, collector, run in cases:
                if not collector:
                    gc.disable()
                start = time.process_time()
                run(group)
                times.setdefault((name, case, collector), []).append(time.process_time() - start)
                gc.enable()
    print(f"\nby kind, each group alone ({rounds} rounds, median ns a message)")
    print(f"{'kind':24} {'texts':>6}   GC on: loop  segment  speed   GC off: loop  segment  speed")
    totals = dict.fromkeys([(c, on) for c in ("loop", "segment") for on in (True, False)], 0.0)
    for name, group in sorted(groups.items()):
        row = f"{name:24} {len(group):6d}"
        for collector in (True, False):
            loop = statistics.median(times[(name, "loop", collector)])
            seg = statistics.median(times[(name, "segment", collector)])
            totals[("loop", collector)] += loop
            totals[("segment", collector)] += seg
            per_text = 1e9 / len(group)
            row += f"   {loop * per_text:10.0f} {seg * per_text:8.0f} {loop / seg:5.2f}x"
        print(row)
    print(
        "speed over all groups (sum of the loop's medians / segment's): "
        f"GC on {totals[('loop', True)] / totals[('segment', True)]:.2f}x, "
        f"GC off {totals[('loop', False)] / totals[('segment', False)]:.2f}x"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 texts, fewer rounds")
    parser.add_argument("--size", type=int, help="texts in the mix (default 50,000)")
    args = parser.parse_args(argv)
    size = args.size or (5_000 if args.quick else 50_000)
    texts = corpus(size)
    print(f"mix: {size:,} texts; Python {sys.version.split()[0]}; CPU time")
    gc_by_generation(texts, 2 if args.quick else 3)
    by_kind(texts, 3 if args.quick else 7)
    return 0


if __name__ == "__main__":
    sys.exit(main())
