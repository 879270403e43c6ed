"""tests/_services.py: a missing service skips, or fails under SMSKIT_REQUIRE_SERVICES=1."""

from __future__ import annotations

import pytest

from _services import REQUIRE_ENV, require_module, require_service


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
