"""A file name given to ``RateCard.from_toml``/``from_json`` says to use ``load`` (user29).

``RateCard.from_toml("rates.toml")`` parsed the name as TOML and answered "rate card is
not valid TOML: Expected '=' after a key in a key/value pair (at end of document)",
which sent a newcomer to look for a mistake in a file that was never read.
``SenderProfile.from_toml`` already says what to do with a file name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smskit import RateCard
from smskit.errors import RateCardError


@pytest.mark.parametrize("name", ["rates.toml", "cards/rates.TOML", "/srv/crm/rates.json"])
@pytest.mark.parametrize("method", ["from_toml", "from_json"])
def test_a_file_name_says_to_use_load(name: str, method: str) -> None:
    with pytest.raises(RateCardError, match=r"looks like a file name: RateCard\.load\("):
        getattr(RateCard, method)(name)


def test_a_path_says_to_use_load(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"RateCard\.load"):
        RateCard.from_toml(tmp_path / "rates.toml")  # type: ignore[arg-type]


def test_toml_text_still_parses() -> None:
    card = RateCard.from_toml('currency = "USD"\n[countries.US.10dlc]\nsms_per_segment = 0.01\n')
    assert card.currency == "USD"


def test_a_one_line_toml_text_that_ends_in_toml_is_still_toml() -> None:
    # A value ending in ".toml" on a line of its own is TOML, not a file name.
    with pytest.raises(RateCardError, match="currency"):
        RateCard.from_toml('name = "rates.toml"')
