"""The rule for missing services: skip with a how-to, or fail when CI requires them."""

from __future__ import annotations

import pytest

import _services
from _services import REQUIRE_ENV, require_module, require_service


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


def test_missing_service_skips_with_how_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="install Java"):
        require_service("Java", False, "install Java 17")
    require_service("Java", True, "install Java 17")  # available: nothing happens


def test_missing_service_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="SMSKIT_REQUIRE_SERVICES=1"):
        require_service("Java", False, "install Java 17")


def test_missing_extra_skips_or_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"smskit-compliance\[nothing\]"):
        require_module("smskit_no_such_module", "nothing")
    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=r"smskit-compliance\[nothing\]"):
        require_module("smskit_no_such_module", "nothing")
