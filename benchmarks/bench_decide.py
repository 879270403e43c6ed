"""Compliance-engine throughput: ``decide_many`` on a campaign against a SQLite ledger and
a SQLite send history, against a loop of ``decide`` and against verified reads, in the same
process (not collected by pytest).

    python benchmarks/bench_decide.py            # 100,000 recipients, 1,000,000 events
    python benchmarks/bench_decide.py --quick    # 2,000 recipients, 20,000 events (CI)
    python benchmarks/bench_decide.py --revoke-all  # decide after the FCC revoke-all date
    python benchmarks/bench_decide.py --revoke-all --before OTHER/src/smskit  # vs another checkout

The fixture (ledger, history) is built once with ``append_many`` and bulk inserts and
cached in the temporary directory (``--rebuild`` forces a new one; a ledger cached by an
older smskit is upgraded in place when opened, once). Reports decisions/s for
``decide_many`` (reading the ledger's decision projection, the default), for
``decide_many`` with ``verify_reads=True`` (every event read and hash-checked: the read
path before the projection), and for a loop of ``decide`` (on a sample); the ratios
between them; and how ``decide_many`` grows from a tenth of the campaign to all of it
(time per decision at N / at N/10; 1.0 is linear). Rounds are interleaved and each
figure is the median of the rounds, with the spread (min-max) of the ratios. Times are
CPU seconds of this process (``time.process_time``: one core, and fair on a shared
machine; SQLite reads run in the process). The first ``decide_many`` over the campaign
also parses every number once (cold); it is reported apart. Goal: 10,000 decisions/s on
one core for ``decide_many`` in the full run (``--quick`` reports its rates but does not
judge the goal on them).

``--before <other checkout>/src/smskit`` imports that version's package beside this one
(``benchmarks/_compare.py``) and times both versions' whole ``decide_many`` on the same
ledger and history files in interleaved rounds (rotating order, CPU time): each
version's decisions/s and the ratio of times per round (before / now), medians with the
lowest and highest round, after checking both give the same decisions (compared as
``Decision.to_dict()``). ``--people N`` decides for the first N people only (a quicker
run on the same full ledger). It replaces ``--compare``, which swapped one earlier
version's opt-out replay and SQLite read into this one.
"""

from __future__ import annotations

import argparse
import importlib
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _compare import interleaved, load_before
from bench_ledger import EVENTS_PER_PERSON, T0, fill, number

from smskit import (
    CapLimit,
    CompliancePipeline,
    FrequencyCap,
    Purpose,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteSendHistory,
    SQLiteStore,
    default_policies,
)

AT = T0 + timedelta(days=420, hours=18)  # 18:00 UTC: daytime across the US
# After the FCC revoke-all rule takes effect (2027-01-31) an opt-out in one scope revokes
# every scope of the caller, so the opt-out read covers all of a person's events.
AT_REVOKE_ALL = datetime(2027, 3, 1, 18, tzinfo=UTC)
SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme/app-1", prefix="Acme: ",
                       footer="Reply STOP to opt out")
BODY = "Spring sale: 20% off every tune-up booked this week"


def build(directory: Path, events: int, rebuild: bool) -> tuple[Path, Path, int]:
    """The cached ledger and history; returns their paths and the number of people."""
    people = events // EVENTS_PER_PERSON
    ledger, sends, done = directory / "ledger.db", directory / "sends.db", directory / "done"
    if done.exists() and not rebuild:
        return ledger, sends, people
    for path in directory.glob("*"):
        path.unlink()
    start = time.perf_counter()
    with SQLiteStore(ledger, durable=False) as store:
        fill(store, events)
    SQLiteSendHistory(sends).close()  # the schema
    rnd = random.Random(5)
    rows = []
    for i in range(people):
        for _ in range(rnd.choice((0, 0, 1, 2, 3))):
            at = AT - timedelta(minutes=rnd.randrange(1, 60 * 48))
            micros = (at - T0.replace(year=1970, month=1, day=1)) // timedelta(microseconds=1)
            rows.append((number(i), SENDER.sender_id, rnd.choice((None, "spring")),
                         Purpose.MARKETING.value, micros))
    with sqlite3.connect(sends) as db:
        db.executemany("INSERT INTO smskit_sends (recipient, sender, subject, purpose, at_us) "
                       "VALUES (?, ?, ?, ?, ?)", rows)
    done.write_text("ok")
    print(f"built the fixture in {time.perf_counter() - start:.0f} s: {events:,} events, "
          f"{len(rows):,} sends, in {directory}")
    return ledger, sends, people


def engine(ledger: SQLiteStore, history: SQLiteSendHistory, *, verify_reads: bool = False
           ) -> CompliancePipeline:
    cap = FrequencyCap(history, limits=(CapLimit("house", 3, timedelta(hours=24)),))
    return CompliancePipeline(default_policies(store=ledger, history=history, cap=cap,
                                               verify_reads=verify_reads),
                              history=history)


def requests(count: int) -> list[SendRequest]:
    return [SendRequest(number(i), body=BODY, purpose=Purpose.MARKETING) for i in range(count)]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (spread {min(values):.2f}-{max(values):.2f})"


def compare_before(package: Path, ledger_path: Path, sends_path: Path, people: int,
                   at: datetime, rounds: int) -> None:
    """Both versions' whole ``decide_many`` on the same files, interleaved."""
    old = load_before(package)
    old_policy = importlib.import_module("smskit_before.policy")
    old_sender = old.SenderProfile(
        sender_id=SENDER.sender_id, registration=old.Registration(SENDER.registration.value),
        brand=SENDER.brand, consent_scope=SENDER.consent_scope, prefix=SENDER.prefix,
        footer=SENDER.footer)
    with SQLiteStore(ledger_path) as ledger, SQLiteSendHistory(sends_path) as history, \
            old.SQLiteStore(ledger_path) as old_ledger, \
            old.SQLiteSendHistory(sends_path) as old_history:
        now = engine(ledger, history)
        old_cap = old.FrequencyCap(old_history, limits=(
            old.CapLimit("house", 3, timedelta(hours=24)),))
        before = old_policy.CompliancePipeline(
            old.default_policies(store=old_ledger, history=old_history, cap=old_cap),
            history=old_history)
        campaign = requests(people)
        old_campaign = [old.SendRequest(r.recipient, body=r.body,
                                        purpose=old.Purpose(r.purpose.value))
                        for r in campaign]
        # First passes parse every number (cold); both are then warm.
        mine = [d.to_dict() for d in now.decide_many(campaign, SENDER, at).decisions]
        theirs = [d.to_dict() for d in
                  before.decide_many(old_campaign, old_sender, at).decisions]
        # A version before 2026-12-05 cites no consent event: compare without citations.
        # One before 2026-12-05 (user30) has no quiet_hours.allowed evidence, no status on
        # consent findings and no "judged at" reason: compare without them too.
        for record in mine + theirs:
            record["findings"] = [f for f in record["findings"]
                                  if f["code"] != "quiet_hours.allowed"]
            for finding in record["findings"]:
                for key in ("event", "event_kind", "event_at", "events", "judged_at"):
                    finding["details"].pop(key, None)
                if finding["code"].startswith("consent."):
                    finding["status"] = ""
                # One before fix29c words revoke-all's start as "00:00 UTC".
                if finding["code"] == "opt_out.revoke_all":
                    finding["message"] = ""
            record.pop("reason", None)
            # One before 2026-12-05 (feat28a) names no version, rules or known_at.
            for key in ("smskit_version", "rules_fingerprint", "known_at", "known_at_zone"):
                record.pop(key, None)
        # One before rev29c forgot, under revoke-all, an opt-out in the question's own
        # scope once another scope's was lifted; with the default policies the decision
        # still blocked on consent.revoked, without the opt_out.active finding.
        for record, old_record in zip(mine, theirs, strict=True):
            old_codes = {f["code"] for f in old_record["findings"]}
            if "consent.revoked" in old_codes and "opt_out.active" not in old_codes:
                record["findings"] = [f for f in record["findings"]
                                      if f["code"] != "opt_out.active"]
        assert mine == theirs, "the two versions decide differently"
        del mine, theirs
        samples = interleaved({
            "before": lambda: before.decide_many(old_campaign, old_sender, at),
            "now": lambda: now.decide_many(campaign, SENDER, at),
        }, rounds)
    old_times, new_times = samples["before"], samples["now"]
    ratios = [o / n for o, n in zip(old_times, new_times, strict=True)]
    print(f"campaign {people:,} recipients; at {at.isoformat()}; {rounds} interleaved "
          "rounds, same decisions (to_dict)")
    for name, times in (("before", old_times), ("now", new_times)):
        rates = [people / t for t in times]
        print(f"  {name:7s} {people / statistics.median(times):10,.0f} decisions/s "
              f"[{min(rates):,.0f}-{max(rates):,.0f}]")
    print(f"  speed-up (before's time / now's): {statistics.median(ratios):.2f} "
          f"[{min(ratios):.2f}-{max(ratios):.2f}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small, for CI")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached fixture")
    parser.add_argument("--runs", type=int, default=0, help="interleaved rounds (default 3, "
                        "1 with --quick)")
    parser.add_argument("--revoke-all", action="store_true", help="decide at 2027-03-01, "
                        "after the FCC revoke-all date (every scope of a person is read)")
    parser.add_argument("--before", type=Path, default=None, help="another smskit's "
                        "src/smskit: both versions' decide_many, interleaved (default 7 rounds)")
    parser.add_argument("--people", type=int, default=0, help="with --before: decide for "
                        "the first N people only")
    args = parser.parse_args()
    at = AT_REVOKE_ALL if args.revoke_all else AT
    events = 20_000 if args.quick else 1_000_000
    runs = args.runs or (1 if args.quick else 3)
    sample = 500 if args.quick else 2_000
    directory = Path(tempfile.gettempdir()) / f"smskit-bench-decide-{events}"
    directory.mkdir(exist_ok=True)
    ledger_path, sends_path, people = build(directory, events, args.rebuild)
    start = time.perf_counter()
    SQLiteStore(ledger_path).close()  # upgrades a ledger cached by an older smskit
    if time.perf_counter() - start > 1:
        print(f"upgraded the cached ledger in {time.perf_counter() - start:.0f} s")
    if args.before is not None:
        compare_before(args.before, ledger_path, sends_path, min(args.people or people, people),
                       at, args.runs or 7)
        return
    with SQLiteStore(ledger_path) as ledger, SQLiteSendHistory(sends_path) as history:
        pipeline = engine(ledger, history)
        verified = engine(ledger, history, verify_reads=True)
        campaign = requests(people)
        tenth_campaign = campaign[: people // 10]
        start = time.process_time()
        pipeline.decide_many(campaign, SENDER, at)  # cold: parses every number once
        cold = time.process_time() - start

        def cpu(work: Callable[[], object]) -> float:
            start = time.process_time()
            work()
            return time.process_time() - start

        def loop() -> None:
            for request in campaign[:sample]:
                pipeline.decide(request, SENDER, at)

        full, slow, tenth, loops = [], [], [], []
        for _ in range(runs):  # interleaved: each round measures every variant once
            full.append(cpu(lambda: pipeline.decide_many(campaign, SENDER, at)))
            slow.append(cpu(lambda: verified.decide_many(campaign, SENDER, at)))
            tenth.append(cpu(lambda: pipeline.decide_many(tenth_campaign, SENDER, at)))
            loops.append(cpu(loop))
        assert (pipeline.decide_many(campaign[:sample], SENDER, at).decisions
                == verified.decide_many(campaign[:sample], SENDER, at).decisions)
        verdicts = pipeline.decide_many(campaign[:sample], SENDER, at).by_verdict
    many_rate = people / statistics.median(full)
    slow_rate = people / statistics.median(slow)
    loop_rate = sample / statistics.median(loops)
    print(f"ledger {events:,} events; campaign {people:,} recipients; at {at.isoformat()}; "
          f"{runs} interleaved round(s), medians")
    print(f"verdicts on the sample: { {v.value: n for v, n in verdicts.items()} }")
    print(f"decide_many cold:         {people / cold:10,.0f} decisions/s ({cold:.2f} s CPU, "
          "numbers parsed)")
    print(f"decide_many:              {many_rate:10,.0f} decisions/s")
    print(f"decide_many verify_reads: {slow_rate:10,.0f} decisions/s")
    print(f"loop of decide:           {loop_rate:10,.0f} decisions/s (sample of {sample:,})")
    print("ratio many/loop:          "
          + spread([(people / f) / (sample / lp) for f, lp in zip(full, loops, strict=True)]))
    print("ratio many/verify_reads:  "
          + spread([s_ / f for f, s_ in zip(full, slow, strict=True)]))
    print("growth per decision x     "
          + spread([(f / people) / (t / (people // 10)) for f, t in zip(full, tenth,
                                                                        strict=True)])
          + f"  ({people // 10:,} -> {people:,}; 1.00 = linear)")
    if args.quick:  # the goal is for the full campaign and ledger, not this sample
        print("goal 10,000/s:            applies to the full run (100,000 recipients, "
              "1,000,000 events); not judged with --quick")
    else:
        print(f"goal 10,000/s:            {'met' if many_rate >= 10_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
