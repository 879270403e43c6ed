"""A mistyped option is a ConfigurationError naming it, raised when the query is built."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from _services import require_module
from smskit.errors import ConfigurationError
from smskit.pricing import RateCard

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import measure  # noqa: E402 - needs pyarrow

# region: "UK" is not a region code (GB is); user39: it was found on every row without
# "+" once the job ran (a Spark job over a million rows nulled or failed them there).
BAD = [("route", "pigeon"), ("direction", "sideways"), ("kind", "fax"), ("on_error", "skip"),
       ("region", "UK")]


@pytest.mark.parametrize(("field", "value"), BAD)
def test_measure_names_the_bad_option(card: RateCard, field: str, value: str) -> None:
    batch = pa.record_batch({"body": ["a"], "cc": ["US"]})
    with pytest.raises(ConfigurationError, match=repr(value)) as raised:
        measure(batch, text="body", rates=card, country="cc", **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(("field", "value"), BAD)
def test_polars_refuses_a_bad_option_before_the_query_runs(
    card: RateCard, field: str, value: str
) -> None:
    require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    with pytest.raises(ConfigurationError) as raised:
        sms_columns("body", rates=card, country="cc", **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(("field", "value"), BAD)
def test_duckdb_refuses_a_bad_option_at_register(card: RateCard, field: str, value: str) -> None:
    duckdb = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    with pytest.raises(ConfigurationError) as raised:
        register(duckdb.connect(), rates=card, **{field: value})
    assert raised.value.field == field


@pytest.mark.parametrize(("field", "value"), BAD)
def test_spark_refuses_a_bad_option_on_the_driver(card: RateCard, field: str, value: str) -> None:
    require_module("pyspark", "spark")
    from smskit.frames.spark import with_sms_columns

    df = SimpleNamespace(columns=["body", "cc"])  # checked before any Spark call is made
    with pytest.raises(ConfigurationError) as raised:
        with_sms_columns(df, text="body", rates=card, country="cc", **{field: value})
    assert raised.value.field == field


def test_a_country_or_number_column_without_a_card_is_refused_not_ignored() -> None:
    batch = pa.record_batch({"body": ["a"], "cc": ["US"]})
    for column in ({"country": "cc"}, {"number": "cc"}):
        with pytest.raises(ConfigurationError, match="needs rates=") as raised:
            measure(batch, text="body", **column)
        assert raised.value.field == "rates"
    require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    with pytest.raises(ConfigurationError, match="needs rates="):
        sms_columns("body", number="phone")


def test_spark_refuses_a_text_column_that_is_not_strings_on_the_driver() -> None:
    require_module("pyspark", "spark")
    from pyspark.sql import types

    from smskit.frames.spark import with_sms_columns

    schema = types.StructType([types.StructField("body", types.LongType())])
    df = SimpleNamespace(columns=["body"], schema=schema)  # no Spark job is started
    with pytest.raises(ConfigurationError, match="'body' holds bigint") as raised:
        with_sms_columns(df, text="body")
    assert raised.value.field == "body"
