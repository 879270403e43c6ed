"""``smskit ledger status`` shows how late an event was recorded in whole seconds (user32).

A consent imported months after it was given printed ``(187 days, 21:43:49.301414
after it occurred)``: the microseconds of the import's clock are noise to an auditor.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from smskit import ConsentLedger, Evidence, SQLiteStore
from smskit.cli import main
from smskit.testing import FixedClock


def test_the_recording_lag_is_in_whole_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    occurred = datetime(2026, 6, 1, tzinfo=UTC)
    imported = datetime(2026, 12, 5, 21, 43, 49, 301414, tzinfo=UTC)
    path = tmp_path / "consent.db"
    with SQLiteStore(path) as store:
        ConsentLedger(store, clock=FixedClock(imported)).grant(
            "+1 415 555 0123", scope="acme", purposes="marketing", kind="express_written",
            source="import", at=occurred,
            evidence=Evidence(consent_text="Yes, text me listings", form_url="https://re.example"),
        )
    code = main(["ledger", "status", str(path), "+1 415 555 0123", "--scope", "acme",
                 "--at", "2026-12-07T12:00:00Z"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "(187 days, 21:43:49 after it occurred)" in out
    assert ".301414 after" not in out


def test_an_event_recorded_under_a_second_before_it_occurred_still_says_before(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rev28v: rounded to whole seconds, 0.3 s read "(0:00:00 BEFORE it occurred)".
    recorded = datetime(2026, 12, 5, 21, 43, 49, tzinfo=UTC)
    path = tmp_path / "consent.db"
    with SQLiteStore(path) as store:
        ConsentLedger(store, clock=FixedClock(recorded)).grant(
            "+1 415 555 0123", scope="acme", purposes="marketing", kind="express_written",
            source="import", at=recorded.replace(microsecond=300000),
            evidence=Evidence(consent_text="Yes, text me listings", form_url="https://re.example"),
        )
    assert main(["ledger", "status", str(path), "+1 415 555 0123", "--scope", "acme",
                 "--at", "2026-12-07T12:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "(under a second BEFORE it occurred)" in out
    assert "0:00:00 BEFORE" not in out
