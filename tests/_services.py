"""Skip or fail a test that needs something outside Python: a server, a runtime, an extra.

On a laptop without it, the test skips and says how to provide it. CI sets
``SMSKIT_REQUIRE_SERVICES=1``, which turns every such skip into a failure, so CI never
passes by skipping what it was meant to run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from smskit.errors import install_hint

REQUIRE_ENV = "SMSKIT_REQUIRE_SERVICES"


def services_required() -> bool:
    """Whether a missing service fails the test instead of skipping it."""
    return os.environ.get(REQUIRE_ENV, "") == "1"


def require_service(name: str, available: bool, how_to: str) -> None:
    """Skip (or, under ``SMSKIT_REQUIRE_SERVICES=1``, fail) unless ``available``."""
    if available:
        return
    message = f"{name} is not available: {how_to}"
    if services_required():
        pytest.fail(f"{message} ({REQUIRE_ENV}=1 makes this a failure)", pytrace=False)
    pytest.skip(message)


def require_module(module: str, extra: str) -> ModuleType:
    """``pytest.importorskip`` that fails instead under ``SMSKIT_REQUIRE_SERVICES=1``."""
    how_to = install_hint(extra)
    if not services_required():
        return pytest.importorskip(module, reason=f"{module} is not installed: {how_to}")
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        require_service(module, False, how_to)
        raise  # unreachable: require_service failed the test


def java_available() -> bool:
    """A Java runtime on PATH or under JAVA_HOME (what PySpark starts)."""
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None
