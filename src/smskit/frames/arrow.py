"""The Arrow batch kernel: segments, encoding, units and cost of many messages at once.

:func:`measure` takes an Arrow array of message texts, or a record batch holding a
text column (or the fields of a :class:`~smskit.pricing.Template`) and, to price,
a country or phone-number column. It returns a record batch of new columns, one row
per input row, in order:

============  =====================  ==================================================
column        Arrow type             meaning
============  =====================  ==================================================
encoding      string                 ``"gsm7"`` or ``"ucs2"`` (:class:`~smskit.Encoding`)
segments      int32                  SMS parts sent and billed (``count_segments``)
units         int32                  septets (GSM-7, escapes counted) or UTF-16 units
country       string                 destination (ISO 3166-1 alpha-2); with ``rates``
cost          decimal128(38, 12)     price plus carrier fees, exact; with ``rates``
error         string                 why the row failed; only with ``on_error="null"``
============  =====================  ==================================================

Nulls: a null text (or a null country or number) gives null in every column that
depends on it, never an error: a null is "no message", not a bad one. A template
renders a null field as missing (its default, else an error), as
:meth:`Template.render` does for ``None``.

Errors: a text that cannot be sent (a lone surrogate, more than 255 segments), a bad
phone number, a country that is not an ISO 3166-1 alpha-2 code or a template field
that does not render is a :class:`~smskit.errors.RecipientError` whose ``row`` is
the 0-based index of the row in the batch (``on_error="raise"``, the default); with
``on_error="null"`` the row's columns are null and ``error`` says why, so one bad row
of a billion does not stop a SQL query.

Money never becomes a float: prices are looked up once per distinct country as
:class:`~decimal.Decimal`, and multiplied by the segment counts as Arrow decimals.
The cost is in the card's currency; a country priced in another currency is a
:class:`~smskit.errors.RateCardError` (cost such rows separately). Bundles are not
applied here; :func:`smskit.pricing.estimate` applies them.

Counting is :func:`smskit.segments.measure_many` (the same rules as
:func:`~smskit.segments.segment`, no per-row object beyond the text); its speed
relative to ``count_many``: ``docs/scale.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal

import phonenumbers

from ..errors import (
    ConfigurationError,
    EncodingError,
    InvalidPhoneNumber,
    MessageTooLongError,
    RateCardError,
    RecipientError,
    TemplateError,
)
from ..numbers import mask_number, region_of
from ..pricing import Direction, MessageKind, RateCard, Template
from ..pricing.campaign import (
    _Pricer,
    priced_by_default,
    toll_free_country_option,
    toll_free_reading,
)
from ..pricing.templates import is_empty_cell
from ..routes import Route
from ..segments import count_segments, measure_many
from . import require

pa: Any = require("pyarrow", "arrow", "smskit.frames")
pc: Any = require("pyarrow.compute", "arrow", "smskit.frames")

__all__ = [
    "COST_TYPE", "PRICED_BY_DEFAULT", "TOLL_FREE_AS_US", "OnError", "countries_priced_by_default",
    "measure", "output_schema",
]

OnError = Literal["raise", "null"]

#: Arrow type of the ``cost`` column: 26 integer digits, the 12 decimal places a
#: rate card allows (prices below 10**12, see :mod:`smskit.pricing`).
COST_TYPE: Any = pa.decimal128(38, 12)
# A unit price (price + fee < 2 * 10**12, 12 places) times at most 255 segments.
_UNIT_TYPE = pa.decimal128(25, 12)
_COUNT_TYPE = pa.decimal128(10, 0)


def output_schema(*, priced: bool, on_error: OnError = "raise") -> Any:
    """The Arrow schema of what :func:`measure` returns with these options.

    >>> [f.name for f in output_schema(priced=True, on_error="null")]
    ['encoding', 'segments', 'units', 'country', 'cost', 'error']
    """
    fields = [
        pa.field("encoding", pa.string()),
        pa.field("segments", pa.int32()),
        pa.field("units", pa.int32()),
    ]
    if priced:
        fields += [pa.field("country", pa.string()), pa.field("cost", COST_TYPE)]
    if on_error == "null":
        fields.append(pa.field("error", pa.string()))
    return pa.schema(fields)


def measure(
    data: Any,
    *,
    text: str | None = None,
    template: Template | None = None,
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
    """Encoding, segments, units and (with ``rates``) cost of each row of ``data``.

    Args:
        data: a ``pyarrow.Array``/``ChunkedArray`` of texts, or a ``RecordBatch``/
            ``Table`` holding the ``text`` column or the ``template``'s fields. A
            table of more than 256 MiB is measured in parts of whole chunks (an Arrow
            ``string`` column holds at most 2 GiB); rows are still numbered in the whole.
        text: the column holding the message text (record batches without a template).
        template: render this template from each row instead.
        rates: price each row with this card; needs ``country`` or ``number``.
        country: column of destination countries (ISO 3166-1 alpha-2).
        number: column of phone numbers; the country comes from
            :func:`smskit.numbers.region_of` (``region`` for numbers without ``+``).
        route, direction, kind: what to price, as in :func:`smskit.pricing.estimate`.
        toll_free_country: the country (a +1 one, such as ``"CA"``) of the rows whose
            ``number`` is a +1 toll-free number, which the number cannot tell (the US
            and Canada share 800, 833, ...). Without it they are priced as US (or by a
            +1 ``region`` for a number written without "+1") and the batch's schema
            metadata holds how many under :data:`TOLL_FREE_AS_US`, as
            :attr:`smskit.pricing.Estimate.toll_free_as_us` lists them.
            The countries priced by the card's ``"*"`` rate (no price of their own)
            are named in the metadata under :data:`PRICED_BY_DEFAULT`, as
            :attr:`smskit.pricing.Estimate.priced_by_default` names them.
        on_error: ``"raise"`` (a :class:`RecipientError` naming the row) or ``"null"``.

    Returns:
        A ``pyarrow.RecordBatch`` with the columns of :func:`output_schema`. A blank
        SMS text (whitespace only) has a null ``cost``: nothing to send, as
        :attr:`smskit.pricing.Estimate.blank_texts` leaves it out.

    >>> import pyarrow as pa
    >>> out = measure(pa.array(["Hello", "Zoë ☃", None, "x" * 161]))
    >>> out.column("encoding").to_pylist(), out.column("segments").to_pylist()
    (['gsm7', 'ucs2', None, 'gsm7'], [1, 1, None, 2])

    Raises:
        RecipientError: a row cannot be measured or priced (``.row`` is its index).
        RateCardError: no price for a country, or a price in another currency.
        ConfigurationError: the options contradict each other.
    """
    route, direction, kind = _checked(route, direction, kind, on_error, region)
    toll_free_country = toll_free_country_option(toll_free_country)
    if rates is not None and (country is None) == (number is None):
        raise ConfigurationError(
            "measure(rates=...) takes exactly one of country= or number=", field="country"
        )
    if rates is None and (country is not None or number is not None):
        # Without a card nothing would be priced and the column would be ignored.
        raise ConfigurationError(
            "measure(country=/number=) needs rates= (a RateCard) to price with", field="rates"
        )
    if isinstance(data, pa.Table | pa.ChunkedArray) and data.nbytes > _PART_BYTES:
        parts = _parts(data)
        if len(parts) > 1:
            options = {"text": text, "template": template, "rates": rates, "country": country,
                       "number": number, "route": route, "direction": direction,
                       "kind": kind, "region": region, "on_error": on_error,
                       "toll_free_country": toll_free_country}
            return _measured_in_parts(parts, options)
    errors: dict[int, str] = {}
    texts, text_column = _texts(data, text, template, on_error, errors)
    columns = _counts(texts, text_column, on_error, errors)
    tolls: _TollFree | None = None
    defaulted: set[str] = set()
    if rates is not None:
        pricer = _Pricer(rates, route, direction, kind, None)
        name = country if country is not None else number
        assert name is not None
        if number is not None:
            tolls = _TollFree(toll_free_country, region)
        columns += _cost(
            _column(data, name), number, region, pricer, columns[1], on_error, errors, name,
            tolls, defaulted,
        )
        if kind is MessageKind.SMS:  # nothing to send costs nothing, as in estimate()
            blank = pc.fill_null(pc.match_substring_regex(texts, _BLANK), False)
            columns[-1] = pc.if_else(blank, pa.scalar(None, COST_TYPE), columns[-1])
    if on_error == "null":
        columns = [_null_where(column, errors) for column in columns]
        columns.append(pa.array([errors.get(i) for i in range(len(texts))], pa.string()))
    out = pa.RecordBatch.from_arrays(
        columns, schema=output_schema(priced=rates is not None, on_error=on_error)
    )
    assumed = tolls.rows(out.column("cost")) if tolls is not None else 0
    if defaulted:  # only the countries of rows priced: a null text or an error has no cost
        priced = pc.filter(out.column("country"), out.column("cost").is_valid())
        defaulted &= set(pc.unique(priced).to_pylist())
    return _with_assumed(out, assumed, defaulted)


#: The schema metadata key (bytes) under which :func:`measure` gives how many rows it
#: priced as US by assumption: a +1 toll-free number, whose country it cannot tell.
TOLL_FREE_AS_US = b"smskit.toll_free_as_us"

#: The schema metadata key (bytes) under which :func:`measure` names the countries it
#: priced by the card's ``"*"`` rate, having no price of their own: sorted, joined by
#: ``","`` (``b"CA,PR"``). Absent when there are none. A card that forgot Canada priced
#: Toronto at its "*" international rate without a word otherwise.
PRICED_BY_DEFAULT = b"smskit.priced_by_default"


def countries_priced_by_default(
    rates: RateCard, countries: Iterable[Any], *, route: Route | str = Route.TEN_DLC
) -> tuple[str, ...]:
    """Which of ``countries`` ``rates`` prices only by its ``"*"`` rate, sorted.

    What :func:`measure` names under :data:`PRICED_BY_DEFAULT`, for the engines that
    drop a batch's metadata (Polars, DuckDB, Spark): pass the distinct ``country``
    values of the rows with a cost (strings, or rows of one column such as DuckDB's
    ``fetchall()`` and Spark's ``collect()`` give; a pandas Series), and the ``route``
    priced. Nulls (``None``, pandas' NaN and ``NA``) are skipped; a code is read as
    :func:`measure` reads a ``country`` column (``" ca"`` is ``CA``).

    >>> from smskit.pricing import RateCard
    >>> card = RateCard.from_dict({"currency": "USD", "countries": {
    ...     "US": {"10dlc": {"sms_per_segment": "0.0079"}},
    ...     "*": {"international": {"sms_per_segment": "0.05"}}}})
    >>> countries_priced_by_default(card, ["US", "CA", None, "CA"])
    ('CA',)

    Raises:
        ConfigurationError: a value is not an ISO 3166-1 alpha-2 code (not an
            adapter's ``country`` column), ``countries`` is a whole frame or one
            string, or ``route`` is not a route.
        RateCardError: the card has no price for a country at all.
    """
    route = _checked(route, Direction.OUTBOUND, MessageKind.SMS, "raise")[0]
    if isinstance(countries, str):  # iterated, "CA" would be read letter by letter
        raise ConfigurationError(
            f"countries is one string ({_shown_country(countries)}); pass a list of "
            "country codes", field="countries",
        )
    if hasattr(countries, "columns"):  # a whole frame, relation or table: its columns
        raise ConfigurationError(
            f"countries is a {type(countries).__name__}, not a column of countries: pass "
            "its 'country' column (table['country'], df['country'], fetchall())",
            field="countries",
        )
    if hasattr(countries, "to_pylist"):  # a pyarrow Array or ChunkedArray
        countries = countries.to_pylist()
    found = set()
    for value in countries:
        if isinstance(value, tuple) and len(value) == 1:  # DuckDB's fetchall(), Spark's Rows
            (value,) = value
        if value is None or is_empty_cell(value):  # pandas gives a null as NaN or NA
            continue
        if isinstance(value, str):  # as measure() reads a country column: " ca" is CA
            value = str(value).strip().upper()  # str(): NumPy's str_ too
        if value not in phonenumbers.SUPPORTED_REGIONS:
            raise ConfigurationError(
                f"country {_shown_country(str(value))} is not an ISO 3166-1 alpha-2 code "
                "as the adapters' 'country' column holds (such as US, CA or GB)",
                field="countries",
            )
        if priced_by_default(rates, value, route):
            found.add(value)
    return tuple(sorted(found))


# A text of these characters only is blank as str.strip() reads it (content.empty
# blocks it: nothing to send), written for Arrow's regular expressions (RE2, whose \s
# is ASCII only); a test keeps it equal to Python's str.isspace().
_BLANK = (
    r"^[\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
    r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*$"
)


def _with_assumed(batch: Any, rows: int, defaulted: set[str] | None = None) -> Any:
    """The batch with its assumptions in its schema metadata (none: no metadata)."""
    metadata = {}
    if rows:
        metadata[TOLL_FREE_AS_US] = str(rows).encode()
    if defaulted:
        metadata[PRICED_BY_DEFAULT] = ",".join(sorted(defaulted)).encode()
    return batch.replace_schema_metadata(metadata) if metadata else batch


class _TollFree:
    """How +1 toll-free numbers are read (as ``estimate`` reads them), and the rows
    priced as US by assumption."""

    def __init__(self, stated: str | None, region: str) -> None:
        self.stated, self.region = stated, region
        self.guessed: list[int] = []  # dictionary indices of the numbers guessed
        self.found: Any = None  # per row: its number's country was guessed

    def country(self, number: str, country: str, at: int) -> str:
        country, guessed = toll_free_reading(
            number, country, region=self.region, toll_free_country=self.stated
        )
        if guessed:
            self.guessed.append(at)
        return country

    def count(self, indices: Any) -> None:
        if self.guessed:
            self.found = pc.is_in(indices, value_set=pa.array(self.guessed, indices.type))

    def rows(self, cost: Any) -> int:
        """How many rows with a ``cost`` were priced as US by assumption: a row with
        no cost (a null or blank text, an error) was priced by nothing, as estimate()
        lists only the rows it priced."""
        if self.found is None:
            return 0
        priced = pc.and_(self.found, cost.is_valid())
        return int(pc.sum(priced.cast(pa.int64())).as_py() or 0)


#: Chunks are combined into parts of at most this many bytes. A ``string`` column
#: holds at most 2 GiB (32-bit offsets), so combining all of a big table's chunks would
#: fail; parts also bound the Python strings alive at once.
_PART_BYTES = 1 << 28


def _parts(data: Any) -> list[Any]:
    """Consecutive chunks of ``data`` grouped into tables or arrays of <= _PART_BYTES."""
    chunks = data.to_batches() if isinstance(data, pa.Table) else data.chunks
    groups: list[list[Any]] = [[]]
    size = 0
    for chunk in chunks:
        if groups[-1] and size + chunk.nbytes > _PART_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(chunk)
        size += chunk.nbytes
    if isinstance(data, pa.Table):
        return [pa.Table.from_batches(group, data.schema) for group in groups]
    return [pa.chunked_array(group, data.type) for group in groups]


def _card_error_at(reason: str, row: int, column: str | None) -> RateCardError:
    """A card's problem met at a row (``row`` in the batch, ``column`` as the kernel
    knows it). The parts are kept, so that a part of a table or an adapter can restate
    where (a row of the whole table; DuckDB's argument and vector): :func:`_where`."""
    error = RateCardError(f"{reason} (first at row {row}, column {column!r})")
    error.smskit_at = (reason, row, column)  # type: ignore[attr-defined]
    return error


def _where(error: RateCardError) -> tuple[str, int, str | None] | None:
    """The (reason, row, column) of a card error met at a row, else None."""
    at: tuple[str, int, str | None] | None = getattr(error, "smskit_at", None)
    return at


def _measured_in_parts(parts: list[Any], options: dict[str, Any]) -> Any:
    """measure() of each part, concatenated; a row error names the row in the whole."""
    outs, start = [], 0
    for part in parts:
        try:
            outs.append(measure(part, **options))
        except RecipientError as exc:
            raise RecipientError(exc.reason, row=start + exc.row, column=exc.column) from None
        except RateCardError as exc:
            at = _where(exc)
            if at is None:
                raise
            raise _card_error_at(at[0], start + at[1], at[2]) from None
        start += len(part)
    assumed = sum(int((out.schema.metadata or {}).get(TOLL_FREE_AS_US, 0)) for out in outs)
    defaulted = {country for out in outs
                 for country in (out.schema.metadata or {}).get(PRICED_BY_DEFAULT, b"")
                 .decode().split(",") if country}
    outs = [out.replace_schema_metadata(None) for out in outs]
    return _with_assumed(pa.concat_batches(outs), assumed, defaulted)


def _checked(
    route: Route | str, direction: Direction | str, kind: MessageKind | str, on_error: str,
    region: str = "US",
) -> tuple[Route, Direction, MessageKind]:
    """The options as enums, or a ConfigurationError naming the bad one. The adapters
    call this when the query is built: a Spark job must not fail on its workers for a typo.
    """
    if on_error not in ("raise", "null"):
        raise ConfigurationError(
            f"on_error must be 'raise' or 'null', not {on_error!r}", field="on_error"
        )
    # Read only for numbers without "+", so a typo ("UK") surfaced on each such row,
    # once the job ran (a null cost, or a failed job), not here.
    if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
        hint = " (the United Kingdom is 'GB')" if str(region).upper() == "UK" else ""
        raise ConfigurationError(
            f"region must be an ISO 3166-1 alpha-2 code such as 'US', not {region!r}{hint}",
            field="region",
        )
    enums: list[Any] = []
    for field, value, enum in (
        ("route", route, Route), ("direction", direction, Direction), ("kind", kind, MessageKind)
    ):
        try:
            enums.append(enum(value))
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in enum)
            raise ConfigurationError(
                f"{field} must be one of {allowed}, not {value!r}", field=field
            ) from None
    return enums[0], enums[1], enums[2]


def _column(data: Any, name: str) -> Any:
    if not isinstance(data, pa.RecordBatch | pa.Table):
        raise ConfigurationError(
            f"column {name!r} needs a RecordBatch or Table, not an array", field=name
        )
    try:
        column = data.column(name)
    except KeyError:
        raise ConfigurationError(
            f"no column {name!r} (columns: {', '.join(data.schema.names)})", field=name
        ) from None
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def _texts(
    data: Any,
    text: str | None,
    template: Template | None,
    on_error: OnError,
    errors: dict[int, str],
) -> tuple[Any, str | None]:
    """The texts as one Arrow (large) string array, and the column they came from."""
    if template is not None:
        if not isinstance(data, pa.RecordBatch | pa.Table):
            raise ConfigurationError(
                "measure(template=...) needs a RecordBatch or Table of fields", field="template"
            )
        rendered: list[str | None] = []
        for row, values in enumerate(data.select(_present(data, template)).to_pylist()):
            try:
                rendered.append(template.render(values))
            except TemplateError as exc:
                if on_error == "raise":
                    raise RecipientError(str(exc), row=row, column=exc.field) from None
                errors[row] = str(exc)
                rendered.append(None)
        return pa.array(rendered, pa.string()), None
    if isinstance(data, pa.RecordBatch | pa.Table):
        if text is None:
            raise ConfigurationError(
                "measure() of a RecordBatch needs text= (a column) or template=", field="text"
            )
        array = _column(data, text)
    elif isinstance(data, pa.ChunkedArray):
        array = data.combine_chunks()
    elif isinstance(data, pa.Array):
        array = data
    else:
        raise TypeError(
            "measure() takes a pyarrow Array, ChunkedArray, RecordBatch or Table, "
            f"not {type(data).__name__} (pyarrow.array(texts) makes one)"
        )
    kind = array.type
    if pa.types.is_dictionary(kind):  # Parquet's and Polars' categorical strings
        kind = kind.value_type
    # An all-null column (Polars' Null dtype, a JSON or CSV column with no value) is
    # untyped: its rows are "no message", as a null string's are.
    if not (pa.types.is_null(kind) or pa.types.is_string(kind)
            or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        raise TypeError(f"message texts must be an Arrow string column, not {array.type}")
    if pa.types.is_dictionary(array.type):  # values first: Arrow cannot take string_views
        array = array.dictionary.cast(pa.large_string()).take(array.indices)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        # large_string: 64-bit offsets, so a column of more than 2 GiB still converts.
        array = array.cast(pa.large_string())
    return array, text


def _present(data: Any, template: Template) -> list[str]:
    """The template's fields the batch has (a missing one renders its default or fails)."""
    names = set(data.schema.names)
    return [name for name in template.fields if name in names]


def _counts(
    texts: Any, column: str | None, on_error: OnError, errors: dict[int, str]
) -> list[Any]:
    """encoding, segments and units columns; nulls stay null."""
    nulls = texts.null_count
    filled = texts.fill_null("") if nulls else texts
    try:
        values: Sequence[str | None] = filled.to_pylist()
    except UnicodeDecodeError:  # bytes that are not UTF-8 (a surrogate written as UTF-8...)
        values = _decoded_by_row(filled, column, on_error, errors)
    try:
        counts, units, ucs2 = measure_many(values)  # type: ignore[arg-type]
    except (EncodingError, MessageTooLongError, TypeError):
        counts, units, ucs2 = _counts_by_row(values, column, on_error, errors)
    encoding = pc.if_else(pa.array(ucs2, pa.bool_()), "ucs2", "gsm7")
    columns = [encoding, pa.array(counts, pa.int32()), pa.array(units, pa.int32())]
    if nulls:
        missing = texts.is_null()
        columns = [pc.if_else(missing, pa.scalar(None, c.type), c) for c in columns]
    return columns


def _decoded_by_row(
    texts: Any, column: str | None, on_error: OnError, errors: dict[int, str]
) -> list[str | None]:
    values: list[str | None] = []
    for row in range(len(texts)):
        try:
            values.append(texts[row].as_py())
        except UnicodeDecodeError as exc:
            reason = f"the text is not valid UTF-8 (byte {exc.start}: {exc.reason})"
            if on_error == "raise":
                raise RecipientError(reason, row=row, column=column) from None
            errors[row] = reason
            values.append(None)
    return values


def _counts_by_row(
    values: Sequence[str | None], column: str | None, on_error: OnError, errors: dict[int, str]
) -> tuple[list[int], list[int], list[bool]]:
    """The slow path once a batch holds a bad text: find it (or them), row by row."""
    counts, units, ucs2 = [], [], []
    for row, value in enumerate(values):
        if value is None:  # not decoded: its error is already recorded
            counts.append(0)
            units.append(0)
            ucs2.append(False)
            continue
        try:
            count, unit, wide = _measured_alone(value)
        except (EncodingError, MessageTooLongError) as exc:
            if on_error == "raise":
                raise RecipientError(str(exc), row=row, column=column) from None
            errors[row] = str(exc)
            count, unit, wide = 0, 0, False
        counts.append(count)
        units.append(unit)
        ucs2.append(wide)
    return counts, units, ucs2


def _measured_alone(value: str) -> tuple[int, int, bool]:
    """One row's text measured. Its error is the text's own, as ``count_segments`` words
    it: ``measure_many``'s names an index in the list of one ("text 0 of the batch")."""
    try:
        (count,), (unit,), (wide,) = measure_many([value])
    except (EncodingError, MessageTooLongError):
        count_segments(value)  # raises the same error, without the index
        raise
    return count, unit, wide


def _countries(
    place: Any,
    number: str | None,
    region: str,
    on_error: OnError,
    errors: dict[int, str],
    column: str | None = None,
    tolls: _TollFree | None = None,
) -> tuple[Any, list[str | None]]:
    """Dictionary indices of ``place`` and the country of each distinct value (None: bad);
    with ``tolls``, a +1 toll-free number's country as ``tolls`` reads it."""
    # pandas and polars read "+61412345678" as the integer 61412345678: only +1 numbers
    # survive that, so say why the others are "too long".
    lost_plus = (
        " (the column holds integers: reading it as numbers dropped each '+' and leading "
        "zero; read it as text, e.g. pd.read_csv(..., dtype=str))"
        if number and pa.types.is_integer(place.type) else ""
    )
    if not pa.types.is_string(place.type):
        place = place.cast(pa.string())
    encoded = place.dictionary_encode()
    indices = encoded.indices
    try:
        distinct: list[str | None] = encoded.dictionary.to_pylist()
    except UnicodeDecodeError:  # bytes that are not UTF-8: None, an error for its rows
        distinct = [_utf8(value) for value in encoded.dictionary]
    countries: list[str | None] = []
    for value in distinct:
        problem = None
        if value is None:
            problem = "the value is not valid UTF-8"
        elif number:
            try:
                found = region_of(value, region=region)
                if tolls is not None:
                    found = tolls.country(value, found, len(countries))
                countries.append(found)
                continue
            except InvalidPhoneNumber as exc:
                problem = str(exc) + lost_plus
        else:
            code = value.strip().upper()
            if code in phonenumbers.SUPPORTED_REGIONS:
                countries.append(code)
                continue
            # Priced as is, "USA" would fall to the card's "*" rate without a word.
            problem = (f"country {_shown_country(value)} is not an ISO 3166-1 alpha-2 "
                       "region code (such as US, CA or GB)")
        rows = pc.indices_nonzero(pc.equal(indices, len(countries))).to_pylist()
        if on_error == "raise":
            raise RecipientError(problem, row=rows[0], column=number or column)
        for row in rows:  # a row's first error (its text's) is the one reported
            errors.setdefault(row, problem)
        countries.append(None)
    if tolls is not None:
        tolls.count(indices)
    return indices, countries


def _utf8(value: Any) -> str | None:
    try:
        text: str = value.as_py()
    except UnicodeDecodeError:
        return None
    return text


def _country_column(
    place: Any, *, number: str | None, region: str, on_error: OnError, errors: dict[int, str],
    tolls: _TollFree | None = None,
) -> Any:
    """The ``country`` column alone: no rate card, so no price or currency is needed."""
    indices, countries = _countries(place, number, region, on_error, errors, tolls=tolls)
    return pa.array(countries, pa.string()).take(indices)


def _cost(
    place: Any,
    number: str | None,
    region: str,
    pricer: _Pricer,
    segments: Any,
    on_error: OnError,
    errors: dict[int, str],
    column: str | None = None,
    tolls: _TollFree | None = None,
    defaulted: set[str] | None = None,
) -> list[Any]:
    """country and cost columns: one lookup per distinct value, then Arrow arithmetic.
    The countries priced by the card's "*" rate are added to ``defaulted``."""
    indices, countries = _countries(place, number, region, on_error, errors, column, tolls)
    units: list[Decimal | None] = []
    for at, found in enumerate(countries):
        if found is None:
            units.append(None)
            continue
        # A card problem, not a row's, so on_error="null" does not hide it; but name
        # a row, so that a job over millions of rows can be debugged.
        try:
            price, fee, currency, _ = pricer.unit(found)
            if currency != pricer.card.currency:
                raise RateCardError(
                    f"{found} is priced in {currency}, the card in {pricer.card.currency}: "
                    "cost these rows separately"
                )
        except RateCardError as exc:
            raise _card_error_at(str(exc), pc.index(indices, at).as_py(), column) from None
        units.append(price + fee)
        if defaulted is not None and priced_by_default(pricer.card, found, pricer.route):
            defaulted.add(found)
    country = pa.array(countries, pa.string()).take(indices)
    unit = pa.array(units, _UNIT_TYPE).take(indices)
    parts = segments
    if pricer.kind is not MessageKind.SMS:  # MMS is billed per message
        one, none = pa.scalar(1, pa.int32()), pa.scalar(None, pa.int32())
        parts = pc.if_else(segments.is_null(), none, one)
    cost = pc.multiply(unit, pc.cast(parts, _COUNT_TYPE)).cast(COST_TYPE)
    return [country, cost]


def _null_where(column: Any, errors: dict[int, str]) -> Any:
    if not errors:
        return column
    mask = pa.array([row in errors for row in range(len(column))], pa.bool_())
    return pc.if_else(mask, pa.scalar(None, column.type), column)


def _shown_country(value: str) -> str:
    """A country cell as an error may show it (review rev29k). With a digit it is masked
    as a number: the phone column passed as the country (``sms_cost(text, phone)`` in
    DuckDB) showed its first 12 characters, a whole US number. Longer than a code
    ("USA"), only its first two characters and its length: a name column passed there
    showed the name."""
    if any(char.isdigit() for char in value):
        return f"{mask_number(value)!r} (a phone number?)"
    if len(value) <= 3:
        return repr(value)
    return f"{value[:2]!r}… ({len(value)} characters)"
