"""Packaging: declared floors, the lowest-versions constraints, and imports on bare machines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lowest(*extras: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "lowest_constraints.py"), *extras],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_every_runtime_dependency_and_extra_declares_a_floor() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [e for e in project["optional-dependencies"] if e != "test"]
    pins = _lowest(*extras)
    names = {pin.split("==")[0] for pin in pins}
    assert {"phonenumbers", "regex", "tzdata"} <= names
    assert all("==" in pin and pin.split("==")[1][0].isdigit() for pin in pins)


def test_distribution_name_is_not_the_unrelated_pypi_smskit() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "smskit-compliance"


def test_no_page_tells_users_to_install_the_unrelated_pypi_smskit() -> None:
    # "pip install 'smskit[twilio]'" (docs/providers.md) installs the unrelated 2016
    # package named smskit, extras ignored: every install line must name our distribution.
    pattern = re.compile(r"pip install\s+['\"]?smskit(?![-\w])")
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    wrong = [
        f"{page.name}:{number}"
        for page in pages
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "code",
    [
        "import smskit; print(smskit.count_segments('hi'))",
        "from smskit.cli import main; main(['count', 'hi'])",
    ],
)
def test_works_without_a_system_time_zone_database(code: str) -> None:
    # Slim containers have no /usr/share/zoneinfo: tzdata (a dependency) must serve instead.
    env = {**os.environ, "PYTHONTZPATH": "/nonexistent"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_a_missing_zone_database_is_named_as_such(monkeypatch: pytest.MonkeyPatch) -> None:
    from smskit.errors import ConfigurationError
    from smskit.timing import quiet_rules

    monkeypatch.setattr(quiet_rules, "available_timezones", set)
    monkeypatch.setattr(quiet_rules, "_DATABASE_FOUND", False)  # seen by an earlier test
    with pytest.raises(ConfigurationError, match="no time-zone database"):
        quiet_rules.load_zone("Nowhere/Atlantis")


def test_counting_segments_loads_only_what_counting_needs() -> None:
    # import smskit is lazy: counting must not pay for the rule tables, the engine,
    # the providers or phonenumbers.
    code = (
        "import sys, smskit; smskit.count_segments('hi'); "
        "print(sorted(m for m in sys.modules if m.startswith(('smskit.', 'phonenumbers'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout
    for heavy in ("smskit.timing", "smskit.consent", "smskit.policy", "smskit.providers",
                  "smskit.messenger", "smskit.pricing", "phonenumbers"):
        assert f"'{heavy}" not in loaded, loaded
    assert "'smskit.segments.segmentation'" in loaded
