"""Consent events as smskit wrote them before ``received_by`` (up to commit ba9152f):
stored records without that key, and a SQLite file of schema 2.

Written out here by hand, not with the current code, so that the tests read what an
older smskit left behind whatever the code becomes. The schema statements are copied
verbatim from src/smskit/consent/sqlite.py at ba9152f (SQLite compares them when a
file is opened).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
ALL_PURPOSES = ["conversational", "informational", "marketing", "transactional"]
TEXT_CHANNELS = ["mms", "rcs", "sms"]

_SCHEMA_2 = (
    """CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        recipient TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    "CREATE INDEX events_by_recipient ON events (recipient, seq)",
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    """CREATE TABLE facts (
        recipient TEXT NOT NULL,
        seq INTEGER NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        scope TEXT NOT NULL,
        channels TEXT NOT NULL,
        purposes TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        source TEXT NOT NULL,
        consent_kind TEXT,
        implied_basis TEXT,
        expires_at TEXT,
        revocation_method TEXT,
        confirms INTEGER,
        recorded_at TEXT,
        reply_text TEXT,
        PRIMARY KEY (recipient, seq)
    ) WITHOUT ROWID""",
    """CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
    """CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts
       BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END""",
)
_GUARD_2 = (
    "CREATE TRIGGER events_need_facts BEFORE INSERT ON events\n"
    "WHEN NOT EXISTS (SELECT 1 FROM facts WHERE seq = NEW.seq AND recipient = NEW.recipient)\n"
    "BEGIN SELECT RAISE(ABORT, 'an event without its decision projection row: this ledger "
    "is schema 2, upgraded by a newer smskit; update this program'); END"
)
_APPLICATION_ID = 0x534D5343  # "SMSC"


def reply_record(kind: str, recipient: str, scope: str, at: datetime, text: str,
                 message_id: str, *, revoked: bool) -> dict[str, Any]:
    """A reply event (STOP or START through handle_reply) as the old code recorded it:
    every key of the canonical form of then, no ``received_by``."""
    return {
        "kind": kind, "recipient": recipient, "scope": scope, "channels": TEXT_CHANNELS,
        "purposes": ALL_PURPOSES, "occurred_at": at.isoformat(), "source": "keyword",
        "evidence": {"form_url": None, "consent_text": None, "ip_address": None,
                     "user_agent": None, "actor": "smskit.handle_reply",
                     "reference": message_id, "reply_text": text},
        "consent_kind": None, "implied_basis": None, "expires_at": None,
        "revocation_method": "keyword" if revoked else None, "confirms": None,
        "recorded_at": at.isoformat(),
    }


def grant_record(recipient: str, scope: str, at: datetime) -> dict[str, Any]:
    """An express written marketing grant from a web form, as the old code recorded it."""
    return {
        "kind": "granted", "recipient": recipient, "scope": scope, "channels": ["sms"],
        "purposes": ["marketing"], "occurred_at": at.isoformat(), "source": "web_form",
        "evidence": {"form_url": "https://lv.example/join", "consent_text": "Yes",
                     "ip_address": None, "user_agent": None, "actor": None,
                     "reference": None, "reply_text": None},
        "consent_kind": "express_written", "implied_basis": None, "expires_at": None,
        "revocation_method": None, "confirms": None, "recorded_at": at.isoformat(),
    }


def chained(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str, str]]:
    """``(record with sequence and prev_hash, its canonical body, its hash)``, chained
    from the genesis as the old code chained them (sorted keys, no spaces, UTF-8)."""
    out, previous = [], GENESIS
    for sequence, record in enumerate(records, 1):
        full = {**record, "sequence": sequence, "prev_hash": previous}
        body = json.dumps(full, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        previous = hashlib.sha256(body.encode("utf-8")).hexdigest()
        out.append((full, body, previous))
    return out


def export_lines(records: list[dict[str, Any]]) -> str:
    """An ``export_jsonl`` file of the old code: each canonical record with its hash."""
    return "".join(
        json.dumps({**full, "hash": digest}, sort_keys=True, separators=(",", ":"),
                   ensure_ascii=False) + "\n"
        for full, _, digest in chained(records)
    )


def write_schema_2(path: Path, records: list[dict[str, Any]], *, guard: bool = True) -> None:
    """A schema-2 SQLite ledger holding ``records`` (events and their projection rows)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in _SCHEMA_2 + ((_GUARD_2,) if guard else ()):
            conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 2")
        for full, body, digest in chained(records):
            conn.execute(
                "INSERT INTO facts (seq, recipient, kind, scope, channels, purposes, "
                "occurred_at, source, consent_kind, implied_basis, expires_at, "
                "revocation_method, confirms, recorded_at, reply_text) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (full["sequence"], full["recipient"], full["kind"], full["scope"],
                 ",".join(full["channels"]), ",".join(full["purposes"]),
                 full["occurred_at"], full["source"], full["consent_kind"],
                 full["implied_basis"], full["expires_at"], full["revocation_method"],
                 full["confirms"], full["recorded_at"], full["evidence"]["reply_text"]),
            )
            conn.execute(
                "INSERT INTO events (seq, recipient, occurred_at, prev_hash, hash, body) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (full["sequence"], full["recipient"], full["occurred_at"],
                 full["prev_hash"], digest, body),
            )
    finally:
        conn.close()
