"""A nightly audit job's mistakes with the ledger's export and verification.

* ``verify(expected_head="2:<hash>")``, the head as ``smskit ledger verify`` prints it,
  was compared as a string and reported "the last events were edited or removed": a
  false tamper alarm. ``import_jsonl`` did the same.
* ``export_jsonl("consent.jsonl")`` (a path, not a file) failed with
  ``AttributeError: 'str' object has no attribute 'write'``; a binary file with a bare
  ``TypeError``.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.errors import ConfigurationError

T0 = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)


def _ledger() -> ConsentLedger:
    ledger = ConsentLedger(MemoryStore())
    ledger.grant("+14155550123", scope="fixit", purposes="informational", kind="express",
                 source="api", at=T0)
    return ledger


def test_verify_refuses_the_printed_head_text_instead_of_crying_tamper() -> None:
    ledger = _ledger()
    sequence, digest = ledger.verify()
    with pytest.raises(TypeError, match=r"expected_head: .*\(int\(seq\), hash\)"):
        ledger.verify(expected_head=f"{sequence}:{digest}")  # type: ignore[arg-type]


def test_verify_refuses_a_short_hash_as_a_mistake() -> None:
    ledger = _ledger()
    with pytest.raises(ConfigurationError, match="expected_head: give a sequence"):
        ledger.verify(expected_head=(1, "abc"))


def test_import_refuses_the_printed_head_text_too() -> None:
    ledger = _ledger()
    out = io.StringIO()
    head = ledger.export_jsonl(out)
    with pytest.raises(TypeError, match="expected_head"):
        ConsentLedger(MemoryStore()).import_jsonl(
            io.StringIO(out.getvalue()), expected_head=f"{head[0]}:{head[1]}")  # type: ignore[arg-type]


@pytest.mark.parametrize("out", ["consent.jsonl", io.BytesIO()], ids=["path", "binary"])
def test_export_to_something_that_is_no_text_file_is_named(out: object) -> None:
    with pytest.raises(ConfigurationError, match="open text file"):
        _ledger().export_jsonl(out)  # type: ignore[arg-type]


def test_a_right_head_still_verifies() -> None:
    ledger = _ledger()
    head = ledger.verify()
    assert ledger.verify(expected_head=head) == head
    assert ledger.verify(expected_head=list(head)) == head  # type: ignore[arg-type]
