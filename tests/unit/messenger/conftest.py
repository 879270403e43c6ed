"""A messenger over the memory provider, a real pipeline and in-memory stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smskit.consent import ConsentLedger, Evidence, MemoryStore
from smskit.consent.sender import Registration, SenderProfile
from smskit.messenger import (
    HealthPolicy,
    MemoryMessageHistory,
    MemoryOutbox,
    Messenger,
    Outbox,
    SQLiteOutbox,
    SuppressionPolicy,
)
from smskit.policy import CompliancePipeline, default_policies
from smskit.providers import MemoryProvider
from smskit.testing import FixedClock

# Friday 2026-11-20, 10:00 in New York: inside every quiet-hours window.
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
ALICE = "+12125550123"  # New York
OURS = "+12125550199"


@dataclass
class Rig:
    clock: FixedClock
    provider: MemoryProvider
    ledger: ConsentLedger
    history: MemoryMessageHistory
    outbox: MemoryOutbox
    sender: SenderProfile
    messenger: Messenger


def build_rig(outbox: MemoryOutbox | None = None) -> Rig:
    clock = FixedClock(T0)
    provider = MemoryProvider(clock=clock)
    ledger = ConsentLedger(MemoryStore(), clock=clock)
    history = MemoryMessageHistory()
    sender = SenderProfile(
        sender_id=OURS, registration=Registration.APPROVED, consent_scope="acme", brand="Acme"
    )
    suppression = SuppressionPolicy(history, after=2)
    pipeline = CompliancePipeline(
        (
            *default_policies(store=ledger.store, history=history),
            HealthPolicy(history),
            suppression,
        ),  # type: ignore[arg-type]
        history=history,
    )
    box = outbox or MemoryOutbox()
    messenger = Messenger(
        provider, pipeline, ledger, history, box, senders=[sender], suppression=suppression
    )
    return Rig(clock, provider, ledger, history, box, sender, messenger)


@pytest.fixture
def rig() -> Rig:
    return build_rig()


def consent(rig: Rig, number: str = ALICE) -> None:
    rig.ledger.grant(
        number,
        scope="acme",
        purposes=["marketing", "informational", "transactional"],
        kind="express_written",
        source="web_form",
        at=T0.replace(hour=9),
        evidence=Evidence(
            consent_text="I agree to texts from Acme", form_url="https://acme.example/join"
        ),
    )


@contextmanager
def outbox_of(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Outbox]:
    """An empty outbox of ``kind``: memory, SQLite in ``tmp_path``, or PostgreSQL (the
    real server, a schema of the test's own), closed after."""
    if kind == "memory":
        yield MemoryOutbox()
    elif kind == "sqlite":
        with SQLiteOutbox(tmp_path / "outbox.db") as box:
            yield box
    else:
        from smskit import PostgresOutbox

        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("pg_schema")
        with PostgresOutbox(dsn, schema=schema) as box:
            box.create_schema()
            yield box


@pytest.fixture
def pg_outboxes(postgres_dsn: str, pg_schema: str) -> Callable[[], Outbox]:
    """Opens a new connection to one PostgreSQL outbox (a schema of the test's own,
    created here): one per worker of a race test."""
    from smskit import PostgresOutbox

    with PostgresOutbox(postgres_dsn, schema=pg_schema) as box:
        box.create_schema()

    def open_store() -> Outbox:
        return PostgresOutbox(postgres_dsn, schema=pg_schema)

    return open_store


def stalled(rig: Rig) -> Messenger:
    """Another worker over ``rig``'s stores whose in-flight lease (0) is shorter than the
    hand-over it races: what a send that stalls past ``in_flight`` looks like to a
    ``reconcile``. With the default lease, reconcile leaves such a row alone."""
    return Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, rig.outbox,
                     senders=[rig.sender], in_flight=timedelta(0))
