"""One STOP webhook delivered several times at once, on real stores: one confirmation.

Each thread is a web worker with its own ledger store, outbox and connection
(SQLite files shared by all, or the real PostgreSQL server); every one reads
the webhook as new, so the ledger's replay-by-message-id and the reply's
idempotency key (``reply:<MessageSid>``) must make the confirmation go once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from smskit.consent import ConsentLedger, ConsentStore, Evidence, SQLiteStore
from smskit.messenger import MemoryMessageHistory, Messenger, Outbox, SQLiteOutbox
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

from .conftest import ALICE, OURS, T0, build_rig

WORKERS = 4


def _deliver_at_once(
    open_store: Callable[[], ConsentStore], open_outbox: Callable[[], Outbox]
) -> tuple[MemoryProvider, list[BaseException]]:
    sender = build_rig().sender
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    history = MemoryMessageHistory()
    with open_store() as setup:
        ConsentLedger(setup, clock=clock).grant(
            ALICE, scope="acme", purposes=["marketing"], kind="express_written",
            source="web_form", at=T0 - timedelta(hours=1),
            evidence=Evidence(consent_text="Texts from Acme", form_url="https://acme.example"),
        )
    params = provider.inbound_params(ALICE, OURS, "STOP", message_id="SM" + "6" * 32)
    barrier = threading.Barrier(WORKERS, timeout=30)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with open_store() as store, open_outbox() as outbox:
                ledger = ConsentLedger(store, clock=clock)
                pipeline = CompliancePipeline(default_policies(store=store, history=history))
                messenger = Messenger(
                    provider, pipeline, ledger, history, outbox, senders=[sender]
                )
                barrier.wait()
                messenger.handle_inbound("u", params, {}, T0 + timedelta(seconds=5))
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return provider, errors


@pytest.mark.parametrize("trial", range(5))
def test_one_stop_delivered_at_once_to_sqlite_workers_is_confirmed_once(
    tmp_path: Path, trial: int
) -> None:
    provider, errors = _deliver_at_once(
        lambda: SQLiteStore(tmp_path / "ledger.db"),
        lambda: SQLiteOutbox(tmp_path / "outbox.db"),
    )
    assert errors == []
    assert len(provider.messages) == 1


@pytest.mark.parametrize("trial", range(5))
def test_one_stop_delivered_at_once_to_postgres_workers_is_confirmed_once(
    request: pytest.FixtureRequest, trial: int
) -> None:
    from smskit.consent.postgres import PostgresConsentStore
    from smskit.messenger import PostgresOutbox

    dsn = request.getfixturevalue("postgres_dsn")
    schema = request.getfixturevalue("pg_schema")
    with PostgresConsentStore(dsn, schema=schema) as store, PostgresOutbox(
        dsn, schema=schema
    ) as outbox:
        store.create_schema()
        outbox.create_schema()
    provider, errors = _deliver_at_once(
        lambda: PostgresConsentStore(dsn, schema=schema),
        lambda: PostgresOutbox(dsn, schema=schema),
    )
    assert errors == []
    assert len(provider.messages) == 1
