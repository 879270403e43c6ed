"""Consent-ledger benchmark: SQLite append rates and status() latency on a large ledger.

    python benchmarks/bench_ledger.py            # full: 1,000,000 events
    python benchmarks/bench_ledger.py --quick    # 20,000 events, a few seconds

Measures, on a SQLite file in a temporary directory:

* appends/s, one event per transaction, durable (synchronous=FULL) and not (NORMAL);
* appends/s in batches (``append_many``) while filling the ledger;
* ``ConsentLedger.status()`` latency (median, p99) and queries/s over random people;
* ``verify()`` (SQLite integrity check, then the whole hash chain) events/s.

Target: status() under 1 ms (median) at 1,000,000 events.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smskit.consent import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentLedger,
    ConsentScope,
    ConsentSource,
    EventKind,
    Evidence,
    Purpose,
    RevocationMethod,
    SQLiteStore,
)

T0 = datetime(2024, 1, 1, tzinfo=UTC)
EVENTS_PER_PERSON = 10
BATCH = 1000
AREA_CODES = ("415", "212", "646", "312", "617", "206", "303", "512")
EVIDENCE = Evidence(
    form_url="https://acme.example/join?v=7",
    consent_text="By checking this box I agree to receive recurring marketing texts from Acme "
    "at the number provided. Consent is not a condition of purchase. Reply STOP to cancel.",
    ip_address="203.0.113.9",
    user_agent="Mozilla/5.0 (X11; Linux x86_64)",
)
SCOPES = tuple(ConsentScope.parse(f"acme/app-{i}") for i in range(4))


def number(i: int) -> str:
    """A distinct valid US mobile-format number for person ``i``."""
    area = AREA_CODES[i % len(AREA_CODES)]
    rest = i // len(AREA_CODES)
    exchange = 200 + rest // 10000 % 700
    if exchange % 100 == 11:  # N11 exchanges are not assignable
        exchange += 1
    return f"+1{area}{exchange:03d}{rest % 10000:04d}"


def person_events(i: int, rnd: random.Random) -> Iterator[ConsentEvent]:
    recipient = number(i)
    at = T0 + timedelta(minutes=rnd.randrange(60 * 24 * 365))
    common = {"recipient": recipient, "recorded_at": at}
    yield ConsentEvent(
        kind=EventKind.GRANTED, scope=ConsentScope.parse("acme"), channels=frozenset({Channel.SMS}),
        purposes=frozenset({Purpose.MARKETING, Purpose.INFORMATIONAL}), occurred_at=at,
        source=ConsentSource.WEB_FORM, evidence=EVIDENCE,
        consent_kind=ConsentKind.EXPRESS_WRITTEN, **common,  # type: ignore[arg-type]
    )
    for _ in range(EVENTS_PER_PERSON - 1):
        at += timedelta(hours=rnd.randrange(1, 24 * 30))
        scope = rnd.choice(SCOPES)
        roll = rnd.random()
        if roll < 0.3:
            yield ConsentEvent(
                kind=EventKind.REVOKED, scope=scope, channels=frozenset(Channel),
                purposes=frozenset(Purpose), occurred_at=at, source=ConsentSource.KEYWORD,
                evidence=Evidence(reply_text="STOP"),
                revocation_method=RevocationMethod.KEYWORD, **common,  # type: ignore[arg-type]
            )
        elif roll < 0.6:
            yield ConsentEvent(
                kind=EventKind.REGRANTED, scope=scope, channels=frozenset({Channel.SMS}),
                purposes=frozenset(Purpose), occurred_at=at, source=ConsentSource.KEYWORD,
                evidence=Evidence(reply_text="START"), **common,  # type: ignore[arg-type]
            )
        else:
            yield ConsentEvent(
                kind=EventKind.GRANTED, scope=scope, channels=frozenset({Channel.SMS}),
                purposes=frozenset({Purpose.INFORMATIONAL}), occurred_at=at,
                source=ConsentSource.API, evidence=Evidence(actor="crm"),
                consent_kind=ConsentKind.EXPRESS, **common,  # type: ignore[arg-type]
            )


def bench_single_appends(directory: Path, count: int, durable: bool) -> float:
    path = directory / f"single-{durable}.db"
    rnd = random.Random(1)
    drafts = [e for i in range(count // EVENTS_PER_PERSON + 1) for e in person_events(i, rnd)]
    drafts = drafts[:count]
    with SQLiteStore(path, durable=durable) as store:
        start = time.perf_counter()
        for draft in drafts:
            store.append(draft)
        elapsed = time.perf_counter() - start
    return count / elapsed


def fill(store: SQLiteStore, total: int) -> tuple[float, int]:
    rnd = random.Random(7)
    people = total // EVENTS_PER_PERSON
    batch: list[ConsentEvent] = []
    elapsed = 0.0
    for i in range(people):
        batch.extend(person_events(i, rnd))
        if len(batch) >= BATCH or i == people - 1:
            start = time.perf_counter()
            store.append_many(batch)
            elapsed += time.perf_counter() - start
            batch = []
    return store.count() / elapsed, people


def bench_status(ledger: ConsentLedger, people: int, queries: int) -> list[float]:
    rnd = random.Random(3)
    latencies = []
    for _ in range(queries):
        who = number(rnd.randrange(people))
        scope = rnd.choice(SCOPES)
        purpose = rnd.choice((Purpose.MARKETING, Purpose.INFORMATIONAL))
        at = T0 + timedelta(days=rnd.randrange(800))
        start = time.perf_counter()
        ledger.status(who, purpose, scope=scope, at=at)
        latencies.append(time.perf_counter() - start)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 events instead of 1,000,000")
    args = parser.parse_args()
    total = 20_000 if args.quick else 1_000_000
    singles = 300 if args.quick else 2_000
    queries = 2_000 if args.quick else 20_000
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        rows = [
            ("append, 1 per transaction, durable (FULL)",
             f"{bench_single_appends(directory, singles, True):,.0f} events/s"),
            ("append, 1 per transaction, NORMAL sync",
             f"{bench_single_appends(directory, singles, False):,.0f} events/s"),
        ]
        with SQLiteStore(directory / "big.db") as store:
            rate, people = fill(store, total)
            rows.append((f"append_many, batches of {BATCH}, durable", f"{rate:,.0f} events/s"))
            ledger = ConsentLedger(store)
            bench_status(ledger, people, 200)  # warm the page cache and number cache
            latencies = bench_status(ledger, people, queries)
            median = statistics.median(latencies)
            p99 = sorted(latencies)[int(len(latencies) * 0.99)]
            rows.append((f"status() median over {queries:,} queries", f"{median * 1e3:.3f} ms"))
            rows.append(("status() p99", f"{p99 * 1e3:.3f} ms"))
            rows.append(("status() throughput", f"{len(latencies) / sum(latencies):,.0f} q/s"))
            start = time.perf_counter()
            head = ledger.verify()
            rows.append(("verify() whole chain",
                         f"{head[0] / (time.perf_counter() - start):,.0f} events/s"))
            size = (directory / "big.db").stat().st_size
    print(f"consent ledger on SQLite: {total:,} events, {people:,} people "
          f"({EVENTS_PER_PERSON} events each)")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}}  {value:>16}")
    print(f"  {'file size':<{width}}  {size / 1e6:>13.1f} MB")
    verdict = "meets" if median < 1e-3 else "MISSES"
    print(f"status() median {median * 1e3:.3f} ms {verdict} the 1 ms target")


if __name__ == "__main__":
    main()
