"""A PostgreSQL store's ``lock_timeout`` (and the recipient lock's ``timeout``) that the
server cannot take is refused when the store is built, naming the option.

PostgreSQL's ``lock_timeout`` is an int of milliseconds, at most 2**31 - 1
(<https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-LOCK-TIMEOUT>):
``"5"`` raised ``TypeError``, ``float("inf")`` ``OverflowError`` (tracebacks), and
``1e10`` was taken, then every write failed with "invalid value for parameter".
The checks run before any connection is made: the address below answers nothing.
"""

from __future__ import annotations

import pytest

import _services
from smskit import (
    PostgresConsentStore,
    PostgresMessageHistory,
    PostgresOutbox,
    PostgresRecipientLock,
    PostgresSendHistory,
)
from smskit.errors import ConfigurationError

_services.require_module("psycopg", "postgres")

NOWHERE = "postgresql://nobody@127.0.0.1:1/none"
BAD = ["5", float("inf"), float("nan"), 1e10, 2_147_484, 0, -1, True]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    "store", [PostgresConsentStore, PostgresSendHistory, PostgresMessageHistory, PostgresOutbox]
)
def test_a_lock_timeout_postgresql_cannot_take_is_refused(store: type, value: object) -> None:
    with pytest.raises(ConfigurationError) as refused:
        store(NOWHERE, schema="s", lock_timeout=value)
    assert refused.value.field == "lock_timeout"


@pytest.mark.parametrize("value", BAD)
def test_a_recipient_lock_timeout_postgresql_cannot_take_is_refused(value: object) -> None:
    with pytest.raises(ConfigurationError) as refused:
        PostgresRecipientLock(NOWHERE, schema="s", timeout=value)  # type: ignore[arg-type]
    assert refused.value.field == "timeout"


def test_the_longest_lock_timeout_is_taken() -> None:
    from smskit.errors import StoreError

    # 2,147,483 s is 2**31 - 1 ms rounded down: past the check, the connection is tried.
    with pytest.raises(StoreError, match="cannot connect"):
        PostgresOutbox(NOWHERE, schema="s", lock_timeout=2_147_483)
