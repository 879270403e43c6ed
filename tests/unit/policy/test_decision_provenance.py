"""A decision's audit record names the smskit version and the rule data that made it;
records written before (by main's code, kept here verbatim) still load."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest

import smskit
from smskit import (
    CompliancePipeline,
    Decision,
    Registration,
    SenderProfile,
    SendRequest,
    Verdict,
    default_policies,
    rules_fingerprint,
)
from smskit.errors import ConfigurationError
from smskit.policy._audit import RULE_DATA_MODULES

SENDER = SenderProfile(sender_id="+14155550100", registration=Registration.APPROVED,
                       brand="Acme", consent_scope="acme")
AT = datetime(2026, 6, 2, 16, 0, tzinfo=UTC)

# Written by main's code before the version and fingerprint were kept.
OLD_RECORD = (
    '{"at": "2026-06-02T16:00:00+00:00", "at_zone": null, "body": "Acme: sale. Reply STOP '
    'to opt out", "cost": null, "currency": null, "encoding": "gsm7", "findings": [{"code": '
    '"consent.granted", "details": {"event": 1, "event_at": {"$datetime": '
    '"2026-03-01T00:00:00+00:00"}, "event_kind": "granted", "events": {"$tuple": [1]}}, '
    '"message": "express_written consent allows marketing over sms (us rules)", "severity": '
    '"info", "source": "https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/'
    'subpart-L/section-64.1200", "status": "secondary", "verified": true}], '
    '"idempotency_key": null, "not_before": null, "not_before_zone": null, "reason": '
    '"allowed", "recipient": "+12125550123", "segments": 1, "segments_before": 1, '
    '"verdict": "allow"}'
)


def _decision() -> Decision:
    engine = CompliancePipeline(default_policies())
    return engine.decide(SendRequest("+12125550123", body="Acme: sale. Reply STOP to opt out",
                                     first_message=False), SENDER, AT)


def test_record_names_version_and_rule_data() -> None:
    record = json.loads(_decision().to_json())
    assert record["smskit_version"] == smskit.__version__ == "0.1.0.dev0"
    assert re.fullmatch(r"[0-9a-f]{12}", record["rules_fingerprint"])
    back = Decision.from_json(json.dumps(record))
    assert (back.smskit_version, back.rules_fingerprint) == (
        record["smskit_version"], record["rules_fingerprint"])


def test_fingerprint_is_the_digest_of_the_bundled_data() -> None:
    digest = hashlib.sha256()
    for package, name in RULE_DATA_MODULES:
        digest.update(f"{package}/{name}\0".encode())
        digest.update(resources.files(package).joinpath(name).read_bytes().replace(b"\r\n", b"\n"))
        digest.update(b"\0")
    assert rules_fingerprint() == digest.hexdigest()[:12]
    assert ("smskit.timing", "_jurisdictions.py") in RULE_DATA_MODULES  # quiet hours, caps
    assert ("smskit.keywords", "_data.py") in RULE_DATA_MODULES


def test_version_matches_the_package_metadata() -> None:
    # The tests run from the checkout, which always holds pyproject.toml beside them.
    pyproject = (Path(__file__).resolve().parents[3] / "pyproject.toml").read_text(
        encoding="utf-8")
    assert f'\nversion = "{smskit.__version__}"\n' in pyproject


def test_old_record_loads_without_them() -> None:
    old = Decision.from_json(OLD_RECORD)
    assert old.verdict is Verdict.ALLOW
    assert old.codes == ("consent.granted",)
    assert (old.smskit_version, old.rules_fingerprint, old.known_at) == (None, None, None)
    # Read and written again: says it does not know, rather than naming today's version.
    again = json.loads(old.to_json())
    assert again["smskit_version"] is None
    assert again["rules_fingerprint"] is None
    assert {k: v for k, v in again.items() if k not in {
        "smskit_version", "rules_fingerprint", "known_at", "known_at_zone"}} == json.loads(
        OLD_RECORD)


def test_metadata_does_not_change_equality() -> None:
    made = _decision()
    old = Decision.from_json(made.to_json())
    from dataclasses import replace
    stripped = replace(old, smskit_version=None, rules_fingerprint=None)
    assert stripped == made  # (a decision is unhashable: its findings' details are maps)
    assert "smskit_version" not in repr(made)
    # known_at is part of the answer (what the ledger was judged as): it does count.
    assert replace(made, known_at=AT) != made


def test_bad_metadata_is_refused() -> None:
    record = json.loads(OLD_RECORD)
    record["smskit_version"] = 3
    with pytest.raises(ConfigurationError, match="smskit_version"):
        Decision.from_dict(record)


def test_known_at_round_trips_with_its_zone() -> None:
    from zoneinfo import ZoneInfo
    known = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=ZoneInfo("America/New_York"))
    made = CompliancePipeline(default_policies()).decide(
        SendRequest("+12125550123", body="Acme: sale. Reply STOP to opt out",
                    first_message=False), SENDER, AT, known_at=known)
    back = Decision.from_json(made.to_json())
    assert back == made
    assert back.known_at is not None
    assert back.known_at.utcoffset() == known.utcoffset()
    assert "as known at 2026-11-01T01:30:00-05:00" in made.explain()


def test_fingerprint_follows_the_data_text_not_line_endings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # rev28a: the bundled modules' text stands in for their data (a fake package tree).
    from smskit.policy import _audit

    real = rules_fingerprint()  # cached before the files are swapped
    for package, name in RULE_DATA_MODULES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / name).write_bytes(b"LIMIT = 3\nWINDOW = 24\n")
    monkeypatch.setattr(_audit.resources, "files", lambda package: tmp_path / package)
    fingerprint = _audit.rules_fingerprint.__wrapped__
    shipped = fingerprint()
    assert shipped is not None
    assert shipped != real
    assert rules_fingerprint() == real
    package, name = RULE_DATA_MODULES[0]
    data = tmp_path / package / name
    data.write_bytes(b"LIMIT = 3\r\nWINDOW = 24\r\n")  # a Windows checkout of the same data
    assert fingerprint() == shipped
    data.write_bytes(b"LIMIT = 4\nWINDOW = 24\n")
    assert fingerprint() not in {shipped, None}
    data.unlink()  # an installation shipping compiled modules only: no text to digest
    assert fingerprint() is None
