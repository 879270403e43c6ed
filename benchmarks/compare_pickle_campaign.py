"""Sending a campaign's decisions to another process: ``pickle.dumps`` then ``loads`` of
``decide_many``'s decisions through ``reduce_frozen`` (how ``Decision`` pickles, so a
time in a repeated hour keeps its fold), against the dataclass's own slot state (how it
pickled before), in the same process (not collected by pytest).

    python benchmarks/compare_pickle_campaign.py                 # 100,000 decisions
    python benchmarks/compare_pickle_campaign.py --size 2000 --protocol 2

Half the decisions are deferred with a finding whose details hold two times. Rounds are
interleaved (rotating order, CPU time, GC on); the figure is the median of the per-round
ratios (reduce_frozen / slot state), with the lowest and highest round. Both ways read
back equal decisions, checked first. Findings pickle through ``reduce_frozen`` in both.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
from collections.abc import Iterator, Sequence
from datetime import datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

from _compare import interleaved

from smskit import (
    CompliancePipeline,
    Decision,
    Finding,
    PolicyContext,
    RateCard,
    Registration,
    SenderProfile,
    SendRequest,
    Severity,
)

SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme")
RATES = RateCard.from_toml('currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.0079\n')


def _later_for_q(request: SendRequest, sender: SenderProfile, context: PolicyContext,
                 at: datetime, /) -> Iterator[Finding]:
    if "q" in context.body:
        yield Finding("bench.quiet", Severity.DEFER, "wait", details=MappingProxyType(
            {"not_before": at.replace(hour=9), "local_time": at}))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--protocol", type=int, default=pickle.HIGHEST_PROTOCOL)
    args = parser.parse_args(argv)
    engine = CompliancePipeline((_later_for_q,), rates=RATES)
    requests = [SendRequest(f"+1212555{i % 10_000:04d}", body="Acme: q" if i % 2 else "Acme")
                for i in range(args.size)]
    at = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York"))
    decisions = engine.decide_many(requests, SENDER, at).decisions
    reduce_frozen = Decision.__reduce__

    def round_trip(reduce: object) -> object:
        Decision.__reduce__ = reduce  # type: ignore[method-assign,assignment]
        try:
            return pickle.loads(pickle.dumps(decisions, args.protocol))
        finally:
            Decision.__reduce__ = reduce_frozen  # type: ignore[method-assign]

    assert round_trip(object.__reduce__) == round_trip(reduce_frozen) == decisions
    samples = interleaved({"slots": lambda: round_trip(object.__reduce__),
                           "reduce_frozen": lambda: round_trip(reduce_frozen)}, args.rounds)
    ratios = [r / s for r, s in zip(samples["reduce_frozen"], samples["slots"], strict=True)]
    print(f"{args.size:,} decisions, protocol {args.protocol}, {args.rounds} rounds, CPU time")
    for name, times in samples.items():
        print(f"  {name:13} median {statistics.median(times):.3f}s "
              f"[{min(times):.3f}-{max(times):.3f}]")
    print(f"  reduce_frozen / slots: median {statistics.median(ratios):.2f}x "
          f"[{min(ratios):.2f}-{max(ratios):.2f}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
