"""A +1 toll-free number written without "+1" takes a +1 ``region`` in any letter case
(rev27m).

``region_of`` reads ``region="ca"`` as Canada (it upper-cases the code), and so does
``smskit estimate --region ca``; but the toll-free rule compared the code as given, so
in the library and every frame adapter "800 555 0100" under ``region="ca"`` was priced
at the US rate and listed as a US guess, while ``region="CA"`` priced it as Canadian.
Amounts worked out by hand from the card below (US 0.01, CA 0.02 a segment).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _services import require_module
from smskit.pricing import RateCard, estimate

CARD = RateCard.from_toml("""
name = "toll-free region case"
currency = "USD"
[countries.US.10dlc]
sms_per_segment = "0.0100"
[countries.CA.10dlc]
sms_per_segment = "0.0200"
""")
NATIONAL = ["800 555 0100", "(833) 555-0101", "1-888-555-0106"]
CASES = ["ca", "Ca", "cA"]


@pytest.mark.parametrize("region", CASES)
@pytest.mark.parametrize("number", NATIONAL)
def test_estimate_reads_the_region_in_any_case(number: str, region: str) -> None:
    result = estimate("hi", rates=CARD, to=number, region=region)
    assert result.items[0].country == "CA"
    assert result.total == Decimal("0.0200")
    assert result.toll_free_as_us == ()


@given(region=st.sampled_from(["CA", "PR", "JM", "BS"]).flatmap(
    lambda code: st.tuples(*(st.sampled_from([c.lower(), c]) for c in code)).map("".join)),
    number=st.sampled_from(NATIONAL))
def test_the_region_s_case_never_changes_a_toll_free_reading(region: str, number: str) -> None:
    from smskit.pricing.campaign import toll_free_reading

    assert toll_free_reading(number, "US", region=region, toll_free_country=None) == (
        region.upper(), False)


@pytest.mark.parametrize("region", CASES)
def test_the_frame_adapters_read_the_region_in_any_case(region: str) -> None:
    pa: Any = require_module("pyarrow", "arrow")
    from smskit.frames.arrow import TOLL_FREE_AS_US, measure

    table = pa.table({"body": ["hi"] * len(NATIONAL), "to": NATIONAL})
    out = measure(table, text="body", rates=CARD, number="to", region=region)
    assert out.column("country").to_pylist() == ["CA"] * len(NATIONAL)
    assert TOLL_FREE_AS_US not in (out.schema.metadata or {})
    try:
        import duckdb
    except ImportError:
        return
    from smskit.frames.duckdb import register

    con = duckdb.connect()
    register(con, rates=CARD, region=region)
    rows = con.sql("select sms_country(n) from (values ('800 555 0100')) t(n)").fetchall()
    assert rows == [("CA",)]


@pytest.mark.parametrize("plus", ["+", "\uff0b"])  # "+" and the fullwidth plus "＋"
def test_a_toll_free_number_written_with_a_fullwidth_plus_one_ignores_the_region(
    plus: str,
) -> None:
    """``phonenumbers`` reads "＋" as "+": "＋1 800 555 0100" is written with its "+1", so
    the region (for numbers written without one) says nothing of it; it was read as
    written without, and priced as Canadian under ``region="CA"``."""
    result = estimate("hi", rates=CARD, to=f"{plus}1 800 555 0100", region="CA")
    assert result.items[0].country == "US"
    assert result.toll_free_as_us == (0,)


# The invisible direction marks a right-to-left app or spreadsheet puts before a number:
# LRM, RLM, LRE..RLO (U+202A-U+202E), LRI..PDI (U+2066-U+2069).
MARKS = ["\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]


@pytest.mark.parametrize("mark", MARKS, ids=lambda m: f"U+{ord(m):04X}")
def test_a_direction_mark_before_the_plus_one_does_not_hide_it(mark: str) -> None:
    """``parse_number`` drops direction marks before it reads the "+"; the toll-free rule
    read the raw text, so "<LRM>+1 800 555 0100" counted as written without "+1" and
    was priced as Canadian under ``region="CA"`` (fix31b). Written with "+1", the
    region says nothing of it: a US guess, as without the mark."""
    from smskit.pricing.campaign import toll_free_reading

    number = f"{mark}+1 800 555 0100"
    assert toll_free_reading(number, "US", region="CA", toll_free_country=None) == ("US", True)
    result = estimate("hi", rates=CARD, to=number, region="CA")
    assert result.items[0].country == "US"
    assert result.toll_free_as_us == (0,)
