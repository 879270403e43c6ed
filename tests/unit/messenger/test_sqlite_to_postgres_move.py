"""The steps docs/scale.md gives to move from SQLite files to PostgreSQL, run as given.

A business sends from SQLite (ledger, message history, outbox), stops its senders,
moves the ledger (``export_jsonl``/``import_jsonl`` with the head), the messages and
delivery reports (``messages``/``deliveries`` read back, ``record_message``/
``record_delivery`` into PostgreSQL) and the queued entries (``due`` then
``reserve``), then sends from PostgreSQL: the STOP holds, the cap counts the sends
made before the move, and a queued text goes out once.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _services
from smskit import (
    CapLimit,
    CompliancePipeline,
    ConsentLedger,
    Evidence,
    FrequencyCap,
    MemoryProvider,
    Messenger,
    PostgresConsentStore,
    PostgresMessageHistory,
    PostgresOutbox,
    Registration,
    SenderProfile,
    SendRequest,
    SQLiteMessageHistory,
    SQLiteOutbox,
    SQLiteStore,
    default_policies,
    normalize_recipient,
)
from smskit.messenger import MessageHistory, MessageRecord, Outbox
from smskit.pricing import Direction, MessageKind
from smskit.purpose import Purpose
from smskit.testing import FixedClock

_services.require_module("psycopg", "postgres")

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 10:00 in New York, 07:00 in Los Angeles
ACME = SenderProfile(sender_id="+12125550199", registration=Registration.APPROVED,
                     consent_scope="acme", brand="Acme")
NEW_YORK, LOS_ANGELES, STOPPED = "+12125550100", "+12135550101", "+12125550102"
OLD_REPLY = "+12125550103"  # answered by an older smskit, kept as "12125550103"


def _messenger(ledger: ConsentLedger, history: MessageHistory, outbox: Outbox,
               provider: MemoryProvider) -> Messenger:
    cap = FrequencyCap(history, limits=[CapLimit("daily", 1, timedelta(days=1))])  # type: ignore[arg-type]
    pipeline = CompliancePipeline(
        default_policies(store=ledger.store, cap=cap), history=history  # type: ignore[arg-type]
    )
    return Messenger(provider, pipeline, ledger, history, outbox, senders=[ACME])


def test_the_documented_move_keeps_consent_caps_and_the_queue(
    postgres_dsn: str, pg_schema: str, tmp_path: Path
) -> None:
    old_store = SQLiteStore(tmp_path / "ledger.db")
    old_history = SQLiteMessageHistory(tmp_path / "history.db")
    old_outbox = SQLiteOutbox(tmp_path / "outbox.db")
    ledger = ConsentLedger(old_store, clock=FixedClock(AT))
    for number in (NEW_YORK, LOS_ANGELES, STOPPED, OLD_REPLY):
        ledger.grant(number, scope="acme", purposes=["marketing"], kind="express_written",
                     source="web_form", at=AT - timedelta(days=3),
                     evidence=Evidence(consent_text="Texts from Acme",
                                       form_url="https://acme.example/join"))
    ledger.handle_reply(STOPPED, "STOP", scope="acme", at=AT - timedelta(days=1),
                        message_id="SM" + "1" * 32)
    before = _messenger(ledger, old_history, old_outbox, MemoryProvider(clock=FixedClock(AT)))
    outcomes = [before.send(SendRequest(number, "Acme: 20% off. Reply STOP to opt out",
                                        idempotency_key=f"nov-{number}"), ACME, AT,
                            queue=True).outcome.value
                for number in (NEW_YORK, LOS_ANGELES)]
    assert outcomes == ["sent", "deferred"]  # Los Angeles: quiet hours until 08:00
    # An auto-reply an older smskit (before e62571ee) answered to a From written
    # 12125550103 and kept as written: the copy stopped there with ConfigurationError.
    old_history.record_message(MessageRecord(
        Direction.OUTBOUND, ACME.sender_id or "", OLD_REPLY, AT - timedelta(hours=1), 1,
        MessageKind.SMS, purpose=Purpose.TRANSACTIONAL))
    # closing(): sqlite3's own context manager commits but leaves the connection open.
    with closing(sqlite3.connect(tmp_path / "history.db")) as raw, raw:
        raw.execute("UPDATE smskit_messages SET contact = ? WHERE contact = ?",
                    (OLD_REPLY[1:], OLD_REPLY))

    # --- the move, as docs/scale.md gives it -------------------------------------
    store = PostgresConsentStore(postgres_dsn, schema=pg_schema, chain="default")
    history = PostgresMessageHistory(postgres_dsn, schema=pg_schema)
    outbox = PostgresOutbox(postgres_dsn, schema=pg_schema)
    for new in (store, history, outbox):
        new.create_schema()
    export = io.StringIO()
    head = ledger.export_jsonl(export)
    export.seek(0)
    assert ConsentLedger(store).import_jsonl(export, expected_head=head) == head
    since, end = AT - timedelta(days=40), AT + timedelta(hours=1)
    while since < end:
        until = since + timedelta(days=1)
        for message in old_history.messages(since=since, until=until):
            if message.direction is Direction.OUTBOUND and not message.contact.startswith("+"):
                message = replace(message, contact=normalize_recipient(message.contact))
            history.record_message(message)
        for report in old_history.deliveries(since=since, until=until):
            history.record_delivery(report)
        since = until
    assert len(history.messages(since=AT - timedelta(days=1), until=end)) == 2  # once each
    assert old_outbox.unresolved() == ()  # nothing in flight: nothing to reconcile first
    for entry in old_outbox.due(datetime.max.replace(tzinfo=UTC)):
        assert outbox.reserve(entry)[1]
    for old in (old_store, old_history, old_outbox):
        old.close()

    # --- sending from PostgreSQL ------------------------------------------------
    provider = MemoryProvider(clock=FixedClock(AT))
    after = _messenger(ConsentLedger(store), history, outbox, provider)
    later = AT + timedelta(hours=2)  # 09:00 in Los Angeles
    second = [after.send(SendRequest(number, "Acme: new in. Reply STOP to opt out",
                                     idempotency_key=f"nov2-{number}"), ACME, later
                         ).outcome.value
              for number in (NEW_YORK, STOPPED, OLD_REPLY)]
    # The cap counts the sends before the move, the older reply's too.
    assert second == ["deferred", "blocked", "deferred"]
    assert [r.outcome.value for r in after.send_due(later)] == ["sent"]
    assert [m.to for m in provider.messages] == [LOS_ANGELES]
    for new in (store, history, outbox):
        new.close()
