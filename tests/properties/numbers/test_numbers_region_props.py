"""parse_number agrees with phonenumbers on validity and region (it computes the region once)."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
from hypothesis import given
from hypothesis import strategies as st

from smskit.errors import InvalidPhoneNumber
from smskit.numbers import parse_number, region_of

country_codes = st.sampled_from(["1", "44", "39", "33", "49", "52", "61", "7", "262", "590"])


def _example(region: str) -> str:
    example = phonenumbers.example_number(region)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


# Valid numbers with their last digits changed: mostly valid, in many NANP regions.
near_valid = st.builds(
    lambda number, tail: number[: -len(tail)] + tail,
    st.sampled_from([_example(r) for r in ("US", "CA", "PR", "JM", "GB", "GG", "IT", "FR", "RE")]),
    st.text(alphabet="0123456789", min_size=1, max_size=4),
)
random_digits = st.builds(
    lambda code, digits: f"+{code}{digits}",
    country_codes,
    st.text(alphabet="0123456789", min_size=4, max_size=12),
)


@given(st.one_of(near_valid, random_digits))
def test_validity_and_region_match_phonenumbers(text: str) -> None:
    parsed = phonenumbers.parse(text, "US")
    try:
        region = parse_number(text).region
    except InvalidPhoneNumber:
        assert not phonenumbers.is_valid_number(parsed)
    else:
        assert phonenumbers.is_valid_number(parsed)
        assert region == phonenumbers.region_code_for_number(parsed)


def _outcome(func: Callable[..., object], text: str, region: str) -> str:
    try:
        return str(func(text, region=region))
    except InvalidPhoneNumber as exc:
        return f"invalid:{exc.reason}"


@given(
    st.one_of(near_valid, random_digits, st.text(max_size=30)),
    st.sampled_from(["US", "GB", "ZZ"]),
)
def test_region_of_is_parse_number_region(text: str, region: str) -> None:
    # Same validation, same answer: a region, or the same reason for refusing.
    expected = _outcome(lambda t, region: parse_number(t, region=region).region, text, region)
    assert _outcome(region_of, text, region) == expected


@given(st.text(max_size=30))
def test_state_code_is_a_known_subdivision_or_none(written: str) -> None:
    # Whatever a state cell holds: None, or a code quiet hours accept as a region.
    from smskit.numbers._nanp import state_code
    from smskit.timing.quiet_hours import validate_region

    code = state_code(written)
    assert code is None or validate_region(code) == code


@given(st.sampled_from(["US", "CA"]), st.data())
def test_state_code_reads_every_subdivision_however_it_is_cased(
    country: str, data: st.DataObject
) -> None:
    from smskit.numbers._nanp import country_subdivisions, state_code

    code = data.draw(st.sampled_from(country_subdivisions(country)))
    short = code.split("-")[1]
    written = data.draw(st.sampled_from([code, short, short.lower(), f" {short} "]))
    assert state_code(written) == code


# The French names (OQLF) and Statistics Canada's abbreviations, typed by hand.
_CA_WRITTEN = [
    ("Colombie-Britannique", "CA-BC"), ("Nouveau-Brunswick", "CA-NB"),
    ("Terre-Neuve-et-Labrador", "CA-NL"), ("Nouvelle-Écosse", "CA-NS"),
    ("Île-du-Prince-Édouard", "CA-PE"), ("Territoires du Nord-Ouest", "CA-NT"),
    ("T.-N.-L.", "CA-NL"), ("Î.-P.-É.", "CA-PE"), ("Que.", "CA-QC"), ("Sask.", "CA-SK"),
    ("Alta.", "CA-AB"), ("C.-B.", "CA-BC"), ("N.W.T.", "CA-NT"), ("Nvt.", "CA-NU"),
]


@given(st.sampled_from(_CA_WRITTEN), st.data())
def test_state_code_reads_french_province_names_however_they_are_typed(
    entry: tuple[str, str], data: st.DataObject
) -> None:
    # Case, padding, hyphens typed as spaces (or spaces as hyphens), accents left out:
    # the province is the same.
    import unicodedata

    from smskit.numbers._nanp import state_code

    written, code = entry
    if data.draw(st.booleans()):
        written = "".join(c for c in unicodedata.normalize("NFD", written)
                          if not unicodedata.combining(c))
    if data.draw(st.booleans()):
        written = written.replace("-", " ")
    elif data.draw(st.booleans()):
        written = written.replace(" ", "-")
    written = data.draw(st.sampled_from([written, written.upper(), written.lower()]))
    pad = data.draw(st.sampled_from(["", " ", "  "]))
    assert state_code(pad + written + pad) == code


def test_a_code_s_letters_spaced_out_never_read_as_another_subdivision() -> None:
    # "N. E." is Nebraska's NE or nothing, never Nova Scotia (whose French "N.-É."
    # loses its accent and hyphen in the loose reading). Every code, every spacing.
    from smskit.numbers._nanp import country_subdivisions, state_code

    wrong = []
    for code in country_subdivisions("US") + country_subdivisions("CA"):
        first, second = code.split("-")[1]
        for gap in (" ", "-", ". ", ".-", "  "):
            for written in (f"{first}{gap}{second}", f"{first}{gap}{second}."):
                for cased in (written, written.lower()):
                    if state_code(cased) not in (None, code):
                        wrong.append((cased, state_code(cased)))
    assert wrong == []
