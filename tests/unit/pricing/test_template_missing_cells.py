"""A data frame's empty cell of any dtype is no value in a template.

pandas writes an empty cell as NaN (float), NaT (datetime), ``pd.NA`` (nullable
dtypes); NumPy as a NaN of its own float types or ``datetime64('NaT')``. Each used to
be rendered ("your appointment is NaT", "fee nan") or to raise a bare ``TypeError``
(``pd.NA``), where ``{field|default}`` meant the default.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from smskit.errors import TemplateError
from smskit.policy import SendRequest
from smskit.pricing.templates import Template

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

EMPTY_CELLS = [
    pytest.param(pd.NaT, id="pandas-NaT"),
    pytest.param(pd.NA, id="pandas-NA"),
    pytest.param(np.datetime64("NaT", "ns"), id="numpy-NaT"),
    pytest.param(np.float32("nan"), id="numpy-float32-nan"),
    pytest.param(np.float16("nan"), id="numpy-float16-nan"),
]


@pytest.mark.parametrize("cell", EMPTY_CELLS)
def test_an_empty_cell_takes_the_default(cell: object) -> None:
    assert Template("Appt {date|soon}").render({"date": cell}) == "Appt soon"
    assert Template("Appt {date:%a %d %b|soon}").render({"date": cell}) == "Appt soon"
    assert Template("Fee {fee:.2f|n/a}").render({"fee": cell}) == "Fee n/a"


@pytest.mark.parametrize("cell", EMPTY_CELLS)
def test_an_empty_cell_without_a_default_is_a_missing_value(cell: object) -> None:
    with pytest.raises(TemplateError, match="missing value for field 'date'"):
        Template("Appt {date}").render({"date": cell})


def test_a_frame_row_with_an_empty_date_takes_the_default() -> None:
    frame = pd.DataFrame({"name": ["José", "Zoë"],
                          "date": pd.to_datetime(["2026-12-07 09:30", None])})
    template = Template("Hi {name}, your appointment is {date:%a %d %b|soon}.")
    rendered = [template.render(row) for row in frame.to_dict("records")]
    assert rendered == ["Hi José, your appointment is Mon 07 Dec.",
                        "Hi Zoë, your appointment is soon."]


def test_a_queued_request_keeps_an_empty_cell_as_no_value() -> None:
    # The outbox keeps a deferred request's values as JSON; NaT became the text "NaT".
    from smskit.messenger._results import _request_data, _request_from

    request = SendRequest(recipient="+12125550123", template=Template("Appt {date|soon}"),
                          values={"date": pd.NaT}, idempotency_key="k")
    again = _request_from(_request_data(request), "k")
    assert again.values["date"] is None
    assert again.template is not None
    assert again.template.render(again.values) == "Appt soon"


def test_a_value_that_is_its_own_value_is_still_rendered() -> None:
    at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    assert Template("{d:%H:%M}").render({"d": pd.Timestamp(at)}) == "09:30"
    assert Template("{n}").render({"n": np.float32(1.5)}) == "1.5"
    assert Template("{n}").render({"n": 0.0}) == "0.0"


def test_a_data_frame_given_as_recipients_is_named_with_the_fix() -> None:
    # Iterated, a pandas frame gives its column names: the error said "recipient 0 is a
    # str: for numbers alone, pass [...]", which is not what went wrong.
    from smskit.errors import ConfigurationError
    from smskit.pricing import RateCard, estimate

    card = RateCard.from_dict({"currency": "USD",
                               "countries": {"US": {"10dlc": {"sms_per_segment": "0.01"}}}})
    frame = pd.DataFrame({"number": ["+12125550123"], "first_name": ["José"]})
    with pytest.raises(ConfigurationError, match=r"to_dict\('records'\)") as caught:
        estimate(Template("Hi {first_name}"), rates=card, recipients=frame)
    assert caught.value.field == "recipients"
    assert "+1212" not in str(caught.value)
    rows = frame.to_dict("records")
    assert estimate(Template("Hi {first_name}"), rates=card, recipients=rows).messages == 1


@pytest.mark.parametrize("number", [61412345678, np.int64(447400123456)])
def test_a_number_read_as_an_integer_says_its_plus_was_lost(number: object) -> None:
    # pd.read_csv reads "+61412345678" as the integer 61412345678: the error said only
    # "too long", with nothing about the column's type.
    from smskit.errors import RecipientError
    from smskit.pricing import RateCard, estimate

    card = RateCard.from_dict({"currency": "USD",
                               "countries": {"*": {"international": {"sms_per_segment": "0.05"}}}})
    with pytest.raises(RecipientError, match=r"integer.*dtype=str") as caught:
        estimate("Hi", rates=card, recipients=[{"number": number}], route="international")
    assert (caught.value.row, caught.value.column) == (0, "number")
    assert str(number) not in str(caught.value)
