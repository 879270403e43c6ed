"""The countries priced by the card's "*" rate, from Polars, DuckDB and Spark (user39).

``measure`` names them in its batches' schema metadata (``PRICED_BY_DEFAULT``), which
the engines drop: a card that forgot Canada priced Toronto at the "*" rate there
without a word. ``countries_priced_by_default`` reads them from the ``country`` column
the adapters give, so every engine says what ``estimate`` says.

Card (tests/_frames.py): US 10DLC, FR and GB (GBP) international, "*" international.
So CA and DE are priced by "*"; JP too, but its only row has no text, so no cost.
"""

from __future__ import annotations

from typing import Any

import pytest

from _services import require_module
from smskit.errors import ConfigurationError
from smskit.pricing import RateCard, estimate

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import (  # noqa: E402 - needs pyarrow
    PRICED_BY_DEFAULT,
    countries_priced_by_default,
    measure,
)

TEXTS = ["Hi", "Hi", "Hi", None, "Hi"]
NUMBERS = ["+12025550143", "+14165550199", "+4930123456", "+81312345678", "+33612345678"]
EXPECTED = ("CA", "DE")


def test_the_kernel_and_estimate_agree_with_the_function(card: RateCard) -> None:
    batch = pa.record_batch({"body": TEXTS, "phone": NUMBERS})
    out = measure(batch, text="body", rates=card, number="phone")
    assert out.schema.metadata[PRICED_BY_DEFAULT] == b"CA,DE"
    recipients = [{"number": n} for t, n in zip(TEXTS, NUMBERS, strict=True) if t]
    assert estimate("Hi", rates=card, recipients=recipients).priced_by_default == EXPECTED
    priced = out.filter(out.column("cost").is_valid()).column("country")
    assert countries_priced_by_default(card, priced) == EXPECTED


def test_polars(card: RateCard) -> None:
    pl = require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    df = pl.DataFrame({"body": TEXTS, "phone": NUMBERS})
    out = df.select(sms_columns("body", rates=card, number="phone").alias("s")).unnest("s")
    countries = out.filter(pl.col("cost").is_not_null())["country"].unique()
    assert countries_priced_by_default(card, countries) == EXPECTED


def test_duckdb(card: RateCard) -> None:
    duckdb = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    con = duckdb.connect()
    register(con, rates=card)
    campaign = pa.table({"body": TEXTS, "phone": NUMBERS})  # noqa: F841 - DuckDB reads it
    rows = con.sql("select distinct sms_country(phone) from campaign "
                   "where sms_cost(body, sms_country(phone)) is not null").fetchall()
    assert countries_priced_by_default(card, [country for (country,) in rows]) == EXPECTED
    assert countries_priced_by_default(card, rows) == EXPECTED  # fetchall()'s 1-tuples


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark(spark: Any, card: RateCard) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.createDataFrame(list(zip(TEXTS, NUMBERS, strict=True)), "body string, phone string")
    out = with_sms_columns(df, text="body", rates=card, number="phone")
    rows = out.where("cost is not null").select("country").distinct().collect()
    assert countries_priced_by_default(card, [row.country for row in rows]) == EXPECTED
    assert countries_priced_by_default(card, rows) == EXPECTED  # collect()'s Rows


def test_the_route_counts_and_nulls_are_skipped(card: RateCard) -> None:
    # On the toll-free route the US has no table of its own: "*" prices it too.
    assert countries_priced_by_default(card, ["US", None, "US"], route="toll_free") == ("US",)
    assert countries_priced_by_default(card, []) == ()


def test_a_value_that_is_not_a_country_code_is_refused(card: RateCard) -> None:
    with pytest.raises(ConfigurationError, match="'USA'"):
        countries_priced_by_default(card, ["US", "USA"])
    with pytest.raises(ConfigurationError, match="route"):
        countries_priced_by_default(card, ["US"], route="tollfree")


def test_a_pandas_null_is_skipped_as_none_is(card: RateCard) -> None:
    # review: DuckDB's .df() and Spark's toPandas() give a missing country as NaN
    # (pandas >= 3 strings) or pd.NA; the docstring says nulls are skipped, but
    # "country 'nan' is not an ISO 3166-1 alpha-2 code" was raised.
    pd = require_module("pandas", "pandas")
    assert countries_priced_by_default(card, pd.Series(["CA", None, "US"])) == ("CA",)
    assert countries_priced_by_default(card, pd.Series(["CA", pd.NA], dtype="string")) == ("CA",)
    assert countries_priced_by_default(card, ["CA", float("nan")]) == ("CA",)


def test_a_whole_frame_or_one_string_is_refused_saying_what_to_pass(card: RateCard) -> None:
    # review: a frame (Arrow table, Polars/pandas DataFrame, DuckDB relation) was a
    # TypeError ("unhashable type"), and "CA" was read letter by letter ("country 'C'").
    with pytest.raises(ConfigurationError, match="pass its 'country' column") as raised:
        countries_priced_by_default(card, pa.table({"country": ["CA"]}))
    assert raised.value.field == "countries"
    pl = require_module("polars", "polars")
    with pytest.raises(ConfigurationError, match="pass its 'country' column"):
        countries_priced_by_default(card, pl.DataFrame({"country": ["CA"]}))
    with pytest.raises(ConfigurationError, match="one string"):
        countries_priced_by_default(card, "CA")


def test_the_countries_given_back_are_plain_strings(card: RateCard) -> None:
    # review: NumPy's str_ came back as it was given (np.str_('CA') in the tuple's repr).
    np = require_module("numpy", "numpy")
    found = countries_priced_by_default(card, np.array(["CA", "US"]))
    assert found == ("CA",)
    assert type(found[0]) is str


def test_a_country_is_read_as_the_kernel_reads_a_country_column(card: RateCard) -> None:
    # review: measure(country=...) prices " ca" as CA; this function refused it
    # ("country 'ca' is not an ISO 3166-1 alpha-2 code"), a CRM column of the user's.
    assert countries_priced_by_default(card, ["ca", " CA ", "us"]) == ("CA",)
