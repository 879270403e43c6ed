"""Polars adapter: the Arrow kernel as an expression (``Expr.map_batches``).

>>> import polars as pl
>>> from smskit.frames.polars import sms_columns
>>> df = pl.DataFrame({"body": ["Hello", "Zoë ☃", None]})
>>> df.select(sms_columns("body").alias("sms")).unnest("sms").to_dict(as_series=False)
{'encoding': ['gsm7', 'ucs2', None], 'segments': [1, 1, None], 'units': [5, 5, None]}

The function runs in Python under the GIL, one batch at a time; Polars' native
expressions are faster, but segment counting has no native equivalent.
``is_elementwise=True`` lets the streaming engine use it. An error (with the default
``on_error="raise"``) reaches you as ``polars.exceptions.ComputeError`` whose message
names the smskit error and the row within the batch Polars passed.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigurationError, RateCardError, RecipientError, SmskitError
from ..pricing import Direction, MessageKind, RateCard
from ..pricing.campaign import toll_free_country_option
from ..routes import Route
from . import require
from .arrow import OnError, _checked, _where, measure, output_schema, pa

pl: Any = require("polars", "polars", "smskit.frames.polars")

__all__ = ["sms_columns"]


def sms_columns(
    text: Any,
    *,
    rates: RateCard | None = None,
    country: Any = None,
    number: Any = None,
    route: Route | str = Route.TEN_DLC,
    direction: Direction | str = Direction.OUTBOUND,
    kind: MessageKind | str = MessageKind.SMS,
    region: str = "US",
    on_error: OnError = "raise",
    toll_free_country: str | None = None,
) -> Any:
    """A struct expression with the kernel's columns for the texts in ``text``.

    Args:
        text: a column name or expression of message texts.
        rates, country, number, route, direction, kind, region, on_error,
            toll_free_country: as in :func:`smskit.frames.arrow.measure`;
            ``country``/``number`` are column names or expressions. Without
            ``toll_free_country`` a +1 toll-free ``number`` is priced as US, and
            nothing counts those rows (Polars keeps no batch metadata): state it.

    Returns:
        A ``pl.Expr`` of a struct (``encoding``, ``segments``, ``units``, and with
        ``rates`` ``country`` and ``cost`` as ``Decimal(38, 12)``; ``error`` with
        ``on_error="null"``); ``.struct.unnest()`` or ``DataFrame.unnest`` spreads it.
    """
    _checked(route, direction, kind, on_error, region)  # now, not when the query runs
    toll_free_country = toll_free_country_option(toll_free_country)
    if rates is not None and (country is None) == (number is None):
        raise ConfigurationError(
            "sms_columns(rates=...) takes exactly one of country= or number=", field="country"
        )
    if rates is None and (country is not None or number is not None):
        # Without a card nothing would be priced and the column would be ignored.
        raise ConfigurationError(
            "sms_columns(country=/number=) needs rates= (a RateCard) to price with", field="rates"
        )
    place = country if country is not None else number
    # The struct's fields carry the user's column names, so that every error (a row's,
    # the card's) names them; "text" and "place" only when those are unknown or equal.
    names = {"text": _name(text), "place": _name(place)}
    fields = {"text": "text", "place": "place"}
    if rates is None or (None not in names.values() and names["text"] != names["place"]):
        fields = {key: name or key for key, name in names.items()}
    inputs = [_expr(text).alias(fields["text"])]
    if rates is not None:
        inputs.append(_expr(place).alias(fields["place"]))
    options: dict[str, Any] = {
        "text": fields["text"],
        "rates": rates,
        "route": route,
        "direction": direction,
        "kind": kind,
        "region": region,
        "on_error": on_error,
        "toll_free_country": toll_free_country,
    }
    if rates is not None:
        options["country" if country is not None else "number"] = fields["place"]
    shown = {fields[key]: name for key, name in names.items()}

    def run(series: Any) -> Any:
        batch = _batch(series.to_arrow())
        try:
            out = measure(batch, **options)
        except SmskitError as exc:
            if isinstance(exc, RecipientError):
                # The streaming engine and a frame of several chunks pass parts of the
                # frame: the row counts in the part (row 250,000 read as 25,000).
                exc = RecipientError(
                    f"{exc.reason} (row {exc.row} of the {len(series):,} rows Polars passed "
                    "at once, which may be a part of the frame; with on_error='null' the "
                    "row's columns are null and 'error' says why)",
                    row=exc.row, column=shown.get(exc.column or "", exc.column),
                )
            elif isinstance(exc, RateCardError) and (at := _where(exc)) is not None:
                reason, row, column = at  # the card's problem; where, as for a row's
                exc = RateCardError(
                    f"{reason} (first at row {row} of the {len(series):,} rows Polars passed "
                    f"at once, which may be a part of the frame; column {column!r})"
                )
            # Polars rebuilds a UDF's error as type(error)(message + context), which
            # smskit's keyword-only error fields do not allow: hand it a Polars error.
            raise pl.exceptions.ComputeError(f"{type(exc).__name__}: {exc}") from exc
        return pl.Series(series.name, out.to_struct_array())

    schema = output_schema(priced=rates is not None, on_error=on_error)
    dtype = pl.Struct(dict(pl.from_arrow(schema.empty_table()).schema))
    return pl.struct(inputs).map_batches(run, return_dtype=dtype, is_elementwise=True)


def _expr(value: Any) -> Any:
    return pl.col(value) if isinstance(value, str) else value


def _name(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    name = value.meta.output_name(raise_if_undetermined=False)
    return name if isinstance(name, str) else None


def _batch(array: Any) -> Any:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return pa.RecordBatch.from_struct_array(array)
