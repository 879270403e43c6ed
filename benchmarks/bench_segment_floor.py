"""What bounds ``segment(text).segments``: its speed next to the cost of its objects alone.

    python benchmarks/bench_segment_floor.py             # 50,000 texts, 7 rounds (about a minute)
    python benchmarks/bench_segment_floor.py --quick     # CI: 5,000 texts, 3 rounds

For the realistic mix and each message class of ``bench_segments``, with the garbage
collector on, in interleaved rounds (CPU time, median of the per-round ratios, lowest and
highest round in brackets), each as speed against the per-character loop:

- ``segment``: ``[segment(t).segments for t in texts]``;
- floor: building only the same messages and parts from their fields computed beforehand
  (the internal, unchecked construction ``segment`` uses: one ``tuple.__new__`` each),
  with no classification, cutting, slicing or headers: what the values cost with the
  collections they cause;
- ``segment`` less the time spent inside collections (``gc.callbacks``), and that time's
  share of the whole;
- the median CPU time a message of the loop, of ``segment`` and of the floor, in ns: what
  3x the loop leaves a message, next to what its objects alone cost.

The fields computed beforehand are kept in tuples of atomic values, which the collector
stops tracking, so that they do not add to every collection's work.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from bench_segments import CLASSES, class_corpus, corpus, per_character_loop

from smskit import Encoding, Segment, segment
from smskit.segments import segmentation as seg

_Fields = tuple[tuple[object, ...], tuple[tuple[object, ...], ...]]


_ENCODINGS = (Encoding.GSM7, Encoding.UCS2)


def _atomic(part: Segment) -> tuple[object, ...]:
    """A part's fields with the encoding as a flag: an Encoding member is an object the
    collector tracks, and would keep every prepared tuple tracked."""
    text, units, udh, encoding, locking, single = part
    return text, units, udh, encoding is Encoding.UCS2, locking, single


def _build(fields: _Fields) -> seg.SegmentedMessage:
    """A message and its parts from fields: the construction ``segment`` uses, alone."""
    message_fields, part_fields = fields
    parts = []
    for text, units, udh, ucs2, locking, single in part_fields:
        values = (text, units, udh, _ENCODINGS[ucs2], locking, single)
        parts.append(seg._tuple_new(seg.Segment, values))
    return seg._tuple_new(seg.SegmentedMessage, (*message_fields, tuple(parts)))


class _GcClock:
    """CPU time spent inside collections, from ``gc.callbacks``."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.spent += time.process_time() - self._start


def measure(texts: Sequence[str], repeats: int) -> dict[str, list[float]]:
    prepared = tuple(
        (message._fields, tuple(_atomic(part) for part in message.segments))
        for message in map(segment, texts)
    )
    for _ in range(3):  # the prepared tuples hold only atomic values: untracked after this
        gc.collect()
    cases: dict[str, Callable[[], object]] = {
        "loop": lambda: [per_character_loop(t) for t in texts],
        "segment": lambda: [segment(t).segments for t in texts],
        "floor": lambda: [_build(fields).segments for fields in prepared],
    }
    samples: dict[str, list[float]] = {name: [] for name in [*cases, "in gc"]}
    clock = _GcClock()
    gc.callbacks.append(clock)
    try:
        names = list(cases)
        for round_ in range(repeats):
            shift = round_ % len(names)
            for name in names[shift:] + names[:shift]:
                clock.spent = 0.0
                start = time.process_time()
                result = cases[name]()
                samples[name].append(time.process_time() - start)
                del result
                if name == "segment":
                    samples["in gc"].append(clock.spent)
    finally:
        gc.callbacks.remove(clock)
    return samples


def _fmt(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):5.2f}x [{min(ratios):.2f}-{max(ratios):.2f}]"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000, help="texts in the mix")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="5,000 texts, 3 rounds (CI)")
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.repeats = 5_000, 3
    print(f"speed vs the per-character loop, GC on, {args.repeats} rounds; median [low-high]")
    width = max(map(len, CLASSES))
    print(
        f"{'corpus':{width}} {'segment':>19} {'floor: objects':>19} {'segment - GC':>19} {'GC':>5}"
        f" {'ns a message: loop / segment / floor':>37}"
    )
    corpora = [("mix", corpus(args.size))]
    corpora += [(kind, class_corpus(kind, args.size // 5)) for kind in CLASSES]
    for name, texts in corpora:
        s = measure(texts, args.repeats)
        loop = s["loop"]
        whole = [a / b for a, b in zip(loop, s["segment"], strict=True)]
        floor = [a / b for a, b in zip(loop, s["floor"], strict=True)]
        bare = [a / (b - g) for a, b, g in zip(loop, s["segment"], s["in gc"], strict=True)]
        share = statistics.median(g / b for b, g in zip(s["segment"], s["in gc"], strict=True))
        each = " / ".join(
            f"{statistics.median(s[case]) / len(texts) * 1e9:,.0f}"
            for case in ("loop", "segment", "floor")
        )
        print(
            f"{name:{width}} {_fmt(whole):>19} {_fmt(floor):>19} {_fmt(bare):>19} {share:5.0%}"
            f" {each:>37}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
