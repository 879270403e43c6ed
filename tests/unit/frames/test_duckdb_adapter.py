"""The DuckDB adapter: registering again replaces the functions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
