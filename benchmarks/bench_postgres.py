"""PostgreSQL stores benchmark: concurrent appends, status() at scale, loss under kill -9.

    python benchmarks/bench_postgres.py            # full: 1,000,000 events (several minutes)
    python benchmarks/bench_postgres.py --quick    # 20,000 events, about a minute

The server is ``SMSKIT_POSTGRES_DSN`` (default
``postgresql://postgres@127.0.0.1:5432/test``); the benchmark works in a schema
of its own and drops it at the end. It measures, in one run:

* appends/s, one event per transaction, with 1, 4 and 8 writer processes on one
  chain (median of 5 runs; 1 in --quick), as ratios against 1 writer and against
  ``SQLiteStore`` (durable) driven by the same writer processes; and 8 writers
  each on a chain of its own;
* lost, duplicated and torn events after 8 concurrent writers, 4 of them
  killed with SIGKILL mid-run (each must be 0);
* ``ConsentLedger.status()`` latency (median, p99) on a chain of N events
  bulk-loaded with ``append_many`` (COPY), against ``SQLiteStore`` holding the
  same N events;
* ``events_many`` for 1,000 people (one query) against 1,000 ``events()`` calls
  (median of 5 runs, other people each run).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench_ledger import BATCH, EVENTS_PER_PERSON, bench_status, fill, number, person_events

from smskit.consent import ConsentLedger, ConsentStore, SQLiteStore
from smskit.consent.postgres import PostgresConsentStore

# The writer processes and the audit are shared with the concurrency tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _pg_workers import audit, kill, start_writers

DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"
WRITERS = (1, 4, 8)


def appends_per_second(target: str, schema: str, writers: int, per_writer: int,
                       directory: Path, *, own_chains: bool = False) -> float:
    """Events/s of ``writers`` processes appending one event per transaction.

    All on one chain, or with ``own_chains`` each on a chain of its own (one
    per tenant, say), which do not wait for each other.
    """
    chain = f"run-{uuid.uuid4().hex[:8]}"
    if target.startswith("sqlite:"):
        target = f"sqlite:{directory / (chain + '.db')}"
    logs = directory / chain
    logs.mkdir()
    barrier = multiprocessing.get_context("spawn").Barrier(writers + 1)
    processes = [
        process
        for w in range(writers)
        for process in start_writers(target, schema, f"{chain}-{w}" if own_chains else chain,
                                     range(w, w + 1), per_writer, 1, logs, barrier)
    ]
    barrier.wait(timeout=300)
    start = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - start
    if any(p.exitcode for p in processes):
        raise SystemExit(f"a writer failed (exit codes {[p.exitcode for p in processes]})")
    return writers * per_writer / elapsed


def kill_run(dsn: str, schema: str, directory: Path, survivors_batches: int) -> tuple[str, str]:
    """8 writers (batches of 3), 4 killed mid-run; the audit of what remains."""
    chain, size = "killed", 3
    logs = directory / chain
    logs.mkdir()
    with PostgresConsentStore(dsn, schema=schema, chain=chain) as store:
        victims = start_writers(dsn, schema, chain, range(4), 10**6, size, logs)
        survivors = start_writers(dsn, schema, chain, range(4, 8), survivors_batches, size, logs)
        deadline = time.monotonic() + 120
        while store.count() < survivors_batches * size and time.monotonic() < deadline:
            time.sleep(0.05)
        for process in victims:
            kill(process)
        for process in survivors:
            process.join()
        found = audit(store, logs, size)
    verdict = "ok" if found.clean else "FAILED"
    return (f"8 writers, 4 killed: events {found.events:,}, head {found.head:,}",
            f"lost {found.lost}, duplicated {found.duplicated}, torn {found.torn}: {verdict}")


def load(store: ConsentStore, total: int) -> tuple[float, int]:
    """Bulk-load ``total`` events (batches of ``BATCH``); events/s and people."""
    if isinstance(store, SQLiteStore):
        return fill(store, total)
    rnd = random.Random(7)
    people = total // EVENTS_PER_PERSON
    batch, elapsed = [], 0.0
    for i in range(people):
        batch.extend(person_events(i, rnd))
        if len(batch) >= BATCH * 10 or i == people - 1:
            start = time.perf_counter()
            store.append_many(batch)
            elapsed += time.perf_counter() - start
            batch = []
    return store.count() / elapsed, people


def status_latency(store: ConsentStore, total: int, queries: int) -> tuple[float, float, float]:
    """Load rate, then status() median and p99 (seconds) over random people."""
    rate, people = load(store, total)
    ledger = ConsentLedger(store)
    bench_status(ledger, people, 200)  # warm caches
    latencies = sorted(bench_status(ledger, people, queries))
    return rate, statistics.median(latencies), latencies[int(len(latencies) * 0.99)]


def batch_read(store: ConsentStore, people: int, runs: int = 5) -> tuple[float, float]:
    """Median seconds for 1,000 people: one events_many call, and 1,000 events() calls."""
    rnd = random.Random(5)
    batched, one_by_one = [], []
    for _ in range(runs):  # other people each run, both ways
        who = [number(i) for i in rnd.sample(range(people), 1000)]
        start = time.perf_counter()
        many = store.events_many(who)
        batched.append(time.perf_counter() - start)
        start = time.perf_counter()
        single = {w: store.events(w) for w in who}
        one_by_one.append(time.perf_counter() - start)
        assert {k: list(v) for k, v in many.items()} == {k: list(v) for k, v in single.items()}
    return statistics.median(batched), statistics.median(one_by_one)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 events, fewer appends")
    parser.add_argument("--dsn", default=os.environ.get("SMSKIT_POSTGRES_DSN") or DEFAULT_DSN)
    args = parser.parse_args()
    total = 20_000 if args.quick else 1_000_000
    runs = 1 if args.quick else 5
    appends = 120 if args.quick else 1_200  # per configuration, shared by the writers
    queries = 500 if args.quick else 5_000
    schema = f"smskit_bench_{os.getpid()}"
    import psycopg

    with PostgresConsentStore(args.dsn, schema=schema) as admin:
        admin.create_schema()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            rates: dict[tuple[str, int], float] = {}
            for writers in WRITERS:
                for name, target in (("postgres", args.dsn), ("sqlite", "sqlite:")):
                    rates[name, writers] = statistics.median(
                        appends_per_second(target, schema, writers, appends // writers,
                                           directory)
                        for _ in range(runs)
                    )
            own = statistics.median(
                appends_per_second(args.dsn, schema, 8, appends // 8, directory, own_chains=True)
                for _ in range(runs)
            )
            print(f"appends, 1 event per transaction, one chain (median of {runs} runs, "
                  f"{appends} events each)")
            print(f"  {'writers':>7}  {'PostgreSQL/s':>12}  {'vs 1 writer':>11}  "
                  f"{'SQLite/s':>9}  {'PG vs SQLite':>12}")
            for writers in WRITERS:
                pg, lite = rates["postgres", writers], rates["sqlite", writers]
                print(f"  {writers:>7}  {pg:>12,.0f}  {pg / rates['postgres', 1]:>10.2f}x  "
                      f"{lite:>9,.0f}  {pg / lite:>11.2f}x")

            print(f"  8 writers, each on its own chain: {own:,.0f}/s, "
                  f"{own / rates['postgres', 1]:.2f}x one writer")

            label, verdict = kill_run(args.dsn, schema, directory, 20 if args.quick else 200)
            print(f"kill -9: {label}; {verdict}")

            with PostgresConsentStore(args.dsn, schema=schema, chain="bulk") as pg_store, \
                    SQLiteStore(directory / "bulk.db") as lite_store:
                pg_rate, pg_median, pg_p99 = status_latency(pg_store, total, queries)
                lite_rate, lite_median, lite_p99 = status_latency(lite_store, total, queries)
                people = total // EVENTS_PER_PERSON
                pg_batch, pg_single = batch_read(pg_store, people)
                lite_batch, lite_single = batch_read(lite_store, people)
            print(f"status() at {total:,} events ({people:,} people, {EVENTS_PER_PERSON} "
                  f"events each; {queries:,} queries)")
            print(f"  PostgreSQL: bulk load {pg_rate:,.0f} events/s; status median "
                  f"{pg_median * 1e3:.3f} ms, p99 {pg_p99 * 1e3:.3f} ms")
            print(f"  SQLite:     bulk load {lite_rate:,.0f} events/s; status median "
                  f"{lite_median * 1e3:.3f} ms, p99 {lite_p99 * 1e3:.3f} ms")
            print(f"  PostgreSQL / SQLite status median: {pg_median / lite_median:.2f}x")
            print(f"events for 1,000 people: events_many {pg_batch * 1e3:.1f} ms vs "
                  f"1,000 events() {pg_single * 1e3:.1f} ms on PostgreSQL "
                  f"({pg_single / pg_batch:.1f}x); SQLite {lite_batch * 1e3:.1f} vs "
                  f"{lite_single * 1e3:.1f} ms ({lite_single / lite_batch:.1f}x)")
            if "FAILED" in verdict:
                raise SystemExit("events were lost, duplicated or torn")
    finally:
        with psycopg.connect(args.dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


if __name__ == "__main__":
    main()
