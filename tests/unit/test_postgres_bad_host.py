"""A host name DNS cannot hold, in a PostgreSQL address, is a StoreError (rev27m).

psycopg resolves each host before connecting; a label that is empty ("db..internal", a
doubled dot) or longer than 63 characters fails Python's IDNA encoding with a
``UnicodeError``, which the stores let through: the API raised a non-smskit error, and
``smskit check --database`` and ``smskit ledger ... --database`` printed a traceback
instead of one line. No server is needed: the name is refused before any lookup.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.cli.test_cli import EXAMPLES, run

from _services import require_module
from smskit.consent.postgres import PostgresConsentStore
from smskit.errors import StoreError
from smskit.messenger import PostgresOutbox
from smskit.timing.postgres import PostgresSendHistory

require_module("psycopg", "postgres")

BAD_HOSTS = ["db..internal", "a" * 64 + ".example"]


@pytest.mark.parametrize("host", BAD_HOSTS, ids=["empty label", "long label"])
@pytest.mark.parametrize("store", [PostgresConsentStore, PostgresOutbox, PostgresSendHistory],
                         ids=lambda s: s.__name__)
def test_a_host_name_dns_cannot_hold_is_a_store_error(store: Any, host: str) -> None:
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as raised:
        store(f"postgresql://app:s3cret@{host}/crm")
    assert "host name" in str(raised.value)
    assert "s3cret" not in str(raised.value)


def test_a_lone_surrogate_in_the_address_is_a_store_error() -> None:
    """What a command line gives for bytes it could not decode."""
    with pytest.raises(StoreError, match="not text") as raised:
        PostgresSendHistory("postgresql://app:s3cret@db\udcff.internal/crm")
    assert "s3cret" not in str(raised.value)


@pytest.mark.parametrize("command", ["check", "ledger"])
def test_the_cli_says_so_in_one_line(command: str) -> None:
    dsn = "postgresql://app:s3cret@db..internal/crm"
    if command == "check":
        result = run("check", "+12125550123", "--at", "2026-03-03T17:00:00+00:00", "--sender",
                     str(EXAMPLES / "sender.toml"), "--body", "hi", "--database", dsn)
    else:
        result = run("ledger", "verify", "--database", dsn)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr  # one line, not a traceback
    assert "host name" in result.stderr
    assert "s3cret" not in result.stderr
