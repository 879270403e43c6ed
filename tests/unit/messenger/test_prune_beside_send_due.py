"""Pruning the outbox while two messengers drain one queue, on real stores.

Two workers (each its own outbox connection, as two hosts) run ``send_due`` over the
same queued requests; a third connection prunes finished entries with a cut-off far
in the future, one row at a time, as fast as it can: the harshest prune there is. A
worker that read an entry as due while the other sent it and the prune removed it
must lose it as a lost race (``pending``), not send it again. Review rev25r: send_due's
``send()`` found no entry and handed the message over a second time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smskit import SendRequest
from smskit.messenger import Messenger, Outbox, SQLiteOutbox

from .conftest import ALICE, build_rig, consent

NIGHT = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # 05:00 in New York: queued
MORNING = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)  # 09:00: due
FAR = MORNING + timedelta(days=3650)
QUEUED = 40


def _race(open_store: Callable[[], Outbox]) -> None:
    setup = open_store()
    stores = [open_store() for _ in range(3)]
    try:
        rig = build_rig(setup)  # type: ignore[arg-type]
        consent(rig)
        keys = [f"offer-{n:03d}" for n in range(QUEUED)]
        for key in keys:
            offer = SendRequest(recipient=ALICE, idempotency_key=key,
                                body="Acme: 10% off a boiler check. Reply STOP to opt out")
            assert rig.messenger.send(offer, rig.sender, NIGHT, queue=True).queued
        workers = [
            Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, box,
                      senders=[rig.sender])
            for box in stores
        ]
        errors: list[BaseException] = []
        done = threading.Event()
        start = threading.Barrier(3)

        def drain(worker: Messenger) -> None:
            try:
                start.wait()
                worker.send_due(MORNING)
            except BaseException as exc:  # reported below
                errors.append(exc)

        def prune() -> None:
            try:
                start.wait()
                while not done.is_set():
                    workers[2].prune_outbox(FAR, limit=1)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=drain, args=(w,)) for w in workers[:2]]
        pruner = threading.Thread(target=prune)
        for thread in (*threads, pruner):
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        done.set()
        pruner.join(timeout=120)
        assert not errors, errors
        sent = sorted(m.idempotency_key or "" for m in rig.provider.messages)
        assert sent == keys  # each once
    finally:
        for box in (setup, *stores):
            box.close()


def test_prune_beside_two_send_due_workers_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    _race(lambda: SQLiteOutbox(path, synchronous="normal"))


def test_prune_beside_two_send_due_workers_on_postgres(
    pg_outboxes: Callable[[], Outbox],
) -> None:
    _race(pg_outboxes)
