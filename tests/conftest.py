"""Test configuration: hypothesis profiles.

``ci`` (the default) is bounded so the whole suite stays within CI's budget on two
cores; ``thorough`` is for a run by hand: ``HYPOTHESIS_PROFILE=thorough pytest``.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from importlib.metadata import version

import pytest
from hypothesis import HealthCheck, settings

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
