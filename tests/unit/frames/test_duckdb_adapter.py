"""The DuckDB adapter: registering again replaces the functions."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from _services import require_module
from smskit.pricing import RateCard

duckdb: Any = require_module("duckdb", "duckdb")
require_module("pyarrow", "arrow")
from smskit.frames.duckdb import register  # noqa: E402 - needs duckdb


def test_registering_again_replaces_the_functions(card: RateCard) -> None:
    con = duckdb.connect()
    register(con)  # a notebook: first without a card, then with one, then once more
    register(con, rates=card, on_error="null")
    register(con, rates=card, on_error="null")
    query = "select sms_segments(b), sms_cost(b, 'US') from (values (repeat('x', 40000))) t(b)"
    assert con.sql(query).fetchall() == [(None, None)]  # null: the new on_error applies
    assert con.sql("select sms_cost('hi', 'US')").fetchall() == [(Decimal("0.0109"),)]


def test_an_error_says_its_row_counts_in_the_vector_not_the_table(card: RateCard) -> None:
    # user32: row 3,000 of the table was reported as "recipient 952" (its index in the
    # second 2,048-value vector), and row 952 of the table held a good number.
    con = duckdb.connect()
    register(con, rates=card)
    con.sql("create table t as select i, '+12025550143' as phone from range(5000) r(i)")
    con.sql("update t set phone = '+1 202 555 01' where i = 3000")
    try:
        con.sql("select sms_country(phone) from t order by i").fetchall()
    except duckdb.InvalidInputException as exc:
        message = str(exc)
    else:
        raise AssertionError("the bad number did not fail the query")
    assert "too short" in message
    found = re.search(r"in sms_country\(\): value (\d+) of the ([\d,]+) DuckDB passed at once, "
                      r"not row (\d+) of the table", message)
    assert found, message
    row, size = int(found[1]), int(found[2].replace(",", ""))
    assert row == int(found[3])
    assert row < size < 3000  # 952 of 2,048 with DuckDB 2.0
    assert (3000 - row) % size == 0
    assert "on_error='null'" in message
    assert "2025550143" not in message
    assert "202 555 01" not in message
    # fix29k: the query's argument, not the kernel's field name nor "recipient N".
    assert "sms_country() argument 1 (the phone number): phone number" in message
    assert "field 'number'" not in message
    assert "recipient" not in message


def test_an_error_names_the_argument_of_the_function_the_query_called(card: RateCard) -> None:
    con = duckdb.connect()
    register(con, rates=card)
    try:
        con.sql("select sms_cost(b, 'ZZ') from (values ('hi')) t(b)").fetchall()
    except duckdb.InvalidInputException as exc:
        message = str(exc)
    else:
        raise AssertionError("an unknown country did not fail the query")
    assert "sms_cost() argument 2 (the country): country 'ZZ' is not" in message
    assert "field 'country'" not in message


def test_a_phone_number_passed_as_the_country_is_masked(card: RateCard) -> None:
    # rev29k: the arguments swapped, sms_cost(text, phone); the first 12 characters of
    # the country shown were a whole +1 number.
    con = duckdb.connect()
    register(con, rates=card)
    try:
        con.sql("select sms_cost('hi', '+14155550123')").fetchall()
    except duckdb.InvalidInputException as exc:
        message = str(exc)
    else:
        raise AssertionError("a number as the country did not fail the query")
    assert "sms_cost() argument 2 (the country): country '+1********23'" in message
    assert "4155550123" not in message
    assert "415555" not in message
    with pytest.raises(duckdb.InvalidInputException) as named:
        con.sql("select sms_cost('hi', 'Maria Lopez')").fetchall()
    assert "country 'Ma'… (11 characters) is not" in str(named.value)
    assert "Lopez" not in str(named.value)
    with pytest.raises(duckdb.InvalidInputException, match="country 'USA' is not"):
        con.sql("select sms_cost('hi', 'USA')").fetchall()


def test_a_card_error_names_the_argument_and_counts_its_row_in_the_vector(
    card: RateCard,
) -> None:
    # user39: "(first at row 952, column 'country')": the kernel's field, and a row of
    # DuckDB's vector read as a row of the table.
    con = duckdb.connect()
    register(con, rates=card)
    try:
        con.sql("select sms_cost(b, 'GB') from (values ('hi')) t(b)").fetchall()
    except duckdb.InvalidInputException as exc:
        message = str(exc)
    else:
        raise AssertionError("a country priced in GBP did not fail a USD card's query")
    assert "sms_cost() argument 2 (the country): GB is priced in GBP" in message
    assert "value 0 of the 1 DuckDB passed at once, not row 0 of the table" in message
    assert "column 'country'" not in message


def test_a_number_without_a_country_says_why_in_sql(card: RateCard) -> None:
    # user39: with on_error="null" sms_country gave NULL and nothing in SQL said why
    # (sms_error reads texts only); Polars and Spark give an 'error' column.
    con = duckdb.connect()
    register(con, rates=card, on_error="null")
    rows = con.sql("select sms_country(p), sms_country_error(p) "
                   "from (values ('+1202'), ('+12025550143'), (NULL)) t(p)").fetchall()
    assert [country for country, _ in rows] == [None, "US", None]
    assert [error for _, error in rows[1:]] == [None, None]
    assert "too short" in rows[0][1]
    assert "+1202" not in rows[0][1]
