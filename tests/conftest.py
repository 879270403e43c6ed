"""Test configuration: hypothesis profiles, and the PostgreSQL server fixtures.

``ci`` (the default) is bounded so the whole suite stays within CI's budget on two
cores; ``thorough`` is for a run by hand: ``HYPOTHESIS_PROFILE=thorough pytest``.
"""

from __future__ import annotations

import itertools
import os
import secrets
import sys
from collections.abc import Generator, Iterator
from importlib.metadata import version
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import _services
from _frames import CARD_TOML
from smskit.pricing import RateCard

# ci: 50 examples a test, what README's test command and CI's first job run. Three jobs
# run the suite on a shared 2-core machine within .ci/run's 15 minutes; the property files
# grew past what 200, then 100 (933 s on 5 December 2026) allowed. Run the thorough profile
# by hand after changing a fast path.
settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# compat: CI's second and third jobs (the newest CPython; every dependency at its floor)
# ask whether the code runs there, not whether the properties hold: job 1 asks that.
settings.register_profile(
    "compat", max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow]
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


# --- data-frame engines (tests/*/frames): one rate card, one Spark session per run ---


@pytest.fixture(scope="session")
def card() -> RateCard:
    return RateCard.from_toml(CARD_TOML)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole test run (starting one takes seconds)."""
    _services.require_module("pyspark", "spark")
    _services.require_service(
        "a Java runtime (for PySpark)",
        _services.java_available(),
        "install Java 17 or newer and put `java` on PATH or set JAVA_HOME",
    )
    from pyspark.sql import SparkSession

    # Workers must import this smskit: run them on this interpreter.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[1]")
        .appName("smskit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "7")  # several batches
        .config("spark.driver.memory", "512m")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
