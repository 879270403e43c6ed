"""Writer processes and the audit for concurrency checks of the database consent stores.

Used by tests/unit/consent/test_consent_postgres_concurrency.py and
benchmarks/bench_postgres.py (which also runs them on SQLiteStore as the baseline).
Each writer is a separate process (``spawn``), as writers on separate hosts
would be: its own interpreter, its own connection. Every event carries a
unique id (``evidence.reference``, ``w<writer>-b<batch>-e<index>``), and a
writer logs each batch id to its own file only after ``append_many`` returned
(committed), so the audit can tell lost, duplicated and torn batches apart.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from smskit.consent import (
    Channel,
    ConsentEvent,
    ConsentKind,
    ConsentScope,
    ConsentSource,
    ConsentStore,
    EventKind,
    Evidence,
    Purpose,
    SQLiteStore,
)
from smskit.consent._codec import verify_chain
from smskit.consent.postgres import PostgresConsentStore

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
SCOPE = ConsentScope.parse("acme")


def draft(reference: str, person: int) -> ConsentEvent:
    """A grant carrying ``reference`` as its unique id."""
    at = T0 + timedelta(seconds=person)
    return ConsentEvent(
        kind=EventKind.GRANTED, recipient=f"+1415555{person % 10000:04d}", scope=SCOPE,
        channels=frozenset({Channel.SMS}), purposes=frozenset({Purpose.INFORMATIONAL}),
        occurred_at=at, source=ConsentSource.API, evidence=Evidence(reference=reference),
        consent_kind=ConsentKind.EXPRESS, recorded_at=at,
    )


def open_store(target: str, schema: str, chain: str) -> ConsentStore:
    """``target`` is a PostgreSQL conninfo, or ``sqlite:<path>`` for a SQLiteStore."""
    if target.startswith("sqlite:"):
        return SQLiteStore(target.removeprefix("sqlite:"))
    return PostgresConsentStore(target, schema=schema, chain=chain, attempts=20)


def write(target: str, schema: str, chain: str, writer: int, batches: int, size: int,
          log: str, barrier: Any = None) -> None:
    """Append ``batches`` batches of ``size`` events, logging each committed batch.

    With ``barrier``, connect first and wait there, so a benchmark times the
    appends and not the start of the interpreter.
    """
    store = open_store(target, schema, chain)
    with open(log, "a", encoding="utf-8") as out:
        if barrier is not None:
            barrier.wait()
        for batch in range(batches):
            store.append_many(
                draft(f"w{writer}-b{batch}-e{index}", writer * 1000 + index)
                for index in range(size)
            )
            out.write(f"w{writer}-b{batch}\n")
            out.flush()
    store.close()


def start_writers(target: str, schema: str, chain: str, writers: range, batches: int,
                  size: int, logs: Path, barrier: Any = None
                  ) -> list[multiprocessing.process.BaseProcess]:
    """Start one process per writer number (spawned: they share nothing but the database)."""
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=write, args=(target, schema, chain, w, batches, size,
                                            str(logs / f"writer-{w}.log"), barrier),
                        daemon=True)
        for w in writers
    ]
    for process in processes:
        process.start()
    return processes


@dataclass(frozen=True)
class Audit:
    """What the chain holds, compared with what the writers said they committed."""

    events: int
    head: int
    duplicated: int
    lost: int
    torn: int

    @property
    def clean(self) -> bool:
        return self.head == self.events and not (self.duplicated or self.lost or self.torn)


def audit(store: ConsentStore, logs: Path, size: int) -> Audit:
    """Verify the chain (raises on a gap or fork) and count events by their ids.

    ``lost``: batches a writer saw committed that are not (fully) stored;
    ``torn``: batches stored in part (``append_many`` is all or nothing).
    """
    events = list(store.scan())
    head, _ = verify_chain(events)
    ids = Counter(e.evidence.reference for e in events)
    per_batch = Counter(str(ref).rsplit("-", 1)[0] for ref in ids)
    committed: set[str] = set()
    for log in logs.glob("writer-*.log"):
        # A writer killed mid-write may leave a partial last line: only whole lines count.
        text = log.read_text(encoding="utf-8")
        committed.update(text.splitlines()[: text.count("\n")])
    return Audit(
        events=len(events),
        head=head,
        duplicated=sum(n - 1 for n in ids.values() if n > 1),
        lost=sum(1 for batch in committed if per_batch.get(batch, 0) != size),
        torn=sum(1 for n in per_batch.values() if n != size),
    )


def kill(process: multiprocessing.process.BaseProcess) -> None:
    """``kill -9``: no cleanup, no rollback from the client side."""
    assert process.pid is not None
    os.kill(process.pid, 9)
    process.join(10)
