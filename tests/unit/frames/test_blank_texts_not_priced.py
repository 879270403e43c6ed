"""A blank text costs nothing in every adapter, as in ``estimate()`` and ``smskit
estimate`` (review of user39).

``content.empty`` blocks an SMS with no visible character, so it is never sent; the
kernel priced it as one segment, so a CRM export with 11% empty bodies cost 35,262.12
in the adapters against 31,706.51 from ``smskit estimate``. Its cost is null now (not
priced, as a null text's); encoding, segments and units stay ``count_segments``'s.
Card (tests/_frames.py): a US SMS segment costs 0.0079 + 0.003 fee, a US MMS 0.02.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _frames import CARD_TOML
from _services import require_module
from smskit.cli import main
from smskit.pricing import RateCard, Template, estimate

pa: Any = require_module("pyarrow", "arrow")
from smskit.frames.arrow import PRICED_BY_DEFAULT, measure  # noqa: E402 - needs pyarrow

# "", spaces, an ideographic space, a tab and a line separator (blank as str.strip()
# reads it, as content.empty does), a zero-width space (not blank: plan sends it), null.
BODIES = ["Hello there", "", "   ", "\u3000\t\u2028", "\u200b", None]
PHONES = ["+14155550123", "+14155550124", "+14155550125", "+14155550126", "+14155550127",
          "+14155550128"]
SEGMENT = Decimal("0.0109")
COSTS = [SEGMENT, None, None, None, SEGMENT, None]


def test_the_kernel_gives_a_blank_text_no_cost(card: RateCard) -> None:
    out = measure(pa.table({"body": BODIES, "phone": PHONES}), text="body", rates=card,
                  number="phone")
    assert out.column("cost").to_pylist() == COSTS
    assert out.column("segments").to_pylist() == [1, 1, 1, 1, 1, None]  # count_segments
    assert out.column("country").to_pylist() == ["US"] * 6
    # on_error="null": not an error (a null text is none either), just nothing to send
    quiet = measure(pa.table({"body": BODIES, "phone": PHONES}), text="body", rates=card,
                    number="phone", on_error="null")
    assert quiet.column("cost").to_pylist() == COSTS
    assert quiet.column("error").to_pylist() == [None] * 6


def test_an_mms_may_carry_its_media_alone(card: RateCard) -> None:
    out = measure(pa.table({"body": BODIES, "phone": PHONES}), text="body", rates=card,
                  number="phone", kind="mms")
    assert out.column("cost").to_pylist() == [Decimal("0.02")] * 5 + [None]


def test_a_country_only_blank_rows_went_to_is_not_priced_by_default(card: RateCard) -> None:
    # DE has no price of its own (the "*" rate); its only row is blank: nothing priced.
    out = measure(pa.table({"body": ["Hi", " "], "phone": ["+14155550123", "+4930123456"]}),
                  text="body", rates=card, number="phone")
    assert PRICED_BY_DEFAULT not in (out.schema.metadata or {})


def test_every_entry_point_costs_the_same(
    card: RateCard, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = pa.table({"phone": PHONES, "msg": BODIES})
    kernel = measure(table, text="msg", rates=card, number="phone")
    assert sum(c for c in kernel.column("cost").to_pylist() if c is not None) == 2 * SEGMENT
    rows = [{"phone": p, "msg": b or ""} for p, b in zip(PHONES, BODIES, strict=True)]
    priced = estimate(Template("{msg}"), rates=card, recipients=rows, number_field="phone")
    assert priced.total == 2 * SEGMENT
    assert priced.blank_texts == (1, 2, 3, 5)  # the null is an empty cell here
    polars = require_module("polars", "polars")
    from smskit.frames.polars import sms_columns

    df = polars.from_arrow(table)
    out = df.select(sms_columns("msg", rates=card, number="phone").alias("s")).unnest("s")
    assert out["cost"].to_list() == COSTS
    duckdb = require_module("duckdb", "duckdb")
    from smskit.frames.duckdb import register

    con = duckdb.connect()
    register(con, rates=card)
    con.register("campaign", table)
    [(total,)] = con.sql("select sum(sms_cost(msg, sms_country(phone))) from campaign").fetchall()
    assert total == 2 * SEGMENT
    (tmp_path / "rates.toml").write_text(CARD_TOML, encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        "phone,msg\n" + "".join(f"{p},{b or ''}\n" for p, b in zip(PHONES, BODIES, strict=True)),
        encoding="utf-8",
    )
    assert main(["estimate", str(tmp_path / "c.csv"), "--rates", str(tmp_path / "rates.toml"),
                 "--template-text", "{msg}", "--json"]) == 0
    assert Decimal(json.loads(capsys.readouterr().out)["total"]) == 2 * SEGMENT


@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_spark(spark: Any, card: RateCard) -> None:
    from smskit.frames.spark import with_sms_columns

    df = spark.createDataFrame(list(zip(BODIES, PHONES, strict=True)), "body string, phone string")
    out = with_sms_columns(df, text="body", rates=card, number="phone")
    assert [row.cost for row in out.collect()] == COSTS


def test_the_kernel_reads_blank_as_str_strip_does() -> None:
    # Every character Python calls a space, and no other: one blank text each.
    import sys

    from smskit.frames import arrow

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    near = ["\u200b", "\u180e", "\ufeff", "a", "\x1b", "\u2060"]  # not spaces in Python
    found = pa.compute.match_substring_regex(pa.array(spaces + near), arrow._BLANK)
    assert found.to_pylist() == [True] * len(spaces) + [False] * len(near)


def test_only_rows_priced_count_as_toll_free_priced_as_us(card: RateCard) -> None:
    # review: TOLL_FREE_AS_US counted every row with a +1 toll-free number, a null or
    # blank text too, which has no cost; estimate() lists the rows it priced so.
    from smskit.frames.arrow import TOLL_FREE_AS_US

    toll_free = "+18005550100"
    out = measure(pa.table({"body": ["Hi", None, " "], "phone": [toll_free] * 3}),
                  text="body", rates=card, number="phone")
    assert out.schema.metadata[TOLL_FREE_AS_US] == b"1"
    rows = [{"number": toll_free, "msg": m} for m in ("Hi", " ")]
    assert estimate(Template("{msg}"), rates=card, recipients=rows).toll_free_as_us == (0,)
