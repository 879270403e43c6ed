"""Two send-history objects on one store (the cap's and the pipeline's, each opened on
the same PostgreSQL schema or SQLite file) are one history: the messenger records each
send there once. Recorded through both, every send counted twice and Oregon's cap of
three deferred the second solicitation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import _services
from smskit import (
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    FrequencyCap,
    MemoryMessageHistory,
    MemoryOutbox,
    MemoryProvider,
    MemoryStore,
    Messenger,
    PostgresSendHistory,
    SendHistory,
    SendRequest,
    SQLiteSendHistory,
    default_policies,
)
from smskit.policy.builtin import FrequencyCapPolicy
from smskit.testing import FixedClock

from .test_cap_history_shared import ACME, AT, PORTLAND


def _send_four(cap_history: SendHistory, pipeline_history: SendHistory) -> list[str]:
    store = MemoryStore()
    ConsentLedger(store).grant(
        PORTLAND, scope="acme", purposes="marketing", kind="express_written",
        source="web_form", at=AT - timedelta(days=1),
        evidence=Evidence(consent_text="Acme offers by text", form_url="https://acme.example"))
    policies = tuple(
        FrequencyCapPolicy(FrequencyCap(cap_history)) if isinstance(p, FrequencyCapPolicy) else p
        for p in default_policies(store=store, history=pipeline_history))
    pipeline = CompliancePipeline(policies, history=pipeline_history)
    messenger = Messenger(MemoryProvider(clock=FixedClock(AT)), pipeline, ConsentLedger(store),
                          MemoryMessageHistory(), MemoryOutbox(), senders=[ACME])
    requests = [SendRequest(PORTLAND, body=f"Acme: offer {i}. Reply STOP to opt out",
                            purpose="marketing", idempotency_key=f"o-{i}") for i in range(4)]
    return [messenger.send(r, ACME, AT + timedelta(minutes=i)).outcome.value
            for i, r in enumerate(requests)]


def _count(history: SendHistory) -> int:
    return len(history.sent_at(since=AT - timedelta(hours=1), until=AT + timedelta(hours=1),
                               recipient=PORTLAND))


def test_two_sqlite_histories_on_one_file_record_each_send_once(tmp_path: Path) -> None:
    path = str(tmp_path / "sends.db")
    with SQLiteSendHistory(path) as caps, SQLiteSendHistory(path) as reads:
        # Oregon HB 3865: at most 3 solicitations per 24 h.
        assert _send_four(caps, reads) == ["sent", "sent", "sent", "deferred"]
        assert _count(caps) == 3


def test_two_postgres_histories_on_one_schema_record_each_send_once(
    postgres_dsn: str, pg_schema: str
) -> None:
    _services.require_module("psycopg", "postgres")
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as caps, \
            PostgresSendHistory(postgres_dsn, schema=pg_schema) as reads:
        caps.create_schema()
        assert _send_four(caps, reads) == ["sent", "sent", "sent", "deferred"]
        assert _count(caps) == 3


def test_a_pool_and_a_connection_to_one_schema_record_each_send_once(
    postgres_dsn: str, pg_schema: str
) -> None:
    pool_module = _services.require_module("psycopg_pool", "postgres")
    with pool_module.ConnectionPool(postgres_dsn, min_size=1, max_size=2, open=True,
                                    kwargs={"autocommit": True}) as pool, \
            PostgresSendHistory(pool, schema=pg_schema) as caps, \
            PostgresSendHistory(postgres_dsn, schema=pg_schema) as reads:
        caps.create_schema()
        assert _send_four(caps, reads) == ["sent", "sent", "sent", "deferred"]
        assert _count(caps) == 3


def test_postgres_histories_in_two_schemas_are_both_written(
    postgres_dsn: str, pg_schema: str
) -> None:
    # Another schema is another history: a cap counting there must see the sends too.
    _services.require_module("psycopg", "postgres")
    other = f"{pg_schema}_b"[:63]
    with PostgresSendHistory(postgres_dsn, schema=pg_schema) as caps, \
            PostgresSendHistory(postgres_dsn, schema=other) as reads:
        caps.create_schema()
        reads.create_schema()
        try:
            assert _send_four(caps, reads) == ["sent", "sent", "sent", "deferred"]
            assert (_count(caps), _count(reads)) == (3, 3)
        finally:
            psycopg = _services.require_module("psycopg", "postgres")
            with psycopg.connect(postgres_dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{other}" CASCADE')
