"""What durability costs a send: ``Messenger.send`` with the SQLite outbox and history
against the same messenger with in-memory stores, in the same process (not collected
by pytest).

    python benchmarks/bench_messenger.py          # 2,000 sends per run, 5 runs
    python benchmarks/bench_messenger.py --quick  # 200 sends per run (CI)

The provider is the in-memory one and consent is granted to every recipient, so the
numbers are the messenger's own work: one decision, the outbox reservation and its
update, the history record. Reports sends/s (median of runs, wall time: SQLite's file
syncs are the point) for memory stores, SQLite with ``synchronous=FULL`` (the outbox's
default) and the outbox alone (reserve + update, ``synchronous`` full and normal), and the
ratios to the memory baseline.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    OutboxEntry,
    OutboxState,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteMessageHistory,
    SQLiteOutbox,
    default_policies,
)
from smskit.testing import FixedClock

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
SENDER = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                       consent_scope="acme", brand="Acme")


def _recipient(i: int) -> str:
    return f"+1212555{1000 + i % 9000:04d}"


def _messenger(folder: Path | None, count: int) -> Messenger:
    clock = FixedClock(AT)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    for i in range(min(count, 9000)):
        ledger.grant(_recipient(i), scope="acme", purposes=["informational"],
                     kind="express_written", source="web_form", at=AT - timedelta(days=1),
                     evidence=Evidence(consent_text="Texts", form_url="https://a.example"))
    history = MemoryMessageHistory() if folder is None else SQLiteMessageHistory(
        folder / "history.db")
    outbox = MemoryOutbox() if folder is None else SQLiteOutbox(folder / "outbox.db")
    pipeline = CompliancePipeline(default_policies(store=ledger.store), history=history)
    return Messenger(MemoryProvider(clock=clock), pipeline, ledger, history, outbox,
                     senders=[SENDER])


def _sends(messenger: Messenger, count: int, run: int) -> float:
    start = time.perf_counter()
    for i in range(count):
        request = SendRequest(recipient=_recipient(i), body=f"Order {i} shipped",
                              purpose="informational", idempotency_key=f"r{run}-{i}")
        messenger.send(request, SENDER, AT)
    return count / (time.perf_counter() - start)


def _outbox_only(outbox: MemoryOutbox | SQLiteOutbox, count: int, run: int) -> float:
    start = time.perf_counter()
    for i in range(count):
        key = f"o{run}-{i}"
        outbox.reserve(OutboxEntry(key, _recipient(i), "S", OutboxState.RESERVED, AT, AT))
        outbox.update(key, OutboxState.SENT, at=AT, provider_id=f"SM{i}")
    return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    count = 200 if args.quick else 2000
    with tempfile.TemporaryDirectory() as folder:
        memory = _messenger(None, count)
        durable = _messenger(Path(folder), count)
        rates: dict[str, list[float]] = {
            "memory": [], "sqlite": [], "outbox memory": [], "outbox sqlite": [],
            "outbox normal": [],
        }
        box_memory, box_sqlite = MemoryOutbox(), SQLiteOutbox(Path(folder) / "alone.db")
        box_normal = SQLiteOutbox(Path(folder) / "normal.db", synchronous="normal")
        for run in range(args.runs):
            rates["memory"].append(_sends(memory, count, run))
            rates["sqlite"].append(_sends(durable, count, run))
            rates["outbox memory"].append(_outbox_only(box_memory, count, run))
            rates["outbox sqlite"].append(_outbox_only(box_sqlite, count, run))
            rates["outbox normal"].append(_outbox_only(box_normal, count, run))
    medians = {name: statistics.median(values) for name, values in rates.items()}
    print(f"{count} sends per run, median of {args.runs} runs (wall time)")
    print(f"{'case':<16}{'per s':>10}{'ratio':>8}")
    for name, base in (("memory", "memory"), ("sqlite", "memory"),
                       ("outbox memory", "outbox memory"), ("outbox sqlite", "outbox memory"),
                       ("outbox normal", "outbox memory")):
        print(f"{name:<16}{medians[name]:>10,.0f}{medians[name] / medians[base]:>8.2f}")


if __name__ == "__main__":
    main()
