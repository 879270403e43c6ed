"""Property tests for the national table grid reader."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smskit.segments._gsm_national import _grid

# A cell value as the tables hold it: a character or None (unassigned).
_cells = st.one_of(
    st.none(),
    st.characters(min_codepoint=0x20, max_codepoint=0xFFFF, exclude_categories=("Cs",)),
)


def render(cells: list[str | None]) -> str:
    """Write 128 cells in the spec's layout with the module's notation."""

    def token(code: int) -> str:
        if code == 0x1B:
            return "ESC"
        char = cells[code]
        if char is None:
            return "--"
        return f"U+{ord(char):04X}"

    return "\n".join(" ".join(token(col * 16 + row) for col in range(8)) for row in range(16))


@given(st.lists(_cells, min_size=128, max_size=128))
def test_grid_round_trips(cells: list[str | None]) -> None:
    cells[0x1B] = None
    assert list(_grid(render(cells))) == cells


@given(st.text(max_size=400))
def test_grid_never_fails_other_than_value_error(text: str) -> None:
    try:
        cells = _grid(text)
    except ValueError:
        return
    assert len(cells) == 128
    assert cells[0x1B] is None
