"""The two misprinted national-table positions: refused by default, Android's reading
by opt-in (``"kannada:android"``, ``"tamil:android"``); and grapheme clusters kept whole
in national-table GSM-7 parts.

Expected septets come from Android's GsmAlphabet.java (AOSP frameworks/opt/telephony),
whose Kannada locking table has KANNADA LETTER DDA (U+0CA1) at 0x24 and whose Tamil
single-shift table has TAMIL DIGIT EIGHT (U+0BEE) at 0x24; 3GPP TS 23.038 V18.0.0
prints PA and DIGIT NINE there, each a duplicate of another position.
"""

from __future__ import annotations

import pytest

from smskit.errors import ConfigurationError
from smskit.segments import Encoding, segment, unpack_septets

DDA = "\N{KANNADA LETTER DDA}"
KA = "\N{KANNADA LETTER KA}"
VOWEL_I = "\N{KANNADA VOWEL SIGN I}"
TAMIL_KA = "\N{TAMIL LETTER KA}"
TAMIL_EIGHT = "\N{TAMIL DIGIT EIGHT}"


def _septets(text: str, languages: tuple[str, ...]) -> bytes:
    part = segment(text, languages=languages).segments[0]
    fill = (7 - len(part.udh) * 8 % 7) % 7
    return unpack_septets(part.user_data[len(part.udh):], part.units, fill_bits=fill)


def test_kannada_dda_is_refused_by_default_and_sent_at_0x24_by_opt_in() -> None:
    text = DDA * 100  # over 70 UCS-2 units: the locking table would save a part
    spec = segment(text, languages=("kannada",))
    assert spec.encoding is Encoding.UCS2
    assert spec.segment_count == 2
    android = segment(text, languages=("kannada:android",))
    assert android.encoding is Encoding.GSM7
    assert android.segment_count == 1
    assert android.segments[0].udh == bytes([0x03, 0x25, 0x01, 0x07])  # locking, NLI 7
    assert _septets(text, ("kannada:android",)) == bytes([0x24]) * 100


def test_kannada_pa_is_sent_at_0x3d_in_both_modes() -> None:
    pa = "\N{KANNADA LETTER PA}" * 100
    assert _septets(pa, ("kannada",)) == bytes([0x3D]) * 100
    assert _septets(pa, ("kannada:android",)) == bytes([0x3D]) * 100


def test_tamil_digit_eight_is_refused_by_default_and_sent_as_esc_0x24_by_opt_in() -> None:
    text = TAMIL_KA * 80 + TAMIL_EIGHT
    assert segment(text, languages=("tamil",)).encoding is Encoding.UCS2
    android = segment(text, languages=("tamil:android",))
    assert android.encoding is Encoding.GSM7
    assert android.segment_count == 1
    assert _septets(text, ("tamil:android",))[-2:] == bytes([0x1B, 0x24])


def test_tamil_digit_nine_is_sent_at_esc_0x25_in_both_modes() -> None:
    text = TAMIL_KA * 80 + "\N{TAMIL DIGIT NINE}"
    for languages in (("tamil",), ("tamil:android",)):
        assert _septets(text, languages)[-2:] == bytes([0x1B, 0x25])


def test_the_suffix_is_refused_for_languages_without_a_misprint() -> None:
    with pytest.raises(ConfigurationError, match="only \\['kannada', 'tamil'\\]"):
        segment("hi", languages=("hindi:android",))
    with pytest.raises(ConfigurationError, match="unknown national language"):
        segment("hi", languages=("klingon:android",))


@pytest.mark.parametrize("languages", [("kannada",), ("kannada:android",)])
def test_grapheme_clusters_are_kept_whole_in_national_table_parts(
    languages: tuple[str, ...],
) -> None:
    # KA + VOWEL SIGN I is one user-perceived character (two septets). Parts hold
    # 149 septets, an odd number: a septet-exact cut would split a cluster.
    result = segment((KA + VOWEL_I) * 200, languages=languages)
    assert result.encoding is Encoding.GSM7
    assert result.locking_shift == languages[0]
    assert [len(p.text) for p in result.segments] == [148, 148, 104]
    for part in result.segments:
        assert part.text == (KA + VOWEL_I) * (len(part.text) // 2)
