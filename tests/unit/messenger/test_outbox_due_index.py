"""``SQLiteOutbox.due`` reads its page through an index (fix26m).

The file had an index on ``(state, not_before_us)`` only: ``due`` found the
deferred rows by state, then sorted every one of them by when it is due (a temporary
B-tree) to return a page of ten, on every page. ``smskit_outbox_due`` holds the rows
in ``due``'s own order; a file made before it gains it when opened, rows intact.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smskit.messenger import OutboxEntry, OutboxState, SQLiteOutbox

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)

# The table and index as smskit wrote them before smskit_outbox_due (git history).
_OLD_SCHEMA = """
CREATE TABLE smskit_outbox (
    key TEXT PRIMARY KEY, state TEXT NOT NULL, recipient TEXT NOT NULL,
    sender TEXT NOT NULL, payload TEXT NOT NULL, created_us INTEGER NOT NULL,
    updated_us INTEGER NOT NULL, attempts INTEGER NOT NULL, provider_id TEXT,
    not_before_us INTEGER, error TEXT
);
CREATE INDEX smskit_outbox_state ON smskit_outbox (state, not_before_us);
"""


def _deferred(n: int) -> OutboxEntry:
    return OutboxEntry(
        key=f"k{n:03d}", recipient="+12125550100", sender="+12125550199",
        state=OutboxState.DEFERRED, created_at=T0, updated_at=T0,
        not_before=T0 + timedelta(minutes=n % 7),
    )


def _plans(outbox: SQLiteOutbox, path: Path, *calls: dict[str, object]) -> list[str]:
    """The query plan of each SELECT ``due`` runs, one line per plan step."""
    statements: list[str] = []
    outbox._db.set_trace_callback(statements.append)
    try:
        for call in calls:
            outbox.due(T0 + timedelta(hours=1), **call)  # type: ignore[arg-type]
    finally:
        outbox._db.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len(calls)
    with closing(sqlite3.connect(path)) as db:
        return [
            " / ".join(str(row[-1]) for row in db.execute("EXPLAIN QUERY PLAN " + s))
            for s in selects
        ]


def test_due_seeks_an_index_and_sorts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    with SQLiteOutbox(path) as outbox:
        for n in range(30):
            outbox.reserve(_deferred(n))
        first = outbox.due(T0 + timedelta(hours=1), limit=10)
        plans = _plans(outbox, path, {}, {"limit": 10}, {"limit": 10, "after": first[-1]})
    for plan in plans:
        assert "USING INDEX smskit_outbox_due" in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sort of every deferred row
    # A later page starts at the last row read (a range on the index), not at the
    # first deferred row.
    assert ">?" in plans[2], plans[2]
    assert "<?" in plans[2], plans[2]


def test_a_file_made_before_the_index_opens_gains_it_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(_OLD_SCHEMA)
        for n, (state, nb) in enumerate(
            [("deferred", 5), ("deferred", None), ("sent", None), ("deferred", 1)]
        ):
            created = 1_700_000_000_000_000 + n
            db.execute(
                "INSERT INTO smskit_outbox VALUES (?, ?, '+12125550100', '+12125550199', "
                "'{}', ?, ?, 0, NULL, ?, NULL)",
                (f"old{n}", state, created, created,
                 None if nb is None else 1_700_000_000_000_000 + 10 + nb),
            )
        db.commit()
    with SQLiteOutbox(path) as outbox:
        due = outbox.due(datetime(2030, 1, 1, tzinfo=UTC))
        assert [e.key for e in due] == ["old1", "old3", "old0"]  # by when each is due
        assert outbox.get("old2") is not None
        plans = _plans(outbox, path, {"limit": 2})
    assert "USING INDEX smskit_outbox_due" in plans[0]
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM smskit_outbox").fetchone()[0] == 4
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"smskit_outbox_state", "smskit_outbox_due"} <= names


def test_pages_after_the_index_still_read_every_due_row_once(tmp_path: Path) -> None:
    with SQLiteOutbox(tmp_path / "outbox.db") as outbox:
        for n in range(25):
            outbox.reserve(_deferred(n))
        seen: list[str] = []
        page = outbox.due(T0 + timedelta(hours=1), limit=4)
        while page:
            seen += [e.key for e in page]
            page = outbox.due(T0 + timedelta(hours=1), limit=4, after=page[-1])
    # Expected order written out: by not_before (n % 7 minutes), then key.
    expected = sorted((f"k{n:03d}" for n in range(25)), key=lambda k: (int(k[1:]) % 7, k))
    assert seen == expected
