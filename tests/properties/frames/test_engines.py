"""Polars, DuckDB and Spark adapters: each run for real, each equal to the kernel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _frames import CARD_TOML
from _services import require_module
from smskit.errors import ConfigurationError
from smskit.pricing import RateCard
from strategies import frame_texts

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import measure  # noqa: E402 - needs pyarrow

NUMBERS = st.sampled_from([None, "+12025550143", "+33612345678", "(202) 555-0143", "+4930123"])
COUNTRIES = st.sampled_from([None, "US", "FR", "DE"])


@st.composite
def campaigns(draw: st.DrawFn, places: st.SearchStrategy[str | None]) -> tuple[list[Any], ...]:
    texts = draw(frame_texts)
    return texts, [draw(places) for _ in texts]


def kernel(texts: list[Any], places: list[Any], card: RateCard, **options: Any) -> list[Any]:
    batch = pa.record_batch({"body": pa.array(texts, pa.string()), "place": places})
    return measure(batch, text="body", rates=card, **options).to_pylist()  # type: ignore[no-any-return]


# --- Polars ------------------------------------------------------------------------


@given(campaigns(COUNTRIES))
def test_polars_equals_the_kernel(card: RateCard, campaign: tuple[list[Any], ...]) -> None:
    pl = require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    texts, countries = campaign
    df = pl.DataFrame({"body": texts, "cc": countries}, schema={"body": pl.String, "cc": pl.String})
    out = df.select(sms_columns("body", rates=card, country="cc").alias("sms")).unnest("sms")
    assert out.to_dicts() == kernel(texts, countries, card, country="place")


def test_polars_errors_become_nulls_or_raise(card: RateCard) -> None:
    pl = require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    df = pl.DataFrame({"body": ["ok", "😀" * 9000], "to": ["+12025550143", "+1202"]})
    out = df.select(
        sms_columns("body", rates=card, number="to", on_error="null").alias("s")
    ).unnest("s")
    assert out["segments"].to_list() == [1, None]
    assert out["cost"].to_list() == [Decimal("0.0109"), None]
    assert "255" in out["error"][1]
    with pytest.raises(pl.exceptions.ComputeError, match="RecipientError: recipient 1"):
        df.select(sms_columns("body"))


# --- DuckDB ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def duck(card: RateCard) -> Any:
    """One DuckDB connection with the functions registered (on_error="null")."""
    duckdb = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    con = duckdb.connect()
    register(con, rates=card, on_error="null")
    yield con
    con.close()


@given(campaigns(NUMBERS))
def test_duckdb_sql_equals_the_kernel(
    duck: Any, card: RateCard, campaign: tuple[list[Any], ...]
) -> None:
    texts, numbers = campaign
    con = duck
    table = pa.table(
        {"body": pa.array(texts, pa.string()), "phone": pa.array(numbers, pa.string())}
    )
    con.register("campaign", table)
    rows = con.sql(
        "select sms_encoding(body), sms_segments(body), sms_units(body), sms_country(phone), "
        "sms_cost(body, sms_country(phone)), sms_error(body) from campaign"
    ).fetchall()
    expected = kernel(texts, numbers, card, number="place", on_error="null")
    for row, want in zip(rows, expected, strict=True):
        text_failed = want["error"] is not None and want["segments"] is None and want["country"]
        assert row[:3] == (want["encoding"], want["segments"], want["units"])
        assert row[4] == want["cost"]
        if not text_failed:
            assert row[3] == want["country"]
    assert len(rows) == len(texts)


def test_duckdb_sums_a_campaign_exactly(card: RateCard) -> None:
    duckdb = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    con = duckdb.connect()
    register(con, rates=card)
    con.sql("create table campaign (body varchar, cc varchar)")
    con.sql("insert into campaign values ('Hi', 'US'), ('€€', 'US'), ('Zoë', 'FR'), (NULL, 'US')")
    [(total, segments)] = con.sql(
        "select sum(sms_cost(body, cc)), sum(sms_segments(body)) from campaign"
    ).fetchall()
    assert (total, segments) == (Decimal("0.0109") * 2 + Decimal("0.0712"), 3)
    # The query's argument and the value's place in DuckDB's vector (fix29k).
    with pytest.raises(duckdb.Error, match=r"sms_segments\(\) argument 1 \(the text\).*value 0"):
        con.sql("select sms_segments(repeat('😀', 9000))").fetchall()


def test_duckdb_sms_country_does_not_need_a_price_in_the_cards_currency(
    card: RateCard,
) -> None:
    duckdb = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    # The card prices GB in GBP (not USD): only costing a GB row must refuse that.
    card = RateCard.from_toml(CARD_TOML.replace('[countries."*".international]\n'
                                                'sms_per_segment = "0.05"\n', ""))
    con = duckdb.connect()
    register(con, rates=card)
    # +44 7400 (UK mobile) and +49 30 (Berlin): GB in another currency, DE not on the card.
    rows = con.sql("select sms_country(n) from (values ('+447400123456'), ('+4930123456'), "
                   "('+12025550143')) t(n)").fetchall()
    assert rows == [("GB",), ("DE",), ("US",)]
    with pytest.raises(duckdb.Error, match="GBP"):
        con.sql("select sms_cost('Hi', 'GB')").fetchall()
    con.close()


# --- Spark -------------------------------------------------------------------------

spark_warnings = pytest.mark.filterwarnings(
    # PySpark 4.x warns on every Arrow UDF while pandas 3 is installed; mapInArrow
    # hands batches through without pandas.
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


@spark_warnings
@settings(max_examples=3)  # one Spark job per example: a few suffice next to the kernel's own
@given(st.lists(campaigns(NUMBERS), min_size=2, max_size=6))
def test_spark_equals_the_kernel(
    spark: Any, card: RateCard, parts: list[tuple[list[Any], ...]]
) -> None:
    from smskit.frames.spark import with_sms_columns

    texts = [t for part in parts for t in part[0]]
    numbers = [n for part in parts for n in part[1]]
    df = spark.createDataFrame(list(zip(texts, numbers, strict=True)), "body string, place string")
    out = with_sms_columns(df, text="body", rates=card, number="place", on_error="null")
    got = [row.asDict() for row in out.collect()]
    expected = kernel(texts, numbers, card, number="place", on_error="null")
    for row, want in zip(got, expected, strict=True):
        assert {k: row[k] for k in want} == want
    assert len(got) == len(texts)


@spark_warnings
def test_spark_costs_a_campaign_and_names_bad_rows(spark: Any, card: RateCard) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.createDataFrame(
        [("Hi", "+12025550143"), ("Zoë", "+33612345678"), (None, "+12025550143")],
        "body string, phone string",
    )
    out = with_sms_columns(df, text="body", rates=card, number="phone")
    total = out.groupBy().sum("cost").collect()[0][0]
    assert total == Decimal("0.0109") + Decimal("0.0712")
    with pytest.raises(ConfigurationError, match="no column 'text'"):
        with_sms_columns(df, text="text")
    bad = spark.createDataFrame([("ok",), ("😀" * 9000,)], "body string")
    with pytest.raises(Exception, match="recipient 1"):
        with_sms_columns(bad, text="body").collect()

