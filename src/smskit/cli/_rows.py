"""Campaign files read as a stream of row blocks: CSV (a file or stdin) and Parquet.

A :class:`RowSource` names the file's columns up front (so mistakes in the command
line are reported before any work) and then yields :class:`Chunk` s of at most
``chunk_rows`` rows, so that a command's memory depends on the block size, not on the
file's length. Values are strings, as in a CSV: a Parquet null is ``""`` and a number
is its text (a template's format spec reads it back, as for a CSV cell).
"""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import install_hint
from ._common import UsageError

__all__ = ["PARQUET_SUFFIXES", "Chunk", "RowSource", "open_rows"]

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive rows of a campaign file.

    Attributes:
        rows: each row as ``{column: value}``.
        lines: where each row is in the file: its first physical line (CSV) or its
            1-based row number (Parquet).
    """

    rows: list[dict[str, str]]
    lines: list[int]


@dataclass(frozen=True, slots=True)
class RowSource:
    """An opened campaign file.

    Attributes:
        label: the file name as given, or ``<stdin>``.
        columns: the column names, in order.
        place: what :attr:`Chunk.lines` counts, ``"line"`` or ``"row"``.
        read: ``read(columns)`` gives the rows, holding only those columns, as they
            are consumed (call it once); the file is closed when they are all read.
        close: closes the file. A command that stops before reading every row (a
            mistake found in another option or file) calls it: the open file would
            otherwise wait for the garbage collector (a ResourceWarning in process).
    """

    label: str
    columns: tuple[str, ...]
    place: str
    read: Callable[[Sequence[str]], Iterator[Chunk]]
    close: Callable[[], None]


def open_rows(argument: str, chunk_rows: int) -> RowSource:
    """Open the campaign ``argument`` (a path, or ``-`` for a CSV on stdin).

    A path ending in ``.parquet`` or ``.pq`` is read as Parquet (the ``arrow`` extra),
    anything else as UTF-8 CSV with a header line.

    Raises:
        UsageError: no such file, an empty or malformed header, Parquet without pyarrow
            (and, while the chunks are read, a malformed row).
    """
    if argument != "-" and Path(argument).suffix.lower() in PARQUET_SUFFIXES:
        return _open_parquet(argument, chunk_rows)
    return _open_csv(argument, chunk_rows)


def _open_csv(argument: str, chunk_rows: int) -> RowSource:
    label = "<stdin>" if argument == "-" else argument
    if argument == "-" and sys.stdin is None:  # started with ``<&-``
        raise UsageError("standard input is closed; name the CSV file instead of -")
    try:
        handle: TextIO = (
            io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
            if argument == "-"
            else Path(argument).open(encoding="utf-8-sig", newline="")  # noqa: SIM115
        )
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{label}: is a directory, not a CSV file") from None
    reader = csv.reader(handle)
    try:
        with _csv_errors(label, reader):
            header = next(reader, None)
        if not header:
            raise UsageError(f"{label}: empty file; the first line must name the columns")
        columns = tuple(name.strip() for name in header)
        _refuse_other_separator(label, columns)
        # Unnamed columns (a spreadsheet's trailing commas) cannot be used anyway.
        counts = Counter(columns)  # columns.count() per column was quadratic
        repeated = sorted(name for name, seen in counts.items() if name and seen > 1)
        if repeated:
            raise UsageError(f"{label} line 1: column {repeated[0]!r} appears twice")
    except BaseException:
        handle.close()
        raise

    def read(wanted: Sequence[str]) -> Iterator[Chunk]:
        return _csv_chunks(handle, reader, columns, wanted, label, chunk_rows)

    return RowSource(label, columns, "line", read, handle.close)


_SEPARATORS = {";": "semicolon", "\t": "tab", "|": "pipe"}


def _refuse_other_separator(label: str, columns: tuple[str, ...]) -> None:
    """A header read as one column that another separator splits (Excel saves "CSV"
    with semicolons in many locales): say so, rather than miss every column."""
    if len(columns) != 1:
        return
    for separator, name in _SEPARATORS.items():
        if len([part for part in columns[0].split(separator) if part.strip()]) > 1:
            raise UsageError(
                f"{label} line 1: the header is one column that looks separated by "
                f"{name}s; smskit reads comma-separated CSV: export it as CSV (comma "
                "delimited)"
            )


def _csv_chunks(
    handle: TextIO,
    reader: Any,
    columns: tuple[str, ...],
    wanted: Sequence[str],
    label: str,
    chunk_rows: int,
) -> Iterator[Chunk]:
    width = len(columns)
    keep = [(index, name) for index, name in enumerate(columns) if name in set(wanted)]
    with handle, _csv_errors(label, reader):
        rows: list[dict[str, str]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for record in reader:
            if not record:  # a blank line
                start = reader.line_num + 1
                continue
            if len(record) > width:
                raise UsageError(
                    f"{label} line {start}: {len(record)} fields but the header has {width}"
                )
            # A short record lacks its last cells, as DictReader leaves them out.
            rows.append({name: record[i] for i, name in keep if i < len(record)})
            lines.append(start)
            start = reader.line_num + 1
            if len(rows) == chunk_rows:
                yield Chunk(rows, lines)
                rows, lines = [], []
        if rows:
            yield Chunk(rows, lines)


class _csv_errors:  # noqa: N801 - used as a plain context manager
    """Turn the csv module's and the decoder's errors into one-line usage errors."""

    def __init__(self, label: str, reader: Any) -> None:
        self.label, self.reader = label, reader

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: object, trace: object) -> None:
        if kind is not None and issubclass(kind, csv.Error):
            raise UsageError(f"{self.label} line {self.reader.line_num}: {error}") from None
        if kind is not None and issubclass(kind, UnicodeDecodeError):
            raise UsageError(f"{self.label}: not UTF-8 text; save the CSV as UTF-8") from None


def _open_parquet(argument: str, chunk_rows: int) -> RowSource:
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq
    except ImportError:
        raise UsageError(
            f"{argument}: reading Parquet needs pyarrow: {install_hint('arrow')}"
        ) from None
    try:
        parquet = pq.ParquetFile(argument)
    except FileNotFoundError:
        raise UsageError(f"{argument}: no such file") from None
    except (OSError, pa.ArrowException) as exc:
        raise UsageError(f"{argument}: not a readable Parquet file ({exc})") from None
    columns = tuple(parquet.schema_arrow.names)

    def read(wanted: Sequence[str]) -> Iterator[Chunk]:
        names = [name for name in columns if name in set(wanted)]
        done = 0
        try:
            for batch in parquet.iter_batches(batch_size=chunk_rows, columns=names):
                # Strings, as a CSV gives: a null is an empty cell.
                values = [
                    _as_text(batch.column(name), name, argument, pa, pc) for name in names
                ]
                rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
                if not names:
                    rows = [{} for _ in range(batch.num_rows)]
                yield Chunk(rows, list(range(done + 1, done + 1 + len(rows))))
                done += len(rows)
        finally:
            parquet.close()

    return RowSource(argument, columns, "row", read, parquet.close)


def _as_text(column: Any, name: str, label: str, pa: Any, pc: Any) -> list[str]:
    try:
        return pc.cast(column, pa.string()).fill_null("").to_pylist()  # type: ignore[no-any-return]
    except pa.ArrowException:
        raise UsageError(
            f"{label}: column {name!r} holds {column.type}, which cannot be read as text"
        ) from None
