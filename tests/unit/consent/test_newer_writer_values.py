"""A ledger row written by a newer smskit: its hash matches, but a value is unknown here.

The error must not call it corrupt and advise restoring an older export (which would drop
every event since); it says a newer smskit wrote it and to upgrade.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest

from smskit.consent import ConsentLedger, Evidence, MemoryStore
from smskit.consent._codec import event_record, stored_event
from smskit.consent.model import ConsentSource, RevocationMethod
from smskit.errors import LedgerIntegrityError


def _row(**changes: object) -> tuple[str, str]:
    ledger = ConsentLedger(MemoryStore())
    event = ledger.revoke(
        "+14155550123", scope="acme", at=datetime(2026, 12, 5, 15, 0, tzinfo=UTC),
        method=RevocationMethod.KEYWORD, source=ConsentSource.KEYWORD,
        evidence=Evidence(reply_text="STOP"),
    )
    record = event_record(event)
    record["sequence"] = 7
    record.update(changes)
    body = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return body, hashlib.sha256(body.encode("utf-8")).hexdigest()


def test_an_unmodified_row_reads_back() -> None:
    body, digest = _row()
    assert stored_event(7, digest, body, "+14155550123").revocation_method is (
        RevocationMethod.KEYWORD
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("revocation_method", "carrier_deactivation"), ("kind", "suspend"), ("source", "kiosk")],
)
def test_a_value_from_a_newer_smskit_says_upgrade_not_restore(field: str, value: str) -> None:
    body, digest = _row(**{field: value})
    with pytest.raises(LedgerIntegrityError) as caught:
        stored_event(7, digest, body, "+14155550123")
    message = str(caught.value)
    assert f"'{value}'" in message
    assert "newer smskit" in message
    assert "Upgrade smskit" in message
    assert "ConsentLedger.verify" in message
    assert "corrupt" not in message
    assert caught.value.sequence == 7


def test_a_missing_field_is_still_corrupt() -> None:
    body, digest = _row()
    record = json.loads(body)
    del record["source"]
    body = json.dumps(record, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
    with pytest.raises(LedgerIntegrityError, match="corrupt"):
        stored_event(7, digest, body, "+14155550123")


def test_a_purpose_from_a_newer_smskit_says_upgrade() -> None:
    body, digest = _row(purposes=["astrology", "marketing"])
    with pytest.raises(LedgerIntegrityError, match="'astrology' in purposes, a value this smskit"):
        stored_event(7, digest, body, "+14155550123")


# Review rev26L: only a value its own field has no member for is "from a newer smskit"
# (a set stored as text is looked up letter by letter); anything else in a hash-matched
# row is corrupt, as before.


def test_a_set_stored_as_text_is_corrupt_not_a_newer_value() -> None:
    # Iterating "sms" looks up "s": a substring of the text, not a value any writer set.
    body, digest = _row(channels="sms")
    with pytest.raises(LedgerIntegrityError, match="corrupt") as caught:
        stored_event(7, digest, body, "+14155550123")
    assert "newer smskit" not in str(caught.value)


def test_the_message_names_the_field_holding_the_unknown_value() -> None:
    body, digest = _row(revocation_method="carrier_deactivation")
    with pytest.raises(LedgerIntegrityError, match="revocation_method"):
        stored_event(7, digest, body, "+14155550123")


def test_a_value_no_smskit_would_write_is_corrupt() -> None:
    # Every value smskit writes is lower-case words joined by "_"; "Web Form" is an edit.
    body, digest = _row(source="Web Form")
    with pytest.raises(LedgerIntegrityError, match="corrupt"):
        stored_event(7, digest, body, "+14155550123")


def _export_line(record: dict[str, object]) -> str:
    body = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    record = {**record, "hash": hashlib.sha256(body.encode("utf-8")).hexdigest()}
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _newer_export() -> str:
    # A newer smskit's export: one event whose revocation method this smskit lacks.
    ledger = ConsentLedger(MemoryStore())
    event = ledger.revoke(
        "+14155550123", scope="acme", at=datetime(2026, 12, 5, 15, 0, tzinfo=UTC),
        method=RevocationMethod.KEYWORD, source=ConsentSource.KEYWORD,
        evidence=Evidence(reply_text="STOP"),
    )
    record = event_record(event)
    record["revocation_method"] = "carrier_deactivation"
    return _export_line(record) + "\n"


def test_importing_a_newer_smskits_export_says_upgrade_not_corrupt() -> None:
    # Importing is restoring from an export: "corrupt; restore the ledger from a verified
    # export" sends the user in a circle when a newer smskit wrote it (rev26L).
    import io

    with pytest.raises(LedgerIntegrityError) as caught:
        ConsentLedger(MemoryStore()).import_jsonl(io.StringIO(_newer_export()))
    message = str(caught.value)
    assert "export line 1" in message
    assert "'carrier_deactivation' in revocation_method" in message
    assert "newer smskit" in message
    assert "corrupt" not in message
    assert caught.value.sequence == 1


def test_importing_an_edited_line_with_an_unknown_value_is_still_refused_as_edited() -> None:
    import io

    line = json.loads(_newer_export())
    line["hash"] = "0" * 64  # the value changed, the hash not recomputed
    with pytest.raises(LedgerIntegrityError) as caught:
        ConsentLedger(MemoryStore()).import_jsonl(io.StringIO(json.dumps(line)))
    assert "newer smskit" not in str(caught.value)
