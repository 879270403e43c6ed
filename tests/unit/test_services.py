"""The rule for missing services: skip with a how-to, or fail when CI requires them."""

from __future__ import annotations

import pytest

import _services


def test_a_missing_service_skips_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_services.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no server"):
        _services.unavailable("no server")


@pytest.mark.parametrize("value", ["1", "yes"])
def test_a_missing_service_fails_when_services_are_required(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(_services.REQUIRE_ENV, value)
    with pytest.raises(pytest.fail.Exception, match=f"no server.*{_services.REQUIRE_ENV}=1"):
        _services.unavailable("no server")


def test_without_server_or_binaries_the_reason_says_how_to_point_at_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.setenv(_services.DSN_ENV, "postgresql://someone:secret@127.0.0.1:1/x")
    monkeypatch.setattr(_services, "server_bindir", lambda: None)
    found = _services.find_postgres()
    assert isinstance(found, str)
    assert f"set {_services.DSN_ENV}=" in found
    assert "secret" not in found  # the password is never printed
