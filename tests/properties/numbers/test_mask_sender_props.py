"""No phone number survives ``mask_sender`` in full, however it is written (rev26o).

``mask_sender`` only masked a sender that was a number and nothing else, so one
followed by an extension (``+1 (212) 555-0199 ext 5``), written in another script's
digits (Arabic-Indic, full-width) or inside a ``tel:`` URI with parameters came back
whole, in every ``repr``, finding and CLI line that shows a sending identity.
The property: at most the country code as written, the last two digits and a short
extension are shown.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from smskit.numbers import mask_sender

#: Digit sets people (and phone keyboards) write numbers in; phonenumbers reads all.
SCRIPTS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "０１２３４５６７８９", "०१२३४५६७८९")
PREFIXES = ("", "tel:", "whatsapp:", "sms:", "rcs:")
SEPARATORS = ("", " ", "-", ".", "/", " - ")
EXTENSIONS = ("", " ext 5", " ext. 12", " x5", "x12", ";ext=5", "#5", ",5", " extension 42",
              " (ext 7)", " ext 123", " ext 9876")


def _digits(text: str) -> str:
    return "".join(str(unicodedata.digit(c)) for c in text if c.isdecimal())


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[str, str, str]:
    """(as written, the country code as written, the extension's digits)."""
    code = draw(st.sampled_from(("", "1", "44", "33", "353")))
    national = draw(st.text("0123456789", min_size=7, max_size=12))
    cut = sorted(draw(st.lists(st.integers(1, len(national) - 1), max_size=3, unique=True)))
    sep = draw(st.sampled_from(SEPARATORS))
    groups = [national[a:b] for a, b in zip([0, *cut], [*cut, len(national)], strict=True)]
    if draw(st.booleans()) and len(groups) > 1:
        groups[0] = f"({groups[0]})"
    body = sep.join(groups)
    lead = draw(st.sampled_from(("+", "00"))) if code else ""
    number = f"{lead}{code}{draw(st.sampled_from(('', ' ')))}{body}" if code else body
    script = draw(st.sampled_from(SCRIPTS))
    number = number.translate(str.maketrans("0123456789", script))
    ext = draw(st.sampled_from(EXTENSIONS))
    prefix = draw(st.sampled_from(PREFIXES))
    return prefix + number + ext, ("00" if lead == "00" else "") + code, _digits(ext)


@given(written_numbers())
@example(("+1 (212) 555-0199 ext 5", "1", "5"))
@example(("tel:+1-212-555-0199;ext=5", "1", "5"))
@example(("+١ ٢١٢ ٥٥٥ ٠١٩٩", "1", ""))
def test_no_full_number_survives_mask_sender(case: tuple[str, str, str]) -> None:
    written, code, ext = case
    shown = _digits(mask_sender(written))
    # At most: the country code (1 digit of a number written without one), the last two
    # digits, and the extension.
    assert len(shown) <= max(len(code), 1) + 2 + len(ext), (written, mask_sender(written))


@pytest.mark.parametrize(
    ("sender", "shown"),
    [
        ("+1 (212) 555-0199 ext 5", "+1********99 ext 5"),
        ("tel:+12125550199;ext=5", "tel:+1********99;ext=5"),
        ("MG0123456789abcdef", "MG0123456789abcdef"),  # a messaging service: a public name
        ("12345", "12345"),
        ("Acme", "Acme"),
    ],
)
def test_a_number_with_an_extension_is_masked_and_public_names_are_not(
    sender: str, shown: str
) -> None:
    assert mask_sender(sender) == shown
