"""The GSM 03.38 tables, encode/decode, septet packing and the codec."""

from __future__ import annotations

import codecs

import pytest

from smskit import ConfigurationError, EncodingError
from smskit.segments.encoding import (
    Encoding,
    NonGsmCharacter,
    detect_encoding,
    gsm7_decode,
    gsm7_encode,
    non_gsm_characters,
    pack_septets,
    unpack_septets,
)

# Positions read off the table in TS 23.038 6.2.1 (column, row -> septet).
SPEC_POSITIONS = {
    "@": 0x00, "£": 0x01, "$": 0x02, "¥": 0x03, "è": 0x04, "é": 0x05, "ù": 0x06, "ì": 0x07,
    "ò": 0x08, "Ç": 0x09, "\n": 0x0A, "Ø": 0x0B, "ø": 0x0C, "\r": 0x0D, "Å": 0x0E, "å": 0x0F,
    "Δ": 0x10, "_": 0x11, "Φ": 0x12, "Γ": 0x13, "Λ": 0x14, "Ω": 0x15, "Π": 0x16, "Ψ": 0x17,
    "Σ": 0x18, "Θ": 0x19, "Ξ": 0x1A, "Æ": 0x1C, "æ": 0x1D, "ß": 0x1E, "É": 0x1F,
    " ": 0x20, "¤": 0x24, "0": 0x30, "?": 0x3F, "¡": 0x40, "A": 0x41, "Z": 0x5A,
    "Ä": 0x5B, "Ö": 0x5C, "Ñ": 0x5D, "Ü": 0x5E, "§": 0x5F, "¿": 0x60, "a": 0x61, "z": 0x7A,
    "ä": 0x7B, "ö": 0x7C, "ñ": 0x7D, "ü": 0x7E, "à": 0x7F,
}
# TS 23.038 6.2.1.1, the extension table (after ESC 0x1B).
SPEC_EXTENSION = {
    "\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D, "]": 0x3E,
    "|": 0x40, "€": 0x65,
}


@pytest.mark.parametrize(("char", "code"), SPEC_POSITIONS.items())
def test_basic_table_positions(char: str, code: int) -> None:
    assert gsm7_encode(char) == bytes([code])
    assert gsm7_decode(bytes([code])) == char


@pytest.mark.parametrize(("char", "code"), SPEC_EXTENSION.items())
def test_extension_table_positions(char: str, code: int) -> None:
    assert gsm7_encode(char) == bytes([0x1B, code])
    assert gsm7_decode(bytes([0x1B, code])) == char


@pytest.mark.parametrize("char", ["ç", "á", "í", "ó", "ú", "`", "\t", "\x1b", "ê", "õ", "ı", "Ğ"])
def test_characters_outside_both_tables(char: str) -> None:
    assert detect_encoding(char) is Encoding.UCS2
    with pytest.raises(EncodingError) as info:
        gsm7_encode("ab" + char)
    assert info.value.position == 2
    assert info.value.char == char
    assert "position 2" in str(info.value)


def test_every_basic_position_but_escape_is_a_character() -> None:
    decoded = gsm7_decode(bytes(c for c in range(128) if c != 0x1B))
    assert len(decoded) == 127
    assert len(set(decoded)) == 127


def test_encoding_names() -> None:
    assert str(Encoding.GSM7) == "GSM-7"
    assert str(Encoding.UCS2) == "UCS-2"
    assert Encoding("gsm7") is Encoding.GSM7


def test_non_gsm_characters_reports_each_with_positions() -> None:
    assert non_gsm_characters("Olá, José! ça va? á") == (
        NonGsmCharacter("á", (2, 18)),
        NonGsmCharacter("ç", (11,)),
    )
    assert non_gsm_characters("plain € [ok]") == ()


def test_packing_example_hellohello() -> None:
    # The worked example of the "SMS and the PDU format" tutorial (dreamfabric.com),
    # checked by hand against the bit layout of TS 23.038 6.1.2.1.1: h = 1101000,
    # e = 1100101 -> octet 1 = (e bit 0) h = 1 1101000 = 0xE8; octet 2 = 00 110010 = 0x32.
    assert pack_septets(gsm7_encode("hellohello")) == bytes.fromhex("E8329BFD4697D9EC37")
    assert gsm7_decode(unpack_septets(bytes.fromhex("E8329BFD4697D9EC37"), 10)) == "hellohello"


def test_packing_layout_by_hand() -> None:
    # TS 23.038 6.1.2.1.1: septet 1 fills bits 1-7 of octet 1, its 8th bit is bit 1 of
    # septet 2, ... so 8 septets fill exactly 7 octets.
    assert pack_septets(bytes([0x7F] * 8)) == bytes([0xFF] * 7)
    assert pack_septets(bytes([0x00] * 8)) == bytes(7)
    # One septet 0x61 ('a'): 1100001 -> octet 0x61, top bit 0.
    assert pack_septets(b"\x61") == b"\x61"
    # After a 6-octet UDH one fill bit aligns the first septet: 'a' << 1 = 0xC2.
    assert pack_septets(b"\x61", fill_bits=1) == b"\xc2"
    # 'aa' with 1 fill bit: bits = 0 | 1000011 | 1000011 (LSB first) -> 0xC2, 0x61.
    assert pack_septets(b"\x61\x61", fill_bits=1) == b"\xc2\x61"


def test_unpack_count_must_fit() -> None:
    with pytest.raises(ValueError, match="count must be 0 to"):
        unpack_septets(b"\x00", 2)
    with pytest.raises(ValueError, match="fill_bits"):
        pack_septets(b"a", fill_bits=7)
    with pytest.raises(ValueError, match="0x00-0x7F"):
        pack_septets(b"\x80")


def test_decode_error_modes() -> None:
    assert gsm7_decode(b"Zo\x80", "replace") == "Zo\ufffd"
    assert b"Zo\x80\x1b".decode("gsm03.38", "ignore") == "Zo"
    assert b"A\x1b".decode("gsm03.38", "replace") == "A\ufffd"
    with pytest.raises(ConfigurationError) as info:
        "a".encode("gsm03.38", errors="xmlcharrefreplace")
    assert info.value.field == "errors"


def test_decode_rules() -> None:
    # An escape before a code the extension table lacks reads as the basic character.
    assert gsm7_decode(b"\x1b\x41") == "A"
    with pytest.raises(EncodingError, match="escape"):
        gsm7_decode(b"A\x1b")
    with pytest.raises(EncodingError, match="0x80"):
        gsm7_decode(b"\x80")


def test_codec_registered_with_aliases() -> None:
    assert "Hi €".encode("gsm03.38") == b"\x48\x69\x20\x1b\x65"
    assert b"\x48\x69".decode("gsm0338") == "Hi"
    assert codecs.lookup("GSM-7").name == "gsm03.38"
    assert "ça".encode("gsm03.38", errors="replace") == b"?a"
    assert "ça".encode("gsm03.38", errors="ignore") == b"a"
    with pytest.raises(EncodingError):
        "ça".encode("gsm03.38")


@pytest.mark.parametrize("bad", [None, b"bytes", 5])
def test_non_str_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="takes a str"):
        detect_encoding(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes a str"):
        gsm7_encode(bad)  # type: ignore[arg-type]
