"""DuckDB adapter: the Arrow kernel as SQL functions on a connection.

>>> import duckdb
>>> from smskit.frames.duckdb import register
>>> con = duckdb.connect()
>>> register(con)
>>> con.sql("select sms_segments(b), sms_encoding(b) from (values ('Zoë ☃'), (NULL)) t(b)"
...         ).fetchall()
[(1, 'ucs2'), (None, None)]

:func:`register` adds, for ``VARCHAR`` arguments:

- ``sms_encoding(body)``, ``sms_segments(body)``, ``sms_units(body)``;
- ``sms_error(body)``: why a row cannot be measured, else ``NULL``;
- with a rate card: ``sms_country(number)`` (ISO 3166-1 alpha-2 from a phone
  number; a +1 toll-free number by ``toll_free_country``), ``sms_country_error(number)``
  (why a number has no country, else ``NULL``) and ``sms_cost(body, country)`` as
  ``DECIMAL(38,12)``.

The functions are Arrow UDFs: DuckDB hands them whole vectors. Each runs the
kernel on its own, so a query asking for segments and cost counts each text twice
(counting is the cheap part; see ``docs/scale.md``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from ..errors import RateCardError, RecipientError
from ..pricing import Direction, MessageKind, RateCard
from ..pricing.campaign import toll_free_country_option
from ..routes import Route
from . import require
from .arrow import (
    OnError,
    _checked,
    _country_column,
    _null_where,
    _TollFree,
    _where,
    measure,
    pa,
)

duckdb: Any = require("duckdb", "duckdb", "smskit.frames.duckdb")

__all__ = ["register"]


def register(
    connection: Any,
    *,
    rates: RateCard | None = None,
    route: Route | str = Route.TEN_DLC,
    direction: Direction | str = Direction.OUTBOUND,
    kind: MessageKind | str = MessageKind.SMS,
    region: str = "US",
    on_error: OnError = "raise",
    prefix: str = "sms_",
    toll_free_country: str | None = None,
) -> None:
    """Register the ``sms_*`` SQL functions on ``connection`` (a ``duckdb`` connection).

    Args:
        rates: a card to register ``sms_country`` and ``sms_cost`` with.
        route, direction, kind, region: as in :func:`smskit.frames.arrow.measure`.
        on_error: ``"raise"`` (the query fails, naming the row of the vector) or
            ``"null"`` (``NULL``; ``sms_error`` says why).
        prefix: the functions' name prefix.
        toll_free_country: the country ``sms_country`` gives a +1 toll-free number
            (a +1 country, such as ``"CA"``), as in
            :func:`smskit.frames.arrow.measure`; without it such a number is read as
            US (or by a +1 ``region`` when written without "+1"), and nothing counts
            those rows: state it.

    Registering again on the same connection replaces the functions it registers (with
    the new card and options); ``sms_country``/``sms_cost`` of an earlier card stay.
    """
    _checked(route, direction, kind, on_error, region)  # now, not when a query calls them
    toll_free_country = toll_free_country_option(toll_free_country)
    text = duckdb.sqltypes.VARCHAR
    counts = {"encoding": text, "segments": duckdb.sqltypes.INTEGER}
    counts["units"] = duckdb.sqltypes.INTEGER
    for column, sql_type in counts.items():
        _add(connection, prefix + column, _text_udf(column, on_error), [text], sql_type)
    _add(connection, prefix + "error", _text_udf("error", "null"), [text], text)
    if rates is None:
        return
    options: dict[str, Any] = {
        "rates": rates,
        "route": route,
        "direction": direction,
        "kind": kind,
        "region": region,
        "on_error": on_error,
    }

    def country(numbers: Any) -> Any:
        # Not through the card: a country priced in another currency (or not at
        # all) still has a country; only sms_cost must refuse it.
        if isinstance(numbers, pa.ChunkedArray):
            numbers = numbers.combine_chunks()
        errors: dict[int, str] = {}
        found = _country_column(numbers, number="number", region=region, on_error=on_error,
                               errors=errors, tolls=_TollFree(toll_free_country, region))
        return _null_where(found, errors)

    def country_error(numbers: Any) -> Any:
        # Why sms_country gives NULL for a number, as sms_error says it for a text.
        if isinstance(numbers, pa.ChunkedArray):
            numbers = numbers.combine_chunks()
        errors: dict[int, str] = {}
        _country_column(numbers, number="number", region=region, on_error="null",
                        errors=errors)
        return pa.array([errors.get(row) for row in range(len(numbers))], pa.string())

    def cost(bodies: Any, countries: Any) -> Any:
        batch = pa.table({"text": bodies, "country": countries})
        return measure(batch, text="text", country="country", **options).column("cost")

    _add(connection, prefix + "country", country, [text], text)
    _add(connection, prefix + "country_error", country_error, [text], text)
    decimal = duckdb.decimal_type(38, 12)
    _add(connection, prefix + "cost", cost, [text, text], decimal)


def _text_udf(column: str, on_error: OnError) -> Callable[[Any], Any]:
    def udf(texts: Any) -> Any:
        return measure(texts, on_error=on_error).column(column)

    return udf


def _add(
    connection: Any, name: str, function: Callable[..., Any], params: list[Any], returns: Any
) -> None:
    # Registering again (a notebook cell run twice, a card added) replaces; the error is
    # "not registered yet" (only Python functions can be removed: builtins stay).
    with suppress(duckdb.InvalidInputException):
        connection.remove_function(name)
    connection.create_function(
        name, _located(name, function), params, returns, type="arrow", null_handling="special"
    )


# What each of the kernel's internal column names is to the person writing SQL: the
# position of the function's argument (sms_cost(text, country)) and what it holds.
_ARGUMENTS = {"text": (1, "the text"), "number": (1, "the phone number"),
              "country": (2, "the country")}


def _located(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` whose RecipientError says its row counts in DuckDB's vector.

    DuckDB hands a UDF one vector (2,048 values) at a time, so the kernel's row is an
    index in that vector: row 952 of the error was row 3,000 of the table, and the user
    found nothing wrong at row 952.
    """

    @functools.wraps(function)  # DuckDB reads the parameters from the signature
    def call(*arrays: Any) -> Any:
        size = len(arrays[0]) if arrays else 0
        try:
            return function(*arrays)
        except RateCardError as exc:
            # The card's problem; but its row is the vector's and 'country' the
            # kernel's field, as for a RecipientError below.
            at = _where(exc)
            if at is None:
                raise
            reason, row, column = at
            position, what = _ARGUMENTS.get(column or "text", (1, "the text"))
            raise RateCardError(
                f"{name}() argument {position} ({what}): {reason} (first at value {row} of "
                f"the {size:,} DuckDB passed at once, not row {row} of the table)"
            ) from None
        except RecipientError as exc:
            # The query names its own column (sms_country(phone)); the kernel's field
            # ('number') and "recipient 952" meant nothing there: say which argument.
            position, what = _ARGUMENTS.get(exc.column or "text", (1, "the text"))
            message = (
                f"{name}() argument {position} ({what}): {exc.reason} (in {name}(): value "
                f"{exc.row} of the {size:,} DuckDB passed at once, not row {exc.row} of the "
                "table; with register(..., on_error='null') it gives NULL there, so a "
                "query can select those rows)"
            )
            error = RecipientError(message, row=exc.row, column=exc.column)
            error.args = (message,)  # without RecipientError's "recipient N, field ..."
            raise error from None

    return call
