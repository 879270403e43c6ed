"""What ``SQLiteOutbox``'s write path and a ``due()`` page cost against another version
of smskit (``--before``), in interleaved rounds of CPU time (rev26m).

Each round reserves ``--size`` deferred rows into a fresh file and moves each once
(deferred to reserved: the state change every worker claim makes, so every index on
``state`` is rewritten), then reads ten pages of ten from a backlog of ``--backlog``
deferred rows. ``synchronous="normal"``, so the times are CPU, not disk syncs. Run it
with ``--before`` this tree too (an A/A) to see the noise.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).parent))
import importlib

from _compare import interleaved, load_before

import smskit

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _entry(mod: ModuleType, n: int) -> object:
    m = importlib.import_module(mod.__name__ + ".messenger")
    return m.OutboxEntry(
        key=f"k{n:06d}", recipient="+12125550100", sender="+12125550199",
        state=m.OutboxState.DEFERRED, created_at=T0, updated_at=T0,
        not_before=T0 + timedelta(seconds=n % 997),
    )


def _writes(mod: ModuleType, folder: Path, size: int, tag: str) -> object:
    m = importlib.import_module(mod.__name__ + ".messenger")
    path = folder / f"{tag}.db"
    with m.SQLiteOutbox(path, synchronous="normal") as box:
        for n in range(size):
            box.reserve(_entry(mod, n))
        for n in range(size):
            box.update(f"k{n:06d}", m.OutboxState.RESERVED, at=T0 + timedelta(seconds=1))
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return None


def _pages(mod: ModuleType, box: object) -> object:
    page = box.due(T0 + timedelta(hours=1), limit=10)  # type: ignore[attr-defined]
    for _ in range(9):
        page = box.due(T0 + timedelta(hours=1), limit=10, after=page[-1])  # type: ignore[attr-defined]
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", type=Path, required=True, help="the other src/smskit")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--size", type=int, default=400, help="rows written a round")
    parser.add_argument("--backlog", type=int, default=20000, help="deferred rows read")
    args = parser.parse_args()
    before = load_before(args.before)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        boxes = {}
        for tag, mod in (("before", before), ("after", smskit)):
            outbox = importlib.import_module(mod.__name__ + ".messenger").SQLiteOutbox
            box = outbox(folder / f"backlog-{tag}.db", synchronous="normal")
            for n in range(args.backlog):
                box.reserve(_entry(mod, n))
            boxes[tag] = box
        cases = {
            "writes before": lambda: _writes(before, folder, args.size, "wb"),
            "writes after": lambda: _writes(smskit, folder, args.size, "wa"),
            "10 due pages before": lambda: _pages(before, boxes["before"]),
            "10 due pages after": lambda: _pages(smskit, boxes["after"]),
        }
        try:
            samples = interleaved(cases, args.rounds)
        finally:
            for box in boxes.values():
                box.close()
    for what in ("writes", "10 due pages"):
        b, a = samples[f"{what} before"], samples[f"{what} after"]
        ratios = sorted(x / y for x, y in zip(a, b, strict=True))
        print(
            f"{what}: before {statistics.median(b) * 1e3:.2f} ms, after "
            f"{statistics.median(a) * 1e3:.2f} ms; after/before median "
            f"{statistics.median(ratios):.3f} (per-round {ratios[0]:.3f}..{ratios[-1]:.3f})"
        )


if __name__ == "__main__":
    main()
