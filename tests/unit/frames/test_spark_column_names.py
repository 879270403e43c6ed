"""Spark column names as real tables have them: any case, dots, duplicates (user39).

Spark resolves names case-insensitively by default, so a ``Country`` column beside
the added ``country`` made every later ``groupBy("country")`` ambiguous; and
``mapInArrow`` looks each column up by name, so a dotted name (``utm.source``) or a
name a join left twice failed with ``AnalysisException`` inside ``with_sms_columns``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from smskit.errors import ConfigurationError
from smskit.pricing import RateCard

spark_warnings = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


@spark_warnings
def test_a_column_differing_only_in_case_from_an_added_one_is_refused(
    spark: Any, card: RateCard
) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.createDataFrame([("Hi", "US")], "body string, Country string")
    with pytest.raises(ConfigurationError, match="Country") as raised:
        with_sms_columns(df, text="body", rates=card, country="Country")
    assert raised.value.field == "Country"


@spark_warnings
def test_dotted_and_repeated_column_names_pass_through(spark: Any, card: RateCard) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.sql("select 'Hi' as `msg.body`, '+12025550143' as phone, 1 as x, 2 as x")
    out = with_sms_columns(df, text="msg.body", rates=card, number="phone")
    assert out.columns == [
        "msg.body", "phone", "x", "x", "encoding", "segments", "units", "country", "cost"
    ]
    # 2 GSM-7 units, one segment, US at 0.0079 + 0.003 (tests/_frames.py)
    assert tuple(out.collect()[0]) == (
        "Hi", "+12025550143", 1, 2, "gsm7", 1, 2, "US", Decimal("0.0109")
    )


@spark_warnings
def test_a_repeated_column_asked_for_is_refused_not_guessed(spark: Any, card: RateCard) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.sql("select 'Hi' as body, '+12025550143' as phone, '+33612345678' as phone")
    with pytest.raises(ConfigurationError, match="2 columns named 'phone'") as raised:
        with_sms_columns(df, text="body", rates=card, number="phone")
    assert raised.value.field == "phone"


@spark_warnings
def test_a_bad_row_names_the_column_as_the_frame_does(spark: Any, card: RateCard) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.sql("select 'Hi' as `msg.body`, '+1202' as phone")
    with pytest.raises(Exception, match="field 'phone'"):
        with_sms_columns(df, text="msg.body", rates=card, number="phone").collect()


@spark_warnings
def test_a_text_column_of_nulls_only_is_no_message_as_in_the_kernel(
    spark: Any, card: RateCard
) -> None:
    # Spark types `select NULL as body` as void; the kernel and Polars read such a
    # column as "no message" on every row, the Spark adapter refused it.
    from smskit.frames.spark import with_sms_columns

    df = spark.sql("select NULL as body, '+12025550143' as phone")
    out = with_sms_columns(df, text="body", rates=card, number="phone")
    assert tuple(out.collect()[0]) == (None, "+12025550143", None, None, None, "US", None)


@spark_warnings
def test_a_column_arrow_cannot_carry_is_named_on_the_driver(spark: Any, card: RateCard) -> None:
    # Every column passes through Arrow (mapInArrow); PySpark refused an interval
    # column with "Invalid return type in mapInPandas: StructType([...])", not its name.
    from smskit.frames.spark import with_sms_columns

    df = spark.sql("select 'Hi' as body, '+12025550143' as phone, interval '3' year as wait")
    with pytest.raises(ConfigurationError, match="'wait'") as raised:
        with_sms_columns(df, text="body", rates=card, number="phone")
    assert raised.value.field == "wait"


@spark_warnings
def test_with_case_sensitive_names_a_column_in_another_case_passes(
    spark: Any, card: RateCard
) -> None:
    # review: the refusal above holds only while Spark folds case (its default); with
    # spark.sql.caseSensitive=true "Country" and "country" are two names.
    from smskit.frames.spark import with_sms_columns

    spark.conf.set("spark.sql.caseSensitive", "true")
    try:
        df = spark.createDataFrame([("Hi", "US")], "body string, Country string")
        out = with_sms_columns(df, text="body", rates=card, country="Country")
        assert out.columns == [
            "body", "Country", "encoding", "segments", "units", "country", "cost"
        ]
        assert [tuple(row) for row in out.groupBy("country").count().collect()] == [("US", 1)]
    finally:
        spark.conf.unset("spark.sql.caseSensitive")


@spark_warnings
def test_a_struct_with_a_field_named_twice_is_named_on_the_driver(
    spark: Any, card: RateCard
) -> None:
    # review: Arrow cannot carry a struct whose field is named twice either; the job
    # failed on its workers with DUPLICATED_FIELD_NAME_IN_ARROW_STRUCT once it ran.
    from smskit.frames.spark import with_sms_columns

    df = spark.sql("select 'Hi' as body, named_struct('a', 1, 'a', 2) as utm")
    with pytest.raises(ConfigurationError, match="'utm'") as raised:
        with_sms_columns(df, text="body")
    assert raised.value.field == "utm"
