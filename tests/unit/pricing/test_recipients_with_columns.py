"""Rows from an object that also has ``columns``, such as SQLAlchemy's ``MappingResult``.

``conn.execute(query).mappings()`` iterates as mappings, one per row, and has a
``columns()`` method (to pick columns). Refusing anything with ``columns`` as "a data
frame" refused these rows, which estimate() takes as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from smskit.errors import ConfigurationError
from smskit.pricing import RateCard, Template, estimate

CARD = RateCard.from_dict({"currency": "USD",
                           "countries": {"US": {"10dlc": {"sms_per_segment": "0.01"}}}})


class MappingResultLike:
    """The part of SQLAlchemy 2's ``MappingResult`` estimate() meets: iterating gives
    the rows as mappings; ``columns(*keys)`` is a method that narrows the columns."""

    def __init__(self, rows: list[Mapping[str, object]]) -> None:
        self._rows = rows

    def __iter__(self) -> Iterator[Mapping[str, object]]:
        return iter(self._rows)

    def columns(self, *keys: str) -> MappingResultLike:
        return MappingResultLike([{k: row[k] for k in keys} for row in self._rows])


def test_rows_of_mappings_with_a_columns_method_are_priced() -> None:
    rows = MappingResultLike([{"number": "+12125550123", "first_name": "José"},
                              {"number": "+12125550124", "first_name": "Zoë"}])
    assert estimate(Template("Hi {first_name}"), rates=CARD, recipients=rows).messages == 2


def test_a_frame_that_iterates_as_columns_is_still_named() -> None:
    class FrameLike:  # iterates its column names, as a pandas DataFrame does
        columns = ("number", "first_name")

        def __iter__(self) -> Iterator[str]:
            return iter(self.columns)

    with pytest.raises(ConfigurationError, match="data frame") as caught:
        estimate(Template("Hi {first_name}"), rates=CARD, recipients=FrameLike())  # type: ignore[arg-type]
    assert caught.value.field == "recipients"
