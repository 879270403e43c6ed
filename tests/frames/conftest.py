"""Fixtures shared by the data-frame tests: the rate card and one Spark session."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from _services import java_available, require_module, require_service
from smskit.pricing import RateCard

# Prices chosen so that every sum is exact and easy to check by hand.
CARD_TOML = """
currency = "USD"
name = "frames test card"

[countries.US.10dlc]
sms_per_segment = "0.0079"
sms_carrier_fee_per_segment = "0.003"
mms_per_message = "0.02"

[countries.FR.international]
sms_per_segment = "0.0712"

[countries.GB]
currency = "GBP"
[countries.GB.international]
sms_per_segment = "0.04"

[countries."*".international]
sms_per_segment = "0.05"
"""

#: Price plus carrier fee of one SMS segment per destination, from CARD_TOML above.
SEGMENT_PRICE = {"US": "0.0109", "FR": "0.0712", "DE": "0.05"}


@pytest.fixture(scope="session")
def card() -> RateCard:
    return RateCard.from_toml(CARD_TOML)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session for the whole test run (starting one takes seconds)."""
    require_module("pyspark", "spark")
    require_service(
        "a Java runtime (for PySpark)",
        java_available(),
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
