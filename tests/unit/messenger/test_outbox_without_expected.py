"""An outbox of one's own written before ``update(expected=)`` existed.

The messenger needs the compare-and-set to resolve a stale reservation; an
outbox whose ``update`` cannot take ``expected=`` would otherwise fail with a
bare ``TypeError`` in the middle of crash recovery, the worst time to find out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from smskit.errors import ConfigurationError
from smskit.messenger import MemoryOutbox, Messenger, OutboxEntry, OutboxState

from .conftest import build_rig


class _OldOutbox:
    """Delegates to a memory outbox; ``update`` has the signature before ``expected``."""

    def __init__(self) -> None:
        self._inner = MemoryOutbox()

    def update(
        self,
        key: str,
        state: OutboxState | str,
        *,
        at: datetime,
        provider_id: str | None = None,
        not_before: datetime | None = None,
        error: str | None = None,
        attempted: bool = False,
        payload: str | None = None,
    ) -> OutboxEntry:
        return self._inner.update(
            key, state, at=at, provider_id=provider_id, not_before=not_before, error=error,
            attempted=attempted, payload=payload,
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_an_outbox_whose_update_lacks_expected_is_refused_up_front() -> None:
    rig = build_rig()
    with pytest.raises(ConfigurationError, match="expected") as caught:
        Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, _OldOutbox())
    assert caught.value.field == "outbox"


class _KeywordsOutbox(_OldOutbox):
    def update(self, key: str, state: OutboxState | str, **options: Any) -> OutboxEntry:
        return self._inner.update(key, state, **options)


def test_an_outbox_taking_any_keyword_is_accepted() -> None:
    rig = build_rig()
    Messenger(rig.provider, rig.messenger.pipeline, rig.ledger, rig.history, _KeywordsOutbox())
