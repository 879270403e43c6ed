"""Generated tables are what their generators produce today."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.upstream_data("regex", "2026.11.19")
def test_grapheme_joiner_table_is_current() -> None:
    tool = _tool("gen_grapheme")
    assert tool.TARGET.read_text(encoding="utf-8") == tool.render(), (
        "src/smskit/segments/_grapheme_data.py is stale: run python tools/gen_grapheme.py"
    )
