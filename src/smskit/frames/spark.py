"""Spark adapter: the Arrow kernel over a DataFrame with ``DataFrame.mapInArrow``.

``with_sms_columns(df, text="body", rates=card, number="phone")`` returns ``df`` with
the kernel's columns appended (``encoding``, ``segments``, ``units``, ``country``,
``cost`` as ``DECIMAL(38,12)``, and ``error`` with ``on_error="null"``). Spark hands
each Python worker Arrow record batches (``spark.sql.execution.arrow.maxRecordsPerBatch``
rows each); nothing passes through pandas or Python rows.

PySpark needs a Java runtime (17 or newer) and the ``spark`` extra; the workers import
smskit, so install it where they run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..errors import ConfigurationError
from ..pricing import Direction, MessageKind, RateCard
from ..pricing.campaign import toll_free_country_option
from ..routes import Route
from . import require
from .arrow import OnError, _checked, measure, pa

require("pyspark", "spark", "smskit.frames.spark")
types: Any = require("pyspark.sql.types", "spark", "smskit.frames.spark")
arrow_types: Any = require("pyspark.sql.pandas.types", "spark", "smskit.frames.spark")
spark_errors: Any = require("pyspark.errors", "spark", "smskit.frames.spark")

__all__ = ["with_sms_columns"]


def with_sms_columns(
    df: Any,
    *,
    text: str,
    rates: RateCard | None = None,
    country: str | None = None,
    number: str | None = None,
    route: Route | str = Route.TEN_DLC,
    direction: Direction | str = Direction.OUTBOUND,
    kind: MessageKind | str = MessageKind.SMS,
    region: str = "US",
    on_error: OnError = "raise",
    toll_free_country: str | None = None,
) -> Any:
    """``df`` (a ``pyspark.sql.DataFrame``) with the kernel's columns added.

    Args:
        text: the column of message texts.
        rates, country, number, route, direction, kind, region, on_error,
            toll_free_country: as in :func:`smskit.frames.arrow.measure` (column names
            for ``country``/``number``). Without ``toll_free_country`` a +1 toll-free
            ``number`` is priced as US, and nothing counts those rows (the batches'
            metadata stays on the workers): state it.

    Raises:
        ConfigurationError: a column is missing or the options contradict each other (at once,
            not when the job runs).
    """
    wanted = [name for name in (text, country, number) if name is not None]
    for name in wanted:
        if name not in df.columns:
            raise ConfigurationError(
                f"no column {name!r} (columns: {', '.join(df.columns)})", field=name
            )
        if df.columns.count(name) > 1:  # a join's two "phone"s: which one is meant?
            raise ConfigurationError(
                f"df has {df.columns.count(name)} columns named {name!r}; rename them first",
                field=name,
            )
    _checked(route, direction, kind, on_error, region)  # here, not on the workers
    toll_free_country = toll_free_country_option(toll_free_country)
    if rates is not None and (country is None) == (number is None):
        raise ConfigurationError(
            "with_sms_columns(rates=...) takes exactly one of country= or number=", field="country"
        )
    if rates is None and (country is not None or number is not None):
        # Without a card nothing would be priced and the column would be ignored.
        raise ConfigurationError(
            "with_sms_columns(country=/number=) needs rates= (a RateCard) to price with",
            field="rates",
        )
    added = ["encoding", "segments", "units"] + (["country", "cost"] if rates else [])
    added += ["error"] if on_error == "null" else []
    # Spark resolves names case-insensitively unless told otherwise: beside an added
    # "country", a "Country" column made every later col("country") ambiguous.
    fold = _case_insensitive(df)
    clash = [name for name in df.columns
             if (name.lower() if fold else name) in added]
    if clash:
        raise ConfigurationError(
            f"df already has column(s) {', '.join(sorted(clash))}; rename them first",
            field=clash[0],
        )
    text_type = df.schema[text].dataType
    # NullType: `select NULL as body`, every row "no message", as the kernel reads it.
    texts = types.StringType | types.VarcharType | types.CharType | types.NullType
    if not isinstance(text_type, texts):
        # Here, on the driver: on the workers it would fail the job after it started.
        raise ConfigurationError(
            f"column {text!r} holds {text_type.simpleString()}, not message texts (string)",
            field=text,
        )
    # The card travels to the workers pickled; its read-only mapping views cannot be.
    card = None if rates is None else replace(
        rates, rates=dict(rates.rates), bundles=dict(rates.bundles)
    )
    for field in df.schema.fields:
        # Every column passes through Arrow; PySpark refuses one it cannot convert
        # (an interval) with the whole schema, under positional names, not this one,
        # and a struct with a field named twice only on the workers, once the job ran.
        try:
            arrow_types.to_arrow_type(
                field.dataType, timezone="UTC", error_on_duplicated_field_names_in_struct=True
            )
        except (TypeError, spark_errors.UnsupportedOperationException):
            raise ConfigurationError(
                f"column {field.name!r} holds {field.dataType.simpleString()}, which Spark "
                "cannot pass through Arrow (an interval; a struct with a field named twice): "
                "drop it or cast it (to string) first",
                field=field.name,
            ) from None
    # mapInArrow looks every column up by name, which fails for a dotted name
    # ("utm.source") or one a join left twice: Spark runs it on positional names, and
    # the workers give the kernel the real ones back (its errors name them).
    names = df.columns
    positional = [f"_{at}" for at in range(len(names))]
    options: dict[str, Any] = {
        "text": text,
        "rates": card,
        "country": country,
        "number": number,
        "route": route,
        "direction": direction,
        "kind": kind,
        "region": region,
        "on_error": on_error,
        "toll_free_country": toll_free_country,
    }

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            out = measure(batch.rename_columns(names), **options)
            yield pa.RecordBatch.from_arrays(
                [*batch.columns, *out.columns], names=[*batch.schema.names, *out.schema.names]
            )

    fields = {
        "encoding": types.StringType(),
        "segments": types.IntegerType(),
        "units": types.IntegerType(),
        "country": types.StringType(),
        "cost": types.DecimalType(38, 12),
        "error": types.StringType(),
    }
    renamed = df.toDF(*positional)
    schema = types.StructType(
        [*renamed.schema.fields, *(types.StructField(name, fields[name], True) for name in added)]
    )
    return renamed.mapInArrow(run, schema).toDF(*names, *added)


def _case_insensitive(df: Any) -> bool:
    """Whether the session resolves column names regardless of case (Spark's default)."""
    try:
        setting = df.sparkSession.conf.get("spark.sql.caseSensitive", "false")
    except AttributeError:  # not a session-backed frame: assume Spark's default
        return True
    return str(setting).lower() != "true"
