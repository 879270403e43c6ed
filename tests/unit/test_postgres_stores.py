"""What the three PostgreSQL stores share through ``smskit._postgres.PostgresStore``:
``repr``, the context manager, ``create_schema`` and ``close``, and their names in errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from smskit.consent.postgres import PostgresConsentStore
from smskit.errors import StoreError
from smskit.messenger import PostgresOutbox
from smskit.timing.postgres import PostgresSendHistory

STORES: list[Any] = [PostgresConsentStore, PostgresOutbox, PostgresSendHistory]
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TABLES = {PostgresConsentStore: "consent", PostgresOutbox: "outbox",
          PostgresSendHistory: "send_history"}


def _read(store: Any) -> object:
    """One public read of each store."""
    if isinstance(store, PostgresConsentStore):
        return store.events("+12125550123")
    if isinstance(store, PostgresOutbox):
        return store.get("k")
    return store.sent_at(since=T0, until=T0)


@pytest.mark.parametrize("store", STORES, ids=lambda s: s.__name__)
def test_each_store_creates_its_schema_once_and_closes_as_a_context_manager(
    store: Any, postgres_dsn: str, pg_schema: str
) -> None:
    with store(postgres_dsn, schema=pg_schema) as opened:
        text = repr(opened)
        assert text.startswith(f"{store.__name__}(schema={pg_schema!r}, connection")
        assert "127.0.0.1" not in text  # the conninfo (and any password) stays out
        assert opened.create_schema() is True
        assert opened.create_schema() is False
    with pytest.raises(StoreError, match=f"^{store.__name__} is closed"):
        _read(opened)
    opened.close()  # closing twice is harmless


@pytest.mark.parametrize("store", STORES, ids=lambda s: s.__name__)
def test_each_store_names_itself_and_its_tables_when_the_schema_is_missing(
    store: Any, postgres_dsn: str, pg_schema: str
) -> None:
    with store(postgres_dsn, schema=pg_schema) as opened, pytest.raises(
        StoreError, match=f"^{store.__name__}: schema {pg_schema!r} has no {TABLES[store]} "
    ):
        _read(opened)
