"""Review of rev31c: a word made only of Cyrillic or Greek look-alikes is that script's
word in a text written in it.

"ТНС" (TNS energo, a Russian electricity supplier) is three Cyrillic capitals that each
look like a Latin letter, and Greek SMS are often written in capitals ("ΣΤΗΝ ΑΜΜΟ", on
the sand): read as Latin they were "THC" and "AMMO", restricted words, in ordinary
Russian and Greek texts. A text holding letters of those scripts with no Latin twin is
written in them; only a word mixing Latin letters and look-alikes ("wіne") is disguised.
"""

from __future__ import annotations

import pytest

from smskit.content import lint


def _restricted(text: str) -> list[tuple[str, object]]:
    return [(f.code, f.details["words"])
            for f in lint(text, purpose="informational", first_message=False)
            if f.code.startswith("content.restricted.")]


@pytest.mark.parametrize(
    "text",
    [
        "ТНС энерго: оплатите счёт до 10 числа.",  # "TNS energo: pay the bill by the 10th"
        "ΞΑΠΛΩΣΤΕ ΣΤΗΝ ΑΜΜΟ ΜΕ ΤΟ ΠΡΩΙΝΟ ΣΑΣ",  # "lie on the sand with your breakfast"
    ],
)
def test_a_word_of_look_alikes_in_a_cyrillic_or_greek_text_is_no_latin_word(
    text: str,
) -> None:
    assert _restricted(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # No letter of another script without a twin: the look-alikes stand for Latin.
        ("ХХХ videos tonight", ("content.restricted.sex", ("ххх",))),
        # A word mixing Latin letters and look-alikes is disguised, whatever the text.
        ("Купите w\u0456ne сегодня", ("content.restricted.alcohol", ("w\u0456ne",))),
    ],
)
def test_a_disguised_word_is_still_found(text: str, found: tuple[str, object]) -> None:
    assert _restricted(text) == [found]


# --- the ordinary-words default must not hide the listed meaning ------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # "price gun" is a labelling tool; "lowest price guns" is a gun shop's offer.
        ("Lowest price guns in town, this weekend only!",
         ("content.restricted.firearms", ("guns",))),
        ("Sale price guns: 20% off", ("content.restricted.firearms", ("guns",))),
        # A gas or water line hookup is a plumber's; "on line hookups" is a dating spam.
        ("Lonely? Meet on line hookups near you", ("content.restricted.sex", ("hookups",))),
        ("Free on-line hookup tonight", ("content.restricted.sex", ("hookup",))),
    ],
)
def test_the_ordinary_words_do_not_hide_the_listed_meaning(
    text: str, found: tuple[str, object]
) -> None:
    assert _restricted(text) == [found]


@pytest.mark.parametrize("text", [
    "Bring the price gun and the label gun to aisle 4.",
    "Gas line hookup done; water line hookups next week.",
])
def test_the_ordinary_tools_stay_clean(text: str) -> None:
    assert _restricted(text) == []
