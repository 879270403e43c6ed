"""The examples of docs/scale.md run (they need the arrow, polars and duckdb extras)."""

from __future__ import annotations

import pytest

from _services import require_module
from test_docs_examples import _blocks, _run

PAGE = "scale.md"


def test_page_examples_run() -> None:
    for module, extra in (("pyarrow", "arrow"), ("polars", "polars"), ("duckdb", "duckdb")):
        require_module(module, extra)
    blocks = _blocks(PAGE)
    assert len(blocks) >= 3
    globs: dict[str, object] = {}
    for line, text in blocks:  # in order: later blocks use the first one's card and table
        failures, report, globs = _run(PAGE, line, text, globs)
        if failures:
            pytest.fail(f"{PAGE} line {line}:\n{report}")
