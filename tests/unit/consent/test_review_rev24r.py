"""Review rev24r of the one-step reply decision (ConsentStore.append_decided).

Expected values come from docs/consent.md ("Integrity and stores") and the project's
rule that errors derive from SmskitError and say what to fix.
"""

from __future__ import annotations

from typing import Any

import pytest

from smskit.consent import ConsentLedger, MemoryStore
from smskit.errors import ConfigurationError


class _StoreWithoutAppendDecided:
    """A store of one's own, written against the protocol before append_decided."""

    def __init__(self) -> None:
        self._store = MemoryStore()

    def __getattr__(self, name: str) -> Any:
        if name == "append_decided":
            raise AttributeError(name)
        return getattr(self._store, name)


def test_a_store_of_your_own_without_append_decided_is_named_with_the_fix() -> None:
    # Found when the ledger is built, not as an AttributeError from the first STOP's
    # webhook (the STOP would go unrecorded on every retry).
    with pytest.raises(ConfigurationError, match="append_decided") as raised:
        ConsentLedger(_StoreWithoutAppendDecided())  # type: ignore[arg-type]
    assert raised.value.field == "store"
    assert "docs/consent.md" in str(raised.value)
