"""``classify_reply`` on labelled replies, two versions of smskit in one process.

    python benchmarks/compare_classify.py --before /path/to/other/src/smskit

The corpus is every reply of tests/data/replies.jsonl and
tests/data/wrong_number_replies.jsonl (opt-outs, opt-ins, help, near misses, ordinary
replies), each a few times. A round times, in a rotating order, the other version's
``classify_reply`` over the corpus and this one's (CPU time); the figure is the median of
the per-round ratios this/other, with the lowest and highest. Run it with ``--before``
this tree too (A/A) to see the noise.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path

from _compare import interleaved, load_before

from smskit import classify_reply

DATA = Path(__file__).parents[1] / "tests" / "data"


def _corpus(repeat: int, files: Sequence[str] = ("replies.jsonl", "wrong_number_replies.jsonl")
            ) -> list[str]:
    texts: list[str] = []
    for name in files:
        with (DATA / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts * repeat


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the other src/smskit")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3, help="copies of the corpus")
    parser.add_argument("--keywords-only", action="store_true",
                        help="tests/data/replies.jsonl only (no wrong-number set)")
    args = parser.parse_args(argv)
    before = load_before(args.before)
    texts = _corpus(args.repeat, ("replies.jsonl",) if args.keywords_only else (
        "replies.jsonl", "wrong_number_replies.jsonl"))
    old, new = before.classify_reply, classify_reply
    old(texts[0]), new(texts[0])  # both default sets built before timing
    samples = interleaved({
        "before": lambda: [old(t) for t in texts],
        "this": lambda: [new(t) for t in texts],
    }, args.rounds)
    ratios = sorted(a / b for a, b in zip(samples["this"], samples["before"], strict=True))
    print(f"{len(texts)} replies, {args.rounds} rounds; this/before CPU time: median "
          f"{statistics.median(ratios):.3f} (min {ratios[0]:.3f}, max {ratios[-1]:.3f}); "
          f"before {statistics.median(samples['before']) * 1e3:.1f} ms a round")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
