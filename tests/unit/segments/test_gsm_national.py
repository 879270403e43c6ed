"""National language shift tables (3GPP TS 23.038 Annex A).

Expected characters are written out by hand from the spec's tables (clause A.2.x single
shift, A.3.x locking shift), column by column; Indic letters by their Unicode names so a
reader can check them without a font.
"""

from __future__ import annotations

from collections import Counter

import pytest

from smskit.segments._gsm_national import NATIONAL_TABLES, SPEC_TYPOS, _grid

IDENTIFIERS = {
    "turkish": 1,
    "spanish": 2,
    "portuguese": 3,
    "bengali": 4,
    "gujarati": 5,
    "hindi": 6,
    "kannada": 7,
    "malayalam": 8,
    "oriya": 9,
    "punjabi": 10,
    "tamil": 11,
    "telugu": 12,
    "urdu": 13,
}
INDIC_AND_URDU = [name for name, nli in IDENTIFIERS.items() if nli >= 4]

# Symbols every single shift table keeps where the default extension table has them.
DEFAULT_EXTENSION_SYMBOLS = {
    0x0A: "\x0c",
    0x14: "^",
    0x28: "{",
    0x29: "}",
    0x2F: "\\",
    0x3C: "[",
    0x3D: "~",
    0x3E: "]",
    0x40: "|",
    0x65: "€",
}


def locking(language: str) -> tuple[str | None, ...]:
    table = NATIONAL_TABLES[language].locking
    assert table is not None
    return table


# --- identifiers and shape ---------------------------------------------------------------


def test_languages_and_identifiers_match_clause_6_2_1_2_4() -> None:
    assert {name: t.identifier for name, t in NATIONAL_TABLES.items()} == IDENTIFIERS


@pytest.mark.parametrize("language", list(IDENTIFIERS))
def test_key_is_the_language_name(language: str) -> None:
    assert NATIONAL_TABLES[language].language == language


def test_only_spanish_lacks_a_locking_table() -> None:
    missing = [name for name, t in NATIONAL_TABLES.items() if t.locking is None]
    assert missing == ["spanish"]


@pytest.mark.parametrize("language", [n for n in IDENTIFIERS if n != "spanish"])
def test_locking_table_has_128_entries_with_escape_lf_cr(language: str) -> None:
    table = locking(language)
    assert len(table) == 128
    assert table[0x1B] is None
    assert table[0x0A] == "\n"
    assert table[0x0D] == "\r"


@pytest.mark.parametrize("language", list(IDENTIFIERS))
def test_single_table_has_no_escape_no_cr2_and_keeps_default_symbols(language: str) -> None:
    single = NATIONAL_TABLES[language].single
    assert 0x1B not in single
    assert 0x0D not in single
    assert all(0 <= code < 128 for code in single)
    for code, char in DEFAULT_EXTENSION_SYMBOLS.items():
        assert single[code] == char


@pytest.mark.parametrize("language", list(IDENTIFIERS))
def test_every_entry_is_one_code_point_and_no_stray_control(language: str) -> None:
    t = NATIONAL_TABLES[language]
    chars = list(t.single.values()) + [c for c in t.locking or () if c is not None]
    for char in chars:
        assert len(char) == 1
        assert char in "\n\r\x0c" or ord(char) >= 0x20


@pytest.mark.parametrize("language", list(IDENTIFIERS))
def test_source_names_the_spec_clauses(language: str) -> None:
    nli = IDENTIFIERS[language]
    source = NATIONAL_TABLES[language].source
    assert "23.038" in source
    assert f"A.2.{nli}" in source
    assert f"A.3.{nli}" in source


def test_tables_are_read_only() -> None:
    with pytest.raises(TypeError):
        NATIONAL_TABLES["klingon"] = NATIONAL_TABLES["turkish"]  # type: ignore[index]
    with pytest.raises(TypeError):
        NATIONAL_TABLES["turkish"].single[0x00] = "x"  # type: ignore[index]


# --- duplicates: only where the spec itself repeats a character --------------------------


def duplicates(chars: list[str]) -> set[str]:
    return {char for char, n in Counter(chars).items() if n > 1}


@pytest.mark.parametrize("language", list(IDENTIFIERS))
def test_single_table_repeats_only_what_the_spec_repeats(language: str) -> None:
    repeated = duplicates(list(NATIONAL_TABLES[language].single.values()))
    if language in ("turkish", "spanish", "portuguese"):
        assert repeated == set()
    elif language == "tamil":
        # A.2.11 prints TAMIL DIGIT NINE at 0x24 and 0x25 (see SPEC_TYPOS).
        assert repeated == {"¡", "*", "\N{TAMIL DIGIT NINE}"}
    else:
        # Every Indic/Urdu single shift table has ¡ at 0x13 and 0x15, * at 0x0B and 0x18.
        assert repeated == {"¡", "*"}


@pytest.mark.parametrize("language", [n for n in IDENTIFIERS if n != "spanish"])
def test_locking_table_repeats_only_what_the_spec_repeats(language: str) -> None:
    repeated = duplicates([c for c in locking(language) if c is not None])
    if language == "kannada":
        assert repeated == {"\N{KANNADA LETTER PA}"}
    else:
        assert repeated == set()


@pytest.mark.parametrize("language", INDIC_AND_URDU)
def test_indic_single_repeats_sit_where_the_spec_has_them(language: str) -> None:
    single = NATIONAL_TABLES[language].single
    assert single[0x13] == single[0x15] == "¡"
    assert single[0x0B] == single[0x18] == "*"


def test_spec_typos_are_duplicates_of_another_septet() -> None:
    assert {(t.language, t.table, t.septet) for t in SPEC_TYPOS} == {
        ("kannada", "locking", 0x24),
        ("tamil", "single", 0x24),
    }
    for typo in SPEC_TYPOS:
        tables = NATIONAL_TABLES[typo.language]
        if typo.table == "locking":
            assert tables.locking is not None
            cells: dict[int, str | None] = dict(enumerate(tables.locking))
        else:
            cells = dict(tables.single)
        assert cells[typo.septet] == typo.spec_char
        assert cells[typo.duplicate_of] == typo.spec_char
        assert typo.usual_char not in cells.values()


# --- Turkish (A.3.1, A.2.1) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("septet", "char"),
    [
        (0x00, "@"),
        (0x04, "€"),
        (0x05, "é"),
        (0x07, "ı"),
        (0x09, "Ç"),
        (0x0B, "Ğ"),
        (0x0C, "ğ"),
        (0x0E, "Å"),
        (0x1C, "Ş"),
        (0x1D, "ş"),
        (0x1E, "ß"),
        (0x24, "¤"),
        (0x40, "İ"),
        (0x5F, "§"),
        (0x60, "ç"),
        (0x7F, "à"),
    ],
)
def test_turkish_locking(septet: int, char: str) -> None:
    assert locking("turkish")[septet] == char


def test_turkish_single_is_exactly_the_spec_table() -> None:
    assert dict(NATIONAL_TABLES["turkish"].single) == {
        0x0A: "\x0c",
        0x14: "^",
        0x28: "{",
        0x29: "}",
        0x2F: "\\",
        0x3C: "[",
        0x3D: "~",
        0x3E: "]",
        0x40: "|",
        0x47: "Ğ",
        0x49: "İ",
        0x53: "Ş",
        0x63: "ç",
        0x65: "€",
        0x67: "ğ",
        0x69: "ı",
        0x73: "ş",
    }


# --- Spanish (A.2.2; A.3.2 void) ---------------------------------------------------------


def test_spanish_single_is_exactly_the_spec_table() -> None:
    assert dict(NATIONAL_TABLES["spanish"].single) == {
        0x09: "ç",
        0x0A: "\x0c",
        0x14: "^",
        0x28: "{",
        0x29: "}",
        0x2F: "\\",
        0x3C: "[",
        0x3D: "~",
        0x3E: "]",
        0x40: "|",
        0x41: "Á",
        0x49: "Í",
        0x4F: "Ó",
        0x55: "Ú",
        0x61: "á",
        0x65: "€",
        0x69: "í",
        0x6F: "ó",
        0x75: "ú",
    }


# --- Portuguese (A.3.3, A.2.3) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("septet", "char"),
    [
        (0x04, "ê"),
        (0x06, "ú"),
        (0x07, "í"),
        (0x08, "ó"),
        (0x09, "ç"),
        (0x0B, "Ô"),
        (0x0C, "ô"),
        (0x0E, "Á"),
        (0x0F, "á"),
        (0x12, "ª"),
        (0x13, "Ç"),
        (0x14, "À"),
        (0x15, "∞"),
        (0x16, "^"),
        (0x17, "\\"),
        (0x18, "€"),
        (0x19, "Ó"),
        (0x1A, "|"),
        (0x1C, "Â"),
        (0x1D, "â"),
        (0x1E, "Ê"),
        (0x24, "º"),
        (0x40, "Í"),
        (0x5B, "Ã"),
        (0x5C, "Õ"),
        (0x5D, "Ú"),
        (0x60, "~"),
        (0x7B, "ã"),
        (0x7C, "õ"),
        (0x7D, "`"),
    ],
)
def test_portuguese_locking(septet: int, char: str) -> None:
    assert locking("portuguese")[septet] == char


def test_portuguese_single_is_exactly_the_spec_table() -> None:
    assert dict(NATIONAL_TABLES["portuguese"].single) == {
        0x05: "ê",
        0x09: "ç",
        0x0A: "\x0c",
        0x0B: "Ô",
        0x0C: "ô",
        0x0E: "Á",
        0x0F: "á",
        0x12: "Φ",
        0x13: "Γ",
        0x14: "^",
        0x15: "Ω",
        0x16: "Π",
        0x17: "Ψ",
        0x18: "Σ",
        0x19: "Θ",
        0x1F: "Ê",
        0x28: "{",
        0x29: "}",
        0x2F: "\\",
        0x3C: "[",
        0x3D: "~",
        0x3E: "]",
        0x40: "|",
        0x41: "À",
        0x49: "Í",
        0x4F: "Ó",
        0x55: "Ú",
        0x5B: "Ã",
        0x5C: "Õ",
        0x61: "Â",
        0x65: "€",
        0x69: "í",
        0x6F: "ó",
        0x75: "ú",
        0x7B: "ã",
        0x7C: "õ",
        0x7F: "â",
    }


# --- Indic and Urdu (A.3.4-A.3.13, A.2.4-A.2.13) -----------------------------------------


@pytest.mark.parametrize("language", INDIC_AND_URDU)
def test_indic_locking_shares_ascii_punctuation_digits_and_small_letters(language: str) -> None:
    table = locking(language)
    fixed = {0x20: " ", 0x21: "!", 0x28: ")", 0x29: "(", 0x2C: ",", 0x2E: ".", 0x3A: ":"}
    fixed |= {0x3B: ";", 0x3F: "?"}
    for septet, char in fixed.items():
        assert table[septet] == char
    assert "".join(str(table[s]) for s in range(0x30, 0x3A)) == "0123456789"
    assert "".join(str(table[s]) for s in range(0x61, 0x7B)) == "abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize("language", INDIC_AND_URDU)
def test_indic_single_has_latin_capitals(language: str) -> None:
    single = NATIONAL_TABLES[language].single
    assert "".join(single[s] for s in range(0x41, 0x5B)) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.mark.parametrize(
    ("language", "septet", "char"),
    [
        ("bengali", 0x00, "\N{BENGALI SIGN CANDRABINDU}"),
        ("bengali", 0x03, "\N{BENGALI LETTER A}"),
        ("bengali", 0x0C, None),
        ("bengali", 0x4E, "\N{BENGALI SIGN NUKTA}"),
        ("bengali", 0x5F, "\N{BENGALI SIGN VIRAMA}"),
        ("bengali", 0x60, "\N{BENGALI LETTER KHANDA TA}"),
        ("bengali", 0x7C, "\N{BENGALI LETTER RRA}"),
        ("bengali", 0x7D, "\N{BENGALI LETTER RHA}"),
        ("gujarati", 0x00, "\N{GUJARATI SIGN CANDRABINDU}"),
        ("gujarati", 0x0C, "\N{GUJARATI VOWEL CANDRA E}"),
        ("gujarati", 0x60, "\N{GUJARATI OM}"),
        ("gujarati", 0x7F, "\N{GUJARATI RUPEE SIGN}"),
        ("hindi", 0x00, "\N{DEVANAGARI SIGN CANDRABINDU}"),
        ("hindi", 0x3C, "\N{DEVANAGARI LETTER NNNA}"),
        ("hindi", 0x4E, "\N{DEVANAGARI SIGN NUKTA}"),
        ("hindi", 0x60, "\N{DEVANAGARI OM}"),
        ("hindi", 0x7F, "\N{DEVANAGARI LETTER BBA}"),
        ("kannada", 0x00, None),
        ("kannada", 0x01, "\N{KANNADA SIGN ANUSVARA}"),
        ("kannada", 0x24, "\N{KANNADA LETTER PA}"),  # spec typo, see SPEC_TYPOS
        ("kannada", 0x3D, "\N{KANNADA LETTER PA}"),
        ("malayalam", 0x00, None),
        ("malayalam", 0x4E, None),
        ("malayalam", 0x60, "\N{MALAYALAM AU LENGTH MARK}"),
        ("malayalam", 0x7F, "\N{MALAYALAM DATE MARK}"),
        ("oriya", 0x00, "\N{ORIYA SIGN CANDRABINDU}"),
        ("oriya", 0x4E, "\N{ORIYA SIGN NUKTA}"),
        ("oriya", 0x7F, "\N{ORIYA VOWEL SIGN VOCALIC LL}"),
        ("punjabi", 0x09, None),
        ("punjabi", 0x60, "\N{GURMUKHI SIGN UDAAT}"),
        ("punjabi", 0x7F, "\N{GURMUKHI EK ONKAR}"),
        ("tamil", 0x00, None),
        ("tamil", 0x01, "\N{TAMIL SIGN ANUSVARA}"),
        ("tamil", 0x25, None),
        ("tamil", 0x3C, "\N{TAMIL LETTER NNNA}"),
        ("tamil", 0x7F, "\N{TAMIL RUPEE SIGN}"),
        ("telugu", 0x00, "\N{TELUGU SIGN CANDRABINDU}"),
        ("telugu", 0x60, "\N{TELUGU LENGTH MARK}"),
        ("urdu", 0x00, "\N{ARABIC LETTER ALEF}"),
        ("urdu", 0x5D, "\N{ARABIC KASRA}"),
        ("urdu", 0x5E, "\N{ARABIC DAMMA}"),
        ("urdu", 0x7F, "\N{ARABIC LETTER SUPERSCRIPT ALEF}"),
    ],
)
def test_indic_locking(language: str, septet: int, char: str | None) -> None:
    assert locking(language)[septet] == char


@pytest.mark.parametrize(
    ("language", "septet", "char"),
    [
        ("bengali", 0x19, "\N{BENGALI DIGIT ZERO}"),
        ("bengali", 0x1C, "\N{BENGALI DIGIT TWO}"),
        ("bengali", 0x24, "\N{BENGALI LETTER YYA}"),
        ("gujarati", 0x19, "\N{DEVANAGARI DANDA}"),
        ("gujarati", 0x1A, "\N{DEVANAGARI DOUBLE DANDA}"),
        ("gujarati", 0x1C, "\N{GUJARATI DIGIT ZERO}"),
        ("hindi", 0x1C, "\N{DEVANAGARI DIGIT ZERO}"),
        ("hindi", 0x26, "\N{DEVANAGARI STRESS SIGN UDATTA}"),
        ("hindi", 0x27, "\N{DEVANAGARI STRESS SIGN ANUDATTA}"),
        ("hindi", 0x2C, "\N{DEVANAGARI LETTER QA}"),
        ("kannada", 0x26, "\N{KANNADA LETTER FA}"),
        ("malayalam", 0x26, "\N{MALAYALAM NUMBER TEN}"),
        ("oriya", 0x26, "\N{ORIYA LETTER RRA}"),
        ("punjabi", 0x2D, "\N{GURMUKHI SIGN YAKASH}"),
        ("tamil", 0x1C, "\N{TAMIL DIGIT ZERO}"),
        ("tamil", 0x24, "\N{TAMIL DIGIT NINE}"),  # spec typo, see SPEC_TYPOS
        ("tamil", 0x25, "\N{TAMIL DIGIT NINE}"),
        ("telugu", 0x22, "\N{TELUGU DIGIT SIX}"),
        ("telugu", 0x23, "\N{TELUGU DIGIT SEVEN}"),
        ("urdu", 0x19, "\N{ARABIC NUMBER SIGN}"),
        ("urdu", 0x1C, "\N{EXTENDED ARABIC-INDIC DIGIT ZERO}"),
        ("urdu", 0x3F, "\N{ARABIC FULL STOP}"),
    ],
)
def test_indic_single(language: str, septet: int, char: str) -> None:
    assert NATIONAL_TABLES[language].single[septet] == char


def test_telugu_single_has_no_danda() -> None:
    single = NATIONAL_TABLES["telugu"].single
    assert 0x19 not in single
    assert 0x1A not in single


# --- the grid reader ------------------------------------------------------------------------


def grid_text(rows: list[list[str]]) -> str:
    return "\n".join(" ".join(row) for row in rows)


def blank_rows() -> list[list[str]]:
    rows = [["--"] * 8 for _ in range(16)]
    rows[0xB][1] = "ESC"
    return rows


def test_grid_reads_column_major_like_the_spec() -> None:
    rows = blank_rows()
    rows[0x3][0x4] = "C"  # column 0x40, line 0x3 -> septet 0x43
    rows[0x0][0x2] = "SP"
    rows[0xF][0x7] = "U+0BF9"
    cells = _grid(grid_text(rows))
    assert cells[0x43] == "C"
    assert cells[0x20] == " "
    assert cells[0x7F] == "\N{TAMIL RUPEE SIGN}"
    assert cells[0x1B] is None
    assert sum(c is not None for c in cells) == 3


@pytest.mark.parametrize(
    "breakage",
    [
        lambda rows: rows.pop(),  # 15 lines
        lambda rows: rows[0].append("x"),  # 9 cells
        lambda rows: rows[0].__setitem__(0, "xy"),  # not a cell
        lambda rows: rows[0].__setitem__(0, "ESC"),  # escape away from 0x1B
        lambda rows: rows[0xB].__setitem__(1, "--"),  # 0x1B not marked as the escape
        lambda rows: rows[0x0].__setitem__(1, "CR2"),  # CR2 away from 0x0D
    ],
)
def test_grid_rejects_malformed_tables(breakage: object) -> None:
    rows = blank_rows()
    breakage(rows)  # type: ignore[operator]
    with pytest.raises(ValueError, match="national table"):
        _grid(grid_text(rows))


def test_docs_example_fits_the_turkish_locking_table_but_not_the_default_alphabet() -> None:
    text = "Günaydın, İstanbul! Şehir çok güzel."
    assert set(text) <= set(locking("turkish"))
    # ı, İ and Ş are what the default alphabet lacks (TS 23.038 clause 6.2.1).
    assert {"ı", "İ", "Ş"} <= set(text)
