"""Test configuration: hypothesis profiles, and the PostgreSQL server fixtures.

``ci`` (the default) is bounded so the whole suite stays within CI's budget on two
cores; ``thorough`` is for a run by hand: ``HYPOTHESIS_PROFILE=thorough pytest``.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Generator, Iterator
from importlib.metadata import version

import pytest
from hypothesis import HealthCheck, settings

import _services

settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failing test marked ``upstream_data`` says which upstream data it was written for.

    Such a test's expected values come from a package's data (phonenumbers' metadata,
    regex's Unicode tables): when that package changes its data, the test fails, and the
    report says the data moved rather than leaving a bare mismatch.
    """
    report = yield
    marker = item.get_closest_marker("upstream_data")
    if marker is not None and report.failed:
        package, written_for = marker.args
        installed = version(package)
        change = "the same version" if installed == written_for else f"{package} {installed}"
        report.sections.append(
            (
                "upstream data",
                f"This test's expected values come from {package} {written_for}'s data; "
                f"installed: {change}. If the data changed, check the new values against "
                "their source, then update the test and the version in its marker.",
            )
        )
    return report


# -- PostgreSQL (see tests/_services.py) -------------------------------------

_postgres_used: list[str] = []
_schema_prefix = f"smskit_t{os.getpid()}_{secrets.token_hex(3)}"
_schema_numbers = itertools.count(1)


def pytest_report_header(config: pytest.Config) -> str:
    return _services.describe_postgres()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _postgres_used:
        terminalreporter.write_line(f"PostgreSQL tests ran against: {_postgres_used[0]}")


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """The DSN of a real PostgreSQL server (external, or a throwaway cluster)."""
    found = _services.find_postgres()
    if isinstance(found, str):
        _services.unavailable(found)
    _postgres_used.append(found.description)
    try:
        yield found.dsn
    finally:
        found.stop()


@pytest.fixture
def pg_schema(postgres_dsn: str) -> Iterator[str]:
    """A schema name unique to this test (and this run), dropped after the test."""
    import psycopg

    name = f"{_schema_prefix}_{next(_schema_numbers)}"
    try:
        yield name
    finally:
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
