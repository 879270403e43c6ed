"""Generate src/smskit/segments/_grapheme_data.py from the `regex` module's Unicode properties.

    python tools/gen_grapheme.py          # rewrite the module
    python tools/gen_grapheme.py --check  # exit 1 if the committed module is stale

The segmenter needs to know, at C speed, whether a text holds any character that can
make a grapheme cluster of several code points (UAX #29: Extend, ZWJ, SpacingMark,
Prepend, Regional_Indicator, Hangul L/V/T/LV/LVT, and conjunct linkers). `regex` answers
per character but slowly; a stdlib `re` class built from these ranges answers fast.
tests/test_generated.py regenerates the table and compares it with the committed one,
so a `regex` upgrade with a new Unicode version shows up as a failing test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import regex

TARGET = Path(__file__).resolve().parents[1] / "src/smskit/segments/_grapheme_data.py"
JOINER = regex.compile(
    r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
    r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}"
    r"\p{InCB=Linker}]"
)


def joiner_ranges() -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF or not JOINER.match(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def render() -> str:
    rows = "\n".join(f"    (0x{low:04X}, 0x{high:04X})," for low, high in joiner_ranges())
    return (
        '"""Characters that can join a grapheme cluster (generated: do not edit).\n\n'
        "Written by tools/gen_grapheme.py from the `regex` module's Unicode properties;\n"
        "tests/test_generated.py fails when `regex` moves to a Unicode version that\n"
        "changes them: run the tool again.\n"
        '"""\n\n'
        "from __future__ import annotations\n\n"
        "#: Inclusive code point ranges of UAX #29 joiners (see tools/gen_grapheme.py).\n"
        f"JOINER_RANGES: tuple[tuple[int, int], ...] = (\n{rows}\n)\n"
    )


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
