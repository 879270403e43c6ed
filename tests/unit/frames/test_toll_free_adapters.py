"""Polars, DuckDB and Spark take ``toll_free_country`` as Arrow and ``estimate`` do (fix27m).

A +1 toll-free number (800, 833, ... 888) is shared by the US and Canada. ``estimate``,
``Messenger.usage`` and ``frames.arrow.measure`` took ``toll_free_country=`` to price
such numbers in the country the caller knows; the Polars, DuckDB and Spark adapters did
not, so a Canadian toll-free campaign costed on them was priced at the US rate. Each
adapter's country and cost per row are compared with ``estimate``'s on the same rows.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from _services import require_module
from smskit.errors import ConfigurationError
from smskit.pricing import RateCard, estimate

require_module("pyarrow", "arrow")

CARD = RateCard.from_toml("""
name = "toll-free adapters"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
""")
TEXT = "Acme: your order has shipped"
# Toll-free with +1, in brackets, and without +1 (read by region); a New York and a
# Toronto number, which no toll_free_country changes.
NUMBERS = ["+18005550100", "+1 (888) 555-0106", "(833) 555-0101", "+12125550123",
           "+14165550199"]
STATED = [None, "CA", "us"]
REGIONS = ["US", "CA"]


def _core(toll_free_country: str | None, region: str) -> list[tuple[str, Decimal]]:
    found = estimate(TEXT, rates=CARD, recipients=[{"number": n} for n in NUMBERS],
                     toll_free_country=toll_free_country, region=region)
    return [(item.country, item.cost) for item in found.items]


def test_the_core_answers_differ_by_the_stated_country() -> None:
    """The comparisons below mean something: the stated country changes the answer
    (worked out by hand from the card: US 0.01, CA 0.02 a segment)."""
    assert _core(None, "US") == [("US", Decimal("0.0100"))] * 4 + [("CA", Decimal("0.0200"))]
    assert _core("CA", "US") == [("CA", Decimal("0.0200"))] * 3 + [
        ("US", Decimal("0.0100")), ("CA", Decimal("0.0200"))]
    assert [c for c, _ in _core(None, "CA")] == ["US", "US", "CA", "US", "CA"]


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("stated", STATED)
def test_polars_prices_toll_free_numbers_as_estimate_does(stated: str | None, region: str) -> None:
    pl: Any = require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    df = pl.DataFrame({"body": [TEXT] * len(NUMBERS), "to": NUMBERS})
    out = df.select(sms_columns("body", rates=CARD, number="to", region=region,
                                toll_free_country=stated).alias("s")).unnest("s")
    assert list(zip(out["country"].to_list(), out["cost"].to_list(), strict=True)) == _core(
        stated, region)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("stated", STATED)
def test_duckdb_prices_toll_free_numbers_as_estimate_does(stated: str | None, region: str) -> None:
    duckdb: Any = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    con = duckdb.connect()
    register(con, rates=CARD, region=region, toll_free_country=stated)
    con.execute("create table t (i integer, b varchar, n varchar)")
    con.executemany("insert into t values (?, ?, ?)",
                    [(i, TEXT, n) for i, n in enumerate(NUMBERS)])
    rows = con.sql("select sms_country(n), sms_cost(b, sms_country(n)) from t order by i")
    assert rows.fetchall() == _core(stated, region)


@pytest.mark.filterwarnings(
    # PySpark 4.x warns on every Arrow UDF while pandas 3 is installed; mapInArrow
    # hands batches through without pandas.
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)
def test_spark_prices_toll_free_numbers_as_estimate_does(spark: Any) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.createDataFrame([(i, TEXT, n) for i, n in enumerate(NUMBERS)],
                               "i int, body string, phone string")
    for stated in (None, "CA"):
        out = with_sms_columns(df, text="body", rates=CARD, number="phone",
                               toll_free_country=stated).orderBy("i").collect()
        assert [(row["country"], row["cost"]) for row in out] == _core(stated, "US")


def test_every_adapter_refuses_a_country_outside_the_plus_one_countries_at_once() -> None:
    """"CN" (a slip for Canada) would price a North American number at China's rate."""
    refused = []
    if _has("polars"):
        from smskit.frames.polars import sms_columns

        with pytest.raises(ConfigurationError) as raised:
            sms_columns("body", rates=CARD, number="to", toll_free_country="CN")
        refused.append(raised.value.field)
    if _has("duckdb"):
        import duckdb

        from smskit.frames.duckdb import register

        with pytest.raises(ConfigurationError) as raised:
            register(duckdb.connect(), rates=CARD, toll_free_country="CN")
        refused.append(raised.value.field)
    if _has("pyspark"):
        from smskit.frames.spark import with_sms_columns

        df = SimpleNamespace(columns=["body", "to"])  # refused before any Spark call
        with pytest.raises(ConfigurationError) as raised:
            with_sms_columns(df, text="body", rates=CARD, number="to", toll_free_country="CN")
        refused.append(raised.value.field)
    assert refused  # at least one engine is installed here
    assert set(refused) == {"toll_free_country"}


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True
